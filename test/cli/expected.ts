/** The diagnostics of the fixtures, as `--format json` prints them (checked by hand against the files). */

export const ERRORS_XML = [
  {
    rule: 'unknown-verb', severity: 'error', line: 2, column: 3, endLine: 2, endColumn: 10,
    message: 'Unknown verb <Speek>; did you mean <Speak>?', suggestion: 'Speak',
  },
  {
    rule: 'unknown-attribute', severity: 'error', line: 3, column: 47, endLine: 3, endColumn: 52,
    message: "<Play> has no attribute 'Repat'; did you mean 'Repeat'?", suggestion: 'Repeat',
  },
  {
    rule: 'unreachable-verb', severity: 'warning', line: 5, column: 3, endLine: 5, endColumn: 10,
    message: '<Speak> can never run: it follows <Hangup> on line 4.',
  },
];

export const UNDEFINED_VISITOR = {
  rule: 'undefined-variable', severity: 'warning', line: 2, column: 16, endLine: 2, endColumn: 24,
  message: "$visitor is not defined by a Var, an Array or a built-in; unless the notification sends visitor, it expands to ''.",
};

export const UNREACHABLE_DELAY = {
  rule: 'unreachable-verb', severity: 'warning', line: 4, column: 3, endLine: 4, endColumn: 10,
  message: '<Delay> can never run: it follows <Hangup> on line 3.',
};

export const WARNINGS_XML = [UNDEFINED_VISITOR, UNREACHABLE_DELAY];

/** escapes.xml: CRLF line ends, a tab and non-ASCII text before the finding; the message spans a line break. */
export const ESCAPES_XML = [
  {
    rule: 'unexpected-text', severity: 'error', line: 3, column: 10, endLine: 4, endColumn: 12,
    message: "<Hangup> does not take text content; found '50% off,\n  now: call'.",
  },
];

export const THIRD_PARTY_IN_API = [
  {
    rule: 'verb-not-allowed-in-context', severity: 'error', line: 2, column: 3, endLine: 2, endColumn: 10,
    message: '<Hold> is not allowed in api-extension documents (only in third-party).',
  },
  {
    rule: 'attribute-ignored-in-context', severity: 'warning', line: 3, column: 10, endLine: 3, endColumn: 15,
    message: 'Party of <Speak> is ignored in api-extension documents (it counts in third-party).',
  },
];
