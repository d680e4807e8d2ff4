/** Builds the typed program from a bound document that passed the lint rules. */
import type { BoundElement } from './bind.js';
import { attributeApplies, checkedValue, writtenValue } from './bind.js';
import type { AttributeSpec } from './catalogue/index.js';
import type { AttributeValue, DocumentContext, ProgramNode } from './types.js';
import type { ValueEnvironment } from './values.js';
import { resolveUrl } from './values.js';
import { unescapeDollars } from './variables.js';

export interface BuildOptions {
  context: DocumentContext;
  url?: string;
  environment: ValueEnvironment;
}

/**
 * Defaults are the same for every element of a kind: one frozen value per attribute spec (and
 * value, since URL defaults resolve against the document), shared by all programs — programs are
 * read-only data.
 */
const defaultValues = new Map<AttributeSpec, AttributeValue>();

function defaultValue(spec: AttributeSpec, value: string | number | boolean): AttributeValue {
  const cached = defaultValues.get(spec);
  if (cached?.kind === 'literal' && cached.value === value) return cached;
  const created: AttributeValue = Object.freeze({ kind: 'literal', value, origin: 'default' });
  defaultValues.set(spec, created);
  return created;
}

function buildValue(spec: AttributeSpec, element: BoundElement, options: BuildOptions): AttributeValue | undefined {
  const written = writtenValue(element, spec);
  if (written?.templated) {
    return { kind: 'template', template: written.raw, origin: 'written', range: written.range };
  }
  const checked = checkedValue(element, spec, options.environment);
  if (!checked) return undefined;
  // Invalid values only get here when invalid-attribute-value is turned off: keep the text as written.
  let value = checked.ok ? checked.value : unescapeDollars(written?.raw ?? spec.default ?? '');
  if (spec.type.kind === 'url' && typeof value === 'string') value = resolveUrl(value, options.url);
  if (written) return { kind: 'literal', value, origin: 'written', range: written.range };
  return defaultValue(spec, value);
}

/** Unknown and misplaced elements only remain when their rules were turned off: they are skipped. */
const builds = (element: BoundElement): boolean => element.status === 'ok' && element.spec !== undefined;

export function buildNodes(elements: readonly BoundElement[], options: BuildOptions): ProgramNode[] {
  let count = 0;
  for (const element of elements) if (builds(element)) count++;
  // Sized up front: an array grown by push reserves 17 slots, and most blocks hold one or two nodes.
  const nodes = new Array<ProgramNode>(count);
  let index = 0;
  for (const element of elements) {
    if (!builds(element)) continue;
    const spec = element.spec!;
    const attributes: Record<string, AttributeValue> = {};
    for (const attribute of spec.attributes) {
      if (!attributeApplies(attribute, options.context)) continue;
      const value = buildValue(attribute, element, options);
      if (value) attributes[attribute.name] = value;
    }
    nodes[index++] = {
      name: spec.name,
      kind: spec.kind,
      range: element.xml.range,
      attributes,
      children: buildNodes(element.children, options),
    };
  }
  return nodes;
}
