#!/usr/bin/env node
// Part of `npm run build` (after tsc and gen-validators): bundles the CLI compiled in dist/ with its
// dependencies into dist/bundle/ (esbuild, ES modules split per lazily imported command), so a
// command starts by reading a few files instead of hundreds (undici and yaml alone are ~180
// CommonJS modules). bin/ozml.js runs dist/bundle/main.js.
//  - Each module's `import.meta.url` is rewritten to the URL of its file in dist/, so files found
//    relative to a module (package.json, schemas/, the standalone validators, the lint worker) are
//    found as they are without the bundle.
//  - CommonJS dependencies call `require` for Node's built-ins: each output file defines it.
//  - dist/bundle/meta.json maps every output file to the modules in it (test/cli/startup.test.ts).
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = path.join(ROOT, 'dist');
const OUT = path.join(DIST, 'bundle');

const importMetaUrl = {
  name: 'original-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\/dist\/.*\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const fromBundle = path.relative(OUT, args.path).split(path.sep).join('/');
      return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`), loader: 'js' };
    });
  },
};

await rm(OUT, { recursive: true, force: true });
const result = await build({
  entryPoints: { main: path.join(DIST, 'cli/main.js') },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  metafile: true,
  absWorkingDir: ROOT,
  logLevel: 'warning',
  banner: { js: "import { createRequire as __ozmlCreateRequire } from 'node:module'; const require = __ozmlCreateRequire(import.meta.url);" },
  plugins: [importMetaUrl],
});
const outputs = Object.fromEntries(Object.entries(result.metafile.outputs).map(([file, output]) => [
  path.relative(ROOT, path.resolve(ROOT, file)).split(path.sep).join('/'),
  Object.keys(output.inputs).map((input) => path.relative(ROOT, path.resolve(ROOT, input)).split(path.sep).join('/')),
]));
await writeFile(path.join(OUT, 'meta.json'), `${JSON.stringify(outputs, null, 1)}\n`);
