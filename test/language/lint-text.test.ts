import { describe, expect, it } from 'vitest';
import { compileDocument, lintText } from '../../src/language/index.js';
import { badFixtures, goodFixtures } from './fixtures.js';

describe('lintText', () => {
  it('gives exactly the diagnostics of compileDocument for every fixture, without a program', () => {
    const fixtures = [...goodFixtures(), ...badFixtures()];
    expect(fixtures.length).toBeGreaterThan(150);
    for (const fixture of fixtures) {
      const options = { context: fixture.context, ...fixture.options };
      expect(lintText(fixture.bytes, options), fixture.name).toEqual(compileDocument(fixture.bytes, options).diagnostics);
    }
  });
});
