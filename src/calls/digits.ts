/** Collecting DTMF digits with barge-in over prompts (docs/engine.md, UserInput). */
import { ONCE, OperationSignal, type AbortSignalLike } from './abort.js';
import type { TimerHandle } from './clock.js';
import type { CallContext } from './context.js';
import { InvalidOptionError, InvalidStateError } from './errors.js';
import type { DigitsEnd } from './events.js';
import { runOperation } from './leg-ops.js';
import type { Leg } from './leg.js';
import type { OperationOptions } from './media.js';

export interface CollectDigitsOptions extends OperationOptions {
  /** Fewest digits for a complete entry (default 1). */
  min?: number;
  /** Collection ends as soon as this many digits are in (default: unlimited). */
  max?: number;
  /** Exactly this many digits: ends at N and overrides min/max. */
  exact?: number;
  /** Ends the entry early and is not part of it; `null` disables it. Default `#`. */
  terminator?: string | null;
  /** Seconds to wait for the first digit, counted from the end of the prompts. Default 5. */
  firstDigitTimeoutSeconds?: number;
  /** Seconds to wait after each digit. Default: `firstDigitTimeoutSeconds`. */
  interDigitTimeoutSeconds?: number;
  /**
   * Plays the prompts while digits are collected. The signal it receives aborts on the first
   * digit (barge-in); the first-digit timeout starts when the returned promise settles.
   */
  interruptPrompts?: (signal: AbortSignalLike) => Promise<unknown>;
}

export interface DigitsResult {
  digits: string;
  endedBy: DigitsEnd;
  /** The entry has the required length (`exact`, or between `min` and `max`). */
  complete: boolean;
}

/** Abort reason of the prompts when the caller barges in. */
const BARGE_IN = Object.freeze({ name: 'BargeIn' });
const DIGIT = /^[0-9*#A-D]$/;

function count(option: string, value: number | undefined, least: number): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= least)) {
    throw new InvalidOptionError(option, value, `${option} must be an integer ≥ ${least}`);
  }
}

function seconds(option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback * 1000;
  if (!(value > 0)) throw new InvalidOptionError(option, value, `${option} must be a positive number of seconds`);
  return value * 1000;
}

export async function collectDigits(ctx: CallContext, leg: Leg, options: CollectDigitsOptions = {}): Promise<DigitsResult> {
  count('exact', options.exact, 1);
  count('min', options.min, 0);
  count('max', options.max, 1);
  const min = options.exact ?? options.min ?? 1;
  const max = options.exact ?? options.max ?? Infinity;
  if (max < min) throw new InvalidOptionError('max', options.max, 'max must not be below min');
  const terminator = options.terminator === undefined ? '#' : options.terminator;
  if (terminator !== null && !DIGIT.test(terminator)) {
    throw new InvalidOptionError('terminator', terminator, 'terminator must be one DTMF digit or null');
  }
  const firstMs = seconds('firstDigitTimeoutSeconds', options.firstDigitTimeoutSeconds, 5);
  const interMs = seconds('interDigitTimeoutSeconds', options.interDigitTimeoutSeconds, firstMs / 1000);
  const playPrompts = options.interruptPrompts;

  return runOperation(leg, 'collectDigits', options.signal, (signal) => {
    if (leg.digitSink) throw new InvalidStateError(leg.id, 'collectDigits', leg.state, 'digits are already being collected');
    const clock = ctx.clock;
    return new Promise<DigitsResult>((resolve, reject) => {
      let digits = '';
      let done = false;
      let timer: TimerHandle | undefined;
      const prompts = playPrompts ? new OperationSignal(signal) : undefined;

      const cleanup = (): void => {
        done = true;
        clock.clearTimer(timer);
        if (leg.digitSink === onDigit) leg.digitSink = undefined;
        signal.removeEventListener('abort', onAbort);
        if (prompts && !prompts.aborted) prompts.abort(BARGE_IN);
        prompts?.dispose();
      };
      const finish = (endedBy: DigitsEnd): void => {
        if (done) return;
        cleanup();
        ctx.emit(leg, { type: 'digits.collected', time: clock.now(), legId: leg.id, digits, endedBy });
        resolve({ digits, endedBy, complete: digits.length >= min && digits.length <= max });
      };
      const fail = (error: unknown): void => {
        if (done) return;
        cleanup();
        reject(error);
      };
      const arm = (ms: number): void => {
        clock.clearTimer(timer);
        timer = clock.setTimer(ms, () => finish('timeout'), `digit-timeout ${leg.id}`);
      };
      const onDigit = (digit: string): void => {
        if (prompts && !prompts.aborted) prompts.abort(BARGE_IN);
        if (digit === terminator) return finish('terminator');
        digits += digit;
        if (digits.length >= max) return finish('complete');
        arm(interMs);
      };
      const onAbort = (): void => fail(signal.reason);

      signal.addEventListener('abort', onAbort, ONCE);
      leg.digitSink = onDigit;
      ctx.emit(leg, { type: 'digits.started', time: clock.now(), legId: leg.id });
      // The operation's signal aborts when the collection ends.
      ctx.sw.collectDtmf(leg.id, { signal });
      if (!prompts || !playPrompts) {
        arm(firstMs);
        return;
      }
      playPrompts(prompts).then(
        () => {
          if (!done && digits === '') arm(firstMs);
        },
        (error: unknown) => {
          if (done) return;
          if (prompts.reason === BARGE_IN) {
            if (digits === '') arm(firstMs);
            return;
          }
          fail(error);
        },
      );
    });
  });
}
