/**
 * The dry-run's clock: the virtual (or real) clock with two additions.
 *
 * - A time limit. Timers due after it are parked instead of scheduled, so nothing happens past the
 *   limit; a run whose sessions wait on parked timers (or on nothing at all) is stopped there.
 * - Webhook delays. The engine holds the clock while a notification is in flight (virtual time
 *   must not jump during real HTTP), yet a scenario webhook that "takes 3 seconds to answer" must
 *   let virtual time run for exactly that request. The engine takes its hold and calls the script
 *   source in the same synchronous step, so the source picks that hold up (`takeLastHold`) and
 *   lifts it while it waits.
 */
import type { AbortSignalLike } from '../calls/abort.js';
import { sleepOn, type Clock, type PendingTimer, type TimerHandle } from '../calls/clock.js';

/** A hold the engine took, which its request may lift while it waits on the clock. */
export interface HoldLease {
  /** Waits `ms` on the clock with this hold lifted (other holds still apply). */
  sleep(ms: number, signal?: AbortSignalLike): Promise<void>;
}

interface Hold {
  release: (() => void) | undefined;
  released: boolean;
}

interface ParkedTimer extends TimerHandle {
  readonly dueAt: number;
  readonly label: string | undefined;
}

export class DryRunClock implements Clock {
  readonly #limitAt: number | undefined;
  readonly #parked = new Map<number, ParkedTimer>();
  #lastParked = 0;
  #holds = 0;
  #last: Hold | undefined;
  /** Resolves the promise of `released()` waiters when a hold is lifted. */
  #onRelease: (() => void) | undefined;
  #release: Promise<void> | undefined;

  /** `limitAt`: clock time after which timers are parked (virtual runs). */
  constructor(readonly inner: Clock, options: { limitAt?: number } = {}) {
    this.#limitAt = options.limitAt;
  }

  now(): number {
    return this.inner.now();
  }

  sleep(ms: number, signal?: AbortSignalLike): Promise<void> {
    // Through this clock's own setTimer, so a sleep past the limit is parked like any timer.
    return sleepOn(this, ms, signal, 'sleep');
  }

  setTimer(ms: number, fn: () => void, label?: string): TimerHandle {
    const dueAt = this.inner.now() + Math.max(0, ms);
    if (this.#limitAt !== undefined && dueAt > this.#limitAt) {
      const parked: ParkedTimer = { id: -++this.#lastParked, dueAt, label };
      this.#parked.set(parked.id, parked);
      return parked;
    }
    return this.inner.setTimer(ms, fn, label);
  }

  clearTimer(handle: TimerHandle | undefined): void {
    if (handle && handle.id < 0) this.#parked.delete(handle.id);
    else this.inner.clearTimer(handle);
  }

  pendingTimers(): PendingTimer[] {
    return [...this.inner.pendingTimers(), ...[...this.#parked.values()].map(({ id, dueAt, label }) => ({ id, dueAt, label }))];
  }

  /** True when a scheduled timer or a hold (real I/O) can still move things along. */
  get moving(): boolean {
    return this.#holds > 0 || this.inner.pendingTimers().length > 0;
  }

  /** True while real I/O holds the clock: no timer can fire until a hold is lifted. */
  get held(): boolean {
    return this.#holds > 0;
  }

  /** Resolves the next time a hold is lifted (the I/O it covered finished or started waiting on the clock). */
  released(): Promise<void> {
    return (this.#release ??= new Promise<void>((resolve) => { this.#onRelease = resolve; }));
  }

  #lifted(): void {
    this.#holds--;
    const wake = this.#onRelease;
    this.#onRelease = undefined;
    this.#release = undefined;
    wake?.();
  }

  /** Timers waiting beyond the limit. */
  get parked(): number {
    return this.#parked.size;
  }

  /** Forgets the parked timers (the run is over). */
  dropParked(): void {
    this.#parked.clear();
  }

  hold(): () => void {
    const hold: Hold = { release: this.inner.hold(), released: false };
    this.#holds++;
    this.#last = hold;
    return () => {
      if (hold.released) return;
      hold.released = true;
      if (hold.release) {
        // Counted only while applied (a lease may have lifted it).
        this.#lifted();
        hold.release();
        hold.release = undefined;
      }
      if (this.#last === hold) this.#last = undefined;
    };
  }

  /**
   * The hold taken just before this call in the same synchronous step, if any (the engine's hold
   * for the request the caller is about to serve). Each hold is handed out once.
   */
  takeLastHold(): HoldLease | undefined {
    const hold = this.#last;
    this.#last = undefined;
    if (!hold || hold.released) return undefined;
    return {
      sleep: async (ms, signal) => {
        if (hold.released || !hold.release) return this.sleep(ms, signal);
        hold.release();
        hold.release = undefined;
        this.#lifted();
        try {
          await this.sleep(ms, signal);
        } finally {
          if (!hold.released) {
            hold.release = this.inner.hold();
            this.#holds++;
          }
        }
      },
    };
  }
}
