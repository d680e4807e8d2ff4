/**
 * Listener isolation (docs/calls.md, "Listeners"): a listener that throws never stops the other
 * listeners, the call, or the switch's fan-out; what it threw goes to the documented handler.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { CallControl } from '../../src/calls/call-control.js';
import { VirtualClock } from '../../src/calls/clock.js';
import type { CallEvent } from '../../src/calls/events.js';
import { deliver } from '../../src/calls/listener-errors.js';
import { SimSwitch } from '../../src/calls/sim/sim-switch.js';
import type { SwitchEvent } from '../../src/calls/switch.js';
import { expectNothingLeft, harness } from './harness.js';

afterEach(expectNothingLeft);

describe('CallControl.subscribe and channel.subscribe', () => {
  test('a throwing listener does not stop the others or the call; onListenerError gets the error and the event', async () => {
    const failures: [unknown, CallEvent][] = [];
    const h = harness({ directory: { '2000': { ringSeconds: 1 } }, onListenerError: (error, event) => failures.push([error, event]) });
    const boom = new Error('listener bug');
    h.control.subscribe((event) => {
      if (event.type === 'leg.state') throw boom;
    });
    const after: string[] = [];
    h.control.subscribe((event) => after.push(`${event.type} ${event.legId}`));
    const caller = h.inbound();
    const own: string[] = [];
    caller.subscribe(() => {
      throw new Error('per-leg listener bug');
    });
    caller.subscribe((event) => own.push(event.type));
    await caller.answer();
    await caller.speak('Hello.');
    await caller.hangup();
    expect(caller.snapshot()).toMatchObject({ state: 'Released', releaseCause: 'normal' });
    // The recording harness listener, the second global listener and the second leg listener saw everything.
    expect(h.events.map((e) => e.type)).toEqual(['leg.created', 'leg.state', 'leg.state', 'media.started', 'media.ended', 'leg.state']);
    expect(after).toEqual(h.events.map((e) => `${e.type} ${e.legId}`));
    expect(own).toEqual(['leg.state', 'media.started', 'media.ended', 'leg.state']);
    // Three leg.state events from the global listener, four events from the leg's own.
    expect(failures.map(([error, event]) => [(error as Error).message, event.type])).toEqual([
      ['listener bug', 'leg.state'],
      ['listener bug', 'leg.state'],
      ['per-leg listener bug', 'leg.state'],
      ['per-leg listener bug', 'media.started'],
      ['per-leg listener bug', 'media.ended'],
      ['listener bug', 'leg.state'],
      ['per-leg listener bug', 'leg.state'],
    ]);
    expect(failures[0]![0]).toBe(boom);
  });

  test('without a handler, a throwing listener is a process warning named CallEventListenerError', async () => {
    const warnings: { name: string; message: string }[] = [];
    const onWarning = (warning: Error): void => void warnings.push({ name: warning.name, message: warning.message });
    process.on('warning', onWarning);
    try {
      const clock = new VirtualClock();
      const sim = new SimSwitch({ clock });
      const control = new CallControl(sim, { clock });
      control.subscribe(() => {
        throw new Error('oops');
      });
      const caller = control.channel(sim.placeInboundCall({ from: '1', to: '2' }))!;
      await caller.answer();
      await caller.hangup();
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toHaveLength(4);
      expect(warnings[0]!.name).toBe('CallEventListenerError');
      expect(warnings[0]!.message).toMatch(/^a call event listener threw on leg\.created of in-1: Error: oops/);
      control.close();
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('the simulated switch', () => {
  test('a subscriber that throws does not stop the call layer from seeing the event', async () => {
    const failures: [string, SwitchEvent['type']][] = [];
    const h = harness({ onSubscriberError: (error, event) => failures.push([(error as Error).message, event.type]) });
    // A tap subscribed after the call control: without isolation its throw would escape placeInboundCall.
    h.sim.subscribe((event) => {
      if (event.type === 'incoming') throw new Error('tap bug');
    });
    const caller = h.inbound();
    expect(caller.state).toBe('Ringing');
    await caller.answer();
    h.sim.hangup(caller.id);
    expect(caller.snapshot()).toMatchObject({ state: 'Released', releaseCause: 'remote-hangup' });
    expect(failures).toEqual([['tap bug', 'incoming']]);
  });
});

describe('deliver', () => {
  test('a handler that throws is reported to the process later, with both errors', async () => {
    const thrown: unknown[] = [];
    const spy = vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((job) => {
      try {
        job();
      } catch (error) {
        thrown.push(error);
      }
    });
    try {
      const listenerError = new Error('listener');
      const handlerError = new Error('handler');
      deliver(() => { throw listenerError; }, { type: 'x' }, () => { throw handlerError; });
      expect(thrown).toHaveLength(1);
      expect(thrown[0]).toBeInstanceOf(AggregateError);
      expect((thrown[0] as AggregateError).errors).toEqual([listenerError, handlerError]);
    } finally {
      spy.mockRestore();
    }
  });
});
