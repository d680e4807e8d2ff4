import type { BoundElement } from '../bind.js';
import { attributeNamed, hasAttribute, literalValue, writtenValue } from '../bind.js';
import { defineRule } from './rule.js';

/** The digit counts a UserInput can collect, per docs/engine.md (Digits exact, or MinDigits..MaxDigits). */
interface DigitBounds { min: number; max: number; exact: boolean }

export function digitBounds(userInput: BoundElement): DigitBounds | undefined {
  const min = literalValue(userInput, 'MinDigits');
  const max = literalValue(userInput, 'MaxDigits');
  const minWritten = hasAttribute(userInput, 'MinDigits');
  const maxWritten = hasAttribute(userInput, 'MaxDigits');
  if (minWritten || maxWritten) {
    if ((minWritten && typeof min !== 'number') || (maxWritten && typeof max !== 'number')) return undefined;
    const low = typeof min === 'number' ? min : 1;
    return { min: low, max: typeof max === 'number' ? max : Math.max(low, 1), exact: false };
  }
  const digits = literalValue(userInput, 'Digits');
  return typeof digits === 'number' ? { min: digits, max: digits, exact: true } : undefined;
}

export default defineRule({
  meta: {
    id: 'input-key-unreachable',
    defaultSeverity: 'error',
    description: 'An Input Key that the UserInput can never collect (longer than MaxDigits/Digits, or shorter than Digits).',
    docs: 'A UserInput with `Digits="N"` collects exactly N keys; with MinDigits/MaxDigits it collects up to MaxDigits (ending early on `#`). A Key of another length can never match.',
  },
  create: (ctx) => {
    const check = (el: BoundElement, userInput: BoundElement, bounds: DigitBounds) => {
      const key = literalValue(el, 'Key');
      if (typeof key !== 'string') return;
      const fits = bounds.exact ? key.length === bounds.min : key.length >= bounds.min && key.length <= bounds.max;
      if (fits) return;
      // The range is worked out only for a finding (most Keys fit).
      const range = writtenValue(el, attributeNamed(el.spec!, 'Key')!)?.range ?? el.xml.startTagRange;
      const has = `Key '${key}' has ${key.length} digit${key.length === 1 ? '' : 's'}`;
      if (bounds.exact && key.length !== bounds.min) {
        const byDefault = hasAttribute(userInput, 'Digits') ? '' : ' (Digits defaults to 1)';
        ctx.report({ range, message: `${has} but the UserInput collects exactly ${bounds.min}${byDefault}.` });
      } else if (key.length > bounds.max) {
        ctx.report({ range, message: `${has} but the UserInput collects at most ${bounds.max} (MaxDigits).` });
      } else if (key.length < bounds.min) {
        ctx.report({ range, message: `${has} but the UserInput collects at least ${bounds.min} (MinDigits).` });
      }
    };
    return {
      // Visited per <Inputs>, not per <Input>: the UserInput's bounds are read once for all its Keys.
      only: ['Inputs'],
      element(inputs) {
        const userInput = inputs.parent;
        if (userInput?.spec?.name !== 'UserInput') return;
        let bounds: DigitBounds | undefined | null = null; // null = not read yet
        for (const el of inputs.children) {
          if (el.status !== 'ok' || el.spec?.name !== 'Input') continue;
          if (bounds === null) bounds = digitBounds(userInput);
          if (!bounds) return;
          check(el, userInput, bounds);
        }
      },
    };
  },
});
