/**
 * Binding: each XML element and attribute is matched (case-insensitively, with aliases) to its
 * entry in the verb table. Rules and the program builder read this bound tree; nothing here reports.
 */
import { allowedChildNames, findAttribute, findElement, findRoot, mainAttribute } from './catalogue/index.js';
import type { AttributeSpec, ElementSpec } from './catalogue/index.js';
import type { DocumentContext, Range } from './types.js';
import type { XmlAttribute, XmlElement } from './xml/read.js';
import { checkValue } from './values.js';
import { hasReferences } from './variables.js';

export interface BoundAttribute {
  xml: XmlAttribute;
  /** Undefined for an attribute the element does not have. */
  spec?: AttributeSpec;
}

/** How an element relates to the table at its position. */
export type BindingStatus = 'ok' | 'unknown' | 'misplaced';

export interface BoundElement {
  xml: XmlElement;
  status: BindingStatus;
  /** Set for `ok` and `misplaced` elements. */
  spec?: ElementSpec;
  parent?: BoundElement;
  attributes: BoundAttribute[];
  /** Children bound in turn (children of unknown elements are not bound). */
  children: BoundElement[];
  /** Canonical names allowed where this element stands (for suggestions). */
  allowedHere: readonly string[];
}

export interface BoundDocument {
  root: XmlElement;
  /** Canonical root name, if the root is a known one. */
  rootName?: 'Response' | 'OzML';
  context: DocumentContext;
  /** Top-level elements (bound even when the root is unknown, so more problems are found at once). */
  elements: BoundElement[];
}

function bindElement(xml: XmlElement, parent: BoundElement | undefined): BoundElement {
  const allowedHere = allowedChildNames(parent?.spec);
  const spec = findElement(xml.name);
  const allowed = spec !== undefined && allowedHere.includes(spec.name);
  const element: BoundElement = {
    xml,
    status: spec === undefined ? 'unknown' : allowed ? 'ok' : 'misplaced',
    ...(spec ? { spec } : {}),
    ...(parent ? { parent } : {}),
    attributes: [],
    children: [],
    allowedHere,
  };
  if (spec) {
    for (const attribute of xml.attributes) {
      const attrSpec = findAttribute(spec, attribute.name);
      element.attributes.push(attrSpec ? { xml: attribute, spec: attrSpec } : { xml: attribute });
    }
    for (const child of xml.children) element.children.push(bindElement(child, element));
  }
  return element;
}

export function bindDocument(root: XmlElement, context: DocumentContext): BoundDocument {
  const rootName = findRoot(root.name);
  return {
    root,
    ...(rootName ? { rootName } : {}),
    context,
    elements: root.children.map((child) => bindElement(child, undefined)),
  };
}

/** The written value of an attribute spec on an element: from an attribute, or from text content. */
export function writtenValue(
  element: BoundElement,
  spec: AttributeSpec,
): { raw: string; range: Range; fromText: boolean } | undefined {
  const attribute = element.attributes.find((a) => a.spec === spec);
  if (attribute) return { raw: attribute.xml.value, range: attribute.xml.valueRange, fromText: false };
  if (element.spec && mainAttribute(element.spec) === spec && element.xml.text) {
    return { raw: element.xml.text, range: element.xml.textRange ?? element.xml.startTagRange, fromText: true };
  }
  return undefined;
}

const flattened = new WeakMap<readonly BoundElement[], readonly BoundElement[]>();

/**
 * The elements and all their descendants in document order (pre-order). Several rules walk the
 * whole document, so the list is built once per element list and shared; nesting is capped, so the
 * recursion is shallow.
 */
export function walk(elements: readonly BoundElement[]): readonly BoundElement[] {
  let all = flattened.get(elements);
  if (!all) {
    const list: BoundElement[] = [];
    const visit = (level: readonly BoundElement[]) => {
      for (const element of level) {
        list.push(element);
        visit(element.children);
      }
    };
    visit(elements);
    flattened.set(elements, (all = list));
  }
  return all;
}

/** Whether an element sits (at any depth) inside an element named `name`. */
export function insideOf(element: BoundElement, name: string): BoundElement | undefined {
  for (let p = element.parent; p; p = p.parent) if (p.spec?.name === name) return p;
  return undefined;
}

/** True when the attribute takes effect in the context. */
export function attributeApplies(spec: AttributeSpec, context: DocumentContext): boolean {
  return !spec.contexts || spec.contexts.includes(context);
}

/** True when the attribute is required in the context. */
export function attributeRequired(spec: AttributeSpec, context: DocumentContext): boolean {
  return spec.required === true || (Array.isArray(spec.required) && spec.required.includes(context));
}

/** The converted literal value of an attribute (by canonical name), or undefined when absent, templated or invalid. */
export function literalValue(element: BoundElement, name: string): string | number | boolean | undefined {
  const spec = element.spec?.attributes.find((a) => a.name === name);
  if (!spec) return undefined;
  const written = writtenValue(element, spec);
  const raw = written?.raw ?? spec.default;
  if (raw === undefined || hasReferences(raw)) return undefined;
  const checked = checkValue(spec.type, raw);
  return checked.ok ? checked.value : undefined;
}
