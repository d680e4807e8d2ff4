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
  readonly spec: AttributeSpec;
  readonly raw: string;
  /** The value's range (computed when asked for: lint needs it only for findings). */
  readonly range: Range;
  readonly fromText: boolean;
  /** The raw value has `$variable` references (checked when the verb runs). */
  readonly templated: boolean;
  /** Memoised check of `raw` (rules and the program builder both need it). */
  checked?: Checked;
}

/** A value written as an attribute; also the attribute's binding (see BoundAttribute). */
class WrittenAttribute implements WrittenValue {
  readonly raw: string;
  readonly templated: boolean;
  checked?: Checked;

  constructor(readonly spec: AttributeSpec, readonly xml: XmlAttribute) {
    this.raw = xml.value;
    this.templated = hasReferences(xml.value);
  }

  get fromText(): boolean {
    return false;
  }

  get range(): Range {
    return this.xml.valueRange;
  }
}

/** The main attribute's value written as the element's text content. */
class WrittenText implements WrittenValue {
  readonly raw: string;
  readonly templated: boolean;
  checked?: Checked;

  constructor(readonly spec: AttributeSpec, private readonly xml: XmlElement) {
    this.raw = xml.text;
    this.templated = hasReferences(xml.text);
  }

  get fromText(): boolean {
    return true;
  }

  get range(): Range {
    return this.xml.textRange ?? this.xml.startTagRange;
  }
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
  /**
   * The written values in attribute order, then the text content's (one per attribute spec: the
   * first, if written twice). An array, not a Map: elements have few attributes.
   */
  written: readonly WrittenValue[];
}

export interface BoundDocument {
  root: XmlElement;
  /** Canonical root name, if the root is a known one. */
  rootName?: 'Response' | 'OzML';
  context: DocumentContext;
  /**
   * Top-level elements (bound even when the root is unknown, so more problems are found at once).
   * When the root is itself a verb (`<Request …>` as the whole document) that verb is the one
   * top-level element: its attributes and children are checked as a verb's, not as the root's.
   */
  elements: BoundElement[];
  /** Canonical name of the verb written as the root (`Request`), when the root is one. */
  verbAsRoot?: string;
  /**
   * Every bound element in document order (pre-order), listed while binding: several rules walk the
   * whole document. (It was once cached in a WeakMap keyed by the element list; young keys of a
   * long-lived WeakMap survive scavenges, which promoted every document tree to the old generation.)
   */
  all: readonly BoundElement[];
  /** Whether a bound (`ok`) element has a written value with `$variable` references: most have none. */
  hasTemplates: boolean;
  /** Whether a bound (`ok`) element is a `<ForEach>`: most documents iterate nothing. */
  hasForEach: boolean;
}

/**
 * What bindDocument notes about the document while binding it, so rules need not walk it again
 * to learn that they have nothing to do. Reset by each bindDocument (binding is synchronous).
 */
let sawTemplates = false;
let sawForEach = false;

/** Shared by the many elements without attributes; never added to. */
const NO_BOUND_ATTRIBUTES: BoundAttribute[] = [];
/** Shared by the many elements without child elements; never added to. */
const NO_BOUND_CHILDREN: BoundElement[] = [];
/** Shared by the many elements without attributes or text; never added to. */
const NOTHING_WRITTEN: WrittenValue[] = [];

function findWritten(written: readonly (WrittenValue | undefined)[], count: number, spec: AttributeSpec): WrittenValue | undefined {
  for (let i = 0; i < count; i++) if (written[i]!.spec === spec) return written[i];
  return undefined;
}

/**
 * Where an element's written values are collected before they are copied into an array of the
 * exact size (arrays grown by push reserve room for 17 entries; most elements have one or two).
 * Cleared after each element; bindElement finishes with it before binding the children.
 */
const pendingWritten: (WrittenValue | undefined)[] = [];

function bindElement(xml: XmlElement, parent: BoundElement | undefined, all: BoundElement[]): BoundElement {
  const allowedHere = allowedChildNames(parent?.spec);
  const spec = findElement(xml.name);
  const allowed = spec !== undefined && isAllowedChild(parent?.spec, spec);
  const element: BoundElement = {
    xml,
    status: spec === undefined ? 'unknown' : allowed ? 'ok' : 'misplaced',
    spec,
    parent,
    attributes: NO_BOUND_ATTRIBUTES,
    children: NO_BOUND_CHILDREN,
    allowedHere,
    written: NOTHING_WRITTEN,
  };
  all.push(element);
  if (allowed && spec.name === 'ForEach') sawForEach = true;
  // Children of unknown elements are not bound, nor are their attributes.
  if (!spec) return element;
  if (xml.attributes.length > 0 || xml.text) bindValues(element, spec, xml);
  if (xml.children.length > 0) element.children = bindChildren(xml.children, element, all);
  return element;
}

function bindChildren(children: readonly XmlElement[], parent: BoundElement | undefined, all: BoundElement[]): BoundElement[] {
  const bound = new Array<BoundElement>(children.length);
  for (let i = 0; i < children.length; i++) bound[i] = bindElement(children[i]!, parent, all);
  return bound;
}

