/** Builds the typed program from a bound document that passed the lint rules. */
import type { BoundElement } from './bind.js';
import { attributeApplies, checkedValue, checkedWritten, writtenValue } from './bind.js';
import type { AttributeSpec, ElementSpec } from './catalogue/index.js';
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

/**
 * Defaults that depend on neither the document's URL nor the config (most of them): the value
 * built once per attribute spec, so an unwritten attribute costs one lookup.
 */
const constantDefaults = new Map<AttributeSpec, AttributeValue>();

const hasConstantDefault = (spec: AttributeSpec): boolean =>
  spec.type.kind !== 'url' && spec.type.kind !== 'tone' && spec.type.kind !== 'service';

function buildValue(spec: AttributeSpec, element: BoundElement, options: BuildOptions): AttributeValue | undefined {
  const written = writtenValue(element, spec);
  if (written) {
    if (written.templated) return { kind: 'template', template: written.raw, origin: 'written', range: written.range };
    const checked = checkedWritten(written, options.environment);
    if (!checked) return undefined;
    // Invalid values only get here when invalid-attribute-value is turned off. A literal always has
    // its catalogue type (executors rely on it), so the text goes on as a template: the engine checks
    // it again when the verb runs and reports it if it is still invalid.
    if (!checked.ok) return { kind: 'template', template: written.raw, origin: 'written', range: written.range };
    let value = checked.value;
    if (spec.type.kind === 'url' && typeof value === 'string') value = resolveUrl(value, options.url);
    return { kind: 'literal', value, origin: 'written', range: written.range };
  }
  // Most attributes are neither written nor defaulted: nothing to check.
  if (spec.default === undefined) return undefined;
  const constant = constantDefaults.get(spec);
  if (constant) return constant;
  const checked = checkedValue(element, spec, options.environment);
  if (!checked) return undefined;
  let value = checked.ok ? checked.value : unescapeDollars(spec.default);
  if (spec.type.kind === 'url' && typeof value === 'string') value = resolveUrl(value, options.url);
  const built = defaultValue(spec, value);
  if (hasConstantDefault(spec)) constantDefaults.set(spec, built);
  return built;
}

/** Unknown and misplaced elements only remain when their rules were turned off: they are skipped. */
const builds = (element: BoundElement): boolean => element.status === 'ok' && element.spec !== undefined;

/**
 * Per context, each element spec's attributes that take effect there, in table order: worked out
 * once instead of for every attribute of every element.
 */
const applyingByContext = new Map<DocumentContext, Map<ElementSpec, readonly AttributeSpec[]>>();

function applyingAttributes(spec: ElementSpec, byElement: Map<ElementSpec, readonly AttributeSpec[]>, context: DocumentContext): readonly AttributeSpec[] {
  let applying = byElement.get(spec);
  if (!applying) byElement.set(spec, (applying = listApplying(spec, context)));
  return applying;
}

/** Separate from applyingAttributes: a callback capturing `context` would cost that function an allocation per call. */
function listApplying(spec: ElementSpec, context: DocumentContext): readonly AttributeSpec[] {
  return spec.attributes.filter((attribute) => attributeApplies(attribute, context));
}

export function buildNodes(elements: readonly BoundElement[], options: BuildOptions): ProgramNode[] {
  let byElement = applyingByContext.get(options.context);
  if (!byElement) applyingByContext.set(options.context, (byElement = new Map()));
  return buildBlock(elements, options, byElement);
}

function buildBlock(elements: readonly BoundElement[], options: BuildOptions, byElement: Map<ElementSpec, readonly AttributeSpec[]>): ProgramNode[] {
  let count = 0;
  for (const element of elements) if (builds(element)) count++;
  // Sized up front: an array grown by push reserves 17 slots, and most blocks hold one or two nodes.
  const nodes = new Array<ProgramNode>(count);
  let index = 0;
  for (const element of elements) {
    if (!builds(element)) continue;
    const spec = element.spec!;
    const attributes: Record<string, AttributeValue> = {};
    const applying = applyingAttributes(spec, byElement, options.context);
    for (let i = 0; i < applying.length; i++) {
      const attribute = applying[i]!;
      const value = buildValue(attribute, element, options);
      if (value) attributes[attribute.name] = value;
    }
    nodes[index++] = {
      name: spec.name,
      kind: spec.kind,
      range: element.xml.range,
      attributes,
      children: buildBlock(element.children, options, byElement),
    };
  }
  return nodes;
}
