/**
 * `$name` / `$name.field` references in text and attribute values (docs/language.md). `$$` is a literal
 * `$`. The same scanner serves the linter (which names are used) and the executor (expansion).
 */

const REFERENCE = /\$(\$|[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)/g;

export interface VariableReference {
  /** Full dotted name, e.g. `item.message`. */
  name: string;
  /** The variable itself, e.g. `item`. */
  root: string;
  /** Offset of the `$` in the value. */
  offset: number;
  length: number;
}

/** Shared by every value without a `$`: the common case allocates nothing. */
const NO_REFERENCES: readonly VariableReference[] = Object.freeze([]);

/** Every variable reference in a value, in order. */
export function findReferences(value: string): readonly VariableReference[] {
  if (!value.includes('$')) return NO_REFERENCES;
  const found: VariableReference[] = [];
  REFERENCE.lastIndex = 0;
  for (let m = REFERENCE.exec(value); m; m = REFERENCE.exec(value)) {
    if (m[1] === '$') continue;
    found.push({ name: m[1]!, root: m[1]!.split('.')[0]!, offset: m.index, length: m[0].length });
  }
  return found;
}

/**
 * True when the value needs expansion at run time: what `findReferences(value).length > 0` says,
 * without building the list (bind asks for every value). Scans like REFERENCE: `$$` is skipped
 * whole, and a `$` not followed by a name start is passed over.
 */
export function hasReferences(value: string): boolean {
  for (let at = value.indexOf('$'); at >= 0;) {
    const next = value.charCodeAt(at + 1);
    if (next === 36 /* $ */) {
      at = value.indexOf('$', at + 2);
      continue;
    }
    if ((next >= 65 && next <= 90) || (next >= 97 && next <= 122) || next === 95) return true;
    at = value.indexOf('$', at + 1);
  }
  return false;
}

/** Replaces `$$` by `$` in a value without references. */
export function unescapeDollars(value: string): string {
  if (!value.includes('$$')) return value;
  return value.replaceAll('$$', '$');
}

/**
 * Expands references with `lookup`; an unknown variable (lookup returns undefined) expands to the
 * empty string and is passed to `onUnknown` (the executor reports it as a warning event).
 */
export function expandTemplate(
  template: string,
  lookup: (name: string) => string | undefined,
  onUnknown?: (name: string) => void,
): string {
  REFERENCE.lastIndex = 0;
  return template.replace(REFERENCE, (_match, name: string) => {
    if (name === '$') return '$';
    const value = lookup(name);
    if (value === undefined) {
      onUnknown?.(name);
      return '';
    }
    return value;
  });
}

/** Variables every call has (docs/language.md). */
export const BUILTIN_VARIABLES = [
  'CallId', 'Caller', 'Callee', 'ApiExtension', 'DtmfDigits', 'TransferCause', 'RecordURL',
] as const;
/** Set inside `<Received>` of ReceiveAlarmNotification. */
export const ALARM_VARIABLES = ['account', 'eventqualifier', 'eventcode', 'eventname', 'partition', 'zone'] as const;
/** Arrays the platform provides (the vendor's voicemail examples iterate `voicemails`). */
export const BUILTIN_ARRAYS = ['voicemails'] as const;
/** Variables the platform provides with `voicemails` (the vendor's voicemail examples use them). */
export const VOICEMAIL_VARIABLES = ['username', 'oldmessagepath'] as const;
/**
 * What a name given to lint as known (`--known-variable`, `--known-array`, config `lint.knownVariables`,
 * `lint.knownArrays`) must look like: a `$name` root. The config schema has the same pattern.
 */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
