import type { BoundElement } from '../bind.js';
import { attributeNamed, literalValue, writtenValue } from '../bind.js';
import { defineRule } from './rule.js';

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
      const seen = new Map<string, BoundElement>();
      for (const input of el.children) {
        if (input.spec?.name !== 'Input') continue;
        const key = literalValue(input, 'Key');
        if (typeof key !== 'string') continue;
        const first = seen.get(key);
        if (first !== undefined) {
          const spec = attributeNamed(input.spec, 'Key')!;
          ctx.report({ range: writtenValue(input, spec)?.range ?? input.xml.startTagRange, message: `Key '${key}' is already used by the Input on line ${first.xml.range.line}.` });
        } else seen.set(key, input);
      }
    },
  }),
});
