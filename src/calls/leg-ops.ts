/**
 * Building blocks shared by the channel operations: state checks with typed errors, running an
 * abortable operation, waiting on legs, dialling, hold/retrieve and background tones.
 */
import { ONCE, OperationSignal, type AbortSignalLike } from './abort.js';
import type { Operation } from './capabilities.js';
import type { CallContext } from './context.js';
import type { Diversion } from './diversion.js';
import { HangupError, InvalidOptionError, InvalidStateError } from './errors.js';
import type { Leg, RunningOperation } from './leg.js';
import type { CallType } from './leg-states.js';
import { toSwitchError, type SwitchOperation } from './switch-error.js';
import type { ToneDefinition } from './tones.js';

/** The typed error for `operation` on `leg` in its current state. */
export function stateError(leg: Leg, operation: string, detail?: string): HangupError | InvalidStateError {
  if (leg.state === 'Idle' || leg.state === 'Released') {
    return new HangupError(leg.id, operation, leg.state, leg.releaseCause);
  }
  return new InvalidStateError(leg.id, operation, leg.state, detail);
}

/** Throws `HangupError` / `InvalidStateError` unless `operation` works on `leg` now. */
export function assertCan(leg: Leg, operation: Operation): void {
  if (!leg.allows(operation)) throw stateError(leg, operation);
}

/**
 * Abort reason once an operation is over (its switch listeners let go). Shared and frozen: a new
 * DOMException per operation cost more than the operation itself (stack capture; bench:calls).
 */
const OPERATION_ENDED: Readonly<{ name: 'AbortError'; message: string }> = Object.freeze({
  name: 'AbortError',
  message: 'The operation ended',
});

/**
 * A running operation is its own signal (linked to the caller's) and controller: one object per
 * operation, and no AbortSignal (bench:calls).
 */
export class RunningAbort extends OperationSignal implements RunningOperation {
  nextRunning: RunningOperation | undefined = undefined;

  constructor(
    parent: AbortSignalLike | undefined,
    readonly operation: Operation,
    readonly keepOnRelease: boolean,
  ) {
    super(parent);
  }
}

/**
 * Runs `body` as `operation` on `leg`: checks the state, links the caller's signal, and registers
 * the operation so the leg stops it (with a typed error as the abort reason) as soon as the
 * operation stops being allowed — on hangup, hold, a transfer, a bridge. When the operation ends,
 * the signal `body` got also aborts if anything still listens to it (a switch), so it lets go.
 */
export async function runOperation<T>(
  leg: Leg,
  operation: Operation,
  signal: AbortSignalLike | undefined,
  body: (signal: AbortSignalLike) => Promise<T>,
  keepOnRelease = false,
): Promise<T> {
  const running = beginOperation(leg, operation, signal, keepOnRelease);
  try {
    return await body(running);
  } finally {
    endOperation(leg, running);
  }
}

/**
 * The first half of `runOperation`, for operations that inline their body (media): checks the
 * state and the caller's signal, and registers the running operation on the leg.
 */
export function beginOperation(leg: Leg, operation: Operation, signal: AbortSignalLike | undefined, keepOnRelease = false): RunningAbort {
  assertCan(leg, operation);
  signal?.throwIfAborted();
  const running = new RunningAbort(signal, operation, keepOnRelease);
  // Appended: the leg stops its operations in the order they started.
  let last = leg.running;
  if (!last) leg.running = running;
  else {
    while (last.nextRunning) last = last.nextRunning;
    last.nextRunning = running;
  }
  return running;
}

/** The second half of `runOperation`: unlinks the operation and lets a switch still listening go. */
export function endOperation(leg: Leg, running: RunningAbort): void {
  running.dispose();
  // A signal nothing listens to any more is simply dropped.
  if (!running.aborted && running.listened) running.abort(OPERATION_ENDED);
  if (leg.running === running) leg.running = running.nextRunning;
  else {
    for (let op = leg.running; op; op = op.nextRunning) {
      if (op.nextRunning !== running) continue;
      op.nextRunning = running.nextRunning;
      break;
    }
  }
  running.nextRunning = undefined;
}

/**
 * Resolves with the first defined value of `check`, evaluated now and after every event of any of
 * `legs`. Rejects with `signal.reason` when `signal` aborts.
 */
export function waitForLegs<T>(legs: readonly Leg[], check: () => T | undefined, signal?: AbortSignalLike): Promise<T> {
  const now = check();
  if (now !== undefined) return Promise.resolve(now);
  return new Promise<T>((resolve, reject) => {
    const cleanup = (): void => {
      for (const leg of legs) {
        leg.listeners?.delete(listener);
        if (leg.listeners?.size === 0) leg.listeners = undefined;
      }
      signal?.removeEventListener('abort', onAbort);
    };
    const listener = (): void => {
      const value = check();
      if (value === undefined) return;
      cleanup();
      resolve(value);
    };
    const onAbort = (): void => {
      cleanup();
      reject(signal?.reason);
    };
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    for (const leg of legs) (leg.listeners ??= new Set()).add(listener);
    signal?.addEventListener('abort', onAbort, ONCE);
  });
}

/** `answered` once the leg has been answered, else its release cause once it ends. */
export function dialOutcome(leg: Leg): string | undefined {
  if (leg.answeredAt !== undefined) return 'answered';
  if (leg.state === 'Released') return leg.releaseCause ?? 'failed';
  return undefined;
}

