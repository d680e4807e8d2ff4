/** docs/rules.md is generated from the rule modules and must be current; the examples must lint clean. */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { glob } from 'tinyglobby';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULES } from '../../src/language/index.js';
import { renderRulesDoc } from '../../src/language/format/index.js';
import { lintJson, ROOT, tempDir } from './helpers.js';

const GENERATOR = join(ROOT, 'scripts/gen-rules-doc.js');
const check = (file?: string) =>
  spawnSync(process.execPath, [GENERATOR, '--check', ...(file ? ['--out', file] : [])], { cwd: ROOT, encoding: 'utf8' });

describe('docs/rules.md', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeAll(() => { dir = tempDir(); });
  afterAll(() => dir.remove());

  it('is up to date with the rule modules (regenerate: npm run build && node scripts/gen-rules-doc.js)', () => {
    const run = check();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('the check fails for a stale or missing file', () => {
    const stale = join(dir.path, 'rules.md');
    writeFileSync(stale, readFileSync(join(ROOT, 'docs/rules.md'), 'utf8').replace('Unknown', 'Unknwn').concat('\n'));
    const run = check(stale);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('is stale');
    expect(check(join(dir.path, 'missing.md')).status).toBe(1);
  });

  it('has a section with an anchor for every rule, with its default severity and docs', () => {
    const doc = renderRulesDoc();
    for (const rule of RULES) {
      expect(doc).toContain(`| [${rule.meta.id}](#${rule.meta.id}) |`);
      expect(doc).toContain(`\n## ${rule.meta.id}\n`);
    }
    expect(doc).toContain('## name-case\n\nDefault: **off**\n');
    expect(doc).toContain('## xml-syntax\n\nDefault: **error** (fatal: cannot be turned off)\n');
    expect(doc).toContain('## unreachable-verb\n\nDefault: **warn**\n');
    // element names outside code spans are wrapped so Markdown does not swallow them as HTML
    expect(doc).toContain('| `<Reject>` is only valid as the first command of the document. |');
  });
});

describe('examples/', () => {
  it('lint clean: no errors and no warnings (npm start runs this)', async () => {
    const { code, report } = lintJson(['examples'], { cwd: ROOT });
    expect(code).toBe(0);
    // Every document under examples/, in lint's (sorted) order, each without a finding.
    const documents = (await glob('examples/**/*.{xml,ozml}', { cwd: ROOT })).sort();
    expect(documents).toContain('examples/ivr-menu/main.xml');
    expect(report).toEqual({
      version: 1,
      files: documents.map((path) => ({ path, diagnostics: [] })),
      summary: { files: documents.length, errors: 0, warnings: 0 },
    });
  });
});
