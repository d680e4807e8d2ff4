/** Runs the enabled rules over a bound document in one walk and collects their diagnostics. */
import type { BoundDocument } from './bind.js';
import type { ElementSpec } from './catalogue/spec.js';
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
  /** Every visitor with an `element` method, in rule order. */
  elementVisitors: RuleVisitor[];
  /** The visitors called for each element spec's elements, worked out at its first element. */
  bySpec: Map<ElementSpec, RuleVisitor[]>;
  /** The visitors called for unknown elements. */
  forUnknown: RuleVisitor[];
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
    elementVisitors: [],
    bySpec: new Map(),
    forUnknown: [],
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
    if (visitor.element) set.elementVisitors.push(visitor);
  }
  set.forUnknown = visitorsFor(set.elementVisitors, undefined);
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
    const spec = element.spec;
    let visitors = spec ? set.bySpec.get(spec) : set.forUnknown;
    if (!visitors) set.bySpec.set(spec!, (visitors = visitorsFor(set.elementVisitors, spec)));
    for (const visitor of visitors) visitor.element!(element);
  }
  set.diagnostics = [];
  // Most documents have no findings: nothing to sort.
  return diagnostics.length > 1 ? diagnostics.sort(byPosition) : diagnostics;
}

/**
 * The visitors that can report on elements of a spec: a clean element is not handed to a dozen rules
 * through one megamorphic call site only to be turned away by each.
 */
function visitorsFor(visitors: readonly RuleVisitor[], spec: ElementSpec | undefined): RuleVisitor[] {
  return visitors.filter((visitor) => (visitor.only ? spec !== undefined && visitor.only.includes(spec.name) : true)
    && (visitor.appliesTo ? visitor.appliesTo(spec) : true));
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.range.line - b.range.line || a.range.column - b.range.column || a.rule.localeCompare(b.rule);
}
