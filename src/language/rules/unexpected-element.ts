import { defineRule } from './rule.js';

export default defineRule({
  meta: {
    id: 'unexpected-element',
    defaultSeverity: 'error',
    description: 'A known element in a place where it is not allowed.',
    docs: 'Blocks belong to their verb (`<Input>` inside `<Inputs>`, `<Inputs>` and `<InitialCommands>` inside `<UserInput>`, `<Item>` inside `<Array>`, `<Consult>` inside `<AttendedTransfer>`, `<Received>` inside `<ReceiveAlarmNotification>`, `On…` blocks inside `<Request>`), verbs belong in command blocks, and verbs such as `<Speak>` take no child elements.',
  },
  create: (ctx) => ({
    element(el) {
      if (el.status !== 'misplaced' || !el.spec) return;
      const parent = el.parent?.spec;
      const where = parent ? `inside <${parent.name}>` : 'at the top level of the document';
      const allowed = el.allowedHere.length > 12 ? 'verbs' : el.allowedHere.map((n) => `<${n}>`).join(', ') || 'no child elements';
      ctx.report({ range: el.xml.startTagRange, message: `<${el.spec.name}> is not allowed ${where} (allowed: ${allowed}).` });
    },
  }),
});
