import { literalValue, writtenValue } from '../bind.js';
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
      const seen = new Map<string, number>();
      for (const input of el.children) {
        if (input.spec?.name !== 'Input') continue;
        const key = literalValue(input, 'Key');
        if (typeof key !== 'string') continue;
        const line = seen.get(key);
        if (line !== undefined) {
          const spec = input.spec.attributes.find((a) => a.name === 'Key')!;
          ctx.report({ range: writtenValue(input, spec)?.range ?? input.xml.startTagRange, message: `Key '${key}' is already used by the Input on line ${line}.` });
        } else seen.set(key, input.xml.range.line);
      }
    },
  }),
});
