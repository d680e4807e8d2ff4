// Shared by the doc generators: write a generated file, or with --check fail when the committed
// one differs. Arguments: --check, --out <file> (another target, used by the tests).
import { readFileSync, writeFileSync } from 'node:fs';

/** `render` makes the text; `defaultTarget` is a file URL; `script` names the generator in the message. */
export function writeOrCheck({ render, defaultTarget, script }) {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const outIndex = args.indexOf('--out');
  const target = outIndex >= 0 && args[outIndex + 1] ? args[outIndex + 1] : defaultTarget;
  const expected = render();
  if (!check) {
    writeFileSync(target, expected);
    return;
  }
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // a missing file is stale
  }
  if (current !== expected) {
    process.stderr.write(`${target} is stale: run \`npm run build && node scripts/${script}\`\n`);
    process.exitCode = 1;
  }
}
