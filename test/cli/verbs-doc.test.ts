/** docs/verbs.md is generated from the verb catalogue and must be current. */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ELEMENTS, VERBS } from '../../src/language/index.js';
import { describeType, renderVerbsDoc } from '../../src/language/format/verbs-doc.js';
import { ROOT, tempDir } from './helpers.js';

const GENERATOR = join(ROOT, 'scripts/gen-verbs-doc.js');
const check = (file?: string) =>
  spawnSync(process.execPath, [GENERATOR, '--check', ...(file ? ['--out', file] : [])], { cwd: ROOT, encoding: 'utf8' });

describe('docs/verbs.md', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeAll(() => { dir = tempDir(); });
  afterAll(() => dir.remove());

  it('is up to date with the catalogue (regenerate: npm run build && node scripts/gen-verbs-doc.js)', () => {
    const run = check();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(readFileSync(join(ROOT, 'docs/verbs.md'), 'utf8')).toBe(renderVerbsDoc());
  });

  it('the check fails for a stale or missing file', () => {
    const stale = join(dir.path, 'verbs.md');
    writeFileSync(stale, renderVerbsDoc().replace('| `Timeout` | seconds 1–300 | `30` |', '| `Timeout` | seconds 1–300 | `31` |'));
    const run = check(stale);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`${stale} is stale: run \`npm run build && node scripts/gen-verbs-doc.js\`\n`);
    expect(check(join(dir.path, 'missing.md')).status).toBe(1);
  });

  it('has a section for every verb and block and a row for every attribute, with its type and default', () => {
    const doc = renderVerbsDoc();
    for (const verb of VERBS) expect(doc).toContain(`| [${verb.name}](#${verb.name.toLowerCase()}) | ${(verb.contexts ?? []).join(', ')} |`);
    for (const element of ELEMENTS) {
      expect(doc).toContain(`\n## ${element.name}\n`);
      for (const attribute of element.attributes) {
        const defaultCell = attribute.default === undefined ? '' : `\`${attribute.default}\``;
        expect(doc).toMatch(new RegExp(`\\| \`${attribute.name}\`[^|]*\\| ${escape(describeType(attribute.type).replaceAll('|', '\\|'))} \\| ${escape(defaultCell)} \\|`));
      }
    }
  });

  it('states types, defaults, required contexts, aliases and children the way the catalogue does', () => {
    const doc = renderVerbsDoc();
    expect(doc).toContain('| `Timeout` | seconds 1–300 | `30` |  |  | Seconds the target may ring. |');
    expect(doc).toContain('| `TransferorParty` (also `TranferorParty`) | one of `caller`, `callee` |  | in third-party | third-party |');
    expect(doc).toContain('| `Dialled` (also `Dialed`) (or text content) | address: number, extension, SIP URI or user@host |  | yes |  | Number to call. |');
    expect(doc).toContain('| `CallerId` | phone number: 2–15 digits, optional leading + |  |  |  | Calling number shown to the callee (a number, not a display name). |');
    expect(doc).toContain('one of `en_US`, `en_UK`, `es`, `es_MX`, `fr`, `fr_FR`, `de`, `de_DE`, `it`, `it_IT`; also `en` = `en_US`');
    expect(doc).toContain('## UserInput\n\nCollects DTMF digits while its InitialCommands play and runs the matching Input.\n\n- Contexts: api-extension\n'
      + '- Children: [`<InitialCommands>`](#initialcommands), [`<Inputs>`](#inputs)\n- Also written: `Userinput`\n- Blocks until it finishes\n');
    expect(doc).toContain('## Input\n\nCommands run when the entered digits equal Key.\n\n- Inside: `<Inputs>`\n- Children: commands (verbs)\n');
    expect(doc).toContain('## Exit\n\nStops the script; in api-extension context the call is hung up.\n\n- Contexts: api-extension, third-party\n'
      + '- Children: none\n- Ends the document (verbs after it never run)\n\nNo attributes.\n');
    expect(doc).toContain('| Bridget | female | en_UK |\n');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
