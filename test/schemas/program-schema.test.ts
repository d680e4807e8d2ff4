/** schemas/program.schema.json (draft 2020-12) with ajv: every good fixture's `ozml explain` output validates; broken programs do not. */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { compileDocument } from '../../src/language/index.js';
import type { Program } from '../../src/language/index.js';
import { explainFile } from '../../src/cli/explain.js';
import { goodFixtures, PROGRAM_SCHEMA_PATH } from './helpers.js';

const ajv = new Ajv2020({ strict: true, allErrors: true });
const validate = ajv.compile(JSON.parse(readFileSync(PROGRAM_SCHEMA_PATH, 'utf8')) as object);

async function explain(path: string, context: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await explainFile(path, { context: context as Program['context'] }, {
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
  });
  return { code, stdout, stderr };
}

const errorsOf = (value: unknown): string[] =>
  validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);

describe('ozml explain output of every good fixture validates', () => {
  const fixtures = goodFixtures();

  it('finds the fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(7);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))('%s', async (_name, fixture) => {
    // explain has no options for known variables: those fixtures explain with warnings, still exit 0.
    const explainable = Object.keys(fixture.options).every((k) => k === 'knownVariables');
    if (explainable) {
      const { code, stdout } = await explain(fixture.path, fixture.context);
      expect(code).toBe(0);
      expect(errorsOf(JSON.parse(stdout))).toEqual([]);
    } else {
      const { program } = compileDocument(readFileSync(fixture.path), { ...fixture.options, context: fixture.context });
      expect(errorsOf(JSON.parse(JSON.stringify(program)))).toEqual([]);
    }
  });
});

describe('the schema refuses programs the compiler cannot produce', () => {
  const source = [
    '<Response>',
    '  <UserInput Timeout="3">',
    '    <InitialCommands><Speak Text="Hi $Caller"/></InitialCommands>',
    '    <Inputs><Input Key="1"><Hangup/></Input></Inputs>',
    '  </UserInput>',
    '  <Play>hold.mp3</Play>',
    '</Response>',
  ].join('\n');
  const base = (): Record<string, any> => JSON.parse(JSON.stringify(compileDocument(source).program)) as Record<string, any>;

  it('accepts the program as compiled', () => {
    expect(errorsOf(base())).toEqual([]);
  });

  const broken: Array<[string, (p: Record<string, any>) => void, string]> = [
    ['an integer as a string', (p) => { p.instructions[0].attributes.Timeout.value = '3'; }, '/instructions/0/attributes/Timeout'],
    ['an integer out of range', (p) => { p.instructions[0].attributes.Timeout.value = 601; }, '/instructions/0/attributes/Timeout'],
    ['a boolean as a string', (p) => { p.instructions[0].attributes.Repeat.value = 'false'; }, '/instructions/0/attributes/Repeat'],
    ['an attribute the verb does not have', (p) => { p.instructions[1].attributes.Volume = { kind: 'literal', value: '3', origin: 'written' }; }, '/instructions/1/attributes'],
    ['a defaulted attribute missing', (p) => { delete p.instructions[0].attributes.Digits; }, '/instructions/0/attributes'],
    ['a template without a variable', (p) => { p.instructions[0].children[0].children[0].attributes.Text.template = 'Hi'; }, '/instructions/0/children/0/children/0/attributes/Text'],
    ['a template marked default', (p) => { p.instructions[0].children[0].children[0].attributes.Text.origin = 'default'; }, '/instructions/0/children/0/children/0/attributes/Text'],
    ['a block at the top level', (p) => { p.instructions.push(p.instructions[0].children[1]); }, '/instructions/2'],
    ['a verb directly inside <Inputs>', (p) => { p.instructions[0].children[1].children.push(p.instructions[1]); }, '/instructions/0/children/1/children/1'],
    ['a child inside <Play>', (p) => { p.instructions[1].children.push(structuredClone(p.instructions[1])); }, '/instructions/1/children'],
    ['an unknown element name', (p) => { p.instructions[1].name = 'Speek'; }, '/instructions/1/name'],
    ['a column of 0', (p) => { p.instructions[1].range.column = 0; }, '/instructions/1/range/column'],
    ['lower-case DTMF keys', (p) => { p.instructions[0].children[1].children[0].attributes.Key.value = 'a'; }, '/instructions/0/children/1/children/0/attributes/Key'],
    ['an unknown context', (p) => { p.context = 'ivr'; }, '/context'],
    ['an extra top-level property', (p) => { p.diagnostics = []; }, ''],
  ];

  it.each(broken)('refuses %s', (_what, breakIt, path) => {
    const program = base();
    breakIt(program);
    // ajv also reports `must match "then" schema` at each enclosing node; the specific errors must all be at the broken place.
    const specific = errorsOf(program).filter((e) => !e.endsWith('must match "then" schema'));
    const at = (e: string) => e.slice(0, e.indexOf(' '));
    expect(specific.length).toBeGreaterThan(0);
    expect(specific.filter((e) => !(at(e) === path || (path !== '' && at(e).startsWith(`${path}/`))))).toEqual([]);
  });
});
