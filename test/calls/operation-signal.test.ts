/** OperationSignal: the call layer's cheap abort signal behaves like an AbortSignal where the layer relies on it. */
import { describe, expect, it } from 'vitest';
import { isAbortError, LinkedAbort, OperationSignal } from '../../src/calls/abort.js';

describe('OperationSignal', () => {
  it('runs its abort listeners once, in the order they were added, and keeps the reason', () => {
    const signal = new OperationSignal(undefined);
    const calls: string[] = [];
    const first = (): void => void calls.push('first');
    signal.addEventListener('abort', first);
    signal.addEventListener('abort', first); // the same listener twice is one listener
    signal.addEventListener('abort', () => calls.push('second'), { once: true });
    const reason = { name: 'Why' };
    signal.abort(reason);
    signal.abort({ name: 'Again' });
    expect(calls).toEqual(['first', 'second']);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(reason);
    expect(() => signal.throwIfAborted()).toThrow(expect.objectContaining({ name: 'Why' }));
  });

  it('gives an AbortError as the reason when aborted without one', () => {
    const signal = new OperationSignal(undefined);
    signal.abort();
    expect(isAbortError(signal.reason)).toBe(true);
  });

  it('skips a listener an earlier listener removes during the abort', () => {
    const signal = new OperationSignal(undefined);
    const calls: string[] = [];
    const second = (): void => void calls.push('second');
    signal.addEventListener('abort', () => {
      calls.push('first');
      signal.removeEventListener('abort', second);
    });
    signal.addEventListener('abort', second);
    signal.abort('stop');
    expect(calls).toEqual(['first']);
  });

  it('says whether anything still listens', () => {
    const signal = new OperationSignal(undefined);
    expect(signal.listened).toBe(false);
    const listener = (): void => {};
    signal.addEventListener('abort', listener);
    expect(signal.listened).toBe(true);
    signal.removeEventListener('abort', listener);
    expect(signal.listened).toBe(false);
  });

  it('aborts with its parent (an AbortSignal or another OperationSignal) until disposed', () => {
    const controller = new AbortController();
    const child = new OperationSignal(controller.signal);
    const grandchild = new OperationSignal(child);
    const real = new LinkedAbort(grandchild);
    const disposed = new OperationSignal(child);
    disposed.dispose();
    controller.abort('gone');
    expect([child.reason, grandchild.reason, real.signal.reason]).toEqual(['gone', 'gone', 'gone']);
    expect(disposed.aborted).toBe(false);
  });

  it('starts aborted under an aborted parent', () => {
    const parent = new OperationSignal(undefined);
    parent.abort('early');
    const child = new OperationSignal(parent);
    expect(child.aborted).toBe(true);
    expect(child.reason).toBe('early');
  });
});
