/**
 * vitest globalSetup: collects the suites that test/support/tools.ts skipped for a missing
 * optional tool and prints them once at the end of the run, so a plain `npm test` says plainly
 * what it did not check.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(path.join(tmpdir(), 'ozml-skipped-'));
  const log = path.join(dir, 'suites.txt');
  // Workers are forked after global setup, so they inherit this.
  process.env.OZML_SKIPPED_SUITES_LOG = log;
  return () => {
    let lines: string[] = [];
    try {
      lines = [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))];
    } catch {
      // No suite was skipped: the file was never written.
    }
    rmSync(dir, { recursive: true, force: true });
    if (lines.length === 0) return;
    process.stdout.write(`\nSuites not run on this machine (.ci/run installs what they need and runs them all):\n${lines.map((l) => `  - ${l}`).join('\n')}\n`);
  };
}