/** The element's attributes and written values (the first per spec, then the text content's). */
function bindValues(element: BoundElement, spec: ElementSpec, xml: XmlElement): void {
  const xmlAttributes = xml.attributes;
  const count = xmlAttributes.length;
  const pending = pendingWritten;
  let written = 0;
  if (count > 0) {
    const attributes = new Array<BoundAttribute>(count);
    for (let i = 0; i < count; i++) {
      const attribute = xmlAttributes[i]!;
      const attrSpec = findAttribute(spec, attribute.name);
      // A written attribute is its own binding: one object, not two.
      if (attrSpec && !findWritten(pending, written, attrSpec)) attributes[i] = pending[written++] = new WrittenAttribute(attrSpec, attribute);
      else attributes[i] = { xml: attribute, spec: attrSpec };
    }
    element.attributes = attributes;
  }
  const main = mainAttribute(spec);
  if (main && xml.text && !findWritten(pending, written, main)) pending[written++] = new WrittenText(main, xml);
  if (written === 0) return;
  if (element.status === 'ok' && !sawTemplates) for (let i = 0; i < written; i++) if (pending[i]!.templated) sawTemplates = true;
  // Every entry below `written` was just set.
  element.written = pending.slice(0, written) as WrittenValue[];
  for (let i = 0; i < written; i++) pending[i] = undefined; // a loop: fill() costs more for a few entries
}

export function bindDocument(root: XmlElement, context: DocumentContext): BoundDocument {
  const rootName = findRoot(root.name);
  const all: BoundElement[] = [];
  sawTemplates = false;
  sawForEach = false;
  const verb = rootName ? undefined : findElement(root.name);
  const verbAsRoot = verb && isAllowedChild(undefined, verb) ? verb.name : undefined;
  const elements = verbAsRoot ? [bindElement(root, undefined, all)] : bindChildren(root.children, undefined, all);
  const hasTemplates = sawTemplates;
  const hasForEach = sawForEach;
  // Literals rather than a spread: `rootName` is absent, not undefined, for an unknown root.
  if (rootName) return { root, rootName, context, elements, all, hasTemplates, hasForEach };
  return verbAsRoot ? { root, context, elements, all, hasTemplates, hasForEach, verbAsRoot } : { root, context, elements, all, hasTemplates, hasForEach };
}

/** The written value of an attribute spec on an element: from an attribute, or from text content. */
export function writtenValue(element: BoundElement, spec: AttributeSpec): WrittenValue | undefined {
  return findWritten(element.written, element.written.length, spec);
}

/** Checks that depend on the config (tone and service names) are not memoised across environments. */
const environmentFree = (spec: AttributeSpec) => spec.type.kind !== 'tone' && spec.type.kind !== 'service';
const defaults = new Map<AttributeSpec, Checked>();

/**
 * The check of the value that applies for `spec` (written, else the default), memoised: the lint
 * rules and the program builder ask for the same values. Undefined when absent or templated.
 */
export function checkedValue(element: BoundElement, spec: AttributeSpec, env?: ValueEnvironment): Checked | undefined {
  const written = findWritten(element.written, element.written.length, spec);
  if (written) return checkedWritten(written, env);
  if (spec.default === undefined) return undefined;
  let checked = environmentFree(spec) ? defaults.get(spec) : undefined;
  if (!checked) {
    checked = checkValue(spec.type, spec.default, env);
    if (environmentFree(spec)) defaults.set(spec, checked);
  }
  return checked;
}

/** `checkedValue` of a value known to be written (for callers that already looked it up). */
export function checkedWritten(written: WrittenValue, env?: ValueEnvironment): Checked | undefined {
  if (written.templated) return undefined;
  const spec = written.spec;
  if (written.checked && environmentFree(spec)) return written.checked;
  return (written.checked = checkValue(spec.type, unescapeDollars(written.raw), env));
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

/** The attribute of an element with this canonical name, if any (no aliases, exact case). */
export function attributeNamed(element: ElementSpec, name: string): AttributeSpec | undefined {
  const attributes = element.attributes;
  for (let i = 0; i < attributes.length; i++) if (attributes[i]!.name === name) return attributes[i];
  return undefined;
}

/** The first attribute written on the element that binds to the canonical name `name`. */
export function attributeWritten(element: BoundElement, name: string): BoundAttribute | undefined {
  for (const attribute of element.attributes) if (attribute.spec?.name === name) return attribute;
  return undefined;
}

/**
 * The first attribute written on the element that binds to `spec` (a loop, not `find`: a callback
 * capturing `spec` costs its caller an allocation on every call, and rules run for every element).
 */
export function attributeFor(element: BoundElement, spec: AttributeSpec): BoundAttribute | undefined {
  for (const attribute of element.attributes) if (attribute.spec === spec) return attribute;
  return undefined;
}

/** Whether an attribute binding to the canonical name `name` is written on the element. */
export function hasAttribute(element: BoundElement, name: string): boolean {
  return attributeWritten(element, name) !== undefined;
}

/** The converted literal value of an attribute (by canonical name), or undefined when absent, templated or invalid. */
export function literalValue(element: BoundElement, name: string): string | number | boolean | undefined {
  const spec = element.spec && attributeNamed(element.spec, name);
  if (!spec) return undefined;
  const checked = checkedValue(element, spec);
  return checked?.ok ? checked.value : undefined;
}
