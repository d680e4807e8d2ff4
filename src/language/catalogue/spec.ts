/**
 * The shape of the verb table. Every verb and block is declared once (in `verbs.ts`) with these
 * types; the compiler, the linter, the XSD generator and the docs all read the same table.
 */
import type { DocumentContext } from '../types.js';

/** How an attribute's string is checked and converted. */
export type AttributeType =
  | { kind: 'string'; pattern?: RegExp; patternHint?: string; allowEmpty?: boolean }
  | { kind: 'integer'; min?: number; max?: number }
  | { kind: 'boolean' }
  | { kind: 'enum'; values: readonly string[] }
  /** http(s) URL, absolute or relative to the document's URL. */
  | { kind: 'url'; allowEmpty?: boolean }
  /** A string of DTMF keys (0-9 * # A-D). */
  | { kind: 'dtmf'; maxLength?: number }
  /** A single DTMF key. */
  | { kind: 'dtmf-key' }
  /** A dialable address: digits with optional leading +, an extension, a SIP URI or user@host. */
  | { kind: 'address'; allowEmpty?: boolean }
  /** `private`, `caller`, or a dialable address (BlindTransfer/AttendedTransfer CallerId). */
  | { kind: 'caller-id' }
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
  name: string;
  type: AttributeType;
  /** Other accepted spellings (matched case-insensitively like the name). */
  aliases?: readonly string[];
  /** Required in every context where the verb is allowed (`true`) or only in the listed ones. */
  required?: boolean | readonly DocumentContext[];
  /** Default as written in a document (converted like a written value). */
  default?: string;
  /** Contexts in which the attribute has an effect; elsewhere it is ignored with a warning. */
  contexts?: readonly DocumentContext[];
  /** This attribute may be given as the element's text content instead. */
  main?: boolean;
  /** One line for docs and editor hovers. */
  doc: string;
}

/** What may appear inside an element. */
export type ChildrenSpec =
  | { kind: 'none' }
  /** A block of commands (verbs). */
  | { kind: 'commands' }
  /** Named structural elements only (e.g. Inputs inside UserInput). */
  | { kind: 'elements'; names: readonly string[] };

export interface ElementSpec {
  name: string;
  /** `verb` = a command that runs; `block` = a structural child of a verb. */
  kind: 'verb' | 'block';
  aliases?: readonly string[];
  /** Contexts where a verb may be used (blocks inherit their verb's unless they narrow it, like Consult). */
  contexts?: readonly DocumentContext[];
  attributes: readonly AttributeSpec[];
  children: ChildrenSpec;
  /** One line for docs. */
  doc: string;
  /** Whether execution blocks until the verb finishes (docs/engine.md), for docs. */
  blocking?: boolean;
  /** Verbs after this one in the same block can never run. */
  terminal?: boolean;
  /** A block that may appear at most once in its parent (e.g. `<Inputs>` in `<UserInput>`). */
  unique?: boolean;
}
