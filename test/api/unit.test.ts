/** Pieces of the Ozeki API on their own, and the server's routes through fastify's inject(). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OZEKI_CODES, statusMessage } from '../../src/api/ozeki/codes.js';
import { commandName, localTimestamp } from '../../src/api/ozeki/commands.js';
import { CommandParams } from '../../src/api/ozeki/params.js';
import { replyXml } from '../../src/api/ozeki/xml-reply.js';
import { clientAddress } from '../../src/api/auth.js';
import { isLoopbackHost } from '../../src/api/server.js';
import { eventually, startServer } from './helpers.js';
import type { TestServer } from './helpers.js';

describe('CommandParams', () => {
  it('matches names in any case, decodes values (+ is a space), the query before the body, the first value winning', () => {
    const params = CommandParams.parse('Command=Speak&TEXT=Hello+World%21&text=second&Empty=&Bare', 'text=body&Party=caller');
    if ('error' in params) throw new Error(params.error);
    expect([params.get('command'), params.get('Text'), params.get('party'), params.get('empty'), params.get('bare'), params.get('missing')])
      .toEqual(['Speak', 'Hello World!', 'caller', '', '', undefined]);
    expect(params.first('TransferredCallId', 'TranferredCallId')).toBeUndefined();
    const alias = CommandParams.parse('TranferredCallId=a1', '');
    expect('error' in alias ? alias : alias.first('TransferredCallId', 'TranferredCallId')).toBe('a1');
  });

  it('reports the pair it cannot decode', () => {
    expect(CommandParams.parse('command=Hangup&CallId=%zz', '')).toEqual({ error: 'CallId=%zz' });
    expect(CommandParams.parse('', 'a=%E0%A4')).toEqual({ error: 'a=%E0%A4' });
  });
});

describe('the reply XML', () => {
  it('fills the templates and escapes what it carries', () => {
    expect(statusMessage({ name: 'InvalidParameter', args: ['CallId', 'Hold'] })).toBe("Missing or invalid parameter 'CallId' for command 'Hold'");
    expect(statusMessage({ name: 'CallNotFound', args: ['g67th7'] })).toBe("Call not found with ID 'g67th7'");
    expect(statusMessage({ name: 'ParseError', args: ['x'] })).toBe("Error occured during parsing message: 'x'");
    expect(Object.values(OZEKI_CODES).map((c) => c.code)).toEqual([200, 300, 301, 302, 303, 304, 305, 306, 307, 401, 402, 501, 601]);
    expect(replyXml({ name: 'NotImplementedCommand', args: ['<Evil & "x">\u0001'] }, [{ name: 'Extra', children: [{ name: 'A', text: '1 < 2' }] }])).toBe(
      '<?xml version="1.0"?>\n<Response xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">\n'
      + '  <Code>301</Code>\n  <Message>Not implemented command: \'&lt;Evil &amp; &quot;x&quot;&gt;\'</Message>\n'
      + '  <Extra>\n    <A>1 &lt; 2</A>\n  </Extra>\n</Response>',
    );
  });

  it('names commands canonically whatever their case', () => {
    expect(['listactivecalls', 'SENDDTMF', 'sendsms', 'attendedtransfer', 'nope'].map(commandName))
      .toEqual(['ListActiveCalls', 'SendDTMF', 'SendSms', 'AttendedTransfer', undefined]);
  });

  it('writes StartTime as local time with its offset', () => {
    const text = localTimestamp(Date.UTC(2013, 6, 1, 8, 49, 7, 955));
    const offset = -new Date(Date.UTC(2013, 6, 1)).getTimezoneOffset();
    const local = new Date(Date.UTC(2013, 6, 1, 8, 49, 7, 955) + offset * 60_000).toISOString().slice(0, 23);
    expect(text.slice(0, 23)).toBe(local);
    expect(text).toMatch(/^2013-07-01T\d\d:49:07\.955[+-]\d\d:\d\d$/);
  });
});

describe('addresses', () => {
  it('knows loopback hosts and IPv4 clients of a dual-stack socket', () => {
    expect(['127.0.0.1', '127.9.9.9', '::1', 'localhost', '0.0.0.0', '::', '10.0.0.1', 'example.com'].map(isLoopbackHost))
      .toEqual([true, true, true, true, false, false, false, false]);
    expect([clientAddress('::ffff:10.1.2.3'), clientAddress('::1'), clientAddress('10.1.2.3')]).toEqual(['10.1.2.3', '::1', '10.1.2.3']);
  });
});

describe('the routes (inject)', () => {
  let srv: TestServer;
  beforeAll(async () => {
    const app = { incomingCallUrl: 'http://127.0.0.1:9/unreached', allowAddresses: ['loopback'] };
    // One call at a time; one call per app per 1,000 s (the bucket holds one, and refills too slowly to matter).
    srv = await startServer({ apps: { '9000': app, '9001': app }, serve: { limits: { maxConcurrentCalls: 1, callsPerSecondPerApp: 0.001 } } });
  });
  afterAll(() => srv.server.close());

  const ring = (to: string) => srv.server.app.inject({ method: 'POST', url: '/sim/calls', payload: { from: '+1555', to } });

  it('refuses a sim call that is not one, naming each problem', async () => {
    const reply = await srv.server.app.inject({ method: 'POST', url: '/sim/calls', payload: { from: '1', hangupAfterSeconds: -1, colour: 'red' } });
    expect(reply.statusCode).toBe(400);
    expect(reply.json()).toEqual({
      error: 'invalid call',
      problems: ['/hangupAfterSeconds must be >= 0', "(body) must have required property 'to'", '(body) must NOT have unevaluated properties (colour)'],
    });
  });

  it('answers 503 over the concurrent-call limit, 429 over the calls/s limit, 404 for a number no app answers; each refused call ends with its cause', async () => {
    const first = await ring('9000');
    expect(first.statusCode).toBe(201);
    const concurrent = await ring('9001');
    expect([concurrent.statusCode, concurrent.json()['reason'], concurrent.json()['cause']]).toEqual([503, 'max-concurrent-calls', 'busy']);
    // The first call fails (its webhook is unreachable) and ends.
    await eventually(() => (srv.server.runtime.liveCalls === 0 ? true : undefined));
    const rate = await ring('9000');
    expect([rate.statusCode, rate.json()['reason'], rate.json()['cause']]).toEqual([429, 'calls-per-second', 'busy']);
    // Each app has a bucket of its own.
    expect((await ring('9001')).statusCode).toBe(201);
    await eventually(() => (srv.server.runtime.liveCalls === 0 ? true : undefined));
    const nobody = await ring('5555');
    expect([nobody.statusCode, nobody.json()['reason'], nobody.json()['cause']]).toEqual([404, 'no-app', 'rejected']);
    expect(srv.logs.filter((l) => l['msg'] === 'call refused').map((l) => l['reason'])).toEqual(['max-concurrent-calls', 'calls-per-second', 'no-app']);
    const refusedIds = [concurrent, rate, nobody].map((r) => r.json()['callId'] as string);
    const causes = refusedIds.map((id) => srv.logs.find((l) => l['event'] === 'leg.state' && l['state'] === 'Released' && l['legId'] === id)?.['cause']);
    expect(causes).toEqual(['busy', 'busy', 'rejected']);
  });
});

describe('reload', () => {
  it('keeps running calls on the settings they started with; new calls use the new config', async () => {
    const { startWebhook, simCall, apiGet, form } = await import('./helpers.js');
    const { parseConfig } = await import('../../src/config/index.js');
    const hook = await startWebhook((r) => (r.path === '/a' || r.path === '/b' ? '<Response><Delay Time="60"/></Response>' : ''));
    const srv = await startServer({ apps: { '9000': { incomingCallUrl: `${hook.url}/a`, allowAddresses: ['loopback'] } } });
    try {
      const old = (await simCall(srv.base, { from: '+1', to: '9000' })).json['callId'] as string;
      await hook.next((r) => r.path === '/a');
      srv.server.reload(parseConfig(JSON.stringify({ apps: { '9100': { incomingCallUrl: `${hook.url}/b`, allowAddresses: ['loopback'] } } })));
      const fresh = (await simCall(srv.base, { from: '+2', to: '9100' })).json['callId'] as string;
      expect((await hook.next((r) => r.path === '/b')).params['CallId']).toBe(fresh);
      // The old call's app is gone from the config, but the call is still controlled.
      expect(await apiGet(srv.base, form({ command: 'Hold', CallId: old }))).toMatchObject({ code: 200 });
      expect(await apiGet(srv.base, form({ command: 'Hangup', CallId: old }))).toMatchObject({ code: 200 });
      expect(srv.logs.filter((l) => l['event'] === 'leg.state' && l['legId'] === old).at(-1)).toMatchObject({ state: 'Released', cause: 'normal' });
      expect(srv.logs.find((l) => l['event'] === 'serve.reloaded')).toMatchObject({ apps: 1, users: 0 });
    } finally {
      await srv.server.close();
      await hook.close();
    }
  });
});
