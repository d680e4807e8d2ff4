#!/usr/bin/env node
// Writes schemas/ozml.xsd and schemas/program.schema.json from the verb table (built dist/).
// Usage: npm run build && node scripts/gen-schemas.js [--check]
// --check exits 1 (and writes nothing) when a committed file differs from what the table generates.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { generateProgramSchema, generateXsd } from '../dist/language/xsd.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const outputs = [
  ['schemas/ozml.xsd', generateXsd()],
  ['schemas/program.schema.json', generateProgramSchema()],
];
const check = process.argv.includes('--check');
let stale = 0;
for (const [path, text] of outputs) {
  const current = await readFile(root + path, 'utf8').catch(() => undefined);
  if (current === text) continue;
  if (check) {
    stale++;
    process.stderr.write(`${path} is stale: run npm run build && node scripts/gen-schemas.js\n`);
  } else {
    await writeFile(root + path, text);
    process.stdout.write(`wrote ${path}\n`);
  }
}
process.exitCode = stale ? 1 : 0;
