import type { BoundElement } from '../bind.js';
import type { ElementSpec } from '../catalogue/index.js';
import { defineRule } from './rule.js';

function firstOfKind(elements: readonly BoundElement[], spec: ElementSpec): BoundElement | undefined {
  for (const element of elements) if (element.spec === spec) return element;
  return undefined;
}

export default defineRule({
  meta: {
    id: 'unexpected-element',
    defaultSeverity: 'error',
    description: 'A known element in a place where it is not allowed.',
    docs: 'Blocks belong to their verb (`<Input>` inside `<Inputs>`, `<Inputs>` and `<InitialCommands>` inside `<UserInput>`, `<Item>` inside `<Array>`, `<Consult>` inside `<AttendedTransfer>`, `<Received>` inside `<ReceiveAlarmNotification>`, `On…` blocks inside `<Request>`), verbs belong in command blocks, and verbs such as `<Speak>` take no child elements. A block other than `<Item>` and `<Input>` may appear only once in its verb.',
  },
  create: (ctx) => ({
    appliesTo: (spec) => spec !== undefined,
    element(el) {
      if (el.status === 'ok' && el.spec?.unique && el.parent?.spec) {
        const first = firstOfKind(el.parent.children, el.spec);
        if (first && first !== el) {
          ctx.report({
            range: el.xml.startTagRange,
            message: `<${el.spec.name}> may appear only once inside <${el.parent.spec.name}> (the first is on line ${first.xml.range.line}).`,
          });
        }
        return;
      }
      if (el.status !== 'misplaced' || !el.spec) return;
      const parent = el.parent?.spec;
      const where = parent ? `inside <${parent.name}>` : 'at the top level of the document';
      const allowed = el.allowedHere.length > 12 ? 'verbs' : el.allowedHere.map((n) => `<${n}>`).join(', ') || 'no child elements';
      ctx.report({ range: el.xml.startTagRange, message: `<${el.spec.name}> is not allowed ${where} (allowed: ${allowed}).` });
    },
  }),
});
