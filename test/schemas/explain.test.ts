/** `ozml explain`: in-process (explainFile), registered on a commander program, and as a process (bin/ozml.js). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { explainFile, registerExplain } from '../../src/cli/explain.js';
import type { ExplainOptions } from '../../src/cli/explain.js';
import { ROOT } from './helpers.js';

let dir: string;
const file = (name: string, text: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'ozml-explain-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

async function explain(path: string, options: ExplainOptions = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await explainFile(path, options, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
  return { code, stdout, stderr };
}

const IVR = [
  '<Response>',
  '  <UserInput Timeout="3" ForwardToUrl="entered">',
  '    <InitialCommands><Speak>Hi $Caller</Speak></InitialCommands>',
  '  </UserInput>',
  '  <GoTo>next.xml</GoTo>',
  '</Response>',
  '',
].join('\n');

const range = (line: number, column: number, endLine: number, endColumn: number) => ({ line, column, endLine, endColumn });

describe('explainFile', () => {
  it('prints the program as 2-space JSON: defaults with origin default, written values with their ranges, URLs resolved', async () => {
    const result = await explain(file('ivr.xml', IVR), { url: 'https://app.example.com/ivr/start.xml' });
    const program = {
      root: 'Response',
      context: 'api-extension',
      url: 'https://app.example.com/ivr/start.xml',
      instructions: [
        {
          name: 'UserInput',
          kind: 'verb',
          range: range(2, 3, 4, 15),
          attributes: {
            Repeat: { kind: 'literal', value: false, origin: 'default' },
            Timeout: { kind: 'literal', value: 3, origin: 'written', range: range(2, 23, 2, 24) },
            Digits: { kind: 'literal', value: 1, origin: 'default' },
            ForwardToUrl: { kind: 'literal', value: 'https://app.example.com/ivr/entered', origin: 'written', range: range(2, 40, 2, 47) },
          },
          children: [
            {
              name: 'InitialCommands',
              kind: 'block',
              range: range(3, 5, 3, 65),
              attributes: {},
              children: [
                {
                  name: 'Speak',
                  kind: 'verb',
                  range: range(3, 22, 3, 47),
                  attributes: { Text: { kind: 'template', template: 'Hi $Caller', origin: 'written', range: range(3, 29, 3, 39) } },
                  children: [],
                },
              ],
            },
          ],
        },
        {
          name: 'GoTo',
          kind: 'verb',
          range: range(5, 3, 5, 24),
          attributes: { Url: { kind: 'literal', value: 'https://app.example.com/ivr/next.xml', origin: 'written', range: range(5, 9, 5, 17) } },
          children: [],
        },
      ],
    };
    expect(result).toEqual({ code: 0, stdout: `${JSON.stringify(program, null, 2)}\n`, stderr: '' });
  });

  it('keeps relative URLs without --url', async () => {
    const { code, stdout } = await explain(file('ivr-relative.xml', IVR));
    expect(code).toBe(0);
    const program = JSON.parse(stdout);
    expect(program.url).toBeUndefined();
    expect(program.instructions[1].attributes.Url.value).toBe('next.xml');
  });

  it('compiles for --context: Party counts in third-party documents and is ignored (warning) in api-extension ones', async () => {
    const path = file('party.xml', '<Response>\n  <Speak Party="callee">Hello</Speak>\n</Response>\n');
    const thirdParty = await explain(path, { context: 'third-party' });
    expect(thirdParty.code).toBe(0);
    expect(thirdParty.stderr).toBe('');
    expect(JSON.parse(thirdParty.stdout).instructions[0].attributes.Party).toEqual({ kind: 'literal', value: 'callee', origin: 'written', range: range(2, 17, 2, 23) });

    const api = await explain(path);
    expect(api.code).toBe(0);
    expect(JSON.parse(api.stdout).instructions[0].attributes).toEqual({ Text: { kind: 'literal', value: 'Hello', origin: 'written', range: range(2, 25, 2, 30) } });
    expect(api.stderr).toBe(`${path}:2:10  warning  Party of <Speak> is ignored in api-extension documents (it counts in third-party).  attribute-ignored-in-context\n`);
  });

  it('prints errors to stderr as path:line:column  severity  message  rule-id, no program, exit 1', async () => {
    const path = file('typo.xml', '<Response>\n  <Speak>Hi</Speak>\n  <Speek>Bye</Speek>\n</Response>\n');
    expect(await explain(path)).toEqual({
      code: 1,
      stdout: '',
      stderr: `${path}:3:3  error  Unknown verb <Speek>; did you mean <Speak>?  unknown-verb\n`,
    });
  });

  it('refuses a file over 1 MiB without compiling it (exit 1)', async () => {
    const path = file('large.xml', `<Response>${' '.repeat(1024 * 1024)}</Response>`);
    expect(await explain(path)).toEqual({
      code: 1,
      stdout: '',
      stderr: `${path}:1:1  error  Document is ${1024 * 1024 + 21} bytes; the limit is 1048576.  document-too-large\n`,
    });
  });

  it('reports invalid UTF-8 as xml-syntax (exit 1)', async () => {
    const path = file('binary.xml', Buffer.from([0x3c, 0x52, 0xff, 0xfe, 0x3e]));
    const result = await explain(path);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    // The message wording belongs to the language core; explain relays it in its line format.
    expect(result.stderr.startsWith(`${path}:1:`)).toBe(true);
    expect(result.stderr).toMatch(/^[^\n]+:1:\d+ {2}error {2}Document is not valid UTF-8 text[^\n]* {2}xml-syntax\n$/);
  });

  it('exits 2 on a file it cannot read', async () => {
    const missing = join(dir, 'missing.xml');
    expect(await explain(missing)).toEqual({ code: 2, stdout: '', stderr: `ozml explain: cannot read ${missing}: ENOENT\n` });
    expect(await explain(dir)).toEqual({ code: 2, stdout: '', stderr: `ozml explain: cannot read ${dir}: EISDIR\n` });
  });
});

describe('registerExplain on a commander program', () => {
  let out: string;
  let err: string;
  beforeAll(() => { out = ''; err = ''; });
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  function run(args: string[]): Promise<unknown> {
    out = '';
    err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => { out += String(chunk); return true; });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => { err += String(chunk); return true; });
    const program = new Command('ozml').exitOverride().configureOutput({ writeErr: (s) => { err += s; }, writeOut: (s) => { out += s; } });
    registerExplain(program);
    return program.parseAsync(['node', 'ozml', 'explain', ...args]);
  }

  it('passes --context and --url to the compiler and sets the exit code', async () => {
    const path = file('cmd.xml', '<Response>\n  <Forward Destination="1001"/>\n  <GoTo Url="x.xml"/>\n</Response>\n');
    await run([path, '--context', 'third-party', '--url', 'http://app.example.com/a/b.xml']);
    expect(process.exitCode).toBe(1);
    expect(err).toBe(`${path}:3:3  error  <GoTo> is not allowed in third-party documents (only in api-extension).  verb-not-allowed-in-context\n`);

    const good = file('cmd-good.xml', '<Response><GoTo Url="x.xml"/></Response>');
    await run([good, '--url', 'http://app.example.com/a/b.xml']);
    expect(process.exitCode).toBe(0);
    expect(JSON.parse(out).instructions[0].attributes.Url.value).toBe('http://app.example.com/a/x.xml');
  });

  it('rejects an unknown --context and a relative --url as commander usage errors', async () => {
    const path = file('usage.xml', '<Response/>');
    await expect(run([path, '--context', 'ivr'])).rejects.toMatchObject({ code: 'commander.invalidArgument' });
    expect(err).toContain("argument 'ivr' is invalid. Allowed choices are api-extension, third-party, routing.");
    await expect(run([path, '--url', 'start.xml'])).rejects.toBeInstanceOf(CommanderError);
    expect(err).toContain("expected an absolute http(s) URL, got 'start.xml'.");
    await expect(run([])).rejects.toMatchObject({ code: 'commander.missingArgument' });
  });
});

describe('ozml explain as a process (needs npm run build)', () => {
  const ozml = (args: string[], input?: string) =>
    spawnSync(process.execPath, [join(ROOT, 'bin/ozml.js'), 'explain', ...args], { encoding: 'utf8', ...(input !== undefined ? { input } : {}) });

  it('prints the program of a file and exits 0', () => {
    const run = ozml([file('proc.xml', IVR)]);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).instructions.map((i: { name: string }) => i.name)).toEqual(['UserInput', 'GoTo']);
    expect(run.stderr).toBe('');
  });

  it('reads stdin for -', () => {
    const run = ozml(['-'], '<Response><Delay>2</Delay></Response>');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).instructions[0].attributes.Time).toEqual({ kind: 'literal', value: 2, origin: 'written', range: range(1, 18, 1, 19) });
  });

  it('exits 1 on a document with errors, naming <stdin>', () => {
    const run = ozml(['-'], '<Response><Delay>soon</Delay></Response>');
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe("<stdin>:1:18  error  Time of <Delay> must be a whole number; got 'soon'.  invalid-attribute-value\n");
  });

  it('refuses stdin over 1 MiB like lint does, naming <stdin> (exit 1)', () => {
    const run = ozml(['-'], `<Response>${' '.repeat(1024 * 1024)}</Response>`);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('<stdin>:1:1  error  Document is larger than 1048576 bytes.  document-too-large\n');
  });

  it('exits 2 on an unreadable file and on usage errors', () => {
    expect(ozml([join(dir, 'nope.xml')]).status).toBe(2);
    expect(ozml([file('p.xml', '<Response/>'), '--context', 'ivr']).status).toBe(2);
    expect(ozml([]).status).toBe(2);
  });
});
