import type { BoundElement } from '../bind.js';
import { literalValue } from '../bind.js';
import { clip } from '../suggest.js';
import { defineRule } from './rule.js';

/** Whether any element that this rule checks (a Var or an Array) is in the document. */
function declaresIds(all: readonly BoundElement[]): boolean {
  for (const el of all) {
    const name = el.spec?.name;
    if (el.status === 'ok' && (name === 'Var' || name === 'Array')) return true;
  }
  return false;
}

export default defineRule({
  meta: {
    id: 'duplicate-id',
    defaultSeverity: 'error',
    description: 'A Var or Array ID declared twice in one block, or used for both a Var and an Array.',
    docs: 'Two declarations of the same ID in the same block mean the first is overwritten before anything can read it, usually a copy-paste slip. Setting the same Var in different branches (e.g. two `<Input>`s) is fine. An ID that names both a Var and an Array is always an error: `$x` and `ForEach Source="x"` would read different things.',
  },
  create: (ctx) => ({
    document(doc) {
      if (!declaresIds(doc.all)) return; // most documents: nothing to allocate for
      // The first declaration of each ID in the document (its element name is its kind).
      const kinds = new Map<string, BoundElement>();
      const checkBlock = (block: readonly BoundElement[]) => {
        // Created at the block's first declaration: most blocks declare nothing.
        let seen: Map<string, BoundElement> | undefined;
        for (const el of block) {
          const name = el.spec?.name;
          if (el.status !== 'ok' || (name !== 'Var' && name !== 'Array')) continue;
          const id = literalValue(el, 'ID');
          if (typeof id !== 'string') continue;
          seen ??= new Map();
          const first = seen.get(id);
          if (first) {
            ctx.report({ range: el.xml.startTagRange, message: `ID '${clip(id)}' is already declared on line ${first.xml.range.line} in this block.` });
          }
          seen.set(id, el);
          const other = kinds.get(id);
          const otherKind = other?.spec?.name;
          if (other && otherKind !== name) {
            ctx.report({ range: el.xml.startTagRange, message: `ID '${clip(id)}' names ${otherKind === 'Array' ? 'an' : 'a'} ${otherKind} on line ${other.xml.range.line}; a Var and an Array cannot share an ID.` });
          } else if (!other) kinds.set(id, el);
        }
      };
      checkBlock(doc.elements);
      for (const el of doc.all) if (el.spec?.children.kind === 'commands') checkBlock(el.children);
    },
  }),
});
