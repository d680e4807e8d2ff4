import { defineRule } from './rule.js';

export default defineRule({
  meta: {
    id: 'verb-not-allowed-in-context',
    defaultSeverity: 'error',
    description: 'A verb used in a context (api-extension, third-party, routing) where it does not work.',
    docs: 'A document answers one kind of notification, which fixes its context (docs/language.md). For example `<Hold>`, `<Forward>` and `<SendDTMF>` act on other calls and work only in third-party documents; `<UserInput>` and `<GoTo>` need the interpreter to be a party of the call (api-extension); routing documents may contain only `<Route>`. The `<Consult>` block of AttendedTransfer only exists in api-extension documents (a third-party AttendedTransfer joins two existing calls). Choose the context with `--context` or the config file\'s glob mapping.',
  },
  create: (ctx) => ({
    appliesTo: (spec) => spec?.contexts !== undefined,
    element(el) {
      if (el.status !== 'ok' || !el.spec?.contexts) return;
      if (el.spec.contexts.includes(ctx.context)) return;
      // A block in the wrong context is reported once, not again for its verb's own context error.
      if (el.spec.kind === 'block' && el.parent?.spec?.contexts && !el.parent.spec.contexts.includes(ctx.context)) return;
      ctx.report({
        range: el.xml.startTagRange,
        message: `<${el.spec.name}> is not allowed in ${ctx.context} documents (only in ${el.spec.contexts.join(', ')}).`,
      });
    },
  }),
});
