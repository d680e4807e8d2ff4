/** Case-insensitive lookups over the verb table, built once at module load. */
import type { AttributeSpec, ElementSpec } from './spec.js';
import { ELEMENTS, ROOTS, VERBS } from './verbs.js';

export type { AttributeSpec, AttributeType, ChildrenSpec, ElementSpec } from './spec.js';
export * from './verbs.js';

// Exact spellings first (most documents use them), then the lower-cased fallback.
const elementsByExactName = new Map<string, ElementSpec>();
const elementsByName = new Map<string, ElementSpec>();
for (const spec of ELEMENTS) {
  for (const name of [spec.name, ...(spec.aliases ?? [])]) {
    elementsByExactName.set(name, spec);
    elementsByName.set(name.toLowerCase(), spec);
  }
}

const attributesByElement = new Map<ElementSpec, Map<string, AttributeSpec>>();
for (const spec of ELEMENTS) {
  const byName = new Map<string, AttributeSpec>();
  for (const a of spec.attributes) {
    for (const name of [a.name, ...(a.aliases ?? [])]) {
      byName.set(name, a);
      byName.set(name.toLowerCase(), a);
    }
  }
  attributesByElement.set(spec, byName);
}

/** The element spec for a name or alias, in any letter case. */
export function findElement(name: string): ElementSpec | undefined {
  return elementsByExactName.get(name) ?? elementsByName.get(name.toLowerCase());
}

export function findVerb(name: string): ElementSpec | undefined {
  const spec = findElement(name);
  return spec?.kind === 'verb' ? spec : undefined;
}

/** The attribute spec of an element for a name or alias, in any letter case. */
export function findAttribute(element: ElementSpec, name: string): AttributeSpec | undefined {
  const byName = attributesByElement.get(element);
  return byName?.get(name) ?? byName?.get(name.toLowerCase());
}

export function findRoot(name: string): (typeof ROOTS)[number] | undefined {
  // The exact spelling first: every document asks, and most write it so.
  for (const root of ROOTS) if (root === name) return root;
  const lower = name.toLowerCase();
  return ROOTS.find((root) => root.toLowerCase() === lower);
}

/** `null` for the elements without one: one lookup answers both cases. */
const mainAttributes = new Map<ElementSpec, AttributeSpec | null>();
for (const spec of ELEMENTS) mainAttributes.set(spec, spec.attributes.find((a) => a.main) ?? null);

/** The attribute whose value may be written as text content, if any. */
export function mainAttribute(element: ElementSpec): AttributeSpec | undefined {
  // Looked up, not searched: bind and several rules ask for every element.
  const main = mainAttributes.get(element);
  return main !== undefined ? main ?? undefined : element.attributes.find((a) => a.main);
}

const VERB_NAMES: readonly string[] = VERBS.map((v) => v.name);
const NO_NAMES: readonly string[] = [];

/** Canonical names of the elements allowed directly inside `parent` (undefined = the document root). */
export function allowedChildNames(parent: ElementSpec | undefined): readonly string[] {
  if (!parent) return VERB_NAMES;
  switch (parent.children.kind) {
    case 'none':
      return NO_NAMES;
    case 'commands':
      return VERB_NAMES;
    case 'elements':
      return parent.children.names;
  }
}

const allowedSets = new Map<ElementSpec | undefined, ReadonlySet<string>>();

/** Whether `child` may stand directly inside `parent` (undefined = the document root). */
export function isAllowedChild(parent: ElementSpec | undefined, child: ElementSpec): boolean {
  let allowed = allowedSets.get(parent);
  if (!allowed) allowedSets.set(parent, (allowed = new Set(allowedChildNames(parent))));
  return allowed.has(child.name);
}
