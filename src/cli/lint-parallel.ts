/**
 * Lints many files on several threads: the main thread and `threads - 1` workers claim files from
 * one shared counter (Atomics), so a fast thread simply takes more, and a worker still starting up
 * when the files run out takes none. Results come back as plain data and are placed by input index,
 * so the caller's output is byte-for-byte that of a single-threaded run.
 */
import { Worker } from 'node:worker_threads';
import { lintFile } from './lint-file.js';
import type { LintFileJob, LintOutcome, LintSettings } from './lint-file.js';

export interface LintWorkerData {
  jobs: readonly LintFileJob[];
  settings: LintSettings;
  /** One Int32: the index of the next file nobody has claimed. */
  next: SharedArrayBuffer;
}

/** What a worker posts, once: the files it claimed. */
export type LintWorkerResults = Array<[index: number, outcome: LintOutcome]>;

const WORKER_URL = new URL('./lint-worker.js', import.meta.url);

export interface ParallelOptions {
  /** The main thread lints too (default). Tests turn it off so that every file goes through a worker. */
  mainThread?: boolean;
}

/**
 * Lints on `threads` threads: the main thread and `threads - 1` workers (or `threads` workers with
 * `mainThread: false`). Resolves to one outcome per job, in job order; rejects when a worker fails.
 */
export async function lintInParallel(
  jobs: readonly LintFileJob[],
  settings: LintSettings,
  threads: number,
  options: ParallelOptions = {},
): Promise<LintOutcome[]> {
  const mainThread = options.mainThread ?? true;
  const next = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const counter = new Int32Array(next);
  const data: LintWorkerData = { jobs, settings, next };
  const outcomes = new Array<LintOutcome | undefined>(jobs.length);
  let missing = jobs.length;
  let settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
  let failure: Error | undefined;
  const fail = (error: Error): void => {
    failure ??= error;
    settle?.reject(failure);
  };

  const workerCount = mainThread ? threads - 1 : Math.max(1, threads);
  const workers = Array.from({ length: workerCount }, () => new Worker(WORKER_URL, { workerData: data }));
  let running = workers.length;
  for (const worker of workers) {
    worker.on('message', (results: LintWorkerResults) => {
      for (const [index, outcome] of results) outcomes[index] = outcome;
      missing -= results.length;
      if (missing === 0) settle?.resolve();
    });
    worker.on('error', (error) => fail(new Error(`lint worker failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`)));
    worker.on('exit', (code) => {
      running--;
      // A worker's messages arrive before its 'exit'; ending with files unaccounted for is a failure.
      if (running === 0 && missing > 0) fail(new Error(`lint workers exited (last with code ${code}) before linting every file`));
    });
  }

  try {
    // The main thread works too; the workers' events wait until it runs out of files.
    for (let index = mainThread ? Atomics.add(counter, 0, 1) : jobs.length; index < jobs.length; index = Atomics.add(counter, 0, 1)) {
      outcomes[index] = lintFile(jobs[index]!, settings);
      missing--;
    }
    if (missing > 0) {
      await new Promise<void>((resolve, reject) => {
        settle = { resolve, reject };
        if (failure) reject(failure);
      });
    }
  } finally {
    // Every claimed file is done; workers still starting up have nothing left to do.
    for (const worker of workers) worker.removeAllListeners('exit');
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return outcomes as LintOutcome[];
}
