/** Exit codes of the `ozml` process: 0 clean, 1 problems, 2 usage errors and unreadable input. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ozml, ROOT } from './helpers.js';

describe('ozml lint exit codes', () => {
  it('is 0 for a clean document', () => {
    expect(ozml(['lint', 'clean.xml'])).toEqual({ code: 0, stdout: '✔ 1 file checked, no problems\n', stderr: '' });
  });

  it('is 1 when there is an error', () => {
    expect(ozml(['lint', 'errors.xml']).code).toBe(1);
  });

  it('is 0 with warnings only, and 1 once they exceed --max-warnings', () => {
    expect(ozml(['lint', 'warnings.xml']).code).toBe(0);
    expect(ozml(['lint', 'warnings.xml', '--max-warnings', '2']).code).toBe(0);
    const over = ozml(['lint', 'warnings.xml', '--max-warnings', '1']);
    expect(over.code).toBe(1);
    expect(over.stderr).toBe('ozml lint: 2 warnings exceed --max-warnings 1\n');
    const one = ozml(['lint', '-', '--max-warnings', '0'], { input: '<Response><Hangup/><Speak>x</Speak></Response>' });
    expect(one.code).toBe(1);
    expect(one.stderr).toBe('ozml lint: 1 warning exceeds --max-warnings 0\n');
    expect(ozml(['lint', 'clean.xml', '--max-warnings', '0']).code).toBe(0);
  });

  it('is 1 for errors in one file among clean ones', () => {
    expect(ozml(['lint', 'clean.xml', 'errors.xml', 'warnings.xml']).code).toBe(1);
  });

  it('is 2 for a missing file, and prints why', () => {
    const run = ozml(['lint', 'clean.xml', 'no-such-file.xml']);
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'ozml: no such file or directory: no-such-file.xml\n' });
  });

  it('is 2 for a glob that matches no file', () => {
    const run = ozml(['lint', 'nothing-here/**/*.xml']);
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'ozml: no files match nothing-here/**/*.xml\n' });
  });

  it('is 2 for commander usage errors (which commander itself exits with 1)', () => {
    const unknownOption = ozml(['lint', '--bogus', 'clean.xml']);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toBe("error: unknown option '--bogus'\n(run with --help for usage)\n");
    expect(unknownOption.stdout).toBe('');

    const badFormat = ozml(['lint', '--format', 'xml', 'clean.xml']);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain("argument 'xml' is invalid. Allowed choices are text, json, sarif, github.");

    const badContext = ozml(['lint', '--context', 'pbx', 'clean.xml']);
    expect(badContext.code).toBe(2);
    expect(badContext.stderr).toContain('Allowed choices are api-extension, third-party, routing.');

    const missingValue = ozml(['lint', 'clean.xml', '--format']);
    expect(missingValue.code).toBe(2);
    expect(missingValue.stderr).toContain("option '-f, --format <format>' argument missing");

    const unknownCommand = ozml(['lnt']);
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toContain("error: unknown command 'lnt'");
  });

  it('is 2 for a bad --max-warnings value', () => {
    const run = ozml(['lint', 'clean.xml', '--max-warnings', 'many']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("option '--max-warnings <n>' argument 'many' is invalid. expected a whole number ≥ 0.");
    expect(ozml(['lint', 'clean.xml', '--max-warnings', '-1']).code).toBe(2);
  });

  it('is 2 without a command (help goes to stderr)', () => {
    const run = ozml([]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Usage: ozml [options] [command]');
  });

  it('is 0 for --help and --version', () => {
    const help = ozml(['lint', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: ozml lint [options] [paths...]');
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
    expect(ozml(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});
