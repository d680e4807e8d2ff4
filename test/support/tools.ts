/**
 * Suites that need an optional Debian tool (sipp, baresip, espeak-ng, sox, xmllint) ask for it
 * here. `.ci/run` installs them all and sets CI=true: there a missing tool fails the suite. Under a
 * plain `npm test` a missing tool skips the suite, and the skip is never silent: the reason is
 * printed when the suite is collected and again in the run's closing summary
 * (test/support/skipped-summary.ts).
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';

export interface OptionalTool {
  /** The command to look for on PATH. */
  command: string;
  /** Arguments that make it print a version and exit 0 (or at least exit). */
  probe?: readonly string[];
  /** The Debian package that provides it. */
  debianPackage: string;
}

export const TOOLS = {
  sipp: { command: 'sipp', probe: ['-v'], debianPackage: 'sip-tester' },
  baresip: { command: 'baresip', probe: ['-h'], debianPackage: 'baresip-core' },
  espeak: { command: 'espeak-ng', probe: ['--version'], debianPackage: 'espeak-ng' },
  sox: { command: 'sox', probe: ['--version'], debianPackage: 'sox' },
  xmllint: { command: 'xmllint', probe: ['--version'], debianPackage: 'libxml2-utils' },
} as const satisfies Record<string, OptionalTool>;

const found = new Map<string, boolean>();

/** True when the tool's command runs on this machine. */
export function hasTool(tool: OptionalTool): boolean {
  let known = found.get(tool.command);
  if (known === undefined) {
    const run = spawnSync(tool.command, [...(tool.probe ?? ['--version'])], { stdio: 'ignore', timeout: 10_000 });
    known = run.error === undefined;
    found.set(tool.command, known);
  }
  return known;
}

/**
 * For `describe.skipIf(missingTools(...))`: the names of the tools that are missing, or false when
 * all are there. Under CI=true a missing tool throws, so the suite fails instead of skipping.
 */
export function missingTools(suite: string, ...tools: OptionalTool[]): string | false {
  const missing = tools.filter((tool) => !hasTool(tool));
  if (missing.length === 0) return false;
  const why = missing.map((t) => `${t.command} (apt-get install ${t.debianPackage})`).join(', ');
  if (process.env.CI === 'true') throw new Error(`${suite}: needs ${why}, which CI must install (.ci/run)`);
  const line = `${suite}: not run — needs ${why}`;
  process.stderr.write(`[skipped suite] ${line}\n`);
  const log = process.env.OZML_SKIPPED_SUITES_LOG;
  if (log) appendFileSync(log, `${line}\n`);
  return why;
}
