/** Var, Array, ForEach with `$` expansion; GoTo, Exit, Hangup, Reject; how a session gets its first document. */
import { afterEach, describe, expect, it } from 'vitest';
import { compile, harness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h.dispose();
});

const STEPS = ['verb.started', 'verb.finished', 'variable.warning', 'error', 'session.ended'];
const texts = () => h.of('verb.started').filter((e) => e.verb === 'Speak').map((e) => e.attributes['Text']);

describe('variables', () => {
  it('expands $name, the built-ins and $$; an unknown variable becomes empty with a warning', async () => {
    h = harness();
    await h.inbound(
      { from: '+15550001', to: '9000' },
      `<Response><Var ID="who">World</Var><Speak>Hello $who from $Caller to $Callee at $ApiExtension on $CallId costs $$5 $nobody.</Speak></Response>`,
    );
    // 12 words × 400 ms + one sentence end 500 ms
    expect(h.trace(STEPS)).toEqual([
      '0 Var', '0 Var → set',
      '0 warning $nobody in Speak',
      '0 Speak', '5.3 Speak → completed',
      '5.3 end normal',
    ]);
    expect(h.of('verb.started').map((e) => e.attributes)).toEqual([
      { ID: 'who', Value: 'World' },
      { Text: 'Hello World from +15550001 to 9000 at 9000 on in-1 costs $5 .' },
    ]);
    expect(h.of('variable.warning')).toEqual([{ time: 0, sessionId: 's1', type: 'variable.warning', name: 'nobody', verb: 'Speak' }]);
  });

  it('a later Var overrides an earlier one; variables expand in attributes too', async () => {
    h = harness();
    const program = compile('<Response><Var ID="n">1</Var><Var ID="n">2</Var><Var ID="wait" Value="$n"/><Delay Time="$wait"/><Speak>$n</Speak></Response>', 'api-extension', {
      rules: { 'duplicate-id': 'off' },
    });
    await h.inbound({}, { program });
    expect(h.of('verb.started').map((e) => [e.verb, e.attributes])).toEqual([
      ['Var', { ID: 'n', Value: '1' }],
      ['Var', { ID: 'n', Value: '2' }],
      ['Var', { ID: 'wait', Value: '2' }],
      ['Delay', { Time: 2 }],
      ['Speak', { Text: '2' }],
    ]);
    expect(h.trace(['verb.finished']).slice(3)).toEqual(['2 Delay → completed', '2.4 Speak → completed']);
  });

  it('after a plain value a dot is text: $file.wav reads the value of file followed by .wav', async () => {
    h = harness();
    await h.inbound({}, '<Response><Var ID="file">intro</Var><Play>$file.wav</Play><Speak>$Caller.x $missing.wav</Speak></Response>');
    expect(h.of('verb.started').map((e) => e.attributes)).toEqual([
      { ID: 'file', Value: 'intro' },
      { AudioFile: 'intro.wav', Repeat: false },
      { Text: '+15550001.x' },
    ]);
    expect(h.trace(['variable.warning'])).toEqual(['5 warning $missing.wav in Speak']);
  });

  it('a template that expands to an invalid value skips the verb with an error; the script goes on', async () => {
    h = harness();
    await h.inbound({}, '<Response><Var ID="t">abc</Var><Delay>$t</Delay><Speak>Go on.</Speak></Response>');
    expect(h.trace(STEPS)).toEqual([
      '0 Var', '0 Var → set',
      "0 error invalid-attribute-value: Time of <Delay> must be a whole number; '$t' expanded to 'abc'.",
      '0 Speak', '1.3 Speak → completed',
      '1.3 end normal',
    ]);
    expect(h.of('error')[0]).toMatchObject({ verb: 'Delay' });
  });
});

