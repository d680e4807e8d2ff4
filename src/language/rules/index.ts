/** Every lint rule, one module each; the order is the documentation order. */
import type { Rule } from './rule.js';
import xmlSyntax from './xml-syntax.js';
import doctypeForbidden from './doctype-forbidden.js';
import documentTooLarge from './document-too-large.js';
import nestingTooDeep from './nesting-too-deep.js';
import unknownRoot from './unknown-root.js';
import unknownVerb from './unknown-verb.js';
import unexpectedElement from './unexpected-element.js';
import unknownAttribute from './unknown-attribute.js';
import duplicateAttribute from './duplicate-attribute.js';
import missingRequiredAttribute from './missing-required-attribute.js';
import invalidAttributeValue from './invalid-attribute-value.js';
import textAndAttributeBoth from './text-and-attribute-both.js';
import unexpectedText from './unexpected-text.js';
import verbNotAllowedInContext from './verb-not-allowed-in-context.js';
import attributeIgnoredInContext from './attribute-ignored-in-context.js';
import rejectNotFirst from './reject-not-first.js';
import unreachableVerb from './unreachable-verb.js';
import emptyResponse from './empty-response.js';
import duplicateId from './duplicate-id.js';
import undefinedVariable from './undefined-variable.js';
import foreachUnknownSource from './foreach-unknown-source.js';
import duplicateInputKey from './duplicate-input-key.js';
import inputKeyUnreachable from './input-key-unreachable.js';
import consultForbiddenVerb from './consult-forbidden-verb.js';
import diversionReasonWithoutStack from './diversion-reason-without-stack.js';
import whisperTextAndAudio from './whisper-text-and-audio.js';
import whisperVoiceMismatch from './whisper-voice-mismatch.js';
import nameCase from './name-case.js';

export const RULES: readonly Rule[] = [
  xmlSyntax,
  doctypeForbidden,
  documentTooLarge,
  nestingTooDeep,
  unknownRoot,
  unknownVerb,
  unexpectedElement,
  unknownAttribute,
  duplicateAttribute,
  missingRequiredAttribute,
  invalidAttributeValue,
  textAndAttributeBoth,
  unexpectedText,
  verbNotAllowedInContext,
  attributeIgnoredInContext,
  rejectNotFirst,
  unreachableVerb,
  emptyResponse,
  duplicateId,
  undefinedVariable,
  foreachUnknownSource,
  duplicateInputKey,
  inputKeyUnreachable,
  consultForbiddenVerb,
  diversionReasonWithoutStack,
  whisperTextAndAudio,
  whisperVoiceMismatch,
  nameCase,
];

const byId = new Map(RULES.map((rule) => [rule.meta.id, rule]));

export function findRule(id: string): Rule | undefined {
  return byId.get(id);
}

export type { Rule, RuleContext, RuleMeta, RuleVisitor, ReportDescriptor } from './rule.js';
