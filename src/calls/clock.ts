/**
 * Time for call legs. Every timer the call layer and the simulated switch use goes through a
 * `Clock`, so a dry-run can run a 10-minute call in milliseconds (`VirtualClock`) while production
 * uses wall time (`RealClock`).
 */
import { ONCE, type AbortSignalLike } from './abort.js';

/** Opaque handle returned by `Clock.setTimer`. */
export interface TimerHandle {
  readonly id: number;
}

/** A timer that has not fired or been cleared yet (for "no leaked timers" assertions). */
export interface PendingTimer {
  readonly id: number;
  /** Clock time (ms) at which it fires. */
  readonly dueAt: number;
  readonly label: string | undefined;
}

export interface Clock {
  /** Milliseconds on this clock (epoch ms for `RealClock`, virtual ms for `VirtualClock`). */
  now(): number;
  /** Resolves after `ms`; rejects with `signal.reason` as soon as `signal` aborts (and clears its timer). */
  sleep(ms: number, signal?: AbortSignalLike): Promise<void>;
  /** Calls `fn` once after `ms`. `label` names the timer in `pendingTimers()`. */
  setTimer(ms: number, fn: () => void, label?: string): TimerHandle;
  /** Cancels a timer; unknown, fired or already cleared handles are ignored. */
  clearTimer(handle: TimerHandle | undefined): void;
  /**
   * Keeps virtual time from advancing while real I/O (a file write, an HTTP fetch) is in flight.
   * Returns the release function (idempotent). A no-op on `RealClock`.
   */
  hold(): () => void;
  /** Timers still pending, in firing order. */
  pendingTimers(): PendingTimer[];
}

/** Waits `ms` on `clock` (its `setTimer`, so a subclass or wrapper decides where the timer goes); rejects with the signal's reason. */
export function sleepOn(clock: Clock, ms: number, signal: AbortSignalLike | undefined, label: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clock.clearTimer(timer);
      reject(signal?.reason);
    };
    const timer = clock.setTimer(
      ms,
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      label,
    );
    signal?.addEventListener('abort', onAbort, ONCE);
  });
}

interface VirtualTimer extends TimerHandle {
  readonly dueAt: number;
  fn: (() => void) | undefined;
  readonly label: string | undefined;
  /** Position in the heap; -1 once fired or cleared. */
  index: number;
}

/** Earlier `dueAt` first; equal times fire in creation order (ids increase). */
function before(a: VirtualTimer, b: VirtualTimer): boolean {
  return a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.id < b.id);
}

/**
 * Deterministic clock. Time moves only when nothing else is runnable: after a timer fires, the
 * pending promise jobs and immediates run (one `setImmediate` turn), then time jumps to the next
 * timer. Real I/O must be wrapped in `hold()`, otherwise time may jump while it is in flight.
 * Same inputs give the same sequence of timer firings, so the same event stream.
 */
export class VirtualClock implements Clock {
  #now: number;
  #lastId = 0;
  #holds = 0;
  #scheduled = false;
  /** Binary min-heap ordered by `before`. */
  readonly #heap: VirtualTimer[] = [];

  constructor(options: { startTime?: number } = {}) {
    this.#now = options.startTime ?? 0;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignalLike): Promise<void> {
    return sleepOn(this, ms, signal, 'sleep');
  }

  setTimer(ms: number, fn: () => void, label?: string): TimerHandle {
    const timer: VirtualTimer = { id: ++this.#lastId, dueAt: this.#now + Math.max(0, ms), fn, label, index: -1 };
    this.#push(timer);
    this.#schedule();
    return timer;
  }

  clearTimer(handle: TimerHandle | undefined): void {
    const timer = handle as VirtualTimer | undefined;
    if (!timer || timer.index < 0 || this.#heap[timer.index] !== timer) return;
    this.#removeAt(timer.index);
    timer.fn = undefined;
  }

  hold(): () => void {
    this.#holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#holds--;
      this.#schedule();
    };
  }

  pendingTimers(): PendingTimer[] {
    return [...this.#heap]
      .sort((a, b) => (before(a, b) ? -1 : 1))
      .map(({ id, dueAt, label }) => ({ id, dueAt, label }));
  }

  #schedule(): void {
    if (this.#scheduled || this.#holds > 0 || this.#heap.length === 0) return;
    this.#scheduled = true;
    setImmediate(this.#step);
  }

  /** Fires exactly one timer; the next step waits for the jobs it caused to drain. */
  readonly #step = (): void => {
    this.#scheduled = false;
    if (this.#holds > 0) return;
    const timer = this.#heap[0];
    if (!timer) return;
    this.#removeAt(0);
    if (timer.dueAt > this.#now) this.#now = timer.dueAt;
    const fn = timer.fn;
    timer.fn = undefined;
    try {
      fn?.();
    } finally {
      this.#schedule();
    }
  };

  #push(timer: VirtualTimer): void {
    timer.index = this.#heap.length;
    this.#heap.push(timer);
    this.#up(timer.index);
  }

  #removeAt(index: number): void {
    const heap = this.#heap;
    const removed = heap[index];
    const last = heap.pop();
    if (removed) removed.index = -1;
    if (!last || last === removed) return;
    heap[index] = last;
    last.index = index;
    this.#up(index);
    this.#down(last.index);
  }

  #up(index: number): void {
    const heap = this.#heap;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const a = heap[i]!;
      const b = heap[parent]!;
      if (!before(a, b)) break;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #down(index: number): void {
    const heap = this.#heap;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === i) return;
      this.#swap(i, smallest);
      i = smallest;
    }
  }

  #swap(i: number, j: number): void {
    const heap = this.#heap;
    const a = heap[i]!;
    const b = heap[j]!;
    heap[i] = b;
    heap[j] = a;
    a.index = j;
    b.index = i;
  }
}

interface RealTimer {
  readonly timeout: NodeJS.Timeout;
  readonly dueAt: number;
  readonly label: string | undefined;
}

/** Wall-clock time; timers are Node timers. */
export class RealClock implements Clock {
  #lastId = 0;
  readonly #timers = new Map<number, RealTimer>();

  now(): number {
    return Date.now();
  }

  sleep(ms: number, signal?: AbortSignalLike): Promise<void> {
    return sleepOn(this, ms, signal, 'sleep');
  }

  setTimer(ms: number, fn: () => void, label?: string): TimerHandle {
    const id = ++this.#lastId;
    const timeout = setTimeout(() => {
      this.#timers.delete(id);
      fn();
    }, Math.max(0, ms));
    this.#timers.set(id, { timeout, dueAt: Date.now() + Math.max(0, ms), label });
    return { id };
  }

  clearTimer(handle: TimerHandle | undefined): void {
    if (!handle) return;
    const timer = this.#timers.get(handle.id);
    if (!timer) return;
    clearTimeout(timer.timeout);
    this.#timers.delete(handle.id);
  }

  hold(): () => void {
    return () => {};
  }

  pendingTimers(): PendingTimer[] {
    return [...this.#timers.entries()]
      .map(([id, { dueAt, label }]) => ({ id, dueAt, label }))
      .sort((a, b) => a.dueAt - b.dueAt || a.id - b.id);
  }
}
