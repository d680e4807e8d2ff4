/**
 * One XState actor per call session. The script runs as an invoked promise actor; leaving the
 * `running` state for any reason (caller hangup, the call-length limit, a stop) stops that actor,
 * which aborts its signal: every pending media operation, timer and webhook fetch of the script
 * is cancelled at once.
 */
import { assign, createActor, fromPromise, setup } from 'xstate';
import type { Clock } from '../calls/clock.js';
import type { EndCause } from './events.js';

export interface SessionMachineInput {
  /** Runs the script; rejects only when aborted. */
  run: (signal: AbortSignal) => Promise<EndCause>;
  callLimitMs: number;
}

/** XState's clock interface (not exported by name from the package root). */
type XStateClock = NonNullable<NonNullable<Parameters<typeof createActor>[1]>['clock']>;

export type SessionMachineEvent = { type: 'HANGUP' } | { type: 'STOP' };

export const sessionMachine = setup({
  types: {
    input: {} as SessionMachineInput,
    context: {} as SessionMachineInput & { cause: EndCause },
    events: {} as SessionMachineEvent,
    output: {} as EndCause,
  },
  actors: {
    script: fromPromise<EndCause, Pick<SessionMachineInput, 'run'>>(({ input, signal }) => input.run(signal)),
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
        onDone: { target: 'ended', actions: assign({ cause: ({ event }) => event.output }) },
        onError: { target: 'ended', actions: assign({ cause: 'application-error' }) },
      },
      after: { callLimit: { target: 'ended', actions: assign({ cause: 'limit-exceeded' }) } },
      on: {
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
