/**
 * Every Ozeki API command over real HTTP against a started server: success and the documented
 * failure codes, exact messages, GET and POST, `/` and `/api`, names in any case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiGet, apiPost, eventually, form, simCall, startServer, startWebhook } from './helpers.js';
import type { TestServer, Webhook } from './helpers.js';

let hook: Webhook;
let srv: TestServer;

beforeAll(async () => {
  hook = await startWebhook(async (r) => {
    if (r.path === '/slow') await new Promise((resolve) => setTimeout(resolve, 1500));
    if (r.path === '/incoming' || r.path === '/slow' || r.path === '/connected') return '<Response><Delay Time="120"/></Response>';
    return '';
  });
  srv = await startServer({
    apps: {
      '9000': { incomingCallUrl: `${hook.url}/incoming`, allowAddresses: ['loopback'] },
      '9001': { incomingCallUrl: `${hook.url}/slow`, allowAddresses: ['loopback'] },
    },
    serve: { sim: { parties: { '1001': { response: 'answer', ringSeconds: 0.1 }, '1002': { response: 'busy' }, '1003': { response: 'answer', ringSeconds: 0.1 } } } },
  });
});

afterAll(async () => {
  await srv.server.close();
  await hook.close();
});

/** A call to 9000 that is up (answered, its script waiting). */
async function liveCall(to = '9000'): Promise<string> {
  const placed = await simCall(srv.base, { from: '+15550001', to });
  const callId = placed.json['callId'] as string;
  await eventually(() => srv.logs.find((l) => l['event'] === 'leg.state' && l['legId'] === callId && l['state'] === 'Established'));
  return callId;
}

function legEvents(legId: string, type: string): Record<string, unknown>[] {
  return srv.logs.filter((l) => l['legId'] === legId && l['event'] === type);
}

const call = (params: Record<string, string>) => apiGet(srv.base, form(params));

describe('the reply format', () => {
  it('is HTTP 200 application/xml with the declaration, the two namespaces, Code and Message', async () => {
    const reply = await apiGet(srv.base, 'command=ListActiveCalls');
    expect(reply.status).toBe(200);
    expect(reply.contentType).toBe('application/xml');
    expect(reply.body).toBe('<?xml version="1.0"?>\n<Response xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">\n'
      + '  <Code>200</Code>\n  <Message>Command successfully executed</Message>\n  <ActiveCalls />\n</Response>');
  });

  it('is the same for POST with a form body, under /api, and for names in any case', async () => {
    const expected = (await apiGet(srv.base, 'command=ListActiveCalls')).body;
    expect((await apiPost(srv.base, 'command=ListActiveCalls')).body).toBe(expected);
    expect((await apiGet(srv.base, 'COMMAND=listactivecalls', '/api')).body).toBe(expected);
    expect((await apiPost(srv.base, 'Command=LISTACTIVECALLS', '/api', 'APPLICATION/X-WWW-FORM-URLENCODED; charset=UTF-8')).body).toBe(expected);
    expect((await apiPost(srv.base, 'command=ListActiveCalls', '/', 'text/plain')).body).toBe(expected);
  });

  it('answers 301 for commands it does not implement, 300 without a command or with a broken encoding', async () => {
    expect(await call({ command: 'GetConfig', ExtensionId: '1000' })).toMatchObject({ status: 200, code: 301, message: "Not implemented command: 'GetConfig'" });
    expect(await call({ command: 'ListCallHistory' })).toMatchObject({ code: 301, message: "Not implemented command: 'ListCallHistory'" });
    expect(await apiGet(srv.base, 'dialed=103')).toMatchObject({ code: 300, message: "Error occured during parsing message: 'no Command parameter'" });
    expect(await apiGet(srv.base, 'command=Hangup&CallId=%E0%A4%A')).toMatchObject({ code: 300, message: "Error occured during parsing message: 'CallId=%E0%A4%A'" });
    expect(await apiPost(srv.base, '{"command":"Hangup"}', '/', 'application/json')).toMatchObject({
      code: 300, message: "Error occured during parsing message: 'unsupported Content-Type application/json; send application/x-www-form-urlencoded'",
    });
  });
});

