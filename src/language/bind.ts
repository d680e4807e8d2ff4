/**
 * Binding: each XML element and attribute is matched (case-insensitively, with aliases) to its
 * entry in the verb table. Rules and the program builder read this bound tree; nothing here reports.
 */
import { allowedChildNames, findAttribute, findElement, findRoot, isAllowedChild, mainAttribute } from './catalogue/index.js';
import type { AttributeSpec, ElementSpec } from './catalogue/index.js';
import type { DocumentContext, Range } from './types.js';
import type { XmlAttribute, XmlElement } from './xml/read.js';
import { checkValue } from './values.js';
import type { Checked, ValueEnvironment } from './values.js';
import { hasReferences, unescapeDollars } from './variables.js';

export interface BoundAttribute {
  xml: XmlAttribute;
  /** Undefined for an attribute the element does not have. */
  spec?: AttributeSpec;
}

/** A value written for an attribute spec: as an attribute, or as the element's text content. */
export interface WrittenValue {
  raw: string;
  range: Range;
  fromText: boolean;
  /** The raw value has `$variable` references (checked when the verb runs). */
  templated: boolean;
  /** Memoised check of `raw` (rules and the program builder both need it). */
  checked?: Checked;
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
  /** Attribute spec → its written value (the first one, if written twice). */
  written: Map<AttributeSpec, WrittenValue>;
}

export interface BoundDocument {
  root: XmlElement;
  /** Canonical root name, if the root is a known one. */
  rootName?: 'Response' | 'OzML';
  context: DocumentContext;
  /** Top-level elements (bound even when the root is unknown, so more problems are found at once). */
  elements: BoundElement[];
}

/** Shared by the many elements without attributes; never added to. */
const NO_BOUND_ATTRIBUTES: BoundAttribute[] = [];

/** Shared by the many elements without attributes or text; never written to. */
const NOTHING_WRITTEN: Map<AttributeSpec, WrittenValue> = new Map();

function bindElement(xml: XmlElement, parent: BoundElement | undefined): BoundElement {
  const allowedHere = allowedChildNames(parent?.spec);
  const spec = findElement(xml.name);
  const allowed = spec !== undefined && isAllowedChild(parent?.spec, spec);
  const element: BoundElement = {
    xml,
    status: spec === undefined ? 'unknown' : allowed ? 'ok' : 'misplaced',
    spec,
    parent,
    attributes: xml.attributes.length > 0 ? [] : NO_BOUND_ATTRIBUTES,
    children: [],
    allowedHere,
    written: xml.attributes.length > 0 || xml.text ? new Map() : NOTHING_WRITTEN,
  };
  if (spec) {
    for (const attribute of xml.attributes) {
      const attrSpec = findAttribute(spec, attribute.name);
      element.attributes.push({ xml: attribute, spec: attrSpec });
      if (attrSpec && !element.written.has(attrSpec)) {
        element.written.set(attrSpec, { raw: attribute.value, range: attribute.valueRange, fromText: false, templated: hasReferences(attribute.value) });
      }
    }
    const main = mainAttribute(spec);
    if (main && xml.text && !element.written.has(main)) {
      element.written.set(main, { raw: xml.text, range: xml.textRange ?? xml.startTagRange, fromText: true, templated: hasReferences(xml.text) });
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
export function writtenValue(element: BoundElement, spec: AttributeSpec): WrittenValue | undefined {
  return element.written.get(spec);
}

/** Checks that depend on the config (tone and service names) are not memoised across environments. */
const environmentFree = (spec: AttributeSpec) => spec.type.kind !== 'tone' && spec.type.kind !== 'service';
const defaults = new Map<AttributeSpec, Checked>();

/**
 * The check of the value that applies for `spec` (written, else the default), memoised: the lint
 * rules and the program builder ask for the same values. Undefined when absent or templated.
 */
export function checkedValue(element: BoundElement, spec: AttributeSpec, env?: ValueEnvironment): Checked | undefined {
  const written = element.written.get(spec);
  if (written) {
    if (written.templated) return undefined;
    if (written.checked && environmentFree(spec)) return written.checked;
    return (written.checked = checkValue(spec.type, unescapeDollars(written.raw), env));
  }
  if (spec.default === undefined) return undefined;
  let checked = environmentFree(spec) ? defaults.get(spec) : undefined;
  if (!checked) {
    checked = checkValue(spec.type, spec.default, env);
    if (environmentFree(spec)) defaults.set(spec, checked);
  }
  return checked;
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
  const checked = checkedValue(element, spec);
  return checked?.ok ? checked.value : undefined;
}
