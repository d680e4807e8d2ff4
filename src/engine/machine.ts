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
import { assign, createActor, setup } from 'xstate';
import type { Clock } from '../calls/clock.js';
import type { EndCause } from './events.js';

export interface SessionMachineInput {
  /** Runs the script; rejects only when aborted. */
  run: (signal: AbortSignal) => Promise<EndCause>;
  callLimitMs: number;
}

/** XState's clock interface (not exported by name from the package root). */
type XStateClock = NonNullable<NonNullable<Parameters<typeof createActor>[1]>['clock']>;

export type SessionMachineEvent =
  | { type: 'HANGUP' }
  | { type: 'STOP' }
  | { type: 'SCRIPT_DONE'; cause: EndCause }
  | { type: 'SCRIPT_FAILED' };

/** Why a session's script signal aborts; shaped like an AbortError so `isAbortError` knows it. */
export const SESSION_STOPPED: Readonly<{ name: 'AbortError'; message: string }> = Object.freeze({
  name: 'AbortError',
  message: 'the session ended',
});

interface SessionContext extends SessionMachineInput {
  cause: EndCause;
  /** Aborts the script when the session leaves `running`. */
  readonly script: AbortController;
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
      context.run(context.script.signal).then(
        (cause) => report({ type: 'SCRIPT_DONE', cause }),
        () => report({ type: 'SCRIPT_FAILED' }),
      );
    },
    stopScript: ({ context }) => context.script.abort(SESSION_STOPPED),
  },
  delays: {
    callLimit: ({ context }) => context.callLimitMs,
  },
}).createMachine({
  id: 'session',
  context: ({ input }) => ({ ...input, cause: 'normal', script: new AbortController() }),
  initial: 'running',
  states: {
    running: {
      entry: 'startScript',
      exit: 'stopScript',
      after: { callLimit: { target: 'ended', actions: assign({ cause: 'limit-exceeded' }) } },
      on: {
        SCRIPT_DONE: { target: 'ended', actions: assign({ cause: ({ event }) => event.cause }) },
        SCRIPT_FAILED: { target: 'ended', actions: assign({ cause: 'application-error' }) },
        HANGUP: { target: 'ended', actions: assign({ cause: 'caller-hangup' }) },
        STOP: { target: 'ended', actions: assign({ cause: 'cancelled' }) },
      },
    },
    ended: { type: 'final' },
  },
  output: ({ context }) => context.cause,
});

/** XState's delayed transitions on the session's clock (virtual time in dry-runs). */
export function xstateClock(clock: Clock): XStateClock {
  return {
    setTimeout: (fn: () => void, ms: number) => clock.setTimer(ms, fn, 'session-limit'),
    clearTimeout: (handle: unknown) => clock.clearTimer(handle as ReturnType<Clock['setTimer']>),
  };
}
