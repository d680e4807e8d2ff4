/** The shape of a lint rule module (after ESLint's `meta` + `create`). */
import type { BoundDocument, BoundElement } from '../bind.js';
import type { ElementSpec } from '../catalogue/spec.js';
import type { ValueEnvironment } from '../values.js';
import type { DocumentContext, Range, RuleSetting, Severity } from '../types.js';

export interface RuleMeta {
  /** Stable id used in output, config and docs. */
  id: string;
  defaultSeverity: RuleSetting;
  /** One line. */
  description: string;
  /** A documentation section in Markdown (what, why, how to fix). */
  docs: string;
  /** Reported by the XML reader; the document cannot be compiled past it, so it cannot be turned off. */
  fatal?: boolean;
}

export interface ReportDescriptor {
  range: Range;
  message: string;
  suggestion?: string;
  /** A lighter severity for this finding when the rule runs at its default (e.g. the <OzML> root). */
  severity?: Severity;
}

export interface RuleContext {
  readonly document: BoundDocument;
  readonly context: DocumentContext;
  readonly environment: ValueEnvironment;
  readonly knownVariables: ReadonlySet<string>;
  readonly knownArrays: ReadonlySet<string>;
  report(descriptor: ReportDescriptor): void;
}

export interface RuleVisitor {
  /** Called once before the elements. */
  document?(document: BoundDocument): void;
  /** Called for every bound element in document order (only those named in `only`, when given). */
  element?(element: BoundElement): void;
  /** Canonical element names `element` is interested in; the runner skips the others. */
  only?: readonly string[];
  /**
   * False for kinds of element `element` can never report on (`undefined` = an unknown element); the
   * runner asks once per element spec and then skips those elements. It must not depend on the document.
   */
  appliesTo?(spec: ElementSpec | undefined): boolean;
}

export interface Rule {
  meta: RuleMeta;
  /** Absent for rules the XML reader reports. */
  create?(context: RuleContext): RuleVisitor;
}

export const defineRule = (rule: Rule): Rule => rule;
