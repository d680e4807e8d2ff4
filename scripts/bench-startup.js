#!/usr/bin/env node
// npm run bench:startup — how long `ozml` takes to start and answer, as ratios against baselines
// measured in the same run (wall time of whole processes, median of interleaved runs):
//   ozml --version                                          vs node -e 0         target ≤ 1.2×
//   ozml lint one.xml                                       vs node -e 0         target ≤ 1.5×
//   ozml run --scenario examples/ivr-menu/ivr.scenario.yaml vs node -e 0         target ≤ 2.5×
//   ozml lint <dir> over the 1,000-file corpus (scripts/corpus.js)
//     vs the floor: node + fast-xml-parser's XMLValidator over the same files     target ≤ 1.5×
// The commands of a round run one after the other and the rounds repeat, so drift in machine load
// falls on every command alike. Node's compile cache (Node ≥ 22.1) is left as users get it. Where
// GNU time is installed (/usr/bin/time) the CPU time (user + system) of each process is reported
// too: on a shared machine it varies far less than wall time.
// Prints one JSON line per figure. Not a test: run it on a quiet machine, alone.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { generateCorpus } from './corpus.js';
import { figurePrinter, median, round } from './bench-figures.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/ozml.js');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const CORPUS_ROUNDS = Number(process.env.BENCH_CORPUS_ROUNDS ?? 7);
const DOCUMENTS = 1000;
const FAST_XML_PARSER_URL = import.meta.resolve('fast-xml-parser');

const print = figurePrinter('startup');

if (!existsSync(join(ROOT, 'dist/cli/main.js'))) {
  print({ figure: 'startup', skipped: 'dist/cli/main.js missing (npm run build)' });
  process.exit(1);
}

const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Runs every command once per round; returns the median wall and CPU time of each, in ms. */
function measure(commands, rounds) {
  const wall = commands.map(() => []);
  const cpu = commands.map(() => []);
  for (let round = 0; round < rounds; round++) {
    commands.forEach((c, i) => {
      const argv = GNU_TIME ? [GNU_TIME, '-f', '@cpu %U %S', ...c.argv] : c.argv;
      const start = performance.now();
      const run = spawnSync(argv[0], argv.slice(1), { cwd: c.cwd ?? ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      wall[i].push(performance.now() - start);
      if (run.error || run.status !== (c.status ?? 0)) {
        throw new Error(`${c.name} exited ${run.status} (expected ${c.status ?? 0}): ${run.error?.message ?? run.stderr.slice(0, 1000)}`);
      }
      const times = /^@cpu ([\d.]+) ([\d.]+)$/m.exec(run.stderr);
      if (times) cpu[i].push((Number(times[1]) + Number(times[2])) * 1000);
    });
  }
  return commands.map((_c, i) => ({ wall: median(wall[i]), cpu: cpu[i].length > 0 ? median(cpu[i]) : undefined }));
}

/** Wall-time ratio (the target's), and the CPU-time ratio when measured. */
function ratios(m, base, target) {
  const ratio = m.wall / base.wall;
  return {
    medianMs: round(m.wall, 1), ratio: round(ratio),
    ...(m.cpu !== undefined && base.cpu !== undefined ? { cpuMs: round(m.cpu, 0), cpuRatio: round(m.cpu / base.cpu) } : {}),
    target, pass: ratio <= target,
  };
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
  print({ figure: commands[0].name, runs: ROUNDS, medianMs: round(baseline.wall, 1), ...(baseline.cpu !== undefined ? { cpuMs: round(baseline.cpu, 0) } : {}) });
  commands.slice(1).forEach((c, i) => print({ figure: c.name, runs: ROUNDS, ...ratios(medians[i + 1], baseline, c.target) }));

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
  const [floor, lint] = measure([
    { name: 'floor', argv: [node, '--input-type=module', '--eval', floorScript], cwd: corpusDir },
    { name: 'ozml lint (1,000 files)', argv: [node, BIN, 'lint', '.'], cwd: corpusDir },
  ], CORPUS_ROUNDS);
  print({ figure: 'floor: node + fast-xml-parser validate (1,000 files)', runs: CORPUS_ROUNDS, medianMs: round(floor.wall, 0), ...(floor.cpu !== undefined ? { cpuMs: round(floor.cpu, 0) } : {}) });
  print({ figure: 'ozml lint (1,000 files)', runs: CORPUS_ROUNDS, ...ratios(lint, floor, 1.5) });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
