/**
 * What a verb executor is and what it returns. Its own module so that `run.ts` (which holds the
 * executor table) and the executors (which build outcomes) import it, not each other.
 */
import type { ProgramNode } from '../language/index.js';
import { NEXT } from './flow.js';
import type { Flow } from './flow.js';
import type { Attributes } from './resolve.js';
import type { VerbScope } from './runtime.js';

export interface VerbOutcome {
  flow: Flow;
  /** Short description for the verb.finished event (`completed`, `matched 1`, `timeout`, …). */
  result: string;
}

export type VerbExecutor = (node: ProgramNode, attributes: Attributes, scope: VerbScope) => Promise<VerbOutcome>;

export const outcome = (result: string, flow: Flow = NEXT): VerbOutcome => ({ flow, result });

/** Shared by every verb that just completes (outcomes are read, never changed). */
export const COMPLETED: VerbOutcome = Object.freeze({ flow: NEXT, result: 'completed' });
