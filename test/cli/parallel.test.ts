/** `ozml lint --jobs`: many files on worker threads give byte-for-byte the output of one thread. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultJobs, lintThreads, PARALLEL_MIN_FILES } from '../../src/cli/lint.js';
import { ERRORS_XML, ESCAPES_XML, THIRD_PARTY_IN_API, WARNINGS_XML } from './expected.js';
import { FIXTURES, neutralEnv, ozml, ROOT, tempDir } from './helpers.js';
import type { Run } from './helpers.js';

const KINDS = ['clean', 'errors', 'warnings', 'escapes', 'third-party'] as const;
const PER_DIRECTORY = 60;
const LIMIT = 1024 * 1024;

describe('ozml lint on several threads', () => {
  let dir: ReturnType<typeof tempDir>;
  let socket: Server;
  // a/ and b/ with 60 documents each (b/ also holds one over the size limit), and between them on
  // the command line a socket: listed like a file, but opening it fails (ENXIO), even as root.
  const args = ['a', 'sock.xml', 'b'];
  const lint = (extra: string[]): Run => ozml(['lint', ...extra, ...args], { cwd: dir.path });

  beforeAll(async () => {
    dir = tempDir();
    const texts = Object.fromEntries(KINDS.map((k) => [k, readFileSync(join(FIXTURES, `${k}.xml`))]));
    for (const sub of ['a', 'b']) {
      mkdirSync(join(dir.path, sub));
      for (let i = 0; i < PER_DIRECTORY; i++) {
        const kind = KINDS[i % KINDS.length]!;
        writeFileSync(join(dir.path, sub, `${String(i).padStart(3, '0')}-${kind}.xml`), texts[kind]!);
      }
    }
    writeFileSync(join(dir.path, 'b', 'zz-large.xml'), `<Response>${' '.repeat(LIMIT)}</Response>`);
    // Read in the workers: b/ documents named third-party are linted in that context, and one rule is raised.
    writeFileSync(join(dir.path, 'ozml.config.json'), JSON.stringify({
      lint: { rules: { 'unreachable-verb': 'error' }, contexts: [{ files: 'b/*-third-party.xml', context: 'third-party' }] },
    }));
    socket = createServer();
    await new Promise<void>((resolve) => socket.listen(join(dir.path, 'sock.xml'), resolve));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    dir.remove();
  });

  it('prints the same JSON and stderr, with the same exit code, for --jobs 1, 2 and 3', () => {
    const one = lint(['--format', 'json', '--jobs', '1']);
    expect(one.code).toBe(2);
    expect(one.stderr).toBe('ozml lint: cannot read sock.xml: ENXIO\n');
    expect(lint(['--format', 'json', '--jobs', '2'])).toEqual(one);
    expect(lint(['--format', 'json', '--jobs', '3'])).toEqual(one);

    // And that output is right: every file in input order, each with the settings it should have.
    const report = JSON.parse(one.stdout) as { files: { path: string; diagnostics: unknown[] }[]; summary: unknown };
    const expected = (sub: string, i: number) => {
      const kind = KINDS[i % KINDS.length]!;
      const asError = (d: { rule: string; severity: string }) => (d.rule === 'unreachable-verb' ? { ...d, severity: 'error' } : d);
      const diagnostics = {
        clean: [],
        errors: ERRORS_XML.map(asError),
        warnings: WARNINGS_XML.map(asError),
        escapes: ESCAPES_XML,
        'third-party': sub === 'b' ? [] : THIRD_PARTY_IN_API,
      }[kind];
      return { path: `${sub}/${String(i).padStart(3, '0')}-${kind}.xml`, diagnostics };
    };
    expect(report.files).toEqual([
      ...Array.from({ length: PER_DIRECTORY }, (_, i) => expected('a', i)),
      ...Array.from({ length: PER_DIRECTORY }, (_, i) => expected('b', i)),
      {
        path: 'b/zz-large.xml',
        diagnostics: [{
          rule: 'document-too-large', severity: 'error', line: 1, column: 1, endLine: 1, endColumn: 1,
          message: `Document is ${LIMIT + 21} bytes; the limit is ${LIMIT}.`,
        }],
      },
    ]);
    // per directory of 60: 12 of each kind; errors 3 (2 + unreachable raised), warnings 2 (1 error + 1 warning),
    // escapes 1 error, third-party 1 error + 1 warning in a/ only; plus the large file
    expect(report.summary).toEqual({ files: 121, errors: 2 * 12 * (3 + 1 + 1) + 12 + 1, warnings: 2 * 12 + 12 });
  });

  it('keeps the sources for SARIF the same way', () => {
    const one = lint(['--format', 'sarif', '--jobs', '1']);
    expect(one.code).toBe(2);
    expect(one.stderr).toBe('ozml lint: cannot read sock.xml: ENXIO\n');
    // One result per finding of the JSON run above: 133 errors and 36 warnings.
    expect(JSON.parse(one.stdout).runs[0].results).toHaveLength(133 + 36);
    expect(lint(['--format', 'sarif', '--jobs', '2'])).toEqual(one);
  });

  it('takes the parallel path for --jobs 2 and 64 files or more, and not for --jobs 1 or fewer files', () => {
    // Which files the workers get depends on timing; that they give the same results is tested below.
    const parallel = (lintArgs: string[]): boolean => {
      const log = join(dir.path, 'loads.txt');
      writeFileSync(log, '');
      const run = spawnSync(process.execPath, ['--import', join(ROOT, 'test/cli/support/record-loads.mjs'), join(ROOT, 'bin/ozml.js'), 'lint', ...lintArgs], {
        cwd: dir.path, env: neutralEnv({ OZML_LOAD_LOG: log }), encoding: 'utf8',
      });
      expect(run.status).toBe(1);
      // dist/cli/lint-parallel.js, bundled into one of dist/bundle/ (scripts/bundle-cli.js).
      const meta = JSON.parse(readFileSync(join(ROOT, 'dist/bundle/meta.json'), 'utf8')) as Record<string, string[]>;
      const holders = Object.keys(meta).filter((file) => meta[file]!.includes('dist/cli/lint-parallel.js'));
      expect(holders).toHaveLength(1);
      return readFileSync(log, 'utf8').split('\n').some((url) => url.endsWith(`/${holders[0]}`));
    };
    expect(parallel(['--jobs', '2', 'a', 'b'])).toBe(true);
    expect(parallel(['--jobs', '1', 'a', 'b'])).toBe(false);
    expect(parallel(['--jobs', '2', 'a'])).toBe(false); // 60 files
  });

  it('workers alone give exactly the outcomes of the main thread, unreadable files included', async () => {
    // The built modules: the worker is dist/cli/lint-worker.js.
    // Imported by URL so that type-checking does not need a build (the types are the sources').
    const built = (file: string) => new URL(`../../dist/cli/${file}`, import.meta.url).href;
    const { lintInParallel } = (await import(built('lint-parallel.js'))) as typeof import('../../src/cli/lint-parallel.js');
    const { lintFile } = (await import(built('lint-file.js'))) as typeof import('../../src/cli/lint-file.js');
    const jobs = [
      ...['a', 'b'].flatMap((sub) => Array.from({ length: PER_DIRECTORY }, (_, i) => {
        const name = `${sub}/${String(i).padStart(3, '0')}-${KINDS[i % KINDS.length]}.xml`;
        return { path: name, absolute: join(dir.path, name), ...(i % 7 === 0 ? { context: 'third-party' as const } : {}) };
      })),
      { path: 'sock.xml', absolute: join(dir.path, 'sock.xml') },
      { path: 'b/zz-large.xml', absolute: join(dir.path, 'b/zz-large.xml') },
    ];
    const settings = { rules: { 'undefined-variable': 'error' as const }, keepSource: true };
    const expected = jobs.map((job) => lintFile(job, settings));
    expect(expected[120]).toEqual({ ok: false, message: 'ozml lint: cannot read sock.xml: ENXIO\n' });
    expect(await lintInParallel(jobs, settings, 2, { mainThread: false })).toEqual(expected);
    expect(await lintInParallel(jobs, settings, 3)).toEqual(expected);
  });

  it('text output (summary line included) is the same on one thread and on two', () => {
    const one = lint(['--jobs', '1']);
    expect(one.stdout).toMatch(/✖ \d+ problems \(\d+ errors, \d+ warnings\)\n$/);
    expect(lint(['--jobs', '2'])).toEqual(one);
  });
});

describe('--jobs', () => {
  it('must be a whole number ≥ 1 (usage error 2)', () => {
    for (const value of ['0', 'two', '-1', '1.5']) {
      const run = ozml(['lint', '--jobs', value, 'clean.xml']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`option '-j, --jobs <n>' argument '${value}' is invalid. expected a whole number ≥ 1.`);
    }
  });

  it('lintThreads: one thread below 64 files, else up to --jobs with at least 32 files per thread', () => {
    expect(PARALLEL_MIN_FILES).toBe(64);
    expect(lintThreads(0, 4)).toBe(1);
    expect(lintThreads(63, 8)).toBe(1);
    expect(lintThreads(64, 8)).toBe(2);
    expect(lintThreads(64, 1)).toBe(1);
    expect(lintThreads(100, 8)).toBe(4);
    expect(lintThreads(1000, 2)).toBe(2);
    expect(lintThreads(1000, 16)).toBe(16);
  });

  it('defaults to one thread fewer than the CPUs, and at least one', () => {
    expect([1, 2, 3, 8].map((cpus) => defaultJobs(cpus))).toEqual([1, 1, 2, 7]);
  });
});
