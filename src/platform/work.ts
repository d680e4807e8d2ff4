/**
 * Work the platform started and must see finished before it closes (routing loops, dials,
 * third-party connects): counted, so a caller can tell whether anything is still in flight, and
 * awaited by `close()`. The first failure is kept for whoever runs the platform (a dry run fails
 * with it); it is never dropped.
 */
export class Work {
  readonly #running = new Set<Promise<void>>();
  #failure: { error: unknown } | undefined;

  /** Runs `task`; its failure is kept (the first one) rather than thrown. */
  run(task: () => Promise<void>): void {
    const running = task().catch((error: unknown) => { this.#failure ??= { error }; });
    this.#running.add(running);
    void running.finally(() => this.#running.delete(running));
  }

  get size(): number {
    return this.#running.size;
  }

  /** The first failure of any task, if one failed. */
  get failure(): { error: unknown } | undefined {
    return this.#failure;
  }

  /** Resolves once no task is running (including tasks started meanwhile). */
  async drained(): Promise<void> {
    while (this.#running.size > 0) await Promise.all([...this.#running]);
  }
}