describe('Call', () => {
  it('dials, and once answered runs the OzML CallConnected fetches from Url (custom query kept)', async () => {
    const reply = await call({ command: 'Call', Dialed: '1001', ApiExtension: '9000', CallerId: '5550100', CallerDisplayName: 'Reminder', Url: `${hook.url}/connected?AppDate=2013-07-01` });
    expect([reply.code, reply.message]).toEqual([200, 'Command successfully executed']);
    const callId = /<CallId>([^<]+)<\/CallId>/.exec(reply.body)?.[1] ?? '';
    expect(callId).toMatch(/^[0-9a-z]+-leg-\d+$/);
    const connected = await hook.next((r) => r.path === '/connected' && r.params['CallId'] === callId);
    expect(connected.query).toEqual({ AppDate: '2013-07-01' });
    expect(connected.params).toMatchObject({ NotificationName: 'CallConnected', Caller: '5550100', Callee: '1001', ApiExtension: '9000', Direction: 'Outgoing', CallState: 'InCall' });
    expect((await apiGet(srv.base, 'command=ListActiveCalls')).body).toContain(`<CallId>${callId}</CallId>`);
    expect((await call({ command: 'Hangup', CallId: callId })).code).toBe(200);
  });

  it('answers 402 with the state when the callee does not answer, 401 for an unknown API extension, 302 for missing or bad parameters', async () => {
    expect(await call({ command: 'Call', Dialed: '1002', ApiExtension: '9000', Url: `${hook.url}/connected` })).toMatchObject({
      code: 402, message: "Call connect to '1002' failed with result state 'Busy'",
    });
    expect(await call({ command: 'Call', Dialed: '1001', ApiExtension: '9986', Url: `${hook.url}/connected` })).toMatchObject({
      code: 401, message: "API extension '9986' unavailable, please check configuration or permissions",
    });
    expect(await call({ command: 'Call', ApiExtension: '9000', Url: `${hook.url}/connected` })).toMatchObject({ code: 302, message: "Missing or invalid parameter 'Dialed' for command 'Call'" });
    expect(await call({ command: 'Call', Dialed: '1001', ApiExtension: '9000', Url: 'ftp://x' })).toMatchObject({ code: 302, message: "Missing or invalid parameter 'Url' for command 'Call'" });
    // Two apps: which one would place it is not obvious.
    expect(await call({ command: 'Call', Dialed: '1001', Url: `${hook.url}/connected` })).toMatchObject({ code: 302, message: "Missing or invalid parameter 'ApiExtension' for command 'Call'" });
  });
});

describe('Hangup, Hold, Unhold', () => {
  it('Hangup ends the call with cause normal; a call that is gone is 601', async () => {
    const callId = await liveCall();
    expect(await call({ command: 'Hangup', CallId: callId })).toMatchObject({ code: 200, message: 'Command successfully executed' });
    expect(legEvents(callId, 'leg.state').at(-1)).toMatchObject({ state: 'Released', cause: 'normal' });
    expect(await call({ command: 'Hangup', CallId: callId })).toMatchObject({ code: 601, message: `Call not found with ID '${callId}'` });
    expect(await call({ command: 'Hangup' })).toMatchObject({ code: 302, message: "Missing or invalid parameter 'CallId' for command 'Hangup'" });
  });

  it('Hold and Unhold move the call between InCall and Hold; the wrong one for the state is 303', async () => {
    const callId = await liveCall();
    expect(await call({ command: 'Unhold', CallId: callId })).toMatchObject({ code: 303, message: "Command 'Unhold' cannot be used here" });
    expect((await call({ command: 'hold', callid: callId })).code).toBe(200);
    expect(legEvents(callId, 'leg.state').at(-1)).toMatchObject({ state: 'Held' });
    expect((await call({ command: 'UNHOLD', CALLID: callId })).code).toBe(200);
    expect(legEvents(callId, 'leg.state').at(-1)).toMatchObject({ state: 'Established' });
    expect(await call({ command: 'Hold', CallId: 'g67th7' })).toMatchObject({ code: 601, message: "Call not found with ID 'g67th7'" });
    expect(await call({ command: 'Unhold', CallId: 'g67th7' })).toMatchObject({ code: 601 });
    await call({ command: 'Hangup', CallId: callId });
  });
});

