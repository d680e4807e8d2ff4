/** Runs the enabled rules over a bound document in one walk and collects their diagnostics. */
import type { BoundDocument } from './bind.js';
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

/**
 * The enabled rules, created once per settings and reused for every document: creating 20-odd
 * rule instances per document cost more than running them on a small one (bench:webhooks).
 * Rules read the document and its context from the shared context object at visit time.
 */
type MutableRuleContext = { -readonly [K in keyof RuleContext]: RuleContext[K] };

interface RuleSet {
  settings: LintSettings;
  context: MutableRuleContext;
  /** Each rule's own context; `document` and `context` are set on all of them per document. */
  ruleContexts: MutableRuleContext[];
  /** The current document's findings. */
  diagnostics: Diagnostic[];
  documentVisitors: RuleVisitor[];
  everywhere: RuleVisitor[];
  byName: Map<string, RuleVisitor[]>;
}

const NO_OVERRIDES: Readonly<Record<string, RuleSetting>> = Object.freeze({});
/** Per rules object, the sets for each environment/known-names combination seen (a few at most). */
const ruleSets = new WeakMap<object, RuleSet[]>();
const SETS_PER_RULES = 16;

function sameSettings(a: LintSettings, b: LintSettings): boolean {
  return a.environment?.tones === b.environment?.tones && a.environment?.services === b.environment?.services
    && a.knownVariables === b.knownVariables && a.knownArrays === b.knownArrays;
}

function ruleSetFor(settings: LintSettings, document: BoundDocument): RuleSet {
  const key = settings.rules ?? NO_OVERRIDES;
  let sets = ruleSets.get(key);
  // A loop, not `find`: its callback would be allocated for every document.
  if (sets) for (const candidate of sets) if (sameSettings(candidate.settings, settings)) return candidate;
  const set: RuleSet = {
    settings,
    context: {
      document,
      context: document.context,
      environment: settings.environment ?? {},
      knownVariables: new Set(settings.knownVariables ?? []),
      knownArrays: new Set(settings.knownArrays ?? []),
      report: () => {},
    },
    ruleContexts: [],
    diagnostics: [],
    documentVisitors: [],
    everywhere: [],
    byName: new Map(),
  };
  for (const rule of RULES) {
    if (!rule.create) continue;
    const setting = ruleSetting(rule.meta.id, settings.rules);
    if (setting === 'off') continue;
    // A finding may carry a lighter severity (the <OzML> root) unless the rule's severity was configured.
    const atDefault = settings.rules?.[rule.meta.id] === undefined;
    // Each rule reports under its own id and severity. The document fields are plain data, set for
    // every document (getters reading the shared context cost a call on every access).
    const ruleContext: MutableRuleContext = {
      ...set.context,
      report(descriptor) {
        const severity: Severity = atDefault && descriptor.severity ? descriptor.severity : setting;
        set.diagnostics.push({
          rule: rule.meta.id,
          severity,
          message: descriptor.message,
          range: descriptor.range,
          ...(descriptor.suggestion !== undefined ? { suggestion: descriptor.suggestion } : {}),
        });
      },
    };
    set.ruleContexts.push(ruleContext);
    const visitor = rule.create(ruleContext);
    if (visitor.document) set.documentVisitors.push(visitor);
    if (!visitor.element) continue;
    // Dispatch by element name: rules about one kind of element are not called for every element.
    if (!visitor.only) set.everywhere.push(visitor);
    else for (const name of visitor.only) set.byName.set(name, [...(set.byName.get(name) ?? []), visitor]);
  }
  if (!sets) ruleSets.set(key, (sets = []));
  if (sets.length >= SETS_PER_RULES) sets.shift();
  sets.push(set);
  return set;
}

export function lintDocument(document: BoundDocument, settings: LintSettings): Diagnostic[] {
  const set = ruleSetFor(settings, document);
  set.context.document = document;
  set.context.context = document.context;
  for (const ruleContext of set.ruleContexts) {
    ruleContext.document = document;
    ruleContext.context = document.context;
  }
  const diagnostics: Diagnostic[] = (set.diagnostics = []);
  for (const visitor of set.documentVisitors) visitor.document!(document);
  for (const element of document.all) {
    for (const visitor of set.everywhere) visitor.element!(element);
    const named = element.spec && set.byName.get(element.spec.name);
    if (named) for (const visitor of named) visitor.element!(element);
  }
  set.diagnostics = [];
  // Most documents have no findings: nothing to sort.
  return diagnostics.length > 1 ? diagnostics.sort(byPosition) : diagnostics;
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.range.line - b.range.line || a.range.column - b.range.column || a.rule.localeCompare(b.rule);
}
