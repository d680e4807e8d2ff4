import { attributeRequired, writtenValue } from '../bind.js';
import type { AttributeSpec, ElementSpec } from '../catalogue/index.js';
import type { DocumentContext } from '../types.js';
import { defineRule } from './rule.js';

/** Per context, each element's required attributes in table order (most elements have none). */
const requiredByContext = new Map<DocumentContext, Map<ElementSpec, readonly AttributeSpec[]>>();

/** The map of the context asked for last (documents of one context usually come in a row). */
let lastContext: DocumentContext | undefined;
let lastByElement: Map<ElementSpec, readonly AttributeSpec[]> | undefined;

function requiredAttributes(element: ElementSpec, context: DocumentContext): readonly AttributeSpec[] {
  let byElement = context === lastContext ? lastByElement : requiredByContext.get(context);
  if (!byElement) requiredByContext.set(context, (byElement = new Map()));
  lastContext = context;
  lastByElement = byElement;
  let required = byElement.get(element);
  if (!required) byElement.set(element, (required = listRequired(element, context)));
  return required;
}

/** Separate from requiredAttributes: a callback capturing `context` would cost that function an allocation per call. */
function listRequired(element: ElementSpec, context: DocumentContext): readonly AttributeSpec[] {
  return element.attributes.filter((spec) => attributeRequired(spec, context));
}

export default defineRule({
  meta: {
    id: 'missing-required-attribute',
    defaultSeverity: 'error',
    description: 'A required attribute (or main text) is missing.',
    docs: 'Some attributes are required in every context (`Target` of BlindTransfer), others only in one (`Party` of Speak in third-party documents, `TargetCallId` of AttendedTransfer in third-party documents). Attributes that may be written as text content count when the text is there.',
  },
  create: (ctx) => ({
    // Required in some context (the document's is not known here).
    appliesTo: (spec) => spec !== undefined && spec.attributes.some((a) => a.required === true || Array.isArray(a.required)),
    element(el) {
      if (el.status !== 'ok' || !el.spec) return;
      if (el.spec.contexts && !el.spec.contexts.includes(ctx.context)) return; // reported by verb-not-allowed-in-context
      const required = requiredAttributes(el.spec, ctx.context);
      for (let i = 0; i < required.length; i++) {
        const spec = required[i]!;
        if (writtenValue(el, spec)) continue;
        const how = spec.main ? ` (as an attribute or as text content)` : '';
        ctx.report({ range: el.xml.startTagRange, message: `<${el.spec.name}> requires ${spec.name}${how}.` });
      }
    },
  }),
});
