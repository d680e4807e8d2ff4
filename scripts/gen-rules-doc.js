#!/usr/bin/env node
// Writes docs/rules.md from the rule modules' meta (run `npm run build` first).
//   node scripts/gen-rules-doc.js            regenerate docs/rules.md
//   node scripts/gen-rules-doc.js --check    exit 1 if docs/rules.md is stale
//   --out <file>                             another target file (used by the tests)
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderRulesDoc } from '../dist/language/format/index.js';

const args = process.argv.slice(2);
const check = args.includes('--check');
const outIndex = args.indexOf('--out');
const target = outIndex >= 0 && args[outIndex + 1]
  ? args[outIndex + 1]
  : fileURLToPath(new URL('../docs/rules.md', import.meta.url));

const expected = renderRulesDoc();
if (check) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // a missing file is stale
  }
  if (current !== expected) {
    process.stderr.write(`${target} is stale: run \`npm run build && node scripts/gen-rules-doc.js\`\n`);
    process.exitCode = 1;
  }
} else {
  writeFileSync(target, expected);
}
