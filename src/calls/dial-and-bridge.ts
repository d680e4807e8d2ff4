/**
 * The one dial-and-bridge flow of the call layer (docs/calls.md, "When the switch fails"). A
 * blind transfer, a transfer to an inbound service and a single-step conference run a
 * `TransferAttempt`: dial the target while the caller hears ringback, then bridge the two. The
 * two-step transfer, the conference and the third-party join bridge with the same policy
 * (`bridgeFailure`, `partyGone`). So a failed dial, a caller who hangs up, a timeout or a bridge
 * the switch refuses end every transfer the same way.
 *
 * The steps hand back the switch's promise and let the transfer `await` it itself: an extra
 * async layer around a dial or a bridge would move the events that follow it behind the far
 * end's (a service script answering on a loopback leg runs in the same turns).
 */
import type { AbortSignalLike } from './abort.js';
import type { CallContext } from './context.js';
import type { TransferKind } from './events.js';
import { dialOutcome, startBackgroundTone, startDial, waitForLegs, type DialPlan } from './leg-ops.js';
import type { Leg } from './leg.js';
import type { TimerHandle } from './clock.js';
import { toSwitchError } from './switch-error.js';
import type { ToneDefinition } from './tones.js';
import { reportEnd, reportStart, type TransferResult } from './transfer-common.js';
import { causeOfUnansweredTarget, hungUpByCaller, type TransferCause } from './transfer-causes.js';

/** A party that hung up while the bridge was set up fails the transfer. */
export function partyGone(caller: Leg, target: Leg): 'caller-hangup' | 'target-hangup' | undefined {
  if (caller.state === 'Released') return 'caller-hangup';
  if (target.state === 'Released') return 'target-hangup';
  return undefined;
}

/**
 * The cause of a transfer whose bridge (or a switch step before it) the switch refused: the
 * party that left meanwhile, else `failed` with a `switch.error` event naming the operation, leg
 * and kind. Nothing is released here: what happens to the legs is the caller's decision.
 */
export function bridgeFailure(ctx: CallContext, caller: Leg, target: Leg, error: unknown): TransferCause {
  const gone = partyGone(caller, target);
  if (gone) return gone;
  ctx.reportSwitchError(toSwitchError('bridge', caller.id, error));
  return 'failed';
}

export interface TargetDialOptions {
  /** Heard by the caller while the target rings, until the bridge or the end of the attempt. */
  ringback?: { readonly name: string; readonly tone: ToneDefinition | undefined };
  /** The target must answer within this time, else it is released and the attempt ends `timeout`. */
  answerLimit?: { readonly ms: number; readonly label: string };
  signal?: AbortSignalLike | undefined;
}

/**
 * One attempt to connect `caller` to a new target leg, framed by `transfer.started` and
 * `transfer.ended` on the caller:
 *
 * ```ts
 * attempt.start();
 * let outcome; try { outcome = await attempt.dial(plan, options) } catch (e) { attempt.aborted(); throw e }
 * const ended = attempt.dialled(outcome); if (ended) return ended;
 * try { await attempt.bridge() } catch (e) { return attempt.bridgeRefused(e) }
 * const gone = attempt.bridged(); if (gone) return gone;
 * ```
 */
export class TransferAttempt {
  #stopRingback: () => void = () => {};
  #limit: TimerHandle | undefined = undefined;
  #timedOut = false;

  constructor(
    readonly ctx: CallContext,
    readonly caller: Leg,
    readonly kind: TransferKind,
    readonly target: string,
    readonly targetLeg: Leg,
  ) {}

  start(): void {
    reportStart(this.ctx, this.caller, this.kind, this.target, this.targetLeg.id);
  }

  /** Stops the ringback and reports the end. */
  end(cause: TransferCause): TransferResult {
    this.stopRingback();
    return reportEnd(this.ctx, this.caller, this.kind, this.target, cause, this.targetLeg.id);
  }

  stopRingback(): void {
    this.#stopRingback();
  }

  /**
   * Dials the target (ringback to the caller, the answer limit armed). Resolves with `answered`,
   * `caller-hangup`, or the release cause of the target; rejects with the abort reason.
   */
  dial(plan: DialPlan, options: TargetDialOptions = {}): Promise<string> {
    const { ctx, caller, targetLeg } = this;
    startDial(ctx, targetLeg, plan);
    if (options.ringback) this.#stopRingback = startBackgroundTone(ctx, caller, options.ringback.name, options.ringback.tone);
    const limit = options.answerLimit;
    if (limit) {
      this.#limit = ctx.clock.setTimer(limit.ms, () => {
        this.#timedOut = true;
        ctx.release(targetLeg, 'cancelled', 'local');
      }, limit.label);
    }
    return waitForLegs([caller, targetLeg], () => (caller.state === 'Released' ? 'caller-hangup' : dialOutcome(targetLeg)), options.signal);
  }

  /**
   * The dial was aborted: the target is cancelled and the attempt ends, `caller-hangup` when the
   * caller's hang-up stopped it (the executor's session stops first), else `cancelled`.
   */
  aborted(): void {
    this.#clearLimit();
    this.ctx.release(this.targetLeg, 'cancelled', 'local');
    this.end(hungUpByCaller(this.caller) ? 'caller-hangup' : 'cancelled');
  }

  /**
   * Undefined when the target answered and the attempt goes on; otherwise the ended result: the
   * caller hung up (the target is cancelled), the answer limit passed (`timeout`), or the target
   * ended unanswered (its cause).
   */
  dialled(outcome: string): TransferResult | undefined {
    this.#clearLimit();
    if (outcome === 'caller-hangup') {
      this.ctx.release(this.targetLeg, 'cancelled', 'local');
      return this.end('caller-hangup');
    }
    if (this.#timedOut) return this.end('timeout');
    if (outcome !== 'answered') return this.end(causeOfUnansweredTarget(outcome));
    return undefined;
  }

  /** Stops the ringback and asks the switch to bridge the caller and the answered target. */
  bridge(): Promise<void> {
    this.stopRingback();
    return this.ctx.sw.bridge(this.caller.id, this.targetLeg.id);
  }

  /** The switch refused the bridge: the target is released (`failed`) and the attempt ends `failed` (or with the party that left). */
  bridgeRefused(error: unknown): TransferResult {
    const cause = bridgeFailure(this.ctx, this.caller, this.targetLeg, error);
    if (cause === 'failed') this.ctx.release(this.targetLeg, 'failed', 'local');
    return this.#gone(cause);
  }

  /** After the bridge: undefined when both parties are still there, else the ended result. */
  bridged(): TransferResult | undefined {
    const gone = partyGone(this.caller, this.targetLeg);
    return gone ? this.#gone(gone) : undefined;
  }

  #gone(cause: TransferCause): TransferResult {
    // The caller left while the switch connected them: the target has nobody to talk to.
    if (cause === 'caller-hangup') this.ctx.release(this.targetLeg, 'normal', 'local');
    return this.end(cause);
  }

  #clearLimit(): void {
    this.ctx.clock.clearTimer(this.#limit);
    this.#limit = undefined;
  }
}
