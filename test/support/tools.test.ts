import { describe, expect, it } from 'vitest';
import { hasTool, missingTools } from './tools.js';

const absent = { command: 'ozml-no-such-tool', debianPackage: 'ozml-no-such-package' };

describe('optional tools', () => {
  it('finds a command that runs and not one that does not', () => {
    expect(hasTool({ command: process.execPath, probe: ['-e', '0'], debianPackage: 'nodejs' })).toBe(true);
    expect(hasTool(absent)).toBe(false);
  });

  it('names the missing tool with its package, or fails under CI=true', () => {
    const before = process.env.CI;
    const log = process.env.OZML_SKIPPED_SUITES_LOG;
    // This check's own skip is not a suite that did not run.
    delete process.env.OZML_SKIPPED_SUITES_LOG;
    try {
      process.env.CI = 'true';
      expect(() => missingTools('a suite', absent)).toThrow('a suite: needs ozml-no-such-tool (apt-get install ozml-no-such-package), which CI must install (.ci/run)');
      process.env.CI = '';
      expect(missingTools('a suite', absent)).toBe('ozml-no-such-tool (apt-get install ozml-no-such-package)');
      expect(missingTools('a suite')).toBe(false);
    } finally {
      if (before === undefined) delete process.env.CI; else process.env.CI = before;
      if (log !== undefined) process.env.OZML_SKIPPED_SUITES_LOG = log;
    }
  });
});
