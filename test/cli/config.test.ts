/** Rule severities and contexts: --config / ozml.config.json, --rule, --context, --quiet. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS_XML, THIRD_PARTY_IN_API, UNDEFINED_VISITOR, WARNINGS_XML } from './expected.js';
import { FIXTURES, lintJson, ozml, tempDir } from './helpers.js';

const PROJECT = join(FIXTURES, 'project');
const asError = <T extends object>(d: T) => ({ ...d, severity: 'error' });

describe('ozml.config.json', () => {
  it('is found in the working directory: rule severities and glob → context mapping apply', () => {
    const { code, report } = lintJson(['.'], { cwd: PROJECT });
    expect(code).toBe(1);
    expect(report).toEqual({
      version: 1,
      files: [
        // undefined-variable raised to error, unreachable-verb turned off
        { path: 'ivr/menu.xml', diagnostics: [asError(UNDEFINED_VISITOR)] },
        // third-party/** is linted in third-party context, where <Hold> and Party are fine
        { path: 'third-party/hold.xml', diagnostics: [] },
      ],
      summary: { files: 2, errors: 1, warnings: 0 },
    });
  });

  it('is read from --config, with globs relative to the config file (not the working directory)', () => {
    const { report } = lintJson(['--config', 'project/ozml.config.json', 'project', 'third-party.xml']);
    expect(report).toEqual({
      version: 1,
      files: [
        { path: 'project/ivr/menu.xml', diagnostics: [asError(UNDEFINED_VISITOR)] },
        { path: 'project/third-party/hold.xml', diagnostics: [] },
        // outside the mapping: the default api-extension context
        { path: 'third-party.xml', diagnostics: THIRD_PARTY_IN_API },
      ],
      summary: { files: 3, errors: 2, warnings: 1 },
    });
  });

  it('is not used from another directory without --config', () => {
    const { report } = lintJson(['project/ivr/menu.xml']);
    expect(report).toEqual({
      version: 1,
      files: [{ path: 'project/ivr/menu.xml', diagnostics: WARNINGS_XML }],
      summary: { files: 1, errors: 0, warnings: 2 },
    });
  });

  describe('invalid config files are usage errors (2)', () => {
    let dir: ReturnType<typeof tempDir>;
    beforeAll(() => { dir = tempDir(); });
    afterAll(() => dir.remove());

    // The product's config loader (src/config) reports every problem as `json.path: message`.
    const cases: [string, string, string[]][] = [
      ['not JSON', '{ "lint": ', ['invalid JSON: Unexpected end of JSON input']],
      ['an unknown rule id', '{ "lint": { "rules": { "no-such-rule": "warn" } } }', ['lint.rules.no-such-rule: unknown rule']],
      ['a misspelt rule id', '{ "lint": { "rules": { "undefined-variabel": "warn" } } }', ['lint.rules.undefined-variabel: unknown rule (did you mean "undefined-variable"?)']],
      ['a bad severity', '{ "lint": { "rules": { "unreachable-verb": "warning" } } }', ['lint.rules.unreachable-verb: must be one of "off", "info", "warn", "error"']],
      ['a fatal rule turned off', '{ "lint": { "rules": { "xml-syntax": "off" } } }', ['lint.rules.xml-syntax: cannot be changed (a document failing "xml-syntax" cannot be read at all)']],
      ['a bad context', '{ "lint": { "contexts": [{ "files": "**", "context": "pbx" }] } }', ['lint.contexts[0].context: must be one of "api-extension", "third-party", "routing"']],
      ['a context without files', '{ "lint": { "contexts": [{ "context": "routing" }] } }', ['lint.contexts[0].files: is required']],
      ['an unknown lint key', '{ "lint": { "rule": {} } }', ['lint.rule: unknown property (did you mean "rules"?)']],
      ['a problem in another section (the whole file is validated)', '{ "ownedNumbers": ["12ab"] }', ['ownedNumbers[0]: must be a phone number: 2-15 digits with an optional leading "+"']],
      ['several problems, all reported', '{ "lint": { "rules": { "xml-syntax": "info" }, "contexts": [{ "files": "", "context": "routing" }] } }', [
        'lint.contexts[0].files: must NOT have fewer than 1 characters',
        'lint.rules.xml-syntax: cannot be changed (a document failing "xml-syntax" cannot be read at all)',
      ]],
    ];
    it.each(cases)('%s', (_name, text, messages) => {
      const path = join(dir.path, 'ozml.config.json');
      writeFileSync(path, text);
      const run = ozml(['lint', '--config', path, 'clean.xml']);
      const heading = messages.length === 1 ? 'invalid configuration' : `${messages.length} problems`;
      expect(run).toEqual({ code: 2, stdout: '', stderr: `ozml: ${path}: ${heading}:\n${messages.map((m) => `  - ${m}\n`).join('')}` });
    });

    it('a missing --config file', () => {
      const run = ozml(['lint', '--config', 'missing.json', 'clean.xml']);
      const path = join(FIXTURES, 'missing.json');
      expect(run).toEqual({
        code: 2, stdout: '', stderr: `ozml: ${path}: invalid configuration:\n  - cannot read the file: ENOENT: no such file or directory, open '${path}'\n`,
      });
    });

    it('./ozml.config.json is validated too when it is found, not only --config', () => {
      writeFileSync(join(dir.path, 'ozml.config.json'), '{ "lint": { "rules": { "no-such-rule": "off" } } }');
      writeFileSync(join(dir.path, 'a.xml'), '<Response><Hangup/></Response>\n');
      const run = ozml(['lint', 'a.xml'], { cwd: dir.path });
      expect(run).toEqual({
        code: 2, stdout: '', stderr: `ozml: ${join(dir.path, 'ozml.config.json')}: invalid configuration:\n  - lint.rules.no-such-rule: unknown rule\n`,
      });
    });
  });

  it('the other sections of a valid config file are accepted and do not change linting', () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir.path, 'ozml.config.json'), JSON.stringify({
        ownedNumbers: ['+15550009000'],
        apps: { main: { incomingCallUrl: 'https://app.example.com/incoming' } },
        lint: { rules: { 'unreachable-verb': 'off' } },
      }));
      const { code, report } = lintJson(['--config', join(dir.path, 'ozml.config.json'), 'errors.xml']);
      expect(code).toBe(1);
      expect(report).toEqual({
        version: 1,
        files: [{ path: 'errors.xml', diagnostics: ERRORS_XML.filter((d) => d.rule !== 'unreachable-verb') }],
        summary: { files: 1, errors: 2, warnings: 0 },
      });
    } finally {
      dir.remove();
    }
  });

  it('an app secret taken from an environment variable the CI job does not have does not stop lint', () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir.path, 'ozml.config.json'), JSON.stringify({
        apps: { main: { incomingCallUrl: 'https://app.example.com/incoming', secret: { env: 'OZML_TEST_SECRET_NOT_SET' } } },
      }));
      const { code, report } = lintJson(['--config', join(dir.path, 'ozml.config.json'), 'errors.xml']);
      expect(code).toBe(1);
      expect(report).toEqual({ version: 1, files: [{ path: 'errors.xml', diagnostics: ERRORS_XML }], summary: { files: 1, errors: 2, warnings: 1 } });
    } finally {
      dir.remove();
    }
  });
});

describe('services and tones of the config', () => {
  it('TransferToService names are checked against the config when there is one; its tones are known', () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir.path, 'flow.xml'), '<Response>\n  <TransferToService Service="voicemial" RingbackTone="chime"/>\n</Response>\n');
      mkdirSync(join(dir.path, 'conf'));
      writeFileSync(join(dir.path, 'conf', 'ozml.config.json'), JSON.stringify({
        services: { voicemail: 'https://app.example.com/voicemail' },
        tones: { chime: { frequencies: [880], cadenceMs: [200, 200] } },
      }));
      const withConfig = lintJson(['--config', join(dir.path, 'conf', 'ozml.config.json'), join(dir.path, 'flow.xml')]);
      expect(withConfig.code).toBe(1);
      expect((withConfig.report as { files: { diagnostics: unknown[] }[] }).files[0]!.diagnostics).toEqual([{
        rule: 'invalid-attribute-value', severity: 'error', line: 2, column: 31, endLine: 2, endColumn: 40,
        message: "Service of <TransferToService> is not a registered service (voicemail); got 'voicemial'.",
      }]);
      const withoutConfig = lintJson([join(dir.path, 'flow.xml')], { cwd: dir.path });
      expect((withoutConfig.report as { files: { diagnostics: { rule: string; message: string }[] }[] }).files[0]!.diagnostics.map((d) => d.message)).toEqual([
        expect.stringMatching(/^RingbackTone of <TransferToService> must be a tone name/),
      ]);
    } finally {
      dir.remove();
    }
  });
});

describe('--rule', () => {
  it('changes severities (repeatable; later wins over the config file)', () => {
    const { code, report } = lintJson(['--rule', 'unreachable-verb=off', '--rule', 'undefined-variable=error', 'warnings.xml']);
    expect(code).toBe(1);
    expect(report).toEqual({
      version: 1,
      files: [{ path: 'warnings.xml', diagnostics: [asError(UNDEFINED_VISITOR)] }],
      summary: { files: 1, errors: 1, warnings: 0 },
    });
    const overridden = lintJson(['--rule', 'undefined-variable=warn', '.'], { cwd: PROJECT });
    expect(overridden.code).toBe(0);
    expect((overridden.report as { files: unknown[] }).files[0]).toEqual({ path: 'ivr/menu.xml', diagnostics: [UNDEFINED_VISITOR] });
  });

  it('turns on an off-by-default rule', () => {
    const { report } = lintJson(['--rule', 'name-case=warn', '-'], { input: '<response><hangup/></response>' });
    expect((report as { files: { diagnostics: { rule: string; severity: string }[] }[] }).files[0]!.diagnostics
      .map((d) => [d.rule, d.severity])).toEqual([['name-case', 'warning'], ['name-case', 'warning']]);
  });

  it('is a usage error (2) for an unknown rule id, a bad severity, a malformed value or a fatal rule', () => {
    const unknown = ozml(['lint', '--rule', 'unknown-verbs=off', 'clean.xml']);
    expect(unknown).toEqual({
      code: 2, stdout: '', stderr: "error: --rule: unknown rule 'unknown-verbs' (see docs/rules.md for the rule ids)\n(run with --help for usage)\n",
    });
    expect(ozml(['lint', '--rule', 'unknown-verb=loud', 'clean.xml']).code).toBe(2);
    expect(ozml(['lint', '--rule', 'unknown-verb', 'clean.xml']).code).toBe(2);
    const fatal = ozml(['lint', '--rule', 'doctype-forbidden=warn', 'clean.xml']);
    expect(fatal.code).toBe(2);
    expect(fatal.stderr).toContain("rule 'doctype-forbidden' is fatal");
  });
});

describe('known variables and arrays: --known-variable, --known-array, config lint.knownVariables/knownArrays', () => {
  const DOCUMENT = '<Response>\n  <ForEach Source="menus"><Speak>$item for $AccountId</Speak></ForEach>\n  <Speak>$username $oldmessagepath $Other</Speak>\n</Response>\n';
  const MENUS = {
    rule: 'foreach-unknown-source', severity: 'warning', line: 2, column: 20, endLine: 2, endColumn: 25,
    message: "ForEach Source 'menus' is not an Array of this document (arrays: voicemails); unless an earlier document of the call declares it, ForEach finds no array 'menus' at run time.",
  };
  const ACCOUNT = {
    rule: 'undefined-variable', severity: 'warning', line: 2, column: 44, endLine: 2, endColumn: 54,
    message: "$AccountId is not defined by a Var, an Array or a built-in; unless the notification sends AccountId, it expands to ''.",
  };
  // $username and $oldmessagepath are the platform's voicemail variables: never reported.
  const OTHER = {
    rule: 'undefined-variable', severity: 'warning', line: 3, column: 36, endLine: 3, endColumn: 42,
    message: "$Other is not defined by a Var, an Array or a built-in; unless the notification sends Other, it expands to ''.",
  };
  const diagnostics = (report: unknown) => (report as { files: { diagnostics: unknown[] }[] }).files[0]!.diagnostics;

  it('without them: the unknown array and variable are warnings; the voicemail variables are built in', () => {
    expect(diagnostics(lintJson(['-'], { input: DOCUMENT }).report)).toEqual([MENUS, ACCOUNT, OTHER]);
  });

  it('the flags declare them (repeatable)', () => {
    const run = lintJson(['--known-variable', 'AccountId', '--known-variable', 'Other', '--known-array', 'menus', '-'], { input: DOCUMENT });
    expect(run.code).toBe(0);
    expect(diagnostics(run.report)).toEqual([]);
  });

  it('the config declares them, and the flags add to the config', () => {
    const dir = tempDir();
    try {
      const config = join(dir.path, 'ozml.config.json');
      writeFileSync(config, JSON.stringify({ lint: { knownVariables: ['AccountId'], knownArrays: ['menus'] } }));
      expect(diagnostics(lintJson(['--config', config, '-'], { input: DOCUMENT }).report)).toEqual([OTHER]);
      expect(diagnostics(lintJson(['--config', config, '--known-variable', 'Other', '-'], { input: DOCUMENT }).report)).toEqual([]);
    } finally {
      dir.remove();
    }
  });

  it('a name that is not a variable name is a usage error (2), in a flag or in the config', () => {
    expect(ozml(['lint', '--known-variable', 'a b', 'clean.xml'])).toEqual({
      code: 2, stdout: '', stderr: `error: --known-variable: 'a b' is not a variable name (1-128 letters, digits or "_", not starting with a digit)\n(run with --help for usage)\n`,
    });
    expect(ozml(['lint', '--known-array', '$menus', 'clean.xml'])).toEqual({
      code: 2, stdout: '', stderr: `error: --known-array: '$menus' is not a variable name (1-128 letters, digits or "_", not starting with a digit)\n(run with --help for usage)\n`,
    });
    const dir = tempDir();
    try {
      const config = join(dir.path, 'ozml.config.json');
      writeFileSync(config, JSON.stringify({ lint: { knownVariables: ['1st'], knownArrays: ['menus', 'menus'] } }));
      expect(ozml(['lint', '--config', config, 'clean.xml'])).toEqual({
        code: 2, stdout: '', stderr: `ozml: ${config}: 2 problems:\n  - lint.knownVariables[0]: must be a variable name: 1-128 letters, digits or "_", not starting with a digit\n  - lint.knownArrays[1]: duplicates item 0\n`,
      });
    } finally {
      dir.remove();
    }
  });
});

describe('--context', () => {
  it('sets the context of every document, over the config mapping', () => {
    expect(lintJson(['--context', 'third-party', 'third-party.xml']).report).toEqual({
      version: 1, files: [{ path: 'third-party.xml', diagnostics: [] }], summary: { files: 1, errors: 0, warnings: 0 },
    });
    const run = lintJson(['--context', 'api-extension', 'third-party/hold.xml'], { cwd: PROJECT });
    expect((run.report as { files: unknown[] }).files).toEqual([{ path: 'third-party/hold.xml', diagnostics: THIRD_PARTY_IN_API }]);
  });

  it('routing documents allow only Route', () => {
    const { code, report } = lintJson(['--context', 'routing', '-'], { input: '<Response>\n  <Route>1001</Route>\n</Response>\n' });
    expect(code).toBe(0);
    expect((report as { summary: unknown }).summary).toEqual({ files: 1, errors: 0, warnings: 0 });
    expect(lintJson(['--context', 'routing', 'clean.xml']).code).toBe(1);
  });
});

describe('--quiet', () => {
  it('reports errors only, and the warnings no longer count for --max-warnings', () => {
    const { code, report } = lintJson(['--quiet', 'errors.xml', 'warnings.xml']);
    expect(code).toBe(1);
    expect(report).toEqual({
      version: 1,
      files: [
        { path: 'errors.xml', diagnostics: ERRORS_XML.filter((d) => d.severity === 'error') },
        { path: 'warnings.xml', diagnostics: [] },
      ],
      summary: { files: 2, errors: 2, warnings: 0 },
    });
    expect(ozml(['lint', '--quiet', '--max-warnings', '0', 'warnings.xml'])).toEqual({
      code: 0, stdout: '✔ 1 file checked, no problems\n', stderr: '',
    });
    expect(ozml(['lint', '--max-warnings', '0', 'warnings.xml']).code).toBe(1);
  });
});