describe('transfers', () => {
  it('BlindTransfer connects the caller to the target; the wrong transferor, a missing target or call are refused', async () => {
    const callId = await liveCall();
    expect(await call({ command: 'BlindTransfer', CallId: callId, TransferorParty: 'caller', Target: '1001' })).toMatchObject({ code: 303, message: "Command 'BlindTransfer' cannot be used here" });
    expect(await call({ command: 'BlindTransfer', CallId: callId, TransferorParty: 'nobody', Target: '1001' })).toMatchObject({ code: 302, message: "Missing or invalid parameter 'TransferorParty' for command 'BlindTransfer'" });
    expect(await call({ command: 'BlindTransfer', CallId: callId, TransferorParty: 'callee' })).toMatchObject({ code: 302, message: "Missing or invalid parameter 'Target' for command 'BlindTransfer'" });
    expect(await call({ command: 'BlindTransfer', CallId: 'nope', TransferorParty: 'callee', Target: '1001' })).toMatchObject({ code: 601, message: "Call not found with ID 'nope'" });
    expect((await call({ command: 'BlindTransfer', CallId: callId, TransferorParty: 'callee', Target: '1001' })).code).toBe(200);
    const ended = await eventually(() => legEvents(callId, 'transfer.ended')[0]);
    expect(ended).toMatchObject({ kind: 'blind', target: '1001', cause: 'completed' });
    expect(legEvents(callId, 'leg.state').at(-1)).toMatchObject({ state: 'Released', cause: 'transferred' });
  });

  it('AttendedTransfer joins the parties of two calls (also spelled TranferredCallId); unknown ids are 601', async () => {
    const first = await liveCall();
    const second = await liveCall();
    expect(await call({ command: 'AttendedTransfer', TransferredCallId: first, TargetCallId: 'HL1bE' })).toMatchObject({ code: 601, message: "Call not found with ID 'HL1bE'" });
    expect(await call({ command: 'AttendedTransfer', TransferredCallId: 'x1', TargetCallId: second })).toMatchObject({ code: 601, message: "Call not found with ID 'x1'" });
    expect(await call({ command: 'AttendedTransfer', TransferredCallId: first })).toMatchObject({ code: 302, message: "Missing or invalid parameter 'TargetCallId' for command 'AttendedTransfer'" });
    expect(await call({ command: 'AttendedTransfer', TranferredCallId: first, TargetCallId: second })).toMatchObject({ code: 200 });
    expect(legEvents(first, 'leg.state').at(-1)).toMatchObject({ state: 'Released', cause: 'transferred' });
    expect(legEvents(second, 'leg.state').at(-1)).toMatchObject({ state: 'Released', cause: 'transferred' });
    expect(legEvents(first, 'transfer.ended').at(-1)).toMatchObject({ kind: 'consult', cause: 'completed' });
    const listed = (await apiGet(srv.base, 'command=ListActiveCalls')).body;
    expect(listed).not.toContain(`<CallId>${first}</CallId>`);
    expect(listed).not.toContain(`<CallId>${second}</CallId>`);
  });

  it('Forward connects a call that is still ringing; an answered call is 303', async () => {
    const answered = await liveCall();
    expect(await call({ command: 'Forward', CallId: answered, Destination: '1003' })).toMatchObject({ code: 303, message: "Command 'Forward' cannot be used here" });
    expect(await call({ command: 'Forward', CallId: answered })).toMatchObject({ code: 302, message: "Missing or invalid parameter 'Destination' for command 'Forward'" });
    await call({ command: 'Hangup', CallId: answered });
    // The app of 9001 takes 1.5 s to answer IncomingCall: the call rings meanwhile.
    const placed = await simCall(srv.base, { from: '+15550002', to: '9001' });
    const ringing = placed.json['callId'] as string;
    expect((await apiGet(srv.base, 'command=ListActiveCalls')).body).toContain('<CallState>Ringing</CallState>');
    expect(await call({ command: 'Forward', CallId: ringing, Destination: '1003' })).toMatchObject({ code: 200 });
    const ended = await eventually(() => legEvents(ringing, 'transfer.ended')[0]);
    expect(ended).toMatchObject({ kind: 'blind', target: '1003', cause: 'completed' });
  });
});

