/**
 * One scenario as a test: load it, run it, check its expectations and its golden NDJSON file. Used
 * by `ozml test` for every scenario it finds and by `ozml run --scenario` for one.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../config/index.js';
import { evaluate } from './expect/evaluate.js';
import type { ExpectationResult } from './expect/evaluate.js';
import { formatNdjson } from './format/ndjson.js';
import { runScenario, ScriptError } from './runner.js';
import type { RunOptions, RunResult } from './runner.js';
import { loadScenario, ScenarioError } from './scenario/load.js';
import type { Scenario } from './scenario/types.js';

export interface GoldenResult {
  /** Path as shown (relative to the working directory). */
  file: string;
  status: 'match' | 'mismatch' | 'missing' | 'updated';
  explanation: string[];
}

export interface ScenarioReport {
  /** The scenario file as shown. */
  file: string;
  name: string;
  scenario?: Scenario;
  run?: RunResult;
  results: ExpectationResult[];
  golden?: GoldenResult;
  /** The scenario could not be used or run (exit code 2): invalid, unreadable, bad config. */
  error?: string[];
  passed: boolean;
}

export interface CheckOptions extends RunOptions {
  /** Rewrite golden files instead of comparing. */
  update?: boolean;
  /** Check the golden file (ozml test does; ozml run does not). Default true. */
  golden?: boolean;
  /** Shown paths are relative to this directory (default: the working directory). */
  cwd?: string;
}

/** Problems that mean "this scenario cannot be used" (exit code 2), as lines to print. */
export function usageProblems(error: unknown): string[] | undefined {
  if (error instanceof ScenarioError) return [...error.problems];
  if (error instanceof ConfigError) return error.message.split('\n');
  return undefined;
}

/** `file` as reports show it: relative to `options.cwd` (path.relative resolves both sides). */
function shownPath(file: string, options: CheckOptions): string {
  return path.relative(options.cwd ?? process.cwd(), file) || file;
}

export async function checkScenarioFile(file: string, options: CheckOptions = {}): Promise<ScenarioReport> {
  const shown = shownPath(file, options);
  let scenario: Scenario;
  try {
    scenario = loadScenario(file, shown);
  } catch (error) {
    const problems = usageProblems(error);
    if (!problems) throw error;
    return { file: shown, name: path.basename(file), results: [], error: problems, passed: false };
  }
  return checkScenario(scenario, shown, options);
}

export async function checkScenario(scenario: Scenario, shown: string, options: CheckOptions = {}): Promise<ScenarioReport> {
  let run: RunResult;
  try {
    run = await runScenario(scenario, options);
  } catch (error) {
    const problems = usageProblems(error);
    if (problems) return { file: shown, name: scenario.name, scenario, results: [], error: problems, passed: false };
    if (error instanceof ScriptError) {
      const results: ExpectationResult[] = [{
        group: 'run', description: 'the script compiles', passed: false,
        explanation: [error.message, ...error.diagnostics.map((d) => `${d.range.line}:${d.range.column} ${d.rule}: ${d.message}`)],
      }];
      return { file: shown, name: scenario.name, scenario, results, passed: false };
    }
    throw error;
  }
  const results = evaluate(scenario.expect, run.events);
  const golden = scenario.golden && options.golden !== false
    ? await checkGolden(scenario.golden, formatNdjson(run.events), options)
    : undefined;
  const passed = results.every((r) => r.passed) && (golden === undefined || golden.status === 'match' || golden.status === 'updated');
  return { file: shown, name: scenario.name, scenario, run, results, ...(golden ? { golden } : {}), passed };
}

async function checkGolden(file: string, actual: string, options: CheckOptions): Promise<GoldenResult> {
  const shown = shownPath(file, options);
  const expected = await readFile(file, 'utf8').catch(() => undefined);
  if (expected === actual) return { file: shown, status: 'match', explanation: [] };
  if (options.update) {
    await writeFile(file, actual, 'utf8');
    return { file: shown, status: 'updated', explanation: [`wrote ${shown}`] };
  }
  if (expected === undefined) {
    return { file: shown, status: 'missing', explanation: [`the golden file ${shown} does not exist; create it with ozml test --update`] };
  }
  return { file: shown, status: 'mismatch', explanation: describeDifference(shown, expected, actual) };
}

/** The first line that differs, both ways round. */
function describeDifference(shown: string, expected: string, actual: string): string[] {
  const a = expected.split('\n');
  const b = actual.split('\n');
  let line = 0;
  while (line < a.length && line < b.length && a[line] === b[line]) line++;
  const clip = (s: string | undefined): string => (s === undefined ? '(end of file)' : s.length > 200 ? `${s.slice(0, 199)}…` : s);
  return [
    `the events differ from ${shown} at line ${line + 1} (ozml test --update rewrites it):`,
    `  expected: ${clip(a[line])}`,
    `  actual:   ${clip(b[line])}`,
  ];
}
