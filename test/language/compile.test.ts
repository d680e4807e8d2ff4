/** compileDocument behaviour: names and aliases, main parameters, contexts, URLs, rule settings, robustness. */
import { describe, expect, it } from 'vitest';
import { compileDocument, DOCUMENT_CONTEXTS, RULES, ruleSetting, VERBS } from '../../src/language/index.js';
import type { CompileOptions, Diagnostic, ProgramNode } from '../../src/language/index.js';

const summary = (diagnostics: Diagnostic[]) => diagnostics.map((d) => `${d.rule}:${d.severity}`);

/** The attributes of the only instruction, as plain values. */
function valuesOf(text: string, options: CompileOptions = {}): Record<string, unknown> {
  const result = compileDocument(text, options);
  expect(result.diagnostics).toEqual([]);
  const node = result.program!.instructions[0]!;
  return Object.fromEntries(Object.entries(node.attributes).map(([k, v]) => [k, v.kind === 'literal' ? v.value : v.template]));
}

function names(nodes: readonly ProgramNode[]): unknown[] {
  return nodes.map((n) => (n.children.length ? [n.name, names(n.children)] : n.name));
}

describe('names', () => {
  it('match case-insensitively and come out canonical', () => {
    const result = compileDocument(`<RESPONSE>
  <userinput TIMEOUT="3" Digits="1"><initialcommands><speak>Hi</speak></initialcommands><INPUTS><input KEY="1"><hangup/></input></INPUTS></userinput>
</RESPONSE>`);
    expect(result.diagnostics).toEqual([]);
    expect(result.program!.root).toBe('Response');
    expect(names(result.program!.instructions)).toEqual([['UserInput', [['InitialCommands', ['Speak']], ['Inputs', [['Input', ['Hangup']]]]]]]);
    expect(Object.keys(result.program!.instructions[0]!.attributes).sort()).toEqual(['Digits', 'Repeat', 'Timeout']);
  });

  it('accept the aliases of design.md §3 and the vendor typos', () => {
    expect(compileDocument('<Response><ForwardCall Destination="102"/></Response>', { context: 'third-party' }).program!.instructions[0]!.name).toBe('Forward');
    expect(compileDocument('<Response><Userinput Digits="2"/></Response>').program!.instructions[0]!.name).toBe('UserInput');
    expect(valuesOf('<Response><Call Dialed="1001" Url="/c"/></Response>')).toEqual({ Dialled: '1001', Url: '/c', RingTime: 60 });
    expect(valuesOf('<Response><UserInput enteredUrl="/dtmf" Digits="4"/></Response>')).toEqual({
      ForwardToUrl: '/dtmf', Digits: 4, Repeat: false, Timeout: 5,
    });
    expect(valuesOf('<Response><AttendedTransfer TranferredCallId="270Okv" TargetCallId="HL1bE" TranferorParty="caller"/></Response>', { context: 'third-party' })).toEqual({
      TransferredCallId: '270Okv', TargetCallId: 'HL1bE', TransferorParty: 'caller',
    });
    expect(valuesOf('<Response><SendSms Recipient="1" DelivaryReportURL="/r">x</SendSms></Response>')).toEqual({
      Recipient: '1', Message: 'x', DeliveryReportURL: '/r',
    });
  });

  it('an alias and its canonical name together are one attribute written twice', () => {
    const result = compileDocument('<Response><Call Dialled="1" Dialed="2"/></Response>');
    expect(summary(result.diagnostics)).toEqual(['duplicate-attribute:error']);
    expect(result.diagnostics[0]!.message).toBe("'Dialed' repeats 'Dialled'; write it once.");
  });
});

