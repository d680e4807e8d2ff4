/**
 * The option checks every transfer runs before anything is dialled (docs/transfers.md): exact
 * messages, boundaries, and the normalisation of owned numbers.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { normalizeOwnedNumber } from '../../src/calls/transfer-options.js';
import { expectNothingLeft, harness } from './harness.js';

afterEach(expectNothingLeft);

const TARGET = '+15557770001';

async function answeredCall() {
  const h = harness({ directory: { [TARGET]: { response: 'busy' } } });
  const caller = h.inbound({ from: '+15550001111', to: '+15559990000' });
  await caller.answer();
  return { h, caller };
}

describe('normalizeOwnedNumber', () => {
  test.each([
    ['+15550001111', '+15550001111'],
    [' +1 (555) 000-1111 ', '+15550001111'],
    ['001 555 000 1111', '+15550001111'],
    ['+44 (0) 20 7946 0000', '+442079460000'],
    ['0044(0)2079460000', '+442079460000'],
    ['+1/555/000/1111', '+15550001111'],
    [' +44 (0)20 7946 0000', '+442079460000'],
    // "(0)" counts as a trunk prefix only right after the country code at the start.
    ['2000 (0) 1', '200001'],
    // A "(0)" anywhere but right after the country code is plain punctuation around a digit.
    ['+1 555 (0) 1', '+155501'],
    ['+123456789012345', '+123456789012345'],
    ['2000', '2000'],
    ['020 7946 0000', '02079460000'],
    ['123456789012345', '123456789012345'],
  ])('%s → %s', (written, number) => {
    expect(normalizeOwnedNumber(written)).toEqual({ number });
  });

  test.each([
    ['+1234567890123456', '"+1234567890123456" has 16 digits; E.164 allows at most 15'],
    ['00044 20', '"00044 20" has no country code after the international prefix'],
    ['+0 555', '"+0 555" has no country code after the international prefix'],
    ['1234567890123456', '"1234567890123456" is not a phone number (digits with an optional leading + or 00, and spaces, dashes, dots, parentheses)'],
    ['', '"" is not a phone number (digits with an optional leading + or 00, and spaces, dashes, dots, parentheses)'],
    ['+1 555 x100', '"+1 555 x100" is not a phone number (digits with an optional leading + or 00, and spaces, dashes, dots, parentheses)'],
    ['1+555', '"1+555" is not a phone number (digits with an optional leading + or 00, and spaces, dashes, dots, parentheses)'],
  ])('%s is refused: %s', (written, reason) => {
    expect(normalizeOwnedNumber(written)).toEqual({ reason });
  });
});

describe('caller ID keywords', () => {
  test('private and caller are matched without case or surrounding spaces', async () => {
    const { h, caller } = await answeredCall();
    const hidden = await caller.blindTransfer(TARGET, { callerId: ' Private ' });
    const kept = await caller.blindTransfer(TARGET, { callerId: '\tCALLER ' });
    expect([h.sim.leg(hidden.targetLegId!)?.from, h.sim.leg(kept.targetLegId!)?.from]).toEqual(['anonymous', '+15550001111']);
    await caller.hangup();
  });
});

describe('transfer to an inbound service: the answer limit', () => {
  test('a service that answers in time keeps the call after the limit has passed; no timer is left', async () => {
    const h = harness({ directory: { 'service:desk': { ringSeconds: 1 } } });
    const caller = h.inbound();
    await caller.answer();
    expect(await caller.transferToInboundService(h.control.createChannel(), 'desk', { timeoutSeconds: 5 })).toBe('Transferred');
    expect(h.clock.pendingTimers()).toEqual([]);
    await h.clock.sleep(10_000);
    expect(caller.state).toBe('Transferred');
    await caller.hangup();
  });
});

describe('ring timeout, whisper and target', () => {
  test('timeoutSeconds 1 and 300 are accepted, 0.5 and 300.5 refused with the range', async () => {
    const { h, caller } = await answeredCall();
    expect((await caller.blindTransfer(TARGET, { timeoutSeconds: 1 })).cause).toBe('busy');
    expect((await caller.blindTransfer(TARGET, { timeoutSeconds: 300 })).cause).toBe('busy');
    for (const timeoutSeconds of [0.5, 300.5, Number.NaN]) {
      await expect(caller.blindTransfer(TARGET, { timeoutSeconds })).rejects.toMatchObject({
        name: 'InvalidOptionError', option: 'timeoutSeconds', value: timeoutSeconds, message: 'timeoutSeconds must be between 1 and 300',
      });
    }
    expect(h.of('leg.created')).toHaveLength(3);
    await caller.hangup();
  });

  test('a whisper with empty text or audio is refused before dialling', async () => {
    const { h, caller } = await answeredCall();
    for (const whisper of [{ text: '' }, { audio: '' }]) {
      await expect(caller.blindTransfer(TARGET, { whisper })).rejects.toMatchObject({
        name: 'InvalidOptionError', option: 'whisper', value: whisper, message: 'whisper needs a non-empty text or audio',
      });
    }
    expect(h.of('leg.created')).toHaveLength(1);
    await caller.hangup();
  });

  test('an empty or blank target is refused for every transfer kind', async () => {
    const { h, caller } = await answeredCall();
    for (const target of ['', '   ']) {
      const expected = { name: 'InvalidOptionError', option: 'target', value: target, message: 'the transfer target is empty' };
      await expect(caller.blindTransfer(target)).rejects.toMatchObject(expected);
      await expect(caller.initiateTransfer(target)).rejects.toMatchObject(expected);
      await expect(caller.singleStepConference(target)).rejects.toMatchObject(expected);
    }
    expect(caller.state).toBe('Established');
    expect(h.of('leg.created')).toHaveLength(1);
    await caller.hangup();
  });

  test('diversion: exact messages for an unknown treatment, an unknown reason and stack on a placed call', async () => {
    const { caller } = await answeredCall();
    await expect(caller.blindTransfer(TARGET, { diversionTreatment: 'copy' as never })).rejects.toMatchObject({
      value: 'copy', message: 'diversionTreatment must be none, propagate or stack, not "copy"',
    });
    await expect(caller.blindTransfer(TARGET, { diversionTreatment: 'stack', diversionReason: 'bored' as never })).rejects.toMatchObject({
      value: 'bored', message: 'unknown diversionReason "bored"',
    });
    // Treatment and reason are matched case-insensitively.
    expect((await caller.blindTransfer(TARGET, { diversionTreatment: 'STACK' as never, diversionReason: 'AWAY' as never })).cause).toBe('busy');
    await caller.hangup();
  });
});
