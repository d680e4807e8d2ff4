#!/usr/bin/env node
// Writes docs/verbs.md from the verb catalogue (run `npm run build` first).
//   node scripts/gen-verbs-doc.js            regenerate docs/verbs.md
//   node scripts/gen-verbs-doc.js --check    exit 1 if docs/verbs.md is stale
//   --out <file>                             another target file (used by the tests)
import { fileURLToPath } from 'node:url';
import { renderVerbsDoc } from '../dist/language/format/verbs-doc.js';
import { writeOrCheck } from './generated-doc.js';

writeOrCheck({ render: renderVerbsDoc, defaultTarget: fileURLToPath(new URL('../docs/verbs.md', import.meta.url)), script: 'gen-verbs-doc.js' });