describe('main parameters as text content or attribute', () => {
  const cases: [string, string, string, CompileOptions?][] = [
    ['Speak', 'Text', 'Hello there'],
    ['Play', 'AudioFile', 'prompts/hello.wav'],
    ['Delay', 'Time', '3'],
    ['GoTo', 'Url', 'https://app.example.com/next'],
    ['Call', 'Dialled', '+15551234567'],
    ['BlindTransfer', 'Target', '1001'],
    ['AttendedTransfer', 'Target', '2001'],
    ['TransferToService', 'Service', 'payments'],
    ['SendSms', 'Message', 'Hi'],
    ['SendEmail', 'Message', 'Body'],
    ['SendMsg', 'Text', 'Hi'],
    ['DeleteFile', 'SourceFile', 'tmp/a.wav'],
    ['Var', 'Value', '0042'],
    ['Route', 'Destination', '1000', { context: 'routing' }],
    ['Forward', 'Destination', '500', { context: 'third-party' }],
    ['SendDTMF', 'Keys', '123#', { context: 'third-party' }],
  ];
  const required: Record<string, string> = {
    SendSms: ' Recipient="1"', SendEmail: ' Recipient="a@example.com"', SendMsg: ' ToConnection="c@localhost"', Var: ' ID="v"', SendDTMF: ' Party="caller"',
  };

  it.each(cases)('<%s> takes %s as text or attribute, with the same result', (verb, attribute, value, options = {}) => {
    const extra = required[verb] ?? '';
    const asText = valuesOf(`<Response><${verb}${extra}>${value}</${verb}></Response>`, options);
    const asAttribute = valuesOf(`<Response><${verb}${extra} ${attribute}="${value}"/></Response>`, options);
    expect(asText).toEqual(asAttribute);
    expect(asText[attribute]).toBe(attribute === 'Time' ? Number(value) : value);
    const both = compileDocument(`<Response><${verb}${extra} ${attribute}="${value}">${value}</${verb}></Response>`, options);
    expect(summary(both.diagnostics)).toEqual(['text-and-attribute-both:error']);
    expect(both.program).toBeUndefined();
  });

  it('covers every main parameter of the catalogue', () => {
    const declared = VERBS.filter((v) => v.attributes.some((a) => a.main)).map((v) => v.name).sort();
    expect(cases.map(([verb]) => verb).sort()).toEqual(declared);
  });

  it('text content is decoded: entities, character references and CDATA', () => {
    expect(valuesOf('<Response><Speak>Tom &amp; Jerry &#x263A; &#65;<![CDATA[ <b>&amp;</b>]]></Speak></Response>')).toEqual({
      Text: 'Tom & Jerry ☺ A <b>&amp;</b>',
    });
    expect(valuesOf('<Response><Speak Text="&quot;hi&quot; &lt;3 &apos;x&apos;"/></Response>')).toEqual({ Text: '"hi" <3 \'x\'' });
  });
});

describe('contexts', () => {
  it.each(DOCUMENT_CONTEXTS)('%s: each verb is allowed exactly in its declared contexts', (context) => {
    for (const verb of VERBS) {
      const result = compileDocument(`<Response><${verb.name}/></Response>`, { context });
      const notAllowed = result.diagnostics.filter((d) => d.rule === 'verb-not-allowed-in-context');
      expect(notAllowed.length, `${verb.name} in ${context}`).toBe(verb.contexts!.includes(context) ? 0 : 1);
    }
  });

  it('routing documents allow only Route', () => {
    const allowed = VERBS.filter((v) => v.contexts!.includes('routing')).map((v) => v.name);
    expect(allowed).toEqual(['Route']);
    const result = compileDocument('<Response><Speak>Hi</Speak><Route Destination="1000"/></Response>', { context: 'routing' });
    expect(result.diagnostics.map((d) => d.message)).toEqual(['<Speak> is not allowed in routing documents (only in api-extension, third-party).']);
  });

  it('third-party documents require Party on Speak, Play and SendDTMF', () => {
    for (const verb of ['<Speak>Hi</Speak>', '<Play>a.wav</Play>', '<SendDTMF Keys="1"/>']) {
      const result = compileDocument(`<Response>${verb}</Response>`, { context: 'third-party' });
      expect(result.diagnostics.map((d) => d.message)).toEqual([`<${verb.slice(1).split(/[ >]/)[0]}> requires Party.`]);
      // The same document is fine in api-extension context (except SendDTMF, which is third-party only).
      if (!verb.startsWith('<SendDTMF')) expect(compileDocument(`<Response>${verb}</Response>`).diagnostics).toEqual([]);
    }
  });

  it('CallId and Party are ignored in api-extension documents, with a warning, and left out of the program', () => {
    const result = compileDocument('<Response><Play Party="caller" CallId="abc" Repeat="false">a.wav</Play></Response>');
    expect(result.diagnostics.map((d) => [d.rule, d.severity, d.message])).toEqual([
      ['attribute-ignored-in-context', 'warning', 'Party of <Play> is ignored in api-extension documents (it counts in third-party).'],
      ['attribute-ignored-in-context', 'warning', 'CallId of <Play> is ignored in api-extension documents (it counts in third-party).'],
    ]);
    expect(Object.keys(result.program!.instructions[0]!.attributes)).toEqual(['AudioFile', 'Repeat']);
  });

  it('attributes of one context only are not required or defaulted in the other', () => {
    // AttendedTransfer: Target in api-extension, TargetCallId in third-party; Timeout defaults only in api-extension.
    expect(valuesOf('<Response><AttendedTransfer Target="2001"/></Response>')).toEqual({ Target: '2001', Timeout: 30 });
    expect(valuesOf('<Response><AttendedTransfer TargetCallId="HL1bE"/></Response>', { context: 'third-party' })).toEqual({ TargetCallId: 'HL1bE' });
  });

  it('defaults to api-extension', () => {
    expect(compileDocument('<Response><Speak>Hi</Speak></Response>').program!.context).toBe('api-extension');
  });
});

