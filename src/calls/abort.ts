/** Small AbortSignal helpers shared by the channel operations and the simulated switch. */

/** True for the rejection an aborted operation produces (DOMException or Error named AbortError). */
export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/** Shared listener options: an options object per registration is garbage on every operation. */
export const ONCE = Object.freeze({ once: true });

/**
 * The links of one parent signal, a doubly linked list in link order. A parent gets one abort
 * listener for all of its links, added with its first link and kept until it aborts: an abort
 * listener added and removed for every channel operation cost more than the operation itself, and
 * so did a Set shrinking and growing again as one operation followed another (bench:calls).
 */
interface Links {
  first: LinkedAbort | undefined;
  last: LinkedAbort | undefined;
}

const LINKS = new WeakMap<AbortSignal, Links>();

/**
 * An AbortController that also aborts (with the same reason) when `parent` aborts.
 * `dispose()` detaches it from `parent`, so long-lived parent signals do not collect links.
 * It is the controller itself rather than a wrapper around one: an object less per channel
 * operation (bench:calls).
 */
export class LinkedAbort extends AbortController {
  #links: Links | undefined;
  #prev: LinkedAbort | undefined;
  #next: LinkedAbort | undefined;

  constructor(parent: AbortSignal | undefined) {
    super();
    if (!parent) return;
    if (parent.aborted) {
      this.abort(parent.reason);
      return;
    }
    const links = LinkedAbort.#linksOf(parent);
    this.#links = links;
    this.#prev = links.last;
    if (links.last) links.last.#next = this;
    else links.first = this;
    links.last = this;
  }

  static #linksOf(parent: AbortSignal): Links {
    const known = LINKS.get(parent);
    if (known) return known;
    const links: Links = { first: undefined, last: undefined };
    LINKS.set(parent, links);
    parent.addEventListener('abort', () => LinkedAbort.#abortAll(parent, links), ONCE);
    return links;
  }

  /** In link order; a link disposed meanwhile (by an earlier one's abort) is skipped. */
  static #abortAll(parent: AbortSignal, links: Links): void {
    LINKS.delete(parent);
    const all: LinkedAbort[] = [];
    for (let link = links.first; link; link = link.#next) all.push(link);
    for (const link of all) if (link.#links === links) link.abort(parent.reason);
  }

  /** The controller itself (kept for callers written against the earlier wrapper). */
  get controller(): AbortController {
    return this;
  }

  dispose(): void {
    const links = this.#links;
    if (!links) return;
    this.#links = undefined;
    const prev = this.#prev;
    const next = this.#next;
    if (prev) prev.#next = next;
    else links.first = next;
    if (next) next.#prev = prev;
    else links.last = prev;
    this.#prev = undefined;
    this.#next = undefined;
  }
}
