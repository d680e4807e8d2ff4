/** VirtualClock and RealClock: ordering, draining, hold(), aborts, determinism of whole calls. */
import { writeFile, rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { RealClock, VirtualClock } from '../../src/calls/clock.js';
import { expectNothingLeft, harness } from './harness.js';

afterEach(expectNothingLeft);

describe('VirtualClock', () => {
  test('timers fire in time order, equal times in creation order; time jumps', async () => {
    const clock = new VirtualClock({ startTime: 1000 });
    const fired: string[] = [];
    const record = (name: string) => () => fired.push(`${name}@${clock.now()}`);
    clock.setTimer(500, record('b'), 'b');
    clock.setTimer(100, record('a'), 'a');
    clock.setTimer(500, record('c'), 'c');
    clock.setTimer(0, record('zero'), 'zero');
    expect(clock.pendingTimers().map((t) => [t.label, t.dueAt])).toEqual([
      ['zero', 1000],
      ['a', 1100],
      ['b', 1500],
      ['c', 1500],
    ]);
    await clock.sleep(600);
    expect(fired).toEqual(['zero@1000', 'a@1100', 'b@1500', 'c@1500']);
    expect(clock.now()).toBe(1600);
    expect(clock.pendingTimers()).toEqual([]);
  });

  test('promise jobs caused by a timer run before time moves on', async () => {
    const clock = new VirtualClock();
    const fired: string[] = [];
    clock.setTimer(20, () => fired.push(`late@${clock.now()}`));
    clock.setTimer(10, () => {
      void (async () => {
        for (let i = 0; i < 100; i++) await Promise.resolve();
        clock.setTimer(5, () => fired.push(`chained@${clock.now()}`));
      })();
    });
    await clock.sleep(30);
    expect(fired).toEqual(['chained@15', 'late@20']);
  });

  test('clearTimer: the timer never fires; clearing twice or unknown handles is harmless', async () => {
    const clock = new VirtualClock();
    let fired = false;
    const timer = clock.setTimer(10, () => (fired = true));
    clock.clearTimer(timer);
    clock.clearTimer(timer);
    clock.clearTimer(undefined);
    expect(clock.pendingTimers()).toEqual([]);
    await clock.sleep(50);
    expect(fired).toBe(false);
  });

  test('an aborted sleep rejects with the reason and leaves no timer', async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    clock.setTimer(100, () => controller.abort(new Error('stop')));
    await expect(clock.sleep(10_000, controller.signal)).rejects.toThrow('stop');
    expect(clock.now()).toBe(100);
    expect(clock.pendingTimers()).toEqual([]);
    await expect(clock.sleep(1, controller.signal)).rejects.toThrow('stop');
  });

  test('hold() keeps time still while real I/O is in flight', async () => {
    const clock = new VirtualClock();
    const dir = await mkdtemp(join(tmpdir(), 'ozml-clock-'));
    let fired = false;
    clock.setTimer(1, () => (fired = true));
    const release = clock.hold();
    await writeFile(join(dir, 'a.bin'), Buffer.alloc(1 << 20));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fired).toBe(false);
    expect(clock.now()).toBe(0);
    const second = clock.hold();
    release();
    release();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(fired).toBe(false);
    second();
    await clock.sleep(1);
    expect(fired).toBe(true);
    expect(clock.now()).toBe(1);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('RealClock', () => {
  test('timers fire, are listed while pending, and can be cleared', async () => {
    const clock = new RealClock();
    let fired = 0;
    const cleared = clock.setTimer(1, () => fired++, 'cleared');
    clock.setTimer(1, () => fired++, 'kept');
    expect(clock.pendingTimers().map((t) => t.label)).toEqual(['cleared', 'kept']);
    clock.clearTimer(cleared);
    await clock.sleep(5);
    expect(fired).toBe(1);
    expect(clock.pendingTimers()).toEqual([]);
    const controller = new AbortController();
    const sleeping = clock.sleep(60_000, controller.signal);
    controller.abort(new Error('enough'));
    await expect(sleeping).rejects.toThrow('enough');
    expect(clock.pendingTimers()).toEqual([]);
    clock.hold()();
  });
});

/** A ten-minute call with a menu, a recording and a blind transfer, driven only by the sim. */
async function tenMinuteCall(): Promise<string> {
  const h = harness({
    directory: { '+15557770001': { ringSeconds: 7, hangupAfterSeconds: 480 } },
    recordingsDir: join(tmpdir(), 'ozml-determinism'),
  });
  const caller = h.inbound({ behaviour: { presses: [{ digits: '2' }, { digits: '#', afterPromptSeconds: 30 }], speaks: [{ afterSeconds: 20, seconds: 25 }] } });
  await caller.answer();
  await caller.attachUserData({ Language: 'en' });
  const choice = await caller.collectDigits({ exact: 1, interruptPrompts: (signal) => caller.speak('Press one for sales, two for support.', { signal }) });
  expect(choice.digits).toBe('2');
  await caller.play('https://media.example.test/queue.wav', { repeat: 4 });
  const recording = await caller.record({ maxSeconds: 120, inactivitySeconds: 5 });
  expect(recording.endedBy).toBe('silence');
  await caller.speak('Transferring you now.');
  const result = await caller.blindTransfer('+15557770001', { whisper: { text: 'Support call.' } });
  expect(result.cause).toBe('completed');
  await h.clock.sleep(600_000 - h.clock.now());
  expect(h.clock.now()).toBe(600_000);
  expect(h.of('bridge.ended')).toHaveLength(1);
  await rm(recording.file);
  return JSON.stringify(h.events);
}

test('determinism: two identical runs give the same event stream byte for byte', async () => {
  const first = await tenMinuteCall();
  await expectNothingLeft();
  const second = await tenMinuteCall();
  expect(second).toBe(first);
  expect(first.length).toBeGreaterThan(2000);
});
