/**
 * `ozml run` and `ozml test` as processes, the way users and CI run them (`npm run build` first):
 * every output format, exit codes, byte-identical output, scenario validation errors with field
 * paths and positions, a real local webhook server, and record → replay.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { glob } from 'tinyglobby';
import { afterEach, describe, expect, it } from 'vitest';
import { eventSchemaErrors, ozml, ROOT, startApp, tempDir } from './helpers.js';
import type { AppServer } from './helpers.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function workspace(files: Record<string, string>): string {
  const dir = tempDir();
  cleanups.push(dir.remove);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir.path, name), text);
  return dir.path;
}

const parse = (ndjson: string): Array<Record<string, unknown>> => ndjson.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

describe('ozml run: output formats', () => {
  it('text: a timeline that reads like a call log, then the verdict', async () => {
    const run = await ozml(['run', 'examples/ivr-menu/main.xml', '--digits', '3', '--from', '+15551230001']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n')).toEqual([
      '   +0.000s  ozml         inbound call from +15551230001 to 9000: examples/ivr-menu/main.xml (api-extension)',
      '   +0.000s  caller       calls 9000',
      '   +0.000s  caller       Idle → Ringing',
      '   +0.000s  ozml         session s1 starts (api-extension, call in-1)',
      '   +0.000s  app          ← IncomingCall https://app.invalid/main.xml',
      '   +0.000s  app          → document',
      '   +0.000s  caller       Ringing → Established',
      '   +0.000s  ozml         UserInput Digits=1 Timeout=6',
      '   +0.000s  ozml           Speak "Welcome to Example Corp."',
      '   +1.000s  caller       presses 3',
      '   +1.000s  ozml             Speak → interrupted',
      '   +1.000s  ozml         got digits 3 (complete)',
      '   +1.000s  ozml           Speak "We are open Monday to Friday, from 9 am to 5 pm."',
      '   +6.550s  ozml           Delay 1',
      '   +7.550s  ozml           UserInput → matched 3',
      '   +7.550s  ozml         Speak "Thank you for calling. Goodbye."',
      '  +10.550s  ozml         Hangup',
      '  +10.550s  ozml           Hangup → hangup',
      '  +10.550s  caller       Established → Released (normal)',
      '  +10.550s  ozml         session s1 ended: normal (6 verbs, 1 document)',
      '  +10.550s  ozml         run ended after 10.55s: normal',
      '',
      '✓ examples/ivr-menu/main.xml (0 expectations, 10.550s of call)',
      '',
    ]);
  });

  it('ndjson: one documented event per line, identical bytes on every run', async () => {
    const [first, second] = await Promise.all([
      ozml(['run', '--scenario', 'examples/ivr-menu/billing.scenario.yaml', '--format', 'ndjson']),
      ozml(['run', '--scenario', 'examples/ivr-menu/billing.scenario.yaml', '--format', 'ndjson']),
    ]);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe('');
    expect(second.stdout).toBe(first.stdout);
    expect(first.stdout).toBe(readFileSync(join(ROOT, 'examples/ivr-menu/billing.golden.ndjson'), 'utf8'));
    const events = parse(first.stdout);
    for (const event of events) expect(eventSchemaErrors(event), JSON.stringify(event)).toBe('');
    expect(events[0]).toEqual({
      t: 0, type: 'run.started', scenario: 'ivr-menu unknown key and billing', script: 'main.xml', direction: 'inbound',
      context: 'api-extension', from: '+15551230002', to: '9000', clock: '2026-01-01T00:00:00.000Z', leg: 'in-1',
    });
    expect(events.at(-1)).toEqual({ t: 11.85, type: 'run.ended', cause: 'normal', seconds: 11.85, sessions: 1, stopped: null });
    expect(events.filter((e) => e.type === 'notification.requested').map((e) => [e.t, e.name, e.url])).toEqual([
      [0, 'IncomingCall', 'https://app.invalid/main.xml'],
      [1, 'DtmfEntered', 'https://ivr.example.com/ozml/unmatched'],
      [7.45, 'GoTo', 'https://ivr.example.com/ozml/support'],
      [8.45, 'GoTo', 'https://ivr.example.com/ozml/billing'],
    ]);
  });

  it('mermaid: a sequence diagram with the caller, ozml, the targets and the app', async () => {
    const run = await ozml(['run', '--scenario', 'examples/attended-transfer/accepted.scenario.yaml', '-f', 'mermaid']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toEqual([
      'sequenceDiagram',
      '    participant p1 as caller',
      '    participant ozml',
      '    participant p2 as 5001',
      '    participant app',
      '    p1->>ozml: call 9000',
      '    ozml->>app: IncomingCall',
      '    app-->>ozml: OzML',
      '    ozml-->>p1: answer',
      '    ozml->>p1: "Please hold while I connect you to the …"',
      '    Note over ozml: AttendedTransfer "5001" AcceptKey="1"',
      '    ozml->>p1: hold',
      '    Note over ozml: consult transfer to 5001',
      '    ozml->>p2: consult call 5001 from +15551230004',
      '    p2-->>ozml: ringing',
      '    p2-->>ozml: answered',
      '    ozml->>p2: "Call from a guest, +15551230004. Press …"',
      '    p2->>ozml: DTMF 1',
      '    Note over p1,p2: connected',
      '    Note over ozml: consult transfer: completed',
      '    Note over ozml: s1 ended: transferred',
      '    Note over p1,p2: disconnected (remote-hangup)',
      '    Note over ozml: +68.500s',
    ]);
    // Mermaid statements end at ";" and "#" starts an entity: they never appear raw in a message.
    for (const line of lines.slice(5)) expect(line.slice(line.indexOf(':') + 1)).not.toMatch(/;(?<!#\d+;)|#(?!\d+;)/);
  });

  it('junit: one testsuite per scenario, one testcase per expectation, failures with expected vs nearest', async () => {
    const dir = workspace({
      'hello.xml': '<Response><Speak>Hello.</Speak><Delay>2</Delay></Response>',
      'hello.scenario.yaml': [
        'script: hello.xml',
        'expect:',
        '  - verb: Speak',
        '    attributes: { Text: Hello. }',
        '  - verb: Delay',
        '    attributes: { Time: 3 }',
      ].join('\n'),
    });
    const run = await ozml(['run', '--scenario', 'hello.scenario.yaml', '--format', 'junit'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe([
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<testsuites name="ozml" tests="3" failures="1" errors="0">',
      '  <testsuite name="hello" file="hello.scenario.yaml" tests="3" failures="1" errors="0" time="2.900">',
      '    <testcase name="verb Speak {Text: &quot;Hello.&quot;}" classname="hello.scenario.yaml"/>',
      '    <testcase name="verb Delay {Time: &quot;3&quot;}" classname="hello.scenario.yaml">',
      '      <failure message="expected after &quot;+0.000s  ozml         Speak &quot;Hello.&quot;&quot;: verb Delay {Time: &quot;3&quot;}" type="expectation">'
        + 'expected after &quot;+0.000s  ozml         Speak &quot;Hello.&quot;&quot;: verb Delay {Time: &quot;3&quot;}\n'
        + 'nearest actual:\n'
        + '  +0.900s  ozml         Delay 2  (not Time=&quot;3&quot;)</failure>',
      '    </testcase>',
      '    <testcase name="the call runs without an application error" classname="hello.scenario.yaml"/>',
      '  </testsuite>',
      '</testsuites>',
      '',
    ].join('\n'));
  });
});

describe('ozml run: exit codes', () => {
  it('1 when an expectation fails, explained on the verdict line', async () => {
    const dir = workspace({
      'menu.xml': '<Response><UserInput Digits="1" Timeout="3"><Inputs><Input Key="1"><Speak>One.</Speak></Input></Inputs></UserInput></Response>',
      'menu.scenario.yaml': 'script: menu.xml\ncall: { digits: "2" }\nexpect:\n  - digits: "1"\n',
    });
    const run = await ozml(['run', '--scenario', 'menu.scenario.yaml'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n').slice(-7)).toEqual([
      '',
      '✗ menu.scenario.yaml: 1 of 1 expectation failed',
      '    ✗ digits "1" received',
      '      expected: digits "1" received',
      '      nearest actual:',
      '        +1.000s  ozml         got digits 2 (complete)  (not digits "1")',
      '',
    ]);
  });

  it('1 when the call ends with an application error (a webhook fails)', async () => {
    const dir = workspace({
      'next.xml': '<Response><GoTo>https://app.example.com/next</GoTo></Response>',
      'next.scenario.yaml': 'script: next.xml\nwebhooks:\n  https://app.example.com/next: { status: 500 }\n',
    });
    const run = await ozml(['run', '--scenario', 'next.scenario.yaml', '--format', 'ndjson'], { cwd: dir });
    expect(run.code).toBe(1);
    const events = parse(run.stdout);
    expect(events.filter((e) => e.type === 'webhook.failure')).toEqual([{
      t: 0, type: 'webhook.failure', notification: 'GoTo', url: 'https://app.example.com/next', code: 11200,
      detail: 'HTTP 500 from https://app.example.com/next (scenario webhook https://app.example.com/next)',
    }]);
    expect(events.filter((e) => e.type === 'session.ended')).toEqual([
      { t: 0, type: 'session.ended', sessionId: 's1', cause: 'application-error', verbs: 1, documents: 2 },
    ]);
    // NDJSON stays clean on stdout; the verdict goes to stderr.
    expect(run.stderr).toContain('✗ next.scenario.yaml: the call ended with an application error');
    expect(run.stderr).toContain('session s1 ended: application-error (1 verb, 2 documents) — GoTo to https://app.example.com/next failed');
  });

  it('2 for usage errors and unreadable files', async () => {
    const [none, both, digits, missing, format, scenario] = await Promise.all([
      ozml(['run']),
      ozml(['run', 'examples/ivr-menu/main.xml', '--record', 'a', '--replay', 'b']),
      ozml(['run', 'examples/ivr-menu/main.xml', '--digits', '1x']),
      ozml(['run', 'examples/ivr-menu/nope.xml']),
      ozml(['run', 'examples/ivr-menu/main.xml', '--format', 'html']),
      ozml(['run', '--scenario', 'examples/nope.scenario.yaml']),
    ]);
    expect(none).toEqual({ code: 2, stdout: '', stderr: 'ozml: give a script (file or URL) or --scenario <file>\n' });
    expect(both).toEqual({ code: 2, stdout: '', stderr: 'ozml: --record and --replay cannot be used together\n' });
    expect(digits).toEqual({ code: 2, stdout: '', stderr: 'ozml: --digits: "1x" is not DTMF digits (0-9, *, #, A-D)\n' });
    expect(missing).toEqual({ code: 2, stdout: '', stderr: 'ozml: the script examples/ivr-menu/nope.xml does not exist\n' });
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("argument 'html' is invalid. Allowed choices are text, ndjson, mermaid, junit.");
    expect(scenario).toEqual({ code: 2, stdout: '', stderr: 'examples/nope.scenario.yaml: cannot read the file: ENOENT\n' });
  });

  it('2 for an invalid scenario: every problem with its file, line, column and field path', async () => {
    const dir = workspace({
      'main.xml': '<Response/>',
      'bad.scenario.yaml': [
        'script: main.xml',
        'call:',
        '  from: 12ab!',
        '  direction: sideways',
        '  presses: ["12x"]',
        'parties:',
        '  "2001": { respnse: busy }',
        'expct: []',
      ].join('\n'),
      'worse.scenario.json': JSON.stringify({ script: 'missing.xml', expect: [{ verb: 'Speak', state: 'Held' }, { leg: 'caller', digits: '1' }] }, null, 2),
    });
    const [bad, worse] = await Promise.all([
      ozml(['run', '--scenario', 'bad.scenario.yaml'], { cwd: dir }),
      ozml(['run', '--scenario', 'worse.scenario.json'], { cwd: dir }),
    ]);
    expect(bad).toEqual({
      code: 2,
      stdout: '',
      stderr: [
        'bad.scenario.yaml:3:9: call.from: must be a phone number or extension (letters, digits, "+", "*", "#", ":", ".", "_", "@", "-")',
        'bad.scenario.yaml:4:14: call.direction: must be one of "inbound", "outbound", "none"',
        'bad.scenario.yaml:5:13: call.presses[0]: must be DTMF digits (0-9, *, #, A-D)',
        'bad.scenario.yaml:7:13: parties.2001.respnse: unknown field (did you mean "response"?)',
        'bad.scenario.yaml:8:1: expct: unknown field (did you mean "expect"?)',
        '',
      ].join('\n'),
    });
    expect(worse).toEqual({
      code: 2,
      stdout: '',
      stderr: [
        'worse.scenario.json:2:13: script: the script missing.xml does not exist',
        'worse.scenario.json:6:7: expect[0].state: does not apply to a "verb" expectation; it belongs to "leg" expectations',
        'worse.scenario.json:10:7: expect[1].digits: one expectation matches one thing: "leg" and "digits" belong in separate entries',
        '',
      ].join('\n'),
    });
  });
});

describe('ozml run against real webhooks', () => {
  let app: AppServer | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  const ivr = (path: string, form: Record<string, string>): string | number => {
    if (path === '/ivr') return '<Response><UserInput Digits="1" Timeout="4" ForwardToUrl="/menu"><InitialCommands><Speak>Press a key.</Speak></InitialCommands></UserInput></Response>';
    if (path === '/menu') return `<Response><Speak>You pressed ${form['DtmfDigits'] ?? 'nothing'}.</Speak><Hangup/></Response>`;
    return 404;
  };

  function config(): string {
    return join(workspace({ 'ozml.config.json': JSON.stringify({ apps: { shop: { allowAddresses: ['loopback'] } } }) }), 'ozml.config.json');
  }

  it('POSTs the notifications to a local server and runs its replies', async () => {
    app = await startApp(ivr);
    const run = await ozml(['run', `${app.origin}/ivr`, '--config', config(), '--digits', '7', '--format', 'ndjson']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(app.hits.map((h) => [h.method, h.path, h.form['NotificationName'], h.form['DtmfDigits']])).toEqual([
      ['POST', '/ivr', 'IncomingCall', undefined],
      ['POST', '/menu', 'DtmfEntered', '7'],
    ]);
    expect(app.hits[0]!.form).toEqual({
      NotificationName: 'IncomingCall', CallId: 'in-1', Caller: '+15550100001', Callee: '9000', ApiExtension: '9000',
      CallState: 'Ringing', Direction: 'Incoming', Timestamp: '2026-01-01T00:00:00.000Z',
    });
    const spoken = parse(run.stdout).filter((e) => e.type === 'verb.started' && e.verb === 'Speak').map((e) => (e.attributes as Record<string, string>)['Text']);
    expect(spoken).toEqual(['Press a key.', 'You pressed 7.']);
  });

  it('records the exchanges, then replays them without the server to the same NDJSON', async () => {
    app = await startApp(ivr);
    const recording = tempDir();
    cleanups.push(recording.remove);
    const url = `${app.origin}/ivr`;
    const cfg = config();
    const recorded = await ozml(['run', url, '--config', cfg, '--digits', '5', '-f', 'ndjson', '--record', recording.path]);
    expect(recorded.code).toBe(0);
    expect(readdirSync(recording.path).sort()).toEqual(['0001-IncomingCall.yaml', '0002-DtmfEntered.yaml']);
    await app.close();
    app = undefined;
    const replayed = await ozml(['run', url, '--config', cfg, '--digits', '5', '-f', 'ndjson', '--replay', recording.path]);
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toBe(recorded.stdout);
    // A different caller input needs an exchange that was never recorded: the replay says so.
    const other = await ozml(['run', url, '--config', cfg, '--digits', '6', '-f', 'ndjson', '--replay', recording.path]);
    expect(other.code).toBe(1);
    const menu = new URL('/menu', url).href;
    expect(parse(other.stdout).filter((e) => e.type === 'webhook.failure')).toEqual([{
      t: 1, type: 'webhook.failure', notification: 'DtmfEntered', url: menu, code: 11290,
      detail: `no recorded exchange for POST ${menu} in ${recording.path}; 0002-DtmfEntered.yaml has a different body: DtmfDigits was "5", now "6"`,
    }]);
  });

  it('refuses a loopback webhook unless the config allows it', async () => {
    app = await startApp(ivr);
    const run = await ozml(['run', `${app.origin}/ivr`, '-f', 'ndjson'], { cwd: workspace({}) });
    expect(run.code).toBe(1);
    expect(app.hits).toEqual([]);
    expect(parse(run.stdout).filter((e) => e.type === 'webhook.failure')).toEqual([{
      t: 0, type: 'webhook.failure', notification: 'IncomingCall', url: `${app.origin}/ivr`, code: 11225,
      detail: '127.0.0.1 is a loopback address; add it to allowAddresses to allow it',
    }]);
  });
});

describe('ozml test', () => {
  it('runs every example scenario and they all pass', async () => {
    const scenarios = await glob('examples/**/*.scenario.{json,yaml,yml}', { cwd: ROOT });
    expect(scenarios.length).toBeGreaterThanOrEqual(11);
    const run = await ozml(['test', 'examples']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe(`${scenarios.length} passed, 0 failed`);
    expect(lines.filter((l) => l.startsWith('✓ ')).map((l) => l.slice(2, l.indexOf(' ', 2))).sort()).toEqual([...scenarios].sort());
  });

  it('explains failures, writes JUnit, and keeps golden files with --update', async () => {
    const dir = workspace({
      'hello.xml': '<Response><Speak>Hello.</Speak></Response>',
      'a.scenario.yaml': 'script: hello.xml\ngolden: a.golden.ndjson\nexpect:\n  - callEnded: normal\n',
      'b.scenario.json': JSON.stringify({ script: 'hello.xml', expect: { never: [{ verb: 'Speak' }] } }),
    });
    mkdirSync(join(dir, 'node_modules'));
    writeFileSync(join(dir, 'node_modules', 'ignored.scenario.yaml'), 'not: a scenario');

    const first = await ozml(['test'], { cwd: dir });
    expect(first.code).toBe(1);
    expect(first.stdout).toBe([
      '✗ a.scenario.yaml: golden events missing',
      '    ✗ events match a.golden.ndjson',
      '      the golden file a.golden.ndjson does not exist; create it with ozml test --update',
      '✗ b.scenario.json: 1 of 1 expectation failed',
      '    ✗ never: verb Speak',
      '      expected no event like: verb Speak',
      '      but got: +0.000s  ozml         Speak "Hello."',
      '',
      '0 passed, 2 failed',
      '',
    ].join('\n'));

    const update = await ozml(['test', '--update', 'a.scenario.yaml'], { cwd: dir });
    expect(update.code).toBe(0);
    expect(update.stdout).toBe('✓ a.scenario.yaml (1 expectation, updated a.golden.ndjson, 0.900s of call)\n\n1 passed, 0 failed\n');
    const golden = readFileSync(join(dir, 'a.golden.ndjson'), 'utf8');
    const single = await ozml(['run', '--scenario', 'a.scenario.yaml', '-f', 'ndjson'], { cwd: dir });
    expect(single.stdout).toBe(golden);

    writeFileSync(join(dir, 'a.golden.ndjson'), golden.replace('"Hello."', '"Hullo."'));
    const junit = await ozml(['test', '--format', 'junit'], { cwd: dir });
    expect(junit.code).toBe(1);
    expect(junit.stdout).toContain('<testsuites name="ozml" tests="5" failures="2" errors="0">');
    expect(junit.stdout).toContain('<testsuite name="a" file="a.scenario.yaml" tests="3" failures="1" errors="0" time="0.900">');
    expect(junit.stdout).toMatch(/<testcase name="events match a\.golden\.ndjson" classname="a\.scenario\.yaml">\n {6}<failure message="the events differ from a\.golden\.ndjson at line \d+ \(ozml test --update rewrites it\):" type="expectation">/);
    expect(junit.stdout).toContain('<testsuite name="b" file="b.scenario.json" tests="2" failures="1" errors="0" time="0.900">');
  });

  it('2 when a scenario is invalid or nothing is found', async () => {
    const dir = workspace({ 'x.scenario.yaml': 'script: 42\n' });
    const invalid = await ozml(['test', '.'], { cwd: dir });
    expect(invalid.code).toBe(2);
    expect(invalid.stdout).toBe('✗ x.scenario.yaml: cannot run this scenario\n    x.scenario.yaml:1:9: script: must be a string, not a number\n\n0 passed, 1 failed\n');
    const empty = await ozml(['test', 'src'], { cwd: ROOT });
    expect(empty).toEqual({ code: 2, stdout: '', stderr: 'ozml: no *.scenario.json or *.scenario.yaml files in src\n' });
  });
});
