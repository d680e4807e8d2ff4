/**
 * One XState actor per call session. The script runs as an invoked child actor; leaving the
 * `running` state for any reason (caller hangup, the call-length limit, a stop) stops that actor,
 * which aborts its signal: every pending media operation, timer and webhook fetch of the script
 * is cancelled at once.
 *
 * The child is a callback actor rather than `fromPromise` so that the abort reason is a shared
 * frozen object: `fromPromise` aborts with a fresh DOMException, whose stack capture cost more
 * than the rest of a short call (bench:calls).
 */
import { assign, createActor, fromCallback, setup } from 'xstate';
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

export const sessionMachine = setup({
  types: {
    input: {} as SessionMachineInput,
    context: {} as SessionMachineInput & { cause: EndCause },
    events: {} as SessionMachineEvent,
    output: {} as EndCause,
  },
  actors: {
    script: fromCallback<SessionMachineEvent, Pick<SessionMachineInput, 'run'>>(({ input, sendBack }) => {
      const controller = new AbortController();
      input.run(controller.signal).then(
        (cause) => sendBack({ type: 'SCRIPT_DONE', cause }),
        () => sendBack({ type: 'SCRIPT_FAILED' }),
      );
      return () => controller.abort(SESSION_STOPPED);
    }),
  },
  delays: {
    callLimit: ({ context }) => context.callLimitMs,
  },
}).createMachine({
  id: 'session',
  context: ({ input }) => ({ ...input, cause: 'normal' }),
  initial: 'running',
  states: {
    running: {
      invoke: {
        src: 'script',
        input: ({ context }) => ({ run: context.run }),
      },
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
