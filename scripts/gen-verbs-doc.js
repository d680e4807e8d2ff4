#!/usr/bin/env node
// Writes docs/verbs.md from the verb catalogue (run `npm run build` first).
//   node scripts/gen-verbs-doc.js            regenerate docs/verbs.md
//   node scripts/gen-verbs-doc.js --check    exit 1 if docs/verbs.md is stale
//   --out <file>                             another target file (used by the tests)
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderVerbsDoc } from '../dist/language/format/verbs-doc.js';

const args = process.argv.slice(2);
const check = args.includes('--check');
const outIndex = args.indexOf('--out');
const target = outIndex >= 0 && args[outIndex + 1]
  ? args[outIndex + 1]
  : fileURLToPath(new URL('../docs/verbs.md', import.meta.url));

const expected = renderVerbsDoc();
if (check) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // a missing file is stale
  }
  if (current !== expected) {
    process.stderr.write(`${target} is stale: run \`npm run build && node scripts/gen-verbs-doc.js\`\n`);
    process.exitCode = 1;
  }
} else {
  writeFileSync(target, expected);
}
