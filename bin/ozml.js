#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build`. `ozml --version` (alone) is
// answered here from package.json before any module of the CLI loads: version checks in scripts
// and CI run it often, and it needs nothing else.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${version}\n`);
} else {
  const { main } = await import('../dist/cli/main.js');
  main(process.argv).then(
    (code) => { process.exitCode = code; },
    (error) => {
      process.stderr.write(`ozml: internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