describe('Array and ForEach', () => {
  it('runs the body once per item with $item; items are expanded when the Array runs', async () => {
    h = harness();
    const program = compile(`<Response>
      <Var ID="who">World</Var>
      <Array ID="list"><Item>one</Item><Item Value="two $who"/><Item>three</Item></Array>
      <Var ID="who">Moon</Var>
      <ForEach Source="list"><Speak>$item</Speak></ForEach>
      <Speak>$item</Speak>
    </Response>`, 'api-extension', { rules: { 'duplicate-id': 'off' } });
    await h.inbound({}, { program });
    expect(texts()).toEqual(['one', 'two World', 'three']);
    expect(h.trace(['verb.finished']).filter((l) => !l.includes('Speak'))).toEqual([
      '0 Var → set', '0 Array → 3 items', '0 Var → set', '1.6 ForEach → 3 items',
    ]);
    // Outside the loop $item is unknown: the Speak would have no text, so it is skipped.
    expect(h.trace(['variable.warning', 'error'])).toEqual([
      '1.6 warning $item in Speak',
      "1.6 error invalid-attribute-value: Text of <Speak> must not be empty; '$item' expanded to ''.",
    ]);
  });

  it('nested loops: $item is the innermost item', async () => {
    h = harness();
    await h.inbound({}, `<Response>
      <Array ID="outer"><Item>a</Item><Item>b</Item></Array>
      <Array ID="inner"><Item>1</Item><Item>2</Item></Array>
      <ForEach Source="outer"><Var ID="o" Value="$item"/><ForEach Source="inner"><Speak>$o$item</Speak></ForEach><Speak>$item</Speak></ForEach>
    </Response>`);
    expect(texts()).toEqual(['a1', 'a2', 'a', 'b1', 'b2', 'b']);
  });

  it('$item.field reads fields of items the platform provides (voicemails)', async () => {
    h = harness();
    const voicemails = [
      { date: 'Monday', from: '+15550002', message: '/vm/1.wav' },
      { date: 'Tuesday', from: '+15550003', message: '/vm/2.wav' },
    ];
    await h.inbound({}, '<Response><ForEach Source="voicemails"><Speak>At $item.date from $item.from: $item.message $item.size</Speak></ForEach></Response>', {
      arrays: { voicemails },
    });
    // Expanded values are trimmed like written ones.
    expect(texts()).toEqual(['At Monday from +15550002: /vm/1.wav', 'At Tuesday from +15550003: /vm/2.wav']);
    expect(h.trace(['variable.warning'])).toEqual(['0 warning $item.size in Speak', '2.25 warning $item.size in Speak']);
  });

  it('an array that does not exist at run time is an error; the script goes on', async () => {
    h = harness();
    const program = compile('<Response><ForEach Source="nothing"><Speak>x</Speak></ForEach><Beep/></Response>', 'api-extension', {
      rules: { 'foreach-unknown-source': 'off' },
    });
    await h.inbound({}, { program });
    expect(h.trace(STEPS)).toEqual([
      '0 ForEach', "0 error unknown-array: ForEach: no array 'nothing'", '0 ForEach → unknown-array',
      '0 Beep', '0.5 Beep → completed', '0.5 end normal',
    ]);
  });

  it('a Hangup in the body ends the loop and the call', async () => {
    h = harness();
    await h.inbound({}, `<Response><Array ID="l"><Item>1</Item><Item>2</Item></Array>
      <ForEach Source="l"><Speak>$item</Speak><Hangup/></ForEach><Speak>after</Speak></Response>`);
    expect(h.trace(['verb.started', 'verb.finished', 'session.ended'])).toEqual([
      '0 Array', '0 Array → 2 items', '0 ForEach', '0 Speak', '0.4 Speak → completed', '0.4 Hangup', '0.4 Hangup → hangup',
      '0.4 ForEach → 1 items', '0.4 end normal',
    ]);
  });
});

