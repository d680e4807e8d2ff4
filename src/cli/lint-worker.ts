/**
 * A lint worker thread (started by lint-parallel.ts): claims files from the shared counter until
 * none are left, lints each like the main thread does, and posts `[index, outcome]` pairs once.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { enableCompileCache } from './compile-cache.js';
import type { LintWorkerData, LintWorkerResults } from './lint-parallel.js';

// Before the language core is imported, so it can come from Node's compile cache (Node ≥ 22.1).
enableCompileCache();
const { lintFile } = await import('./lint-file.js');

const { jobs, settings, next } = workerData as LintWorkerData;
const counter = new Int32Array(next);
const results: LintWorkerResults = [];
for (let index = Atomics.add(counter, 0, 1); index < jobs.length; index = Atomics.add(counter, 0, 1)) {
  results.push([index, lintFile(jobs[index]!, settings)]);
}
parentPort!.postMessage(results);
