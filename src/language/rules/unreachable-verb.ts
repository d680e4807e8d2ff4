import type { BoundElement } from '../bind.js';
import { literalValue } from '../bind.js';
import type { DocumentContext } from '../types.js';
import { defineRule } from './rule.js';

/** Why nothing after `el` in the same block can run, or undefined. */
function endsBlock(el: BoundElement, context: DocumentContext): string | undefined {
  if (el.status !== 'ok' || el.spec?.kind !== 'verb') return undefined;
  // A third-party document may hang up another call by CallId and go on (the vendor's own example does).
  if (el.spec.name === 'Hangup' && context === 'third-party' && el.attributes.some((a) => a.spec?.name === 'CallId')) return undefined;
  if (el.spec.terminal) return `<${el.spec.name}>`;
  if (el.spec.name === 'Play' && literalValue(el, 'Repeat') === true && literalValue(el, 'Timeout') === undefined
    && !el.attributes.some((a) => a.spec?.name === 'Timeout')) {
    return '<Play Repeat="true"> without a Timeout (it never ends)';
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'unreachable-verb',
    defaultSeverity: 'warning',
    description: 'A verb that can never run because an earlier verb in its block ends the script.',
    docs: 'Hangup, Reject, GoTo, Exit and Route end the document (GoTo replaces the rest of it with the fetched reply), and a `<Play Repeat="true">` without a Timeout never finishes. Verbs after them in the same block are dead code. In third-party documents a `<Hangup CallId="…">` hangs up another call and the script goes on.',
  },
  create: (ctx) => {
    const check = (block: readonly BoundElement[]) => {
      for (let i = 0; i < block.length - 1; i++) {
        const reason = endsBlock(block[i]!, ctx.context);
        if (!reason) continue;
        const next = block[i + 1]!;
        const line = block[i]!.xml.range.line;
        ctx.report({ range: next.xml.startTagRange, message: `<${next.xml.name}> can never run: it follows ${reason} on line ${line}.` });
        return;
      }
    };
    return {
      document(doc) { check(doc.elements); },
      appliesTo: (spec) => spec?.children.kind === 'commands',
      element(el) { if (el.spec?.children.kind === 'commands') check(el.children); },
    };
  },
});