describe('GoTo', () => {
  it('fetches the next document (GoTo notification) and runs it instead of the rest; its parameters become variables', async () => {
    h = harness({ routes: { 'http://app.example/next.xml': '<Response><Speak>$NotificationName for $who</Speak></Response>' } });
    const program = compile('<Response><Var ID="who">Ann</Var><GoTo>next.xml</GoTo><Speak>not reached</Speak></Response>', 'api-extension', {
      url: 'http://app.example/start.xml', rules: { 'unreachable-verb': 'off' },
    });
    await h.inbound({ from: '+15550001', to: '9000' }, { program, url: 'http://app.example/start.xml' });
    expect(h.trace(['document.loaded', 'verb.started', 'verb.finished', 'notification.requested', 'notification.replied', 'session.ended'])).toEqual([
      '0 document http://app.example/start.xml',
      '0 Var', '0 Var → set',
      '0 GoTo', '0 → GoTo http://app.example/next.xml', '0 ← GoTo document', '0 GoTo → document',
      '0 document http://app.example/next.xml',
      '0 Speak', '1.2 Speak → completed',
      '1.2 end normal',
    ]);
    expect(texts()).toEqual(['GoTo for Ann']);
    expect(h.source.deliveries).toEqual([{
      kind: 'fetch', name: 'GoTo', url: 'http://app.example/next.xml', route: 'http://app.example/next.xml',
      params: {
        NotificationName: 'GoTo', CallId: 'in-1', Caller: '+15550001', Callee: '9000', ApiExtension: '9000',
        CallState: 'InCall', Direction: 'Incoming', Timestamp: '1970-01-01T00:00:00.000Z',
      },
    }]);
    expect(h.of('verb.started').find((e) => e.verb === 'Speak')).toMatchObject({ url: 'http://app.example/next.xml', line: 1, column: 11 });
  });

  it('an Array declared before GoTo is iterated by the next document: arrays, like Vars, live in the call (docs/language.md)', async () => {
    h = harness({ routes: { 'http://app.example/next.xml': '<Response><ForEach Source="sampleArray"><Speak>$item</Speak></ForEach></Response>' } });
    const program = compile('<Response><Array ID="sampleArray"><Item>one</Item><Item>two</Item></Array><GoTo>next.xml</GoTo></Response>', 'api-extension', {
      url: 'http://app.example/start.xml',
    });
    await h.inbound({}, { program, url: 'http://app.example/start.xml' });
    expect(h.trace(['verb.finished', 'error', 'session.ended'])).toEqual([
      '0 Array → 2 items', '0 GoTo → document',
      '0.4 Speak → completed', '0.8 Speak → completed', '0.8 ForEach → 2 items', '0.8 end normal',
    ]);
    expect(texts()).toEqual(['one', 'two']);
  });

  it('a relative URL written as a template resolves against the document URL', async () => {
    h = harness({ routes: { 'http://app.example/menu/2.xml': '<Response><Beep/></Response>' } });
    const program = compile('<Response><Var ID="n">2</Var><GoTo>$n.xml</GoTo></Response>', 'api-extension', { url: 'http://app.example/menu/1.xml' });
    await h.inbound({}, { program, url: 'http://app.example/menu/1.xml' });
    expect(h.of('verb.started').find((e) => e.verb === 'GoTo')!.attributes).toEqual({ Url: 'http://app.example/menu/2.xml' });
    expect(h.trace(['verb.finished', 'session.ended'])).toEqual(['0 Var → set', '0 GoTo → document', '0.5 Beep → completed', '0.5 end normal']);
  });

  it('an empty reply leaves nothing to run: the call ends normally', async () => {
    h = harness({ routes: { 'http://app.example/empty': '<Response/>' } });
    const program = compile('<Response><GoTo>http://app.example/empty</GoTo><Speak>x</Speak></Response>', 'api-extension', { rules: { 'unreachable-verb': 'off' } });
    const result = await h.inbound({}, { program });
    expect(result).toEqual({ sessionId: 's1', cause: 'normal', verbs: 1, documents: 1 });
    expect(h.trace(['verb.finished', 'notification.replied', 'leg.state', 'session.ended'])).toEqual([
      '0 in-1 Idle→Ringing', '0 in-1 Ringing→Established', '0 ← GoTo empty', '0 GoTo → empty reply',
      '0 in-1 Established→Released (normal)', '0 end normal',
    ]);
  });

  it('a failed fetch sends the Error notification and hangs up with application-error', async () => {
    h = harness({ source: { errorUrl: 'http://app.example/errors' }, routes: { 'http://app.example/errors': '<Response/>' } });
    const result = await h.inbound({ from: '+15550001', to: '9000' }, '<Response><Beep/><GoTo>http://app.example/missing</GoTo></Response>');
    expect(result.cause).toBe('application-error');
    expect(h.trace(['verb.finished', 'notification.replied', 'error', 'leg.state', 'session.ended'])).toEqual([
      '0 in-1 Idle→Ringing', '0 in-1 Ringing→Established',
      '0.5 Beep → completed',
      '0.5 ← GoTo failed 11200',
      '0.5 GoTo → application-error',
      '0.5 error 11200: GoTo to http://app.example/missing failed: no local route for http://app.example/missing (routes: http://app.example/errors)',
      '0.5 in-1 Established→Released (application-error)',
      '0.5 end application-error',
    ]);
    expect(h.source.deliveries.map((d) => [d.kind, d.name, d.url])).toEqual([
      ['fetch', 'GoTo', 'http://app.example/missing'],
      ['send', 'Error', 'http://app.example/errors'],
    ]);
    expect(h.source.deliveries[1]!.params).toEqual({
      NotificationName: 'Error', CallId: 'in-1', Caller: '+15550001', Callee: '9000', ApiExtension: '9000', CallState: 'InCall',
      Direction: 'Incoming', Timestamp: '1970-01-01T00:00:00.500Z', ErrorCode: '11200', ErrorUrl: 'http://app.example/missing',
      Detail: 'no local route for http://app.example/missing (routes: http://app.example/errors)',
    });
  });
});

