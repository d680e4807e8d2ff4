import type { BoundElement } from '../bind.js';
import { insideOf, literalValue } from '../bind.js';
import type { Range } from '../types.js';
import { ALARM_VARIABLES, BUILTIN_VARIABLES, findReferences, VOICEMAIL_VARIABLES } from '../variables.js';
import { clip } from '../suggest.js';
import { defineRule } from './rule.js';

/**
 * The range of a reference inside a value, when it can be placed exactly; else the whole value.
 * Exact placement needs the source to be the value verbatim on one line: entity references, CDATA
 * markers and comments make the source longer than the decoded value, so then the whole value is used.
 */
function referenceRange(value: string, valueRange: Range, offset: number, length: number): Range {
  if (valueRange.line !== valueRange.endLine || valueRange.endColumn - valueRange.column !== value.length) return valueRange;
  const column = valueRange.column + offset;
  return { line: valueRange.line, column, endLine: valueRange.line, endColumn: column + length };
}

const BUILTIN_NAMES: ReadonlySet<string> = new Set([...BUILTIN_VARIABLES, ...VOICEMAIL_VARIABLES]);

export default defineRule({
  meta: {
    id: 'undefined-variable',
    defaultSeverity: 'warning',
    description: 'A $variable that no Var, Array, built-in or known notification parameter defines.',
    docs: 'Unknown variables expand to the empty string at run time (and the executor reports them). Every parameter of the notification that fetched the document is also a variable, which the linter cannot know: declare such names with the `knownVariables` option (`--known-variable`, config `lint.knownVariables`), or accept the warning. The platform\'s voicemail variables `$username` and `$oldmessagepath` are built in, like the `voicemails` array. `$item` is defined only inside `<ForEach>`, and the alarm variables (`$account`, `$eventcode`, …) only inside `<Received>`.',
  },
  create: (ctx) => ({
    document(doc) {
      if (!doc.hasTemplates) return; // most documents: no closures to create (noted while binding)
      // The document's own IDs are collected at the first reference that needs them (most documents
      // only use built-in variables, or none).
      let declared: Set<string> | undefined;
      const defined = (root: string): boolean => {
        if (BUILTIN_NAMES.has(root) || ctx.knownVariables.has(root)) return true;
        if (!declared) {
          declared = new Set();
          for (const el of doc.all) {
            if (el.status === 'ok' && (el.spec?.name === 'Var' || el.spec?.name === 'Array')) {
              const id = literalValue(el, 'ID');
              if (typeof id === 'string') declared.add(id);
            }
          }
        }
        return declared.has(root);
      };
      const visible = (el: BoundElement, root: string): boolean => {
        if (defined(root)) return true;
        if (root === 'item') return insideOf(el, 'ForEach') !== undefined || el.spec?.name === 'ForEach';
        if ((ALARM_VARIABLES as readonly string[]).includes(root)) return insideOf(el, 'Received') !== undefined;
        return false;
      };
      for (const el of doc.all) {
        if (el.status !== 'ok' || !el.spec) continue;
        for (const written of el.written) {
          if (!written.templated) continue;
          for (const ref of findReferences(written.raw)) {
            if (visible(el, ref.root)) continue;
            const scope = ref.root === 'item' ? ' ($item exists only inside <ForEach>)'
              : (ALARM_VARIABLES as readonly string[]).includes(ref.root) ? ' (alarm variables exist only inside <Received>)' : '';
            ctx.report({
              range: referenceRange(written.raw, written.range, ref.offset, ref.length),
              message: `$${clip(ref.name)} is not defined by a Var, an Array or a built-in${scope}; unless the notification sends ${clip(ref.root)}, it expands to ''.`,
            });
          }
        }
      }
    },
  }),
});
