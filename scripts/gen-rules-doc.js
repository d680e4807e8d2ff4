#!/usr/bin/env node
// Writes docs/rules.md from the rule modules' meta (run `npm run build` first).
//   node scripts/gen-rules-doc.js            regenerate docs/rules.md
//   node scripts/gen-rules-doc.js --check    exit 1 if docs/rules.md is stale
//   --out <file>                             another target file (used by the tests)
import { fileURLToPath } from 'node:url';
import { renderRulesDoc } from '../dist/language/format/index.js';
import { writeOrCheck } from './generated-doc.js';

writeOrCheck({ render: renderRulesDoc, defaultTarget: fileURLToPath(new URL('../docs/rules.md', import.meta.url)), script: 'gen-rules-doc.js' });
