/** Runs the enabled rules over a bound document in one walk and collects their diagnostics. */
import type { BoundDocument } from './bind.js';
import { walk } from './bind.js';
import { RULES, findRule } from './rules/index.js';
import type { RuleContext, RuleVisitor } from './rules/index.js';
import type { Diagnostic, RuleSetting, Severity } from './types.js';
import type { ValueEnvironment } from './values.js';

export interface LintSettings {
  rules?: Readonly<Record<string, RuleSetting>>;
  environment?: ValueEnvironment;
  knownVariables?: readonly string[];
  knownArrays?: readonly string[];
}

/** The severity a rule runs at (`off` = not at all). Fatal reader rules cannot be turned off. */
export function ruleSetting(id: string, overrides?: Readonly<Record<string, RuleSetting>>): RuleSetting {
  const rule = findRule(id);
  const configured = overrides?.[id];
  if (!rule) return configured ?? 'error';
  if (rule.meta.fatal) return 'error';
  return configured ?? rule.meta.defaultSeverity;
}

/** Applies a configured severity to a diagnostic produced at a rule's default. */
export function applySetting(diagnostic: Diagnostic, overrides?: Readonly<Record<string, RuleSetting>>): Diagnostic | undefined {
  const setting = ruleSetting(diagnostic.rule, overrides);
  if (setting === 'off') return undefined;
  return setting === diagnostic.severity ? diagnostic : { ...diagnostic, severity: setting };
}

export function lintDocument(document: BoundDocument, settings: LintSettings): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const visitors: RuleVisitor[] = [];
  const knownVariables = new Set(settings.knownVariables ?? []);
  const knownArrays = new Set(settings.knownArrays ?? []);
  for (const rule of RULES) {
    if (!rule.create) continue;
    const setting = ruleSetting(rule.meta.id, settings.rules);
    if (setting === 'off') continue;
    // A finding may carry a lighter severity (the <OzML> root) unless the rule's severity was configured.
    const atDefault = settings.rules?.[rule.meta.id] === undefined;
    const context: RuleContext = {
      document,
      context: document.context,
      environment: settings.environment ?? {},
      knownVariables,
      knownArrays,
      report(descriptor) {
        const severity: Severity = atDefault && descriptor.severity ? descriptor.severity : setting;
        diagnostics.push({
          rule: rule.meta.id,
          severity,
          message: descriptor.message,
          range: descriptor.range,
          ...(descriptor.suggestion !== undefined ? { suggestion: descriptor.suggestion } : {}),
        });
      },
    };
    visitors.push(rule.create(context));
  }
  for (const visitor of visitors) visitor.document?.(document);
  // Dispatch by element name: rules about one kind of element are not called for every element.
  const everywhere: RuleVisitor[] = [];
  const byName = new Map<string, RuleVisitor[]>();
  for (const visitor of visitors) {
    if (!visitor.element) continue;
    if (!visitor.only) everywhere.push(visitor);
    else for (const name of visitor.only) byName.set(name, [...(byName.get(name) ?? []), visitor]);
  }
  for (const element of walk(document.elements)) {
    for (const visitor of everywhere) visitor.element!(element);
    const named = element.spec && byName.get(element.spec.name);
    if (named) for (const visitor of named) visitor.element!(element);
  }
  return diagnostics.sort(
    (a, b) => a.range.line - b.range.line || a.range.column - b.range.column || a.rule.localeCompare(b.rule),
  );
}
