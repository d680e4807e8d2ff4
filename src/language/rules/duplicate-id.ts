import type { BoundElement } from '../bind.js';
import { literalValue, walk } from '../bind.js';
import { clip } from '../suggest.js';
import { defineRule } from './rule.js';

export default defineRule({
  meta: {
    id: 'duplicate-id',
    defaultSeverity: 'error',
    description: 'A Var or Array ID declared twice in one block, or used for both a Var and an Array.',
    docs: 'Two declarations of the same ID in the same block mean the first is overwritten before anything can read it, usually a copy-paste slip. Setting the same Var in different branches (e.g. two `<Input>`s) is fine. An ID that names both a Var and an Array is always an error: `$x` and `ForEach Source="x"` would read different things.',
  },
  create: (ctx) => ({
    document(doc) {
      const kinds = new Map<string, { kind: string; el: BoundElement }>();
      const checkBlock = (block: readonly BoundElement[]) => {
        const seen = new Map<string, BoundElement>();
        for (const el of block) {
          const name = el.spec?.name;
          if (el.status !== 'ok' || (name !== 'Var' && name !== 'Array')) continue;
          const id = literalValue(el, 'ID');
          if (typeof id !== 'string') continue;
          const first = seen.get(id);
          if (first) {
            ctx.report({ range: el.xml.startTagRange, message: `ID '${clip(id)}' is already declared on line ${first.xml.range.line} in this block.` });
          }
          seen.set(id, el);
          const other = kinds.get(id);
          if (other && other.kind !== name) {
            ctx.report({ range: el.xml.startTagRange, message: `ID '${clip(id)}' names ${other.kind === 'Array' ? 'an' : 'a'} ${other.kind} on line ${other.el.xml.range.line}; a Var and an Array cannot share an ID.` });
          } else if (!other) kinds.set(id, { kind: name, el });
        }
      };
      checkBlock(doc.elements);
      for (const el of walk(doc.elements)) if (el.spec?.children.kind === 'commands') checkBlock(el.children);
    },
  }),
});