describe('relative URLs', () => {
  const url = 'https://app.example.com/ivr/menu.php?step=1';

  it('resolve against options.url', () => {
    expect(valuesOf('<Response><GoTo>next.php?x=1</GoTo></Response>', { url })).toEqual({ Url: 'https://app.example.com/ivr/next.php?x=1' });
    expect(valuesOf('<Response><GoTo>/root.php</GoTo></Response>', { url })).toEqual({ Url: 'https://app.example.com/root.php' });
    expect(valuesOf('<Response><GoTo>../up.php</GoTo></Response>', { url })).toEqual({ Url: 'https://app.example.com/up.php' });
    expect(valuesOf('<Response><GoTo>?step=2</GoTo></Response>', { url })).toEqual({ Url: 'https://app.example.com/ivr/menu.php?step=2' });
    expect(valuesOf('<Response><GoTo>http://other.example.org/a</GoTo></Response>', { url })).toEqual({ Url: 'http://other.example.org/a' });
  });

  it('apply to every URL attribute, not to other strings; templates and empty values stay as written', () => {
    expect(valuesOf('<Response><Call Url="cc.php" ErrorUrl="err.php">1001</Call></Response>', { url })).toEqual({
      Dialled: '1001', Url: 'https://app.example.com/ivr/cc.php', ErrorUrl: 'https://app.example.com/ivr/err.php', RingTime: 60,
    });
    expect(valuesOf('<Response><Call Url="">1001</Call></Response>', { url })).toEqual({ Dialled: '1001', Url: '', RingTime: 60 });
    expect(valuesOf('<Response><GoTo>next.php?id=$CallId</GoTo></Response>', { url })).toEqual({ Url: 'next.php?id=$CallId' });
    expect(valuesOf('<Response><MoveFile SourceFile="a.wav" TargetDirectory="old"/></Response>', { url })).toEqual({ SourceFile: 'a.wav', TargetDirectory: 'old' });
  });
});

describe('rule settings', () => {
  const doc = '<Response><Speak>Hi $who</Speak><Hangup/><Beep/></Response>';

  it('run at their default severity', () => {
    expect(summary(compileDocument(doc).diagnostics)).toEqual(['undefined-variable:warning', 'unreachable-verb:warning']);
  });

  it('can be turned off, or up to error (then there is no program), or down to info', () => {
    expect(summary(compileDocument(doc, { rules: { 'undefined-variable': 'off' } }).diagnostics)).toEqual(['unreachable-verb:warning']);
    const strict = compileDocument(doc, { rules: { 'unreachable-verb': 'error' } });
    expect(summary(strict.diagnostics)).toEqual(['undefined-variable:warning', 'unreachable-verb:error']);
    expect(strict.program).toBeUndefined();
    expect(summary(compileDocument(doc, { rules: { 'undefined-variable': 'info', 'unreachable-verb': 'off' } }).diagnostics)).toEqual(['undefined-variable:info']);
  });

  it('an error rule turned off lets the program through; turned to warning it still shows', () => {
    const typo = '<Response><Speak Langauge="en-US">Hi</Speak></Response>';
    expect(compileDocument(typo).program).toBeUndefined();
    const off = compileDocument(typo, { rules: { 'unknown-attribute': 'off' } });
    expect(off.diagnostics).toEqual([]);
    expect(off.program!.instructions[0]!.attributes).toEqual({ Text: { kind: 'literal', value: 'Hi', origin: 'written', range: { line: 1, column: 35, endLine: 1, endColumn: 37 } } });
    expect(summary(compileDocument(typo, { rules: { 'unknown-attribute': 'warning' } }).diagnostics)).toEqual(['unknown-attribute:warning']);
  });

  it('name-case is off by default and can be enabled', () => {
    expect(ruleSetting('name-case')).toBe('off');
    expect(compileDocument('<Response><speak>Hi</speak></Response>').diagnostics).toEqual([]);
    expect(summary(compileDocument('<Response><speak>Hi</speak></Response>', { rules: { 'name-case': 'warning' } }).diagnostics)).toEqual(['name-case:warning']);
  });

  it('the <OzML> root is a warning by default and an error when unknown-root is raised', () => {
    expect(summary(compileDocument('<OzML><Beep/></OzML>').diagnostics)).toEqual(['unknown-root:warning']);
    const raised = compileDocument('<OzML><Beep/></OzML>', { rules: { 'unknown-root': 'error' } });
    expect(summary(raised.diagnostics)).toEqual(['unknown-root:error']);
    expect(raised.program).toBeUndefined();
  });

  it('fatal reader rules cannot be turned off or lowered', () => {
    const fatal = RULES.filter((r) => r.meta.fatal).map((r) => r.meta.id);
    expect(fatal).toEqual(['xml-syntax', 'doctype-forbidden', 'document-too-large', 'nesting-too-deep']);
    const rules = Object.fromEntries(fatal.map((id) => [id, 'off' as const]));
    expect(summary(compileDocument('<Response><Speak>Hi</Speek></Response>', { rules }).diagnostics)).toEqual(['xml-syntax:error']);
    expect(summary(compileDocument('<!DOCTYPE x><Response/>', { rules }).diagnostics)).toEqual(['doctype-forbidden:error']);
    expect(summary(compileDocument('<Response/>', { rules, maxBytes: 5 }).diagnostics)).toEqual(['document-too-large:error']);
    expect(summary(compileDocument('<Response><UserInput/></Response>', { rules: { 'nesting-too-deep': 'warning' }, maxDepth: 1 }).diagnostics)).toEqual(['nesting-too-deep:error']);
    for (const id of fatal) expect(ruleSetting(id, { [id]: 'off' })).toBe('error');
  });

  it('every rule has an id, a default severity, a one-line description and a documentation section', () => {
    const ids = RULES.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { meta } of RULES) {
      expect(meta.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(['error', 'warning', 'info', 'off']).toContain(meta.defaultSeverity);
      expect(meta.description).not.toContain('\n');
      expect(meta.description.length).toBeGreaterThan(10);
      expect(meta.docs.length).toBeGreaterThan(meta.description.length);
    }
  });

  it('use the severities of issue 2 (foreach-unknown-source a warning since issue 14: arrays survive GoTo)', () => {
    const severities = Object.fromEntries(RULES.map((r) => [r.meta.id, r.meta.defaultSeverity]));
    expect(Object.entries(severities).filter(([, s]) => s !== 'error')).toEqual([
      ['attribute-ignored-in-context', 'warning'],
      ['unreachable-verb', 'warning'],
      ['empty-response', 'warning'],
      ['undefined-variable', 'warning'],
      ['foreach-unknown-source', 'warning'],
      ['name-case', 'off'],
    ]);
  });
});

