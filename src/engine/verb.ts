/**
 * What a verb executor is and what it returns. Its own module so that `run.ts` (which holds the
 * executor table) and the executors (which build outcomes) import it, not each other.
 */
import type { DocumentContext, ProgramNode, VerbAttributes, VerbName } from '../language/index.js';
import type { ResolvedValue } from './events.js';
import { NEXT } from './flow.js';
import type { Flow } from './flow.js';
import type { VerbScope } from './runtime.js';

export interface VerbOutcome {
  flow: Flow;
  /** Short description for the verb.finished event (`completed`, `matched 1`, `timeout`, …). */
  result: string;
}

/**
 * The executor of verb `V`. Its attributes come typed by the verb's catalogue entry, defaults
 * applied by the compiler (docs/verbs.md): checking `attributes.context` narrows `values` to the
 * attributes of that context.
 */
export type VerbExecutor<V extends VerbName> = (node: ProgramNode, attributes: VerbAttributes<V>, scope: VerbScope) => Promise<VerbOutcome>;

/** A node's resolved attributes as the runner holds them, before they meet their verb's executor. */
export interface ResolvedAttributes {
  readonly context: DocumentContext;
  readonly values: Readonly<Record<string, ResolvedValue>>;
}

/** An executor looked up by a node's name (the runner's view of the table). */
export type NodeExecutor = (node: ProgramNode, attributes: ResolvedAttributes, scope: VerbScope) => Promise<VerbOutcome>;

export const outcome = (result: string, flow: Flow = NEXT): VerbOutcome => ({ flow, result });

/** Shared by every verb that just completes (outcomes are read, never changed). */
export const COMPLETED: VerbOutcome = Object.freeze({ flow: NEXT, result: 'completed' });
