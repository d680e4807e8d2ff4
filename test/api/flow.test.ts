/**
 * The whole path of a served call over real HTTP: a sim caller rings, the app's webhook hears
 * IncomingCall, its OzML speaks and gathers digits, and the Ozeki API lists, holds, unholds and
 * blind-transfers the call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiGet, eventually, form, simCall, startServer, startWebhook } from './helpers.js';
import type { TestServer, Webhook } from './helpers.js';

let hook: Webhook;
let srv: TestServer;

beforeAll(async () => {
  hook = await startWebhook((r) => {
    if (r.path === '/incoming') return `<Response><Speak>Welcome</Speak><UserInput Digits="2" ForwardToUrl="${hook.url}/dtmf"><InitialCommands><Speak>Enter your code</Speak></InitialCommands></UserInput></Response>`;
    if (r.path === '/dtmf') return '<Response><Delay Time="120"/></Response>';
    return '';
  });
  srv = await startServer({
    apps: { '9000': { incomingCallUrl: `${hook.url}/incoming`, allowAddresses: ['loopback'] } },
    serve: { sim: { parties: { '1001': { response: 'answer', ringSeconds: 0.2 } } } },
  });
});

afterAll(async () => {
  await srv.server.close();
  await hook.close();
});

describe('a served call, end to end', () => {
  it('rings in, runs the OzML, and is listed, held, unheld and transferred through the Ozeki API', async () => {
    const placed = await simCall(srv.base, { from: '+15550001', to: '9000', displayName: 'John Smith', digits: '42', hangupAfterSeconds: 8 });
    expect(placed.status).toBe(201);
    const callId = placed.json['callId'] as string;
    // Ids unique across processes: a random prefix, then the kind and a counter.
    expect(callId).toMatch(/^[0-9a-z]+-in-1$/);

    const incoming = await hook.next((r) => r.path === '/incoming');
    expect(incoming.method).toBe('POST');
    expect(incoming.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(incoming.params).toMatchObject({
      NotificationName: 'IncomingCall', CallId: callId, Caller: '+15550001', Callee: '9000', ApiExtension: '9000',
      CallState: 'Ringing', Direction: 'Incoming',
    });

    const dtmf = await hook.next((r) => r.path === '/dtmf');
    expect(dtmf.params).toMatchObject({ NotificationName: 'DtmfEntered', CallId: callId, DtmfDigits: '42', CallState: 'InCall' });

    const listed = await apiGet(srv.base, 'command=ListActiveCalls');
    expect(listed.status).toBe(200);
    expect(listed.contentType).toBe('application/xml');
    const start = /<StartTime>([^<]+)<\/StartTime>/.exec(listed.body)?.[1] ?? '';
    expect(start).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/);
    const ring = /<RingDuration>(\d+)<\/RingDuration>/.exec(listed.body)?.[1];
    const talk = /<TalkDuration>(\d+)<\/TalkDuration>/.exec(listed.body)?.[1];
    expect(listed.body).toBe([
      '<?xml version="1.0"?>',
      '<Response xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">',
      '  <Code>200</Code>',
      '  <Message>Command successfully executed</Message>',
      '  <ActiveCalls>',
      '    <CallInfo>',
      '      <CallState>InCall</CallState>',
      `      <CallId>${callId}</CallId>`,
      '      <Source>+15550001</Source>',
      '      <CallerId>John Smith</CallerId>',
      '      <Destination>9000</Destination>',
      `      <StartTime>${start}</StartTime>`,
      `      <RingDuration>${ring}</RingDuration>`,
      `      <TalkDuration>${talk}</TalkDuration>`,
      '    </CallInfo>',
      '  </ActiveCalls>',
      '</Response>',
    ].join('\n'));

    expect((await apiGet(srv.base, form({ command: 'Hold', CallId: callId }))).code).toBe(200);
    expect((await apiGet(srv.base, 'command=ListActiveCalls')).body).toContain('<CallState>Hold</CallState>');
    // Holding a held call is refused and changes nothing.
    const again = await apiGet(srv.base, form({ command: 'Hold', CallId: callId }));
    expect([again.code, again.message]).toEqual([303, "Command 'Hold' cannot be used here"]);

    expect((await apiGet(srv.base, form({ command: 'Unhold', CallId: callId }))).code).toBe(200);
    expect((await apiGet(srv.base, 'command=ListActiveCalls')).body).toContain('<CallState>InCall</CallState>');

    const transfer = await apiGet(srv.base, form({ command: 'BlindTransfer', CallId: callId, TransferorParty: 'callee', Target: '1001', FinishedUrl: `${hook.url}/finished` }));
    expect([transfer.code, transfer.message]).toEqual([200, 'Command successfully executed']);

    // The interpreter left: the caller's leg is released as transferred, the call leaves the list.
    const released = await eventually(() => srv.logs.find((l) => l['event'] === 'leg.state' && l['legId'] === callId && l['state'] === 'Released'));
    expect(released['cause']).toBe('transferred');
    expect((await apiGet(srv.base, 'command=ListActiveCalls')).body).toContain('<ActiveCalls />');

    // The caller hangs up on the target 8 s after answering: FinishedUrl hears how it went.
    const finished = await hook.next((r) => r.path === '/finished');
    expect(finished.params).toMatchObject({ NotificationName: 'TransferCompleted', CallId: callId, TransferCause: 'completed', Target: '1001' });
    expect(Number(finished.params['Duration'])).toBeGreaterThan(0);

    const log = srv.logs.filter((l) => l['event'] === 'api.request').map((l) => [l['command'], l['code']]);
    expect(log).toEqual([
      ['ListActiveCalls', 200], ['Hold', 200], ['ListActiveCalls', 200], ['Hold', 303], ['Unhold', 200], ['ListActiveCalls', 200],
      ['BlindTransfer', 200], ['ListActiveCalls', 200],
    ]);
  }, 20_000);
});
