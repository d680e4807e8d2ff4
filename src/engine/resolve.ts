/**
 * Turns a program node's attributes into run-time values: templates are expanded against the call's
 * variables and converted with the same verb table and checks the linter uses.
 */
import { checkValue, expandTemplate, findElement, resolveUrl } from '../language/index.js';
import type { AttributeValue, ProgramNode, ValueEnvironment } from '../language/index.js';
import type { ResolvedValue } from './events.js';
import { expandUrlTemplate, UrlValueError } from './url-template.js';
import type { Variables } from './variables.js';

export class AttributeError extends Error {
  override readonly name = 'AttributeError';
  constructor(readonly verb: string, readonly attribute: string, message: string) {
    super(message);
  }
}

export interface ResolveEnvironment {
  variables: Variables;
  /** URL of the document the node came from, for relative URLs produced by templates. */
  documentUrl: string | undefined;
  values: ValueEnvironment;
  onUnknownVariable(name: string): void;
}

export function resolveValue(node: ProgramNode, name: string, value: AttributeValue, env: ResolveEnvironment): ResolvedValue {
  if (value.kind === 'literal') return value.value as ResolvedValue;
  const spec = findElement(node.name)?.attributes.find((a) => a.name === name);
  const lookup = (v: string): string | undefined => env.variables.get(v);
  let expanded: string;
  if (spec?.type.kind === 'url') {
    // Values are data in a URL: encoded for the part they land in (src/engine/url-template.ts).
    try {
      expanded = expandUrlTemplate(value.template, lookup, env.onUnknownVariable);
    } catch (error) {
      if (!(error instanceof UrlValueError)) throw error;
      throw new AttributeError(node.name, name, `${name} of <${node.name}>: ${error.message}.`);
    }
  } else {
    expanded = expandTemplate(value.template, lookup, env.onUnknownVariable);
  }
  if (!spec) return expanded;
  const checked = checkValue(spec.type, expanded, env.values);
  if (!checked.ok) {
    throw new AttributeError(node.name, name, `${name} of <${node.name}> ${checked.message}; '${value.template}' expanded to '${expanded}'.`);
  }
  return spec.type.kind === 'url' && typeof checked.value === 'string' ? resolveUrl(checked.value, env.documentUrl) : checked.value;
}

/** All attributes of a node, resolved. Throws AttributeError for a template that expands to an invalid value. */
export function resolveAttributes(node: ProgramNode, env: ResolveEnvironment): Record<string, ResolvedValue> {
  const out: Record<string, ResolvedValue> = {};
  for (const [name, value] of Object.entries(node.attributes)) out[name] = resolveValue(node, name, value, env);
  return out;
}

/**
 * The attributes of a node whose attributes are all literals (most nodes), else undefined. Such a
 * node needs no resolve environment, which saves building one for every verb (bench:calls).
 */
export function literalAttributes(node: ProgramNode): Record<string, ResolvedValue> | undefined {
  const out: Record<string, ResolvedValue> = {};
  const attributes = node.attributes;
  for (const name in attributes) {
    if (!Object.hasOwn(attributes, name)) continue;
    const value = attributes[name]!;
    if (value.kind !== 'literal') return undefined;
    out[name] = value.value as ResolvedValue;
  }
  return out;
}