export interface DialPlan {
  to: string;
  from: string;
  privacy: boolean;
  /** Undefined: none (the switch request then carries no `displayName`). */
  displayName?: string | undefined;
  diversions: readonly Diversion[];
  callType: CallType;
  parentCallId?: string;
  /** Ring timeout; the leg is released with `no-answer` when it expires. */
  ringTimeoutMs?: number;
}

/**
 * The handler for a switch operation nobody awaits (a BYE, an unbridge, a background hold): its
 * failure is published as a `switch.error` event (docs/calls.md, "When the switch fails").
 */
export function reportFailureOf(ctx: CallContext, operation: SwitchOperation, legId: string): (error: unknown) => void {
  return (error) => ctx.reportSwitchError(toSwitchError(operation, legId, error));
}

/**
 * Puts an Idle leg into Dialing and asks the switch to originate it. A failed originate releases
 * the leg (`failed`) and is reported as a `switch.error` event; whoever waits on the leg sees it end.
 */
export function startDial(ctx: CallContext, leg: Leg, plan: DialPlan): void {
  leg.callType = plan.callType;
  leg.direction = 'outbound';
  leg.parentCallId = plan.parentCallId;
  leg.caller = plan.from;
  leg.callee = plan.to;
  leg.displayName = plan.displayName;
  leg.privacy = plan.privacy;
  leg.diversions = plan.diversions;
  ctx.register(leg);
  ctx.emitCreated(leg);
  ctx.transition(leg, { type: 'DIAL' });
  if (plan.ringTimeoutMs !== undefined) {
    leg.ringDeadline = ctx.clock.now() + plan.ringTimeoutMs;
    leg.ringTimer = ctx.clock.setTimer(
      plan.ringTimeoutMs,
      () => {
        leg.ringTimer = undefined;
        ctx.release(leg, 'no-answer', 'local');
      },
      `ring-timeout ${leg.id}`,
    );
  }
  const request = {
    legId: leg.id,
    to: plan.to,
    from: plan.from,
    privacy: plan.privacy,
    diversions: plan.diversions,
    ...(plan.displayName === undefined ? {} : { displayName: plan.displayName }),
  };
  ctx.sw.originate(request).catch((error: unknown) => {
    ctx.reportSwitchError(toSwitchError('originate', leg.id, error));
    ctx.release(leg, 'failed', 'local');
  });
}

/** Established → Held, with hold music from the switch. A refused hold is undone and rejects with `SwitchError`. */
export async function holdLeg(ctx: CallContext, leg: Leg, music: string | undefined): Promise<void> {
  ctx.transition(leg, { type: 'HOLD' });
  try {
    await ctx.sw.hold(leg.id, music === undefined ? {} : { music });
  } catch (error) {
    if (leg.state === 'Held') ctx.transition(leg, { type: 'RETRIEVE' });
    throw toSwitchError('hold', leg.id, error);
  }
}

/** Held → Established. A refused retrieve leaves the leg Held and rejects with `SwitchError`. */
export async function retrieveLeg(ctx: CallContext, leg: Leg): Promise<void> {
  ctx.transition(leg, { type: 'RETRIEVE' });
  try {
    await ctx.sw.retrieve(leg.id);
  } catch (error) {
    if (leg.state === 'Established') ctx.transition(leg, { type: 'HOLD' });
    throw toSwitchError('retrieve', leg.id, error);
  }
}

/** Resolves a tone name against the catalogue; `none` and undefined mean no tone. */
export function resolveTone(ctx: CallContext, option: string, name: string | undefined): ToneDefinition | undefined {
  if (name === undefined || name.toLowerCase() === 'none') return undefined;
  const tone = ctx.config.tones[name.toLowerCase()];
  if (!tone) throw new InvalidOptionError(option, name, `${option}: unknown tone "${name}"`);
  return tone;
}

/**
 * Plays a tone on `leg` in the background (ringback while a target rings). Returns the function
 * that stops it; stopping twice is harmless. A tone the switch fails to play ends `interrupted`
 * and is reported as a `switch.error` event.
 */
export function startBackgroundTone(ctx: CallContext, leg: Leg, name: string, tone: ToneDefinition | undefined): () => void {
  if (!tone) return () => {};
  const controller = new AbortController();
  ctx.emit(leg, { type: 'media.started', time: ctx.clock.now(), legId: leg.id, media: 'tone', source: name });
  let ended = false;
  const end = (endedBy: 'completed' | 'interrupted' | 'hangup'): void => {
    if (ended) return;
    ended = true;
    ctx.emit(leg, { type: 'media.ended', time: ctx.clock.now(), legId: leg.id, media: 'tone', source: name, endedBy });
  };
  ctx.sw.playTone(leg.id, { name, definition: tone }, { signal: controller.signal }).then(
    (outcome) => end(outcome),
    (error: unknown) => {
      // Stopping the tone aborts it: that is its normal end, not a failure.
      if (controller.signal.aborted) return;
      end('interrupted');
      ctx.reportSwitchError(toSwitchError('playTone', leg.id, error));
    },
  );
  return () => {
    if (ended) return;
    end('interrupted');
    controller.abort();
  };
}
