// `node --import ./record-loads.mjs …`: appends every module URL the process resolves (on any
// thread) to the file named by OZML_LOAD_LOG, so tests can see what a command loads. The ESM hooks
// see `import`; CommonJS `require` (ajv, undici and what they require) bypasses them, so the main
// thread's require cache is appended too when the process exits.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

register('./record-loads-hooks.mjs', import.meta.url);

const require = createRequire(import.meta.url);
process.on('exit', () => {
  const log = process.env.OZML_LOAD_LOG;
  if (!log) return;
  const files = Object.keys(require.cache).filter((f) => f.startsWith('/'));
  if (files.length > 0) appendFileSync(log, `${files.map((f) => pathToFileURL(f).href).join('\n')}\n`);
});
