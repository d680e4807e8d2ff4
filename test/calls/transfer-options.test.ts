/**
 * The option checks every transfer shares (docs/transfers.md): ring timeouts at and just past
 * their bounds, and a whisper without anything to play. DTMF keys at their length limit are the
 * language core's check (Input Key, at most 64 keys).
 */
import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/calls/errors.js';
import { checkWhisper, ringTimeoutMs } from '../../src/calls/transfer-options.js';
import { checkValue } from '../../src/language/index.js';

describe('ringTimeoutMs', () => {
  it.each([[1, 1000], [30, 30_000], [300, 300_000], [0.5 + 0.5, 1000]])('%s s is %s ms', (seconds, ms) => {
    expect(ringTimeoutMs(seconds, 30)).toBe(ms);
  });

  it('uses the fallback when no timeout is given', () => {
    expect(ringTimeoutMs(undefined, 45)).toBe(45_000);
  });

  it.each([0, 0.999, 300.001, 301, Number.NaN, Number.POSITIVE_INFINITY, -1])('%s s is refused with the bounds in the message', (seconds) => {
    let error: unknown;
    try {
      ringTimeoutMs(seconds, 30);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ option: 'timeoutSeconds', value: seconds, message: 'timeoutSeconds must be between 1 and 300' });
  });

  it('honours other bounds (a dial allows up to 600 s)', () => {
    expect(ringTimeoutMs(600, 60, 1, 600)).toBe(600_000);
    expect(() => ringTimeoutMs(601, 60, 1, 600)).toThrow('timeoutSeconds must be between 1 and 600');
    expect(() => ringTimeoutMs(undefined, 0, 1, 600)).toThrow('timeoutSeconds must be between 1 and 600');
  });
});

describe('checkWhisper', () => {
  it.each([undefined, { text: 'Call from sales' }, { audio: 'https://cdn.test/w.wav' }, { text: 'x', voice: 'v', gender: 'female', locale: 'en-US' }])(
    'accepts %j', (whisper) => {
      expect(() => checkWhisper(whisper)).not.toThrow();
    },
  );

  it.each([{ text: '' }, { audio: '' }, { text: 1 as unknown as string }, { audio: undefined as unknown as string }])('refuses %j', (whisper) => {
    let error: unknown;
    try {
      checkWhisper(whisper);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ option: 'whisper', value: whisper, message: 'whisper needs a non-empty text or audio' });
  });
});

describe('DTMF keys at their length limit', () => {
  const type = { kind: 'dtmf', maxLength: 64 } as const;
  it('exactly maxLength keys pass, one more is refused', () => {
    expect(checkValue(type, '1'.repeat(64), {})).toEqual({ ok: true, value: '1'.repeat(64) });
    expect(checkValue(type, `${'1'.repeat(63)}a`, {})).toEqual({ ok: true, value: `${'1'.repeat(63)}A` });
    expect(checkValue(type, '1'.repeat(65), {})).toMatchObject({ ok: false, message: 'must be at most 64 keys' });
  });
});
