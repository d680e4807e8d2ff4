import { insideOf, literalValue } from '../bind.js';
import type { BoundElement } from '../bind.js';
import { defineRule } from './rule.js';

/** The top-level verb of the Consult block that `el` is in (itself, or the verb around it). */
function consultStep(el: BoundElement): BoundElement | undefined {
  let step: BoundElement | undefined = el;
  while (step?.parent && step.parent.spec?.name !== 'Consult') step = step.parent;
  return step?.parent ? step : undefined;
}

export default defineRule({
  meta: {
    id: 'consult-accept-key',
    defaultSeverity: 'warning',
    description: 'An <Input> in <Consult> takes the AcceptKey although the Consult block goes on after its UserInput.',
    docs: 'A UserInput inside `<Consult>` consumes the key the target presses, and the AcceptKey counts there too (docs/transfers.md): when any UserInput of the Consult block collects exactly the AcceptKey, the transfer is accepted once the block ends, without a second key press; when the block ends with a UserInput that collected another key, that is the answer and the transfer ends `not-accepted` at once. So `<Input Key>` equal to the AcceptKey means "accept" only in the UserInput that ends the block. In a UserInput followed by more verbs (a menu, then the accept question) the same key also accepts the transfer, which is rarely meant: choose another key for the menu, or make that UserInput the last verb of the Consult block.',
  },
  create: (ctx) => ({
    only: ['Input'],
    element(el) {
      if (el.status !== 'ok') return;
      const key = literalValue(el, 'Key');
      if (typeof key !== 'string') return;
      const consult = insideOf(el, 'Consult');
      const transfer = consult?.parent;
      if (!consult || transfer?.spec?.name !== 'AttendedTransfer') return;
      const acceptKey = literalValue(transfer, 'AcceptKey');
      if (acceptKey !== key) return;
      const step = consultStep(el);
      const steps = consult.children.filter((c) => c.spec?.kind === 'verb');
      if (!step || steps.at(-1) === step) return;
      ctx.report({
        range: el.xml.startTagRange,
        message: `Key '${key}' is also the AcceptKey of <AttendedTransfer> (line ${transfer.xml.startTagRange.line}): pressing it here answers this <UserInput> and accepts the transfer when the Consult block ends, although verbs follow; use another key, or end the Consult block with this <UserInput>.`,
      });
    },
  }),
});
