/** The OzML language core: reading, the verb table, compiling and linting. Imports nothing else of ozml. */
export { compileDocument, lintText, FETCH_MAX_BYTES, LINT_MAX_BYTES, MAX_DEPTH } from './compile.js';
export type { CompileOptions } from './compile.js';
export * from './types.js';
export * from './catalogue/index.js';
export type { AttributesIn, AttributeValueOf, VerbAttributes, VerbContext, VerbSpecOf } from './catalogue/typed.js';
export * from './vocabulary/index.js';
export { RULES, findRule } from './rules/index.js';
export type { Rule, RuleMeta } from './rules/index.js';
export { ruleSetting } from './lint.js';
export { checkValue, isPhoneNumber, resolveUrl } from './values.js';
export type { Checked, ValueEnvironment } from './values.js';
export {
  ALARM_VARIABLES, BUILTIN_ARRAYS, BUILTIN_VARIABLES, expandTemplate, findReferences, hasReferences, unescapeDollars,
  VARIABLE_NAME, VOICEMAIL_VARIABLES,
} from './variables.js';
export { closestMatch } from './suggest.js';
