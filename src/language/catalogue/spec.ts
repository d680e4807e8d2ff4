/**
 * The shape of the verb table. Every verb and block is declared once (in `verbs.ts`) with these
 * types; the compiler, the linter, the XSD generator and the docs all read the same table.
 */
import type { DocumentContext } from '../types.js';

/** How an attribute's string is checked and converted. */
export type AttributeType =
  | { readonly kind: 'string'; readonly pattern?: RegExp; readonly patternHint?: string; readonly allowEmpty?: boolean }
  /** A whole number; `unit: 'seconds'` marks a duration (docs and editor hovers say so). */
  | { readonly kind: 'integer'; readonly min?: number; readonly max?: number; readonly unit?: 'seconds' }
  | { readonly kind: 'boolean' }
  /**
   * One of `values` (matched case-insensitively, converted to the listed spelling). `aliases` maps
   * other accepted spellings (lower-cased) to a listed value.
   */
  | { readonly kind: 'enum'; readonly values: readonly string[]; readonly aliases?: Readonly<Record<string, string>> }
  /** http(s) URL, absolute or relative to the document's URL. */
  | { readonly kind: 'url'; readonly allowEmpty?: boolean }
  /** A string of DTMF keys (0-9 * # A-D). */
  | { readonly kind: 'dtmf'; readonly maxLength?: number }
  /** A single DTMF key. */
  | { readonly kind: 'dtmf-key' }
  /** A dialable address: digits with optional leading +, an extension, a SIP URI or user@host. */
  | { readonly kind: 'address'; readonly allowEmpty?: boolean }
  /** A telephone number: 2 to 15 digits with an optional leading +, punctuation (spaces, dots, dashes, brackets) allowed. */
  | { readonly kind: 'phone-number' }
  /** A caller-ID policy keyword (`private`, `caller`) or a telephone number (BlindTransfer/AttendedTransfer CallerId). */
  | { readonly kind: 'caller-id' }
  /** A variable / array identifier (Var ID, ForEach Source). */
  | { kind: 'identifier' }
  /** A tone name: the built-in set plus the tones of the config. */
  | { kind: 'tone' }
  /** A registered inbound service name (checked against the config when one is given). */
  | { kind: 'service' }
  /** A locale / culture code such as en-US, pt-BR. */
  | { kind: 'language' };

export interface AttributeSpec {
  /** Canonical spelling. */
  readonly name: string;
  readonly type: AttributeType;
  /** Other accepted spellings (matched case-insensitively like the name). */
  readonly aliases?: readonly string[];
  /** Required in every context where the verb is allowed (`true`) or only in the listed ones. */
  readonly required?: boolean | readonly DocumentContext[];
  /**
   * Default as written in a document (converted like a written value). The compiler puts it into
   * the program, so executors never re-code it.
   */
  readonly default?: string;
  /** Contexts in which the attribute has an effect; elsewhere it is ignored with a warning. */
  readonly contexts?: readonly DocumentContext[];
  /** This attribute may be given as the element's text content instead. */
  readonly main?: boolean;
  /** One line for docs and editor hovers. */
  readonly doc: string;
}

/** What may appear inside an element. */
export type ChildrenSpec =
  | { readonly kind: 'none' }
  /** A block of commands (verbs). */
  | { readonly kind: 'commands' }
  /** Named structural elements only (e.g. Inputs inside UserInput). */
  | { readonly kind: 'elements'; readonly names: readonly string[] };

export interface ElementSpec {
  readonly name: string;
  /** `verb` = a command that runs; `block` = a structural child of a verb. */
  readonly kind: 'verb' | 'block';
  readonly aliases?: readonly string[];
  /** Contexts where a verb may be used (blocks inherit their verb's unless they narrow it, like Consult). */
  readonly contexts?: readonly DocumentContext[];
  readonly attributes: readonly AttributeSpec[];
  readonly children: ChildrenSpec;
  /** One line for docs. */
  readonly doc: string;
  /** Whether execution blocks until the verb finishes (docs/engine.md), for docs. */
  readonly blocking?: boolean;
  /** Verbs after this one in the same block can never run. */
  readonly terminal?: boolean;
  /** A block that may appear at most once in its parent (e.g. `<Inputs>` in `<UserInput>`). */
  readonly unique?: boolean;
}
