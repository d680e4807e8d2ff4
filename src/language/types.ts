/**
 * Public shapes of the language core: source ranges, diagnostics, contexts and the compiled program.
 * Everything here is plain data so that programs and diagnostics serialise to JSON unchanged.
 */

/** 1-based positions; `endColumn` is exclusive (like TypeScript and LSP). Columns count UTF-16 code units. */
export interface Range {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type Severity = 'error' | 'warning' | 'info';
export type RuleSetting = Severity | 'off';

/** A lint/compile finding, shaped like TypeScript's Diagnostic. */
export interface Diagnostic {
  rule: string;
  severity: Severity;
  message: string;
  range: Range;
  /** A replacement the user probably meant ("did you mean"). */
  suggestion?: string;
}

/** The kind of notification a document answers (docs/language.md). */
export type DocumentContext = 'api-extension' | 'third-party' | 'routing';
export const DOCUMENT_CONTEXTS: readonly DocumentContext[] = ['api-extension', 'third-party', 'routing'];

/** Where an attribute value came from, shown by `ozml explain`. */
export type ValueOrigin = 'written' | 'default';

/** A literal attribute value, already converted by the verb table. */
export interface LiteralValue<T> {
  kind: 'literal';
  value: T;
  origin: ValueOrigin;
  /** Range of the value text (absent for defaults and for values that came from text content of an empty element). */
  range?: Range;
}

/** A value containing `$variables`; expanded and converted when the verb runs. */
export interface TemplateValue {
  kind: 'template';
  template: string;
  origin: 'written';
  range?: Range;
}

export type AttributeValue<T = unknown> = LiteralValue<T> | TemplateValue;

/** One element of the compiled program: a verb or a block inside a verb (InitialCommands, Input, Consult, …). */
export interface ProgramNode {
  /** Canonical element name, e.g. `UserInput`, `Input`. */
  name: string;
  /** `verb` for commands, `block` for structural children (Inputs, Input, Item, Consult, OnSetup, …). */
  kind: 'verb' | 'block';
  /** Whole element, start tag to end tag. */
  range: Range;
  /** Canonical attribute name → value; defaults applied. */
  attributes: Record<string, AttributeValue>;
  /** Nested verbs or blocks in document order. */
  children: ProgramNode[];
}

export interface Program {
  /** Canonical root element name. */
  root: 'Response' | 'OzML';
  context: DocumentContext;
  /** The URL the document was fetched from, if any; relative URLs were resolved against it. */
  url?: string;
  instructions: ProgramNode[];
}

export interface CompileResult {
  /** Present only when there is no error-severity diagnostic. */
  program?: Program;
  diagnostics: Diagnostic[];
}
