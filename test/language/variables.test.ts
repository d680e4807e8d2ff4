/** `$name` references: scanning, `$$` escapes, expansion with unknown names (design.md §3). */
import { describe, expect, it } from 'vitest';
import {
  ALARM_VARIABLES, BUILTIN_ARRAYS, BUILTIN_VARIABLES, expandTemplate, findReferences, hasReferences, unescapeDollars,
} from '../../src/language/index.js';

describe('findReferences', () => {
  it('finds names, dotted fields and their offsets', () => {
    expect(findReferences('Hi $name, $item.message at $item.date.')).toEqual([
      { name: 'name', root: 'name', offset: 3, length: 5 },
      { name: 'item.message', root: 'item', offset: 10, length: 13 },
      { name: 'item.date', root: 'item', offset: 27, length: 10 },
    ]);
  });

  it('skips $$ escapes, lone dollars and dollars before digits', () => {
    expect(findReferences('Costs $$5, or $ 5, or $5')).toEqual([]);
    expect(findReferences('$$name')).toEqual([]);
    expect(findReferences('$$$name')).toEqual([{ name: 'name', root: 'name', offset: 2, length: 5 }]);
    expect(findReferences('no dollars')).toEqual([]);
  });

  it('reads adjacent references and stops at characters that cannot be in a name', () => {
    expect(findReferences('$a$b-$c_d.e.f!')).toEqual([
      { name: 'a', root: 'a', offset: 0, length: 2 },
      { name: 'b', root: 'b', offset: 2, length: 2 },
      { name: 'c_d.e.f', root: 'c_d', offset: 5, length: 8 },
    ]);
    // A trailing dot is punctuation, not part of the name.
    expect(findReferences('from $item.from .')).toEqual([{ name: 'item.from', root: 'item', offset: 5, length: 10 }]);
    expect(findReferences('to $item.')).toEqual([{ name: 'item', root: 'item', offset: 3, length: 5 }]);
  });

  it('hasReferences tells templates from literals', () => {
    expect(hasReferences('$CallId')).toBe(true);
    expect(hasReferences('$$10')).toBe(false);
    expect(hasReferences('plain')).toBe(false);
  });
});

describe('unescapeDollars', () => {
  it('turns $$ into $', () => {
    expect(unescapeDollars('$$10 and $$$$')).toBe('$10 and $$');
    expect(unescapeDollars('none')).toBe('none');
  });
});

describe('expandTemplate', () => {
  const values: Record<string, string> = { name: 'Ann', 'item.message': 'voicemail/1.wav', item: 'x', price: '$$5 $name' };
  const lookup = (name: string) => values[name];

  it('replaces references, dotted ones as a whole, and $$ by $', () => {
    expect(expandTemplate('Hi $name, play $item.message for $$3', lookup)).toBe('Hi Ann, play voicemail/1.wav for $3');
  });

  it('does not expand values again', () => {
    expect(expandTemplate('[$price]', lookup)).toBe('[$$5 $name]');
  });

  it('expands an unknown variable to the empty string and reports each occurrence', () => {
    const unknown: string[] = [];
    expect(expandTemplate('a$missing b $item.nope c $missing', lookup, (n) => unknown.push(n))).toBe('a b  c ');
    expect(unknown).toEqual(['missing', 'item.nope', 'missing']);
  });

  it('works without a callback and is repeatable (no regex state leaks between calls)', () => {
    expect(expandTemplate('$missing$name', lookup)).toBe('Ann');
    expect(expandTemplate('$missing$name', lookup)).toBe('Ann');
    expect(findReferences('$a $b')).toHaveLength(2);
    expect(findReferences('$a $b')).toHaveLength(2);
  });
});

describe('built-in names', () => {
  it('match design.md §3 and the vendor examples', () => {
    expect([...BUILTIN_VARIABLES]).toEqual(['CallId', 'Caller', 'Callee', 'ApiExtension', 'DtmfDigits', 'TransferCause', 'RecordURL']);
    expect([...ALARM_VARIABLES]).toEqual(['account', 'eventqualifier', 'eventcode', 'eventname', 'partition', 'zone']);
    expect([...BUILTIN_ARRAYS]).toEqual(['voicemails']);
  });
});