describe('Exit, Hangup, Reject', () => {
  it('Exit stops the script and hangs up', async () => {
    h = harness();
    const program = compile('<Response><Beep/><Exit/><Beep/></Response>', 'api-extension', { rules: { 'unreachable-verb': 'off' } });
    const result = await h.inbound({}, { program });
    expect(result).toEqual({ sessionId: 's1', cause: 'normal', verbs: 2, documents: 0 });
    expect(h.trace(['verb.finished', 'leg.state', 'session.ended'])).toEqual([
      '0 in-1 Idle→Ringing', '0 in-1 Ringing→Established', '0.5 Beep → completed', '0.5 Exit → exit',
      '0.5 in-1 Established→Released (normal)', '0.5 end normal',
    ]);
  });

  it('Hangup disconnects the caller', async () => {
    h = harness();
    const program = compile('<Response><Hangup/><Beep/></Response>', 'api-extension', { rules: { 'unreachable-verb': 'off' } });
    await h.inbound({}, { program });
    expect(h.trace(['verb.finished', 'leg.state', 'session.ended'])).toEqual([
      '0 in-1 Idle→Ringing', '0 in-1 Ringing→Established', '0 Hangup → hangup', '0 in-1 Established→Released (normal)', '0 end normal',
    ]);
  });

  it('Reject as the first verb refuses the call without answering it', async () => {
    h = harness();
    const result = await h.inbound({}, '<Response><Reject/></Response>');
    expect(result).toEqual({ sessionId: 's1', cause: 'rejected', verbs: 1, documents: 0 });
    expect(h.trace(['verb.started', 'verb.finished', 'leg.state', 'session.ended'])).toEqual([
      '0 in-1 Idle→Ringing', '0 Reject', '0 in-1 Ringing→Released (rejected)', '0 Reject → rejected', '0 end rejected',
    ]);
  });

  it('Reject after the call was answered hangs up with an error', async () => {
    h = harness();
    const program = compile('<Response><Beep/><Reject/></Response>', 'api-extension', { rules: { 'reject-not-first': 'off' } });
    const result = await h.inbound({}, { program });
    expect(result.cause).toBe('normal');
    expect(h.trace(['verb.finished', 'error', 'leg.state', 'session.ended'])).toEqual([
      '0 in-1 Idle→Ringing', '0 in-1 Ringing→Established', '0.5 Beep → completed',
      '0.5 error reject-not-first: Reject after the call was answered: hanging up instead',
      '0.5 Reject → hangup', '0.5 in-1 Established→Released (normal)', '0.5 end normal',
    ]);
  });
});

