/** Exact compiled programs for representative fixtures: node shapes, ranges, defaults and their origins. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileDocument } from '../../src/language/index.js';
import type { CompileOptions, Program, Range } from '../../src/language/index.js';
import { GOOD } from './fixtures.js';

/** `'3:3-12:15'` → a Range. */
function at(span: string): Range {
  const [line, column, endLine, endColumn] = span.split(/[:-]/).map(Number) as [number, number, number, number];
  return { line, column, endLine, endColumn };
}
const written = (value: unknown, span: string) => ({ kind: 'literal', value, origin: 'written', range: at(span) });
const byDefault = (value: unknown) => ({ kind: 'literal', value, origin: 'default' });
const template = (text: string, span: string) => ({ kind: 'template', template: text, origin: 'written', range: at(span) });

function programOf(file: string, options: CompileOptions): Program {
  const result = compileDocument(readFileSync(join(GOOD, file)), options);
  expect(result.diagnostics).toEqual([]);
  return result.program!;
}

describe('compiled programs', () => {
  it('third-party Speak and Hangup (vendor example E2)', () => {
    expect(programOf('third-party/e02-speak-hangup.xml', { context: 'third-party' })).toEqual({
      root: 'Response',
      context: 'third-party',
      instructions: [
        {
          name: 'Speak', kind: 'verb', range: at('3:3-3:39'), children: [],
          attributes: { Text: written('Hello!', '3:25-3:31'), Party: written('caller', '3:17-3:23') },
        },
        {
          name: 'Hangup', kind: 'verb', range: at('4:3-4:36'), children: [],
          attributes: { CallId: written('23Xdz7', '4:19-4:25') },
        },
      ],
    });
  });

  it('UserInput with nested InitialCommands, Inputs and Input blocks (vendor example E7)', () => {
    const speak = (text: string, line: number, end: number) => ({
      name: 'Speak', kind: 'verb', range: at(`${line}:7-${line}:66`), children: [],
      attributes: { Text: written(text, `${line}:14-${line}:${end}`) },
    });
    const input = (key: string, line: number, text: string) => ({
      name: 'Input', kind: 'block', range: at(`${line}:7-${line}:124`),
      attributes: { Key: written(key, `${line}:19-${line}:20`) },
      children: [
        { name: 'Speak', kind: 'verb', range: at(`${line}:22-${line}:99`), children: [], attributes: { Text: written(text, `${line}:29-${line}:91`) } },
        { name: 'Hangup', kind: 'verb', range: at(`${line}:99-${line}:116`), children: [], attributes: {} },
      ],
    });
    expect(programOf('api-extension/e07-user-input.xml', { context: 'api-extension' })).toEqual({
      root: 'Response',
      context: 'api-extension',
      instructions: [
        {
          name: 'UserInput', kind: 'verb', range: at('3:3-12:15'),
          attributes: { Repeat: written(true, '3:34-3:38'), Timeout: written(2, '3:23-3:24'), Digits: byDefault(1) },
          children: [
            {
              name: 'InitialCommands', kind: 'block', range: at('4:5-7:23'), attributes: {},
              children: [
                speak('To subscribe to the silver package, press 1.', 5, 58),
                speak('To subscribe to the golden package, press 2.', 6, 58),
              ],
            },
            {
              name: 'Inputs', kind: 'block', range: at('8:5-11:14'), attributes: {},
              children: [
                input('1', 9, 'Congratulation! You subscribed to the silver package. Goodbye!'),
                input('2', 10, 'Congratulation! You subscribed to the golden package. Goodbye!'),
              ],
            },
          ],
        },
      ],
    });
  });

  it('BlindTransfer with every default applied and marked as such; templates keep their text (E13)', () => {
    const program = programOf('api-extension/e13-blind-transfer.xml', { context: 'api-extension' });
    expect(program.instructions.map((n) => n.name)).toEqual(['Speak', 'Delay', 'BlindTransfer', 'Speak']);
    expect(program.instructions[1]!.attributes).toEqual({ Time: written(5, '4:10-4:11') });
    expect(program.instructions[2]).toEqual({
      name: 'BlindTransfer', kind: 'verb', range: at('5:3-5:38'), children: [],
      attributes: {
        Target: written('1001', '5:18-5:22'),
        Timeout: byDefault(30),
        RingbackTone: byDefault('ringback-us'),
        DiversionTreatment: byDefault('none'),
        Record: byDefault(false),
        RecordFormat: byDefault('wav'),
      },
    });
    expect(program.instructions[3]!.attributes).toEqual({
      Text: template('Sorry, but the transfer failed: $TransferCause.', '6:10-6:57'),
    });
  });

  it('Route with its destination as text content (routing context)', () => {
    expect(programOf('routing/route-text.xml', { context: 'routing' }).instructions).toEqual([
      {
        name: 'Route', kind: 'verb', range: at('3:3-3:36'), children: [],
        attributes: { Destination: written('1001', '3:24-3:28'), RingTime: written(20, '3:20-3:22') },
      },
    ]);
  });

  it('Var values: $$ is a literal $, an empty Value stays empty, $names make templates', () => {
    expect(programOf('api-extension/var.xml', { context: 'api-extension' }).instructions.map((n) => n.attributes)).toEqual([
      { ID: written('greeting', '2:12-2:20'), Value: written('Good morning', '2:22-2:34') },
      { ID: written('price', '3:12-3:17'), Value: written('$10', '3:26-3:30') },
      { ID: written('empty', '4:12-4:17'), Value: written('', '4:26-4:26') },
      { Text: template('$greeting! The price is $price.', '5:10-5:41') },
    ]);
  });

  it('relative URLs resolve against options.url; absolute ones stay', () => {
    const program = programOf('api-extension/play.xml', { context: 'api-extension', url: 'https://app.example.com/ivr/start.xml' });
    expect(program.url).toBe('https://app.example.com/ivr/start.xml');
    expect(program.instructions.slice(0, 3).map((n) => n.attributes)).toEqual([
      { AudioFile: written('https://media.example.com/prompts/welcome.mp3', '2:9-2:54'), Repeat: byDefault(false) },
      { AudioFile: written('https://app.example.com/ivr/prompts/menu.wav', '3:20-3:36'), Repeat: byDefault(false) },
      {
        AudioFile: written('https://app.example.com/ivr/music/queue.mp3', '4:36-4:51'),
        Repeat: written(true, '4:17-4:21'),
        Timeout: written(30, '4:32-4:34'),
      },
    ]);
    // Without a URL the value stays as written.
    const unresolved = programOf('api-extension/play.xml', { context: 'api-extension' });
    expect(unresolved.url).toBeUndefined();
    expect(unresolved.instructions[1]!.attributes.AudioFile).toEqual(written('prompts/menu.wav', '3:20-3:36'));
  });

  it('keeps the <OzML> root name and drops attributes that do not apply in the context', () => {
    const result = compileDocument('<OzML><Speak Party="all" CallId="x">Hi</Speak></OzML>');
    expect(result.program).toEqual({
      root: 'OzML',
      context: 'api-extension',
      instructions: [{ name: 'Speak', kind: 'verb', range: at('1:7-1:47'), children: [], attributes: { Text: written('Hi', '1:37-1:39') } }],
    });
    expect(result.diagnostics.map((d) => `${d.rule}:${d.severity}`)).toEqual([
      'unknown-root:warning', 'attribute-ignored-in-context:warning', 'attribute-ignored-in-context:warning',
    ]);
  });

  it('serialises to JSON and back unchanged (plain data only)', () => {
    const program = programOf('api-extension/attended-transfer.xml', { context: 'api-extension' });
    expect(JSON.parse(JSON.stringify(program))).toEqual(program);
  });
});
