/**
 * One XState actor per call session. Entering `running` starts the script; leaving it for any
 * reason (caller hangup, the call-length limit, a stop) aborts the script's signal: every pending
 * media operation, timer and webhook fetch of the script is cancelled at once.
 *
 * The script runs from entry/exit actions rather than as an invoked child actor: a child is a
 * second actor per call, and actor start-up was the largest cost of a short call (bench:calls).
 * The abort reason is a shared frozen object, not a fresh DOMException (its stack capture cost
 * more than the rest of a short call).
 */
import { createActor, setup } from 'xstate';
import { OperationSignal, type AbortSignalLike } from '../calls/abort.js';
import type { Clock, TimerHandle } from '../calls/clock.js';
import type { EndCause } from './events.js';

export interface SessionMachineInput {
  /** Runs the script; rejects only when aborted. */
  run: (signal: AbortSignalLike) => Promise<EndCause>;
  callLimitMs: number;
  /** Times the call-length limit. */
  clock: Clock;
}

/** XState's clock interface (not exported by name from the package root). */
type XStateClock = NonNullable<NonNullable<Parameters<typeof createActor>[1]>['clock']>;

export type SessionMachineEvent =
  | { type: 'HANGUP' }
  | { type: 'STOP' }
  | { type: 'SCRIPT_DONE'; cause: EndCause }
  | { type: 'SCRIPT_FAILED' }
  | { type: 'CALL_LIMIT' };

/** Sent when the call-length limit expires (read only; one for all sessions). */
const CALL_LIMIT: SessionMachineEvent = Object.freeze({ type: 'CALL_LIMIT' });

/** Why a session's script signal aborts; shaped like an AbortError so `isAbortError` knows it. */
export const SESSION_STOPPED: Readonly<{ name: 'AbortError'; message: string }> = Object.freeze({
  name: 'AbortError',
  message: 'the session ended',
});

/** The end cause each event that ends a session stands for. */
function causeOf(event: SessionMachineEvent): EndCause {
  switch (event.type) {
    case 'CALL_LIMIT':
      return 'limit-exceeded';
    case 'SCRIPT_DONE':
      return event.cause;
    case 'SCRIPT_FAILED':
      return 'application-error';
    case 'HANGUP':
      return 'caller-hangup';
    case 'STOP':
      return 'cancelled';
  }
}

interface SessionContext extends SessionMachineInput {
  cause: EndCause;
  /**
   * Aborts the script when the session leaves `running`. An OperationSignal, not an
   * AbortController: an AbortSignal per session cost about 1 KiB per live call and an abort event
   * at its end (bench:calls).
   */
  readonly script: OperationSignal;
  /** The call-length timer while the session is `running`. */
  limit: TimerHandle | undefined;
}

export const sessionMachine = setup({
  types: {
    input: {} as SessionMachineInput,
    context: {} as SessionContext,
    events: {} as SessionMachineEvent,
    output: {} as EndCause,
  },
  actions: {
    startScript: ({ context, self }) => {
      // The outcome arrives as an event unless the session has already ended (it ignores it then).
      const report = (event: SessionMachineEvent): void => {
        if (self.getSnapshot().status === 'active') self.send(event);
      };
      context.run(context.script).then(
        (cause) => report({ type: 'SCRIPT_DONE', cause }),
        () => report({ type: 'SCRIPT_FAILED' }),
      );
    },
    stopScript: ({ context }) => context.script.abort(SESSION_STOPPED),
    // The call-length limit is a plain clock timer rather than an XState `after` transition: XState
    // keeps each delayed event in two objects keyed by a per-actor id (a new hidden class and key
    // string per live call) plus an event and a record (bench:calls, parked heap). Started after
    // the script and cleared after it is stopped, in the order XState's own delay used.
    startLimit: ({ context, self }) => {
      context.limit = context.clock.setTimer(
        context.callLimitMs,
        () => {
          context.limit = undefined;
          if (self.getSnapshot().status === 'active') self.send(CALL_LIMIT);
        },
        'session-limit',
      );
    },
    stopLimit: ({ context }) => {
      context.clock.clearTimer(context.limit);
      context.limit = undefined;
    },
    // Written into the context rather than through `assign`: an assign clones the snapshot and
    // recomputes its state nodes (several Sets and Maps per session; bench:calls). Nothing reads
    // the cause before the output.
    recordCause: ({ context, event }) => {
      context.cause = causeOf(event);
    },
  },
}).createMachine({
  id: 'session',
  context: ({ input }) => ({ ...input, cause: 'normal', script: new OperationSignal(undefined), limit: undefined }),
  initial: 'running',
  states: {
    running: {
      entry: ['startScript', 'startLimit'],
      exit: ['stopScript', 'stopLimit'],
      on: {
        CALL_LIMIT: { target: 'ended', actions: 'recordCause' },
        SCRIPT_DONE: { target: 'ended', actions: 'recordCause' },
        SCRIPT_FAILED: { target: 'ended', actions: 'recordCause' },
        HANGUP: { target: 'ended', actions: 'recordCause' },
        STOP: { target: 'ended', actions: 'recordCause' },
      },
    },
    ended: { type: 'final' },
  },
  output: ({ context }) => context.cause,
});

/** One adapter per clock: it holds no per-session state, and every live actor keeps its own. */
const XSTATE_CLOCKS = new WeakMap<Clock, XStateClock>();

/** XState's clock on the session's clock (virtual time in dry-runs), should a machine ever use delays. */
export function xstateClock(clock: Clock): XStateClock {
  let adapter = XSTATE_CLOCKS.get(clock);
  if (!adapter) {
    adapter = {
      setTimeout: (fn: () => void, ms: number) => clock.setTimer(ms, fn, 'session-limit'),
      clearTimeout: (handle: unknown) => clock.clearTimer(handle as ReturnType<Clock['setTimer']>),
    };
    XSTATE_CLOCKS.set(clock, adapter);
  }
  return adapter;
}