describe('the first document', () => {
  it('IncomingCall fetches it with the common parameters; the call is answered before the first verb', async () => {
    h = harness({ routes: { 'http://app.example/incoming': '<Response><Speak>Hi $Caller, this is $NotificationName.</Speak></Response>' } });
    const result = await h.inbound(
      { from: '+15550001', to: '9000' },
      { url: 'http://app.example/incoming', notification: 'IncomingCall' },
    );
    expect(result).toEqual({ sessionId: 's1', cause: 'normal', verbs: 1, documents: 1 });
    expect(h.trace(['session.started', 'document.loaded', 'notification.requested', 'notification.replied', 'leg.state', 'verb.finished', 'session.ended'])).toEqual([
      '0 in-1 Idle→Ringing',
      '0 start api-extension in-1',
      '0 → IncomingCall http://app.example/incoming',
      '0 ← IncomingCall document',
      '0 in-1 Ringing→Established',
      '0 document http://app.example/incoming',
      '2.75 Speak → completed',
      '2.75 in-1 Established→Released (normal)',
      '2.75 end normal',
    ]);
    expect(h.of('notification.requested')[0]!.params).toEqual({
      NotificationName: 'IncomingCall', CallId: 'in-1', Caller: '+15550001', Callee: '9000', ApiExtension: '9000',
      CallState: 'Ringing', Direction: 'Incoming', Timestamp: '1970-01-01T00:00:00.000Z',
    });
    expect(texts()).toEqual(['Hi +15550001, this is IncomingCall.']);
  });

  it('a reply that starts with Reject leaves the call unanswered', async () => {
    h = harness({ routes: { 'http://app.example/incoming': '<Response><Reject/></Response>' } });
    const result = await h.inbound({}, { url: 'http://app.example/incoming', notification: 'IncomingCall' });
    expect(result.cause).toBe('rejected');
    expect(h.trace(['leg.state'])).toEqual(['0 in-1 Idle→Ringing', '0 in-1 Ringing→Released (rejected)']);
  });

  it('an empty reply refuses the ringing call', async () => {
    h = harness({ routes: { 'http://app.example/incoming': { status: 204 } } });
    const result = await h.inbound({}, { url: 'http://app.example/incoming', notification: 'IncomingCall' });
    expect(result).toEqual({ sessionId: 's1', cause: 'rejected', verbs: 0, documents: 1 });
    expect(h.trace(['leg.state', 'session.ended'])).toEqual(['0 in-1 Idle→Ringing', '0 in-1 Ringing→Released (rejected)', '0 end rejected']);
  });

  it('a failed first fetch refuses the ringing call with application-error', async () => {
    h = harness();
    const result = await h.inbound({}, { url: 'http://app.example/incoming', notification: 'IncomingCall' });
    expect(result.cause).toBe('application-error');
    expect(h.trace(['leg.state', 'error', 'session.ended'])).toEqual([
      '0 in-1 Idle→Ringing',
      '0 error 11200: IncomingCall to http://app.example/incoming failed: no local route for http://app.example/incoming (routes: none)',
      '0 in-1 Ringing→Released (rejected)',
      '0 end application-error',
    ]);
  });
});
