/** DTMF values at their length limit (docs/language.md "Values"): exactly maxLength keys pass, one more does not. */
import { describe, expect, it } from 'vitest';
import { checkValue } from '../../src/language/index.js';

describe('DTMF keys at their length limit', () => {
  const type = { kind: 'dtmf', maxLength: 64 } as const;
  it('exactly maxLength keys pass (upper-cased), one more is refused', () => {
    expect(checkValue(type, '1'.repeat(64), {})).toEqual({ ok: true, value: '1'.repeat(64) });
    expect(checkValue(type, `${'1'.repeat(63)}a`, {})).toEqual({ ok: true, value: `${'1'.repeat(63)}A` });
    expect(checkValue(type, '1'.repeat(65), {})).toEqual({ ok: false, message: 'must be at most 64 keys' });
  });
});
