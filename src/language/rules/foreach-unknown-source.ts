import { literalValue, writtenValue } from '../bind.js';
import { BUILTIN_ARRAYS } from '../variables.js';
import { clip, closestMatch } from '../suggest.js';
import { defineRule } from './rule.js';

export default defineRule({
  meta: {
    id: 'foreach-unknown-source',
    // A warning, like undefined-variable: arrays live in the call's scope and survive GoTo, so an
    // earlier document of the call may have declared it (docs/language.md).
    defaultSeverity: 'warning',
    description: 'ForEach iterates an array that this document does not declare.',
    docs: '`Source` should name an `<Array>` of the document, an array the platform provides (`voicemails`), or one declared with the `knownArrays` option (`--known-array`, config `lint.knownArrays`). Arrays live in the call, like variables, and survive GoTo: an array declared by an earlier document of the call is known at run time, which the linter cannot see, so this is a warning. When no array of that name exists at run time, ForEach reports an `unknown-array` error event and the script goes on after it.',
  },
  create: (ctx) => ({
    document(doc) {
      // Most documents iterate nothing (noted while binding): then the set of arrays is not needed.
      if (!doc.hasForEach) return;
      const arrays = new Set<string>([...BUILTIN_ARRAYS, ...ctx.knownArrays]);
      for (const el of doc.all) {
        if (el.status === 'ok' && el.spec?.name === 'Array') {
          const id = literalValue(el, 'ID');
          if (typeof id === 'string') arrays.add(id);
        }
      }
      for (const el of doc.all) {
        if (el.status !== 'ok' || el.spec?.name !== 'ForEach') continue;
        const source = literalValue(el, 'Source');
        if (typeof source !== 'string' || arrays.has(source)) continue;
        const spec = el.spec.attributes.find((a) => a.name === 'Source')!;
        const suggestion = closestMatch(source, arrays);
        ctx.report({
          range: writtenValue(el, spec)?.range ?? el.xml.startTagRange,
          message: `ForEach Source '${clip(source)}' is not an Array of this document (arrays: ${[...arrays].join(', ')})${suggestion ? `; did you mean '${suggestion}'?` : `; unless an earlier document of the call declares it, ForEach finds no array '${clip(source)}' at run time.`}`,
          ...(suggestion ? { suggestion } : {}),
        });
      }
    },
  }),
});
