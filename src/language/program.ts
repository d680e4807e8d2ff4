/** Builds the typed program from a bound document that passed the lint rules. */
import type { BoundElement } from './bind.js';
import { attributeApplies, checkedValue, writtenValue } from './bind.js';
import type { AttributeSpec } from './catalogue/index.js';
import type { AttributeValue, DocumentContext, ProgramNode } from './types.js';
import type { ValueEnvironment } from './values.js';
import { unescapeDollars } from './variables.js';

export interface BuildOptions {
  context: DocumentContext;
  url?: string;
  environment: ValueEnvironment;
}

function resolveUrl(value: string, base: string | undefined): string {
  if (!base || !value) return value;
  try {
    return new URL(value, base).href;
  } catch {
    return value;
  }
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
  return written
    ? { kind: 'literal', value, origin: 'written', range: written.range }
    : { kind: 'literal', value, origin: 'default' };
}

export function buildNodes(elements: readonly BoundElement[], options: BuildOptions): ProgramNode[] {
  const nodes: ProgramNode[] = [];
  for (const element of elements) {
    // Unknown and misplaced elements only remain when their rules were turned off: skip them.
    if (element.status !== 'ok' || !element.spec) continue;
    const attributes: Record<string, AttributeValue> = {};
    for (const spec of element.spec.attributes) {
      if (!attributeApplies(spec, options.context)) continue;
      const value = buildValue(spec, element, options);
      if (value) attributes[spec.name] = value;
    }
    nodes.push({
      name: element.spec.name,
      kind: element.spec.kind,
      range: element.xml.range,
      attributes,
      children: buildNodes(element.children, options),
    });
  }
  return nodes;
}
