/**
 * Verbs typed end to end: the executor table is complete for the catalogue (a type error otherwise),
 * the attribute types follow from the catalogue entries, and what a program carries at run time has
 * those types — also when invalid-attribute-value is turned off.
 */
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { compileDocument, VERBS } from '../../src/language/index.js';
import type { AttributeSpec, ProgramNode, VerbAttributes, VerbName } from '../../src/language/index.js';
import type { VerbExecutor } from '../../src/engine/verb.js';
import { EXECUTORS, executorFor } from '../../src/engine/verbs/index.js';
import { goodFixtures } from '../language/fixtures.js';
import { compile, harness } from './harness.js';
import type { Harness } from './harness.js';

type Values<V extends VerbName, C extends VerbAttributes<V>['context']> = Extract<VerbAttributes<V>, { context: C }>['values'];

describe('the executor table', () => {
  it('has exactly one executor per verb of the catalogue', () => {
    expect(Object.keys(EXECUTORS).sort()).toEqual(VERBS.map((v) => v.name).sort());
    for (const verb of VERBS) expect(executorFor(verb.name)).toBe(EXECUTORS[verb.name as VerbName]);
    expect(executorFor('Input')).toBeUndefined();
  });

  it('is a type error without an executor for a verb, or with one for another verb', () => {
    const { Var: _var, ...withoutVar } = EXECUTORS;
    // @ts-expect-error Var has no executor
    void (withoutVar satisfies { readonly [V in VerbName]: VerbExecutor<V> });
    // @ts-expect-error Speak's executor reads Text, Delay's attributes have none
    void ({ ...EXECUTORS, Delay: EXECUTORS.Speak } satisfies { readonly [V in VerbName]: VerbExecutor<V> });
  });

  it('types each attribute from its catalogue entry, per context', () => {
    expectTypeOf<Values<'BlindTransfer', 'api-extension'>['Timeout']>().toEqualTypeOf<number>();
    expectTypeOf<Values<'BlindTransfer', 'api-extension'>['Record']>().toEqualTypeOf<boolean>();
    expectTypeOf<Values<'BlindTransfer', 'api-extension'>['DiversionTreatment']>().toEqualTypeOf<'none' | 'propagate' | 'stack'>();
    expectTypeOf<Values<'BlindTransfer', 'api-extension'>['RecordFormat']>().toEqualTypeOf<'mp3' | 'wav'>();
    expectTypeOf<Values<'BlindTransfer', 'api-extension'>['WhisperGender']>().toEqualTypeOf<'female' | 'male' | undefined>();
    expectTypeOf<Values<'BlindTransfer', 'third-party'>['TransferorParty']>().toEqualTypeOf<'caller' | 'callee'>();
    expectTypeOf<Values<'BlindTransfer', 'api-extension'>>().not.toHaveProperty('TransferorParty');
    expectTypeOf<Values<'AttendedTransfer', 'api-extension'>['Target']>().toEqualTypeOf<string>();
    expectTypeOf<Values<'AttendedTransfer', 'third-party'>['TargetCallId']>().toEqualTypeOf<string>();
    expectTypeOf<Values<'AttendedTransfer', 'third-party'>>().not.toHaveProperty('Timeout');
    expectTypeOf<Values<'UserInput', 'api-extension'>['Digits']>().toEqualTypeOf<number>();
    expectTypeOf<Values<'UserInput', 'api-extension'>['MinDigits']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<VerbAttributes<'Route'>['context']>().toEqualTypeOf<'routing'>();
  });
});

/** Whether a converted literal has the JavaScript type its attribute type promises. */
function hasCatalogueType(spec: AttributeSpec, value: unknown): boolean {
  switch (spec.type.kind) {
    case 'integer':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'enum':
      return typeof value === 'string' && spec.type.values.includes(value);
    default:
      return typeof value === 'string';
  }
}

function* literals(nodes: readonly ProgramNode[]): Generator<[string, string, unknown]> {
  for (const node of nodes) {
    for (const [name, value] of Object.entries(node.attributes)) if (value.kind === 'literal') yield [node.name, name, value.value];
    yield* literals(node.children);
  }
}

describe('programs carry the catalogue types', () => {
  it('every literal of every good fixture has its attribute type', () => {
    let checked = 0;
    for (const fixture of goodFixtures()) {
      const program = compileDocument(fixture.bytes, fixture.options).program!;
      for (const [verb, name, value] of literals(program.instructions)) {
        const spec = VERBS.find((v) => v.name === verb)?.attributes.find((a) => a.name === name);
        if (!spec) continue; // blocks (Input Key, Item Value) are strings and read by the engine as such
        expect(hasCatalogueType(spec, value), `${fixture.name}: ${verb} ${name}=${JSON.stringify(value)}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(400);
  });

  it('an invalid value kept with invalid-attribute-value off is no literal: the engine checks it again and skips the verb', async () => {
    const options = { rules: { 'invalid-attribute-value': 'off' as const } };
    const program = compileDocument('<Response><Delay Time="soon"/><Speak>Go on.</Speak></Response>', options).program!;
    expect(program.instructions[0]!.attributes['Time']).toEqual({
      kind: 'template', template: 'soon', origin: 'written', range: { line: 1, column: 24, endLine: 1, endColumn: 28 },
    });
    h = harness();
    await h.inbound({}, { program: compile('<Response><Delay Time="soon"/><Speak>Go on.</Speak></Response>', 'api-extension', options) });
    expect(h.trace(['verb.started', 'verb.finished', 'error', 'session.ended'])).toEqual([
      "0 error invalid-attribute-value: Time of <Delay> must be a whole number; 'soon' expanded to 'soon'.",
      '0 Speak', '1.3 Speak → completed',
      '1.3 end normal',
    ]);
  });
});

let h: Harness | undefined;
afterEach(async () => {
  await h?.dispose();
  h = undefined;
});
