/** Small AbortSignal helpers shared by the channel operations and the simulated switch. */

/** True for the rejection an aborted operation produces (DOMException or Error named AbortError). */
export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/** Shared listener options: an options object per registration is garbage on every operation. */
export const ONCE = Object.freeze({ once: true });

/**
 * The part of `AbortSignal` the call layer and the `Switch` use. A real `AbortSignal` is one; so
 * is `OperationSignal`, the cheaper signal of a running channel operation.
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
  throwIfAborted(): void;
}

/**
 * The links of one parent signal, a doubly linked list in link order. A parent gets one abort
 * listener for all of its links, added with its first link and kept until it aborts: an abort
 * listener added and removed for every channel operation cost more than the operation itself, and
 * so did a Set shrinking and growing again as one operation followed another (bench:calls).
 */
interface Links {
  first: LinkNode | undefined;
  last: LinkNode | undefined;
}

/**
 * A member of a parent's links: a `LinkedAbort` or an `OperationSignal`. The list pointers are
 * fields of the node itself rather than a record per link: one object less per operation.
 */
interface LinkNode {
  /** The list it is in; undefined once disposed (or never linked). */
  links: Links | undefined;
  prevLink: LinkNode | undefined;
  nextLink: LinkNode | undefined;
  abort(reason?: unknown): void;
}

const LINKS = new WeakMap<AbortSignalLike, Links>();

/** An OperationSignal keeps its links itself: a WeakMap lookup per operation cost more (bench:calls). */
function linksOf(parent: AbortSignalLike): Links {
  const own = parent instanceof OperationSignal;
  const known = own ? parent.childLinks : LINKS.get(parent);
  if (known) return known;
  const links: Links = { first: undefined, last: undefined };
  if (own) parent.childLinks = links;
  else LINKS.set(parent, links);
  parent.addEventListener('abort', () => abortAll(parent, links), ONCE);
  return links;
}

/** In link order; a link disposed meanwhile (by an earlier one's abort) is skipped. */
function abortAll(parent: AbortSignalLike, links: Links): void {
  if (parent instanceof OperationSignal) parent.childLinks = undefined;
  else LINKS.delete(parent);
  const all: LinkNode[] = [];
  for (let node = links.first; node; node = node.nextLink) all.push(node);
  for (const node of all) if (node.links === links) node.abort(parent.reason);
}

/** Makes `node` abort (with the same reason) when `parent` aborts, at once if it has. */
function link(node: LinkNode, parent: AbortSignalLike | undefined): void {
  if (!parent) return;
  if (parent.aborted) {
    node.abort(parent.reason);
    return;
  }
  const links = linksOf(parent);
  node.links = links;
  node.prevLink = links.last;
  if (links.last) links.last.nextLink = node;
  else links.first = node;
  links.last = node;
}

function unlink(node: LinkNode): void {
  const links = node.links;
  if (!links) return;
  node.links = undefined;
  const prev = node.prevLink;
  const next = node.nextLink;
  if (prev) prev.nextLink = next;
  else links.first = next;
  if (next) next.prevLink = prev;
  else links.last = prev;
  node.prevLink = undefined;
  node.nextLink = undefined;
}

/**
 * An AbortController that also aborts (with the same reason) when `parent` aborts.
 * `dispose()` detaches it from `parent`, so long-lived parent signals do not collect links.
 * It is the controller itself rather than a wrapper around one: an object less per channel
 * operation (bench:calls).
 */
export class LinkedAbort extends AbortController implements LinkNode {
  /** @internal The parent's links (see `link`). */
  links: Links | undefined = undefined;
  /** @internal */
  prevLink: LinkNode | undefined = undefined;
  /** @internal */
  nextLink: LinkNode | undefined = undefined;

  constructor(parent: AbortSignalLike | undefined) {
    super();
    link(this, parent);
  }

  dispose(): void {
    unlink(this);
  }
}

/** What `AbortController.abort()` gives a signal aborted without a reason. */
function defaultReason(): DOMException {
  return new DOMException('This operation was aborted', 'AbortError');
}

/**
 * The signal of one running channel operation, linked to the caller's signal like `LinkedAbort`,
 * and its own controller (`abort`). Not an `EventTarget`: in Node 20 every AbortSignal gets a
 * hidden class and a listener map of its own, which made creating and collecting one the largest
 * cost of a short operation (bench:calls). Listeners run synchronously, in the order they were
 * added, as an AbortSignal's do; it only ever dispatches `abort`.
 */
export class OperationSignal implements AbortSignalLike, LinkNode {
  /** @internal The links of the signals linked to this one (see `linksOf`). */
  childLinks: Links | undefined = undefined;
  /** @internal The parent's links (see `link`). */
  links: Links | undefined = undefined;
  /** @internal */
  prevLink: LinkNode | undefined = undefined;
  /** @internal */
  nextLink: LinkNode | undefined = undefined;
  #aborted = false;
  #reason: unknown = undefined;
  /** Listeners in order; a slot is emptied (not spliced) when removed during the dispatch. */
  #listeners: (() => void)[] | undefined = undefined;
  #dispatching = false;

  constructor(parent: AbortSignalLike | undefined) {
    link(this, parent);
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  /** True while something listens for the abort (a switch still holding on to the operation). */
  get listened(): boolean {
    const listeners = this.#listeners;
    if (!listeners) return false;
    for (const listener of listeners) if (listener !== NO_LISTENER) return true;
    return false;
  }

  throwIfAborted(): void {
    if (this.#aborted) throw this.#reason;
  }

  addEventListener(type: 'abort', listener: () => void, _options?: { once?: boolean }): void {
    // An aborted signal never dispatches again; a listener added twice is called once.
    if (type !== 'abort' || this.#aborted) return;
    const listeners = (this.#listeners ??= []);
    if (!listeners.includes(listener)) listeners.push(listener);
  }

  removeEventListener(type: 'abort', listener: () => void): void {
    const listeners = this.#listeners;
    if (type !== 'abort' || !listeners) return;
    const index = listeners.indexOf(listener);
    if (index < 0) return;
    if (this.#dispatching) listeners[index] = NO_LISTENER;
    else if (listeners.length === 1) this.#listeners = undefined;
    else listeners.splice(index, 1);
  }

  abort(reason?: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason === undefined ? defaultReason() : reason;
    const listeners = this.#listeners;
    if (!listeners) return;
    this.#dispatching = true;
    // A listener removed meanwhile is skipped; none can be added (the signal is aborted already).
    for (let i = 0; i < listeners.length; i++) {
      const listener = listeners[i]!;
      if (listener === NO_LISTENER) continue;
      try {
        listener();
      } catch (error) {
        // As an EventTarget does: a throwing listener neither stops the others nor the abort.
        process.nextTick(() => {
          throw error;
        });
      }
    }
    this.#dispatching = false;
    this.#listeners = undefined;
  }

  /** Detaches it from the caller's signal (the operation is over). */
  dispose(): void {
    unlink(this);
  }
}

/** Marks a listener removed while the signal dispatches. */
const NO_LISTENER = (): void => {};