describe('media commands', () => {
  it('Speak speaks the decoded text to the party; Party and Text are required', async () => {
    const callId = await liveCall();
    expect(await apiGet(srv.base, `command=Speak&CallId=${callId}&Party=caller&Text=Hello+John+%26+Mary%2C+%24100`)).toMatchObject({ code: 200 });
    const started = await eventually(() => legEvents(callId, 'media.started')[0]);
    expect(started).toMatchObject({ media: 'speech', source: 'Hello John & Mary, $100' });
    expect(await call({ command: 'Speak', CallId: callId, Text: 'Hi' })).toMatchObject({ code: 302, message: "Missing or invalid parameter 'Party' for command 'Speak'" });
    expect(await call({ command: 'Speak', CallId: callId, Party: 'caller' })).toMatchObject({ code: 302, message: "Missing or invalid parameter 'Text' for command 'Speak'" });
    expect(await call({ command: 'Speak', CallId: callId, Party: 'callee', Text: 'Hi' })).toMatchObject({ code: 303, message: "Command 'Speak' cannot be used here" });
    expect(await call({ command: 'Speak', CallId: 'gone', Party: 'caller', Text: 'Hi' })).toMatchObject({ code: 601, message: "Call not found with ID 'gone'" });
    await call({ command: 'Hangup', CallId: callId });
  });

  it('Play plays the audio file; SendDTMF sends the keys; Record starts a recording', async () => {
    const callId = await liveCall();
    expect(await call({ command: 'Play', CallId: callId, Party: 'all', AudioFile: 'https://media.example.com/hold.wav', Repeat: 'false' })).toMatchObject({ code: 200 });
    expect(await eventually(() => legEvents(callId, 'media.started')[0])).toMatchObject({ media: 'audio', source: 'https://media.example.com/hold.wav' });
    expect(await call({ command: 'Play', CallId: callId, Party: 'caller' })).toMatchObject({ code: 302, message: "Missing or invalid parameter 'AudioFile' for command 'Play'" });
    expect(await call({ command: 'Play', CallId: callId, Party: 'caller', AudioFile: 'a.wav', Repeat: 'maybe' })).toMatchObject({ code: 302, message: "Missing or invalid parameter 'Repeat' for command 'Play'" });

    expect(await call({ command: 'SendDTMF', CallId: callId, Party: 'caller', Keys: '12#' })).toMatchObject({ code: 200 });
    expect(await eventually(() => legEvents(callId, 'dtmf.sent')[0])).toMatchObject({ digits: '12#' });
    expect(await call({ command: 'SendDTMF', CallId: callId, Party: 'caller', Keys: '12x' })).toMatchObject({ code: 302, message: "Missing or invalid parameter 'Keys' for command 'SendDTMF'" });

    expect(await call({ command: 'Record', CallId: callId, Format: 'ogg' })).toMatchObject({ code: 302, message: "Missing or invalid parameter 'Format' for command 'Record'" });
    expect(await call({ command: 'Record', CallId: callId, Format: 'wav', FinishedURL: `${hook.url}/recorded` })).toMatchObject({ code: 200 });
    expect(await eventually(() => legEvents(callId, 'recording.started')[0])).toMatchObject({ format: 'wav' });
    await call({ command: 'Hangup', CallId: callId });
    const done = await hook.next((r) => r.path === '/recorded');
    expect(done.params).toMatchObject({ NotificationName: 'RecordCompleted', CallId: callId });
    expect(done.params['RecordURL']).toMatch(/\.wav$/);
  });
});

describe('messages', () => {
  it('SendSms and SendEmail go to the outbox; the SMS id comes back', async () => {
    const sms = await call({ command: 'SendSms', ApiExtension: '9000', Recipient: '+36301234567', Message: 'Your code is 1234' });
    expect(sms).toMatchObject({ code: 200 });
    expect(sms.body).toContain('<SmsId>sms-1</SmsId>');
    expect(srv.logs.find((l) => l['msg'] === 'message queued' && l['id'] === 'sms-1')).toMatchObject({ kind: 'sms', to: '+36301234567', app: '9000' });
    expect(await call({ command: 'SendSms', ApiExtension: '9000', Message: 'x' })).toMatchObject({ code: 302, message: "Missing or invalid parameter 'Recipient' for command 'SendSms'" });
    expect(await call({ command: 'SendSms', ApiExtension: '7777', Recipient: '+1', Message: 'x' })).toMatchObject({ code: 401, message: "API extension '7777' unavailable, please check configuration or permissions" });
    expect(await call({ command: 'SendEmail', ApiExtension: '9000', Recipient: 'ops@example.com', Subject: 'Report', Message: 'All good' })).toMatchObject({ code: 200 });
    expect(srv.logs.find((l) => l['msg'] === 'message queued' && l['kind'] === 'email')).toMatchObject({ to: 'ops@example.com' });
    expect(await call({ command: 'SendEmail', ApiExtension: '9000' })).toMatchObject({ code: 302, message: "Missing or invalid parameter 'Recipient' for command 'SendEmail'" });
  });
});
