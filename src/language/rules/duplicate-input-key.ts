import type { BoundElement } from '../bind.js';
import { attributeNamed, literalValue, writtenValue } from '../bind.js';
import { defineRule } from './rule.js';

/** Up to this many Inputs, earlier Keys are compared one by one instead of kept in a Map per menu. */
const FEW = 12;
/** The first Input of each Key so far, for small menus (cleared after each: they must not keep documents alive). */
const firstKeys: string[] = [];
const firstInputs: (BoundElement | undefined)[] = [];

/** The first Input with `key` among the `count` recorded for this menu. */
function firstWithKey(key: string, count: number): BoundElement | undefined {
  for (let j = 0; j < count; j++) if (firstKeys[j] === key) return firstInputs[j];
  return undefined;
}

export default defineRule({
  meta: {
    id: 'duplicate-input-key',
    defaultSeverity: 'error',
    description: 'Two Inputs of one menu have the same Key.',
    docs: 'Only the first `<Input>` with a given Key can ever run.',
  },
  create: (ctx) => ({
    only: ['Inputs'],
    element(el) {
      if (el.status !== 'ok' || el.spec?.name !== 'Inputs') return;
      // The first Input with each Key; its line is only worked out for a finding.
      const few = el.children.length <= FEW;
      const seen = few ? undefined : new Map<string, BoundElement>();
      let count = 0;
      for (const input of el.children) {
        if (input.spec?.name !== 'Input') continue;
        const key = literalValue(input, 'Key');
        if (typeof key !== 'string') continue;
        const first = seen ? seen.get(key) : firstWithKey(key, count);
        if (first !== undefined) {
          const spec = attributeNamed(input.spec, 'Key')!;
          ctx.report({ range: writtenValue(input, spec)?.range ?? input.xml.startTagRange, message: `Key '${key}' is already used by the Input on line ${first.xml.range.line}.` });
        } else if (seen) seen.set(key, input);
        else {
          firstKeys[count] = key;
          firstInputs[count++] = input;
        }
      }
      for (let j = 0; j < count; j++) {
        firstKeys[j] = '';
        firstInputs[j] = undefined;
      }
    },
  }),
});
