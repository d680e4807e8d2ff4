#!/usr/bin/env node
// npm run bench:startup — how long `ozml` takes to start and answer, as ratios against baselines
// measured in the same run (wall time of whole processes, median of interleaved runs):
//   ozml --version                                          vs node -e 0         target ≤ 1.2×
//   ozml lint one.xml                                       vs node -e 0         target ≤ 1.5×
//   ozml run --scenario examples/ivr-menu/ivr.scenario.yaml vs node -e 0         target ≤ 2.5×
//   ozml lint <dir> over the 1,000-file corpus (scripts/corpus.js)
//     vs the floor: node + fast-xml-parser's XMLValidator over the same files     target ≤ 1.5×
// The commands of a round run one after the other and the rounds repeat, so drift in machine load
// falls on every command alike. Node's compile cache (Node ≥ 22.1) is left as users get it.
// Prints one JSON line per figure. Not a test: run it on a quiet machine, alone.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { generateCorpus } from './corpus.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/ozml.js');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const CORPUS_ROUNDS = Number(process.env.BENCH_CORPUS_ROUNDS ?? 7);
const DOCUMENTS = 1000;
const FAST_XML_PARSER_URL = import.meta.resolve('fast-xml-parser');

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (n, digits = 2) => Number(n.toFixed(digits));
const print = (figure) => process.stdout.write(`${JSON.stringify({ bench: 'startup', ...figure })}\n`);

if (!existsSync(join(ROOT, 'dist/cli/main.js'))) {
  print({ figure: 'startup', skipped: 'dist/cli/main.js missing (npm run build)' });
  process.exit(1);
}

/** Runs every command once per round; returns the median wall time of each, in ms. */
function measure(commands, rounds) {
  const times = commands.map(() => []);
  for (let round = 0; round < rounds; round++) {
    commands.forEach((c, i) => {
      const start = performance.now();
      const run = spawnSync(c.argv[0], c.argv.slice(1), { cwd: c.cwd ?? ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      times[i].push(performance.now() - start);
      if (run.error || run.status !== (c.status ?? 0)) {
        throw new Error(`${c.name} exited ${run.status} (expected ${c.status ?? 0}): ${run.error?.message ?? run.stderr.slice(0, 1000)}`);
      }
    });
  }
  return times.map(median);
}

print({ figure: 'machine', cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version, loadAverage: round(loadavg()[0], 1) });

const node = process.execPath;
const dir = mkdtempSync(join(tmpdir(), 'ozml-bench-startup-'));
try {
  const one = join(dir, 'one.xml');
  writeFileSync(one, '<Response>\n  <Speak>Thanks for calling.</Speak>\n  <Hangup/>\n</Response>\n');
  const commands = [
    { name: 'node -e 0', argv: [node, '-e', '0'] },
    { name: 'ozml --version', argv: [node, BIN, '--version'], target: 1.2 },
    { name: 'ozml lint one.xml', argv: [node, BIN, 'lint', one], target: 1.5 },
    { name: 'ozml run --scenario examples/ivr-menu/ivr.scenario.yaml', argv: [node, BIN, 'run', '--scenario', 'examples/ivr-menu/ivr.scenario.yaml'], target: 2.5 },
  ];
  const medians = measure(commands, ROUNDS);
  const baseline = medians[0];
  commands.forEach((c, i) => {
    print({
      figure: c.name, runs: ROUNDS, medianMs: round(medians[i], 1),
      ...(i > 0 ? { ratio: round(medians[i] / baseline), target: c.target, pass: medians[i] / baseline <= c.target } : {}),
    });
  });

  const corpusDir = join(dir, 'corpus');
  mkdirSync(corpusDir);
  for (const doc of generateCorpus(DOCUMENTS)) writeFileSync(join(corpusDir, doc.name), doc.text);
  const floorScript = [
    "import { readdirSync, readFileSync } from 'node:fs';",
    `import { XMLValidator } from ${JSON.stringify(FAST_XML_PARSER_URL)};`,
    'let invalid = 0;',
    "for (const name of readdirSync('.')) if (XMLValidator.validate(readFileSync(name, 'utf8'), { allowBooleanAttributes: false }) !== true) invalid++;",
    "if (invalid > 0) { process.stderr.write(`${invalid} invalid documents\\n`); process.exitCode = 1; }",
  ].join('\n');
  const [floorMs, lintMs] = measure([
    { name: 'floor', argv: [node, '--input-type=module', '--eval', floorScript], cwd: corpusDir },
    { name: 'ozml lint (1,000 files)', argv: [node, BIN, 'lint', '.'], cwd: corpusDir },
  ], CORPUS_ROUNDS);
  print({ figure: 'floor: node + fast-xml-parser validate (1,000 files)', runs: CORPUS_ROUNDS, medianMs: round(floorMs, 0) });
  print({ figure: 'ozml lint (1,000 files)', runs: CORPUS_ROUNDS, medianMs: round(lintMs, 0), ratio: round(lintMs / floorMs), target: 1.5, pass: lintMs / floorMs <= 1.5 });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