describe('diagnostics', () => {
  it('are sorted by position, then rule id', () => {
    const result = compileDocument(`<Response>
  <Speek/><Speak Langauge="x">$who</Speak>
  <Hangup Foo="1"/><Reject/>
</Response>`);
    expect(result.diagnostics.map((d) => `${d.range.line}:${d.range.column} ${d.rule}`)).toEqual([
      '2:3 unknown-verb', '2:18 unknown-attribute', '2:31 undefined-variable', '3:11 unknown-attribute',
      '3:20 reject-not-first', '3:20 unreachable-verb',
    ]);
  });

  it('offer a suggestion only where there is one', () => {
    const result = compileDocument('<Response><Speek/><Dance/></Response>');
    expect(result.diagnostics.map((d) => d.suggestion)).toEqual(['Speak', undefined]);
    expect('suggestion' in result.diagnostics[1]!).toBe(false);
  });
});

describe('compileDocument never throws', () => {
  it('returns an internal-error diagnostic for input of the wrong type', () => {
    for (const input of [undefined, null, 42, {}, ['<Response/>']]) {
      const result = compileDocument(input as unknown as string);
      expect(result.program).toBeUndefined();
      // The rest of the message is the engine's own TypeError text.
      expect(result.diagnostics).toEqual([{
        rule: 'internal-error', severity: 'error', message: expect.stringMatching(/^Internal error while compiling: ./),
        range: { line: 1, column: 1, endLine: 1, endColumn: 1 },
      }]);
    }
  });

  it('handles odd but valid options', () => {
    expect(summary(compileDocument('<Response/>', { maxBytes: 0 }).diagnostics)).toEqual(['document-too-large:error']);
    expect(summary(compileDocument('<Response/>', { maxDepth: 0 }).diagnostics)).toEqual(['nesting-too-deep:error']);
    expect(compileDocument('<Response><Beep/></Response>', { rules: { 'no-such-rule': 'off' }, knownVariables: [], knownArrays: [] }).diagnostics).toEqual([]);
  });
});

describe('a document with an unknown root', () => {
  it('is an error even when unknown-root is turned off or down: there is no program to run', () => {
    for (const setting of ['off', 'warning', 'info'] as const) {
      const result = compileDocument('<Reply><Hangup/></Reply>', { rules: { 'unknown-root': setting } });
      expect(result.program).toBeUndefined();
      expect(result.diagnostics).toEqual([{
        rule: 'unknown-root', severity: 'error', message: 'Unknown root element <Reply>; an OzML document is a <Response>.',
        range: { line: 1, column: 1, endLine: 1, endColumn: 8 }, suggestion: 'Response',
      }]);
    }
  });
});
