import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { answerOptions } from '../../src/calls/sip/options-ping.js';
import type { SipRequest } from '../../src/calls/sip/message.js';
import { trustedNetworks, UdpSipTransport } from '../../src/calls/sip/udp-transport.js';
import type { UdpTransportOptions } from '../../src/calls/sip/udp-transport.js';
import { missingTools, TOOLS } from '../support/tools.js';

const open: UdpSipTransport[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

async function transport(overrides: Partial<UdpTransportOptions> = {}): Promise<{ transport: UdpSipTransport; requests: SipRequest[] }> {
  const requests: SipRequest[] = [];
  const t = await UdpSipTransport.listen({
    address: '127.0.0.1',
    port: 0,
    onRequest: (request, from) => {
      requests.push(request);
      if (request.method === 'OPTIONS') t.send(answerOptions(request, { toTag: 'ozml1' }), from);
    },
    onResponse: () => {},
    ...overrides,
  });
  open.push(t);
  return { transport: t, requests };
}

/** Sends datagrams from `fromAddress` and collects what comes back until `answers` arrived. */
async function exchange(to: { address: string; port: number }, datagrams: string[], answers: number, fromAddress = '127.0.0.1'): Promise<string[]> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, fromAddress, resolve));
  const got: string[] = [];
  const done = new Promise<void>((resolve) => {
    if (answers === 0) resolve();
    socket.on('message', (data) => {
      got.push(data.toString('latin1'));
      if (got.length === answers) resolve();
    });
  });
  // Each send has left the socket before we wait (loopback delivers at once), so an unanswered datagram is counted.
  for (const d of datagrams) await new Promise<void>((resolve, reject) => socket.send(Buffer.from(d, 'latin1'), to.port, to.address, (e) => (e ? reject(e) : resolve())));
  await done;
  socket.close();
  return got;
}

const options = (branch: string, extra = ''): string =>
  `OPTIONS sip:ozml@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5999;branch=${branch}\r\nFrom: <sip:probe@127.0.0.1>;tag=p1\r\nTo: <sip:ozml@127.0.0.1>\r\nCall-ID: ${branch}@probe\r\nCSeq: 1 OPTIONS\r\n${extra}Content-Length: 0\r\n\r\n`;

describe('SIP over UDP', () => {
  it('answers OPTIONS with 200, our To tag and what it supports, byte for byte', async () => {
    const { transport: t } = await transport();
    const [answer] = await exchange(t.local, [options('z9hG4bK-a')], 1);
    expect(answer).toBe(
      'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK-a\r\nFrom: <sip:probe@127.0.0.1>;tag=p1\r\n'
      + 'To: <sip:ozml@127.0.0.1>;tag=ozml1\r\nCall-ID: z9hG4bK-a@probe\r\nCSeq: 1 OPTIONS\r\n'
      + 'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REFER, NOTIFY\r\nAccept: application/sdp\r\nSupported: replaces\r\nContent-Length: 0\r\n\r\n',
    );
  });

  it('answers a request it cannot parse but can address with 400 and the reason; drops what it cannot address', async () => {
    const { transport: t, requests } = await transport();
    const bad = options('z9hG4bK-b').replace('CSeq: 1 OPTIONS', 'CSeq: 1 INVITE');
    const [answer] = await exchange(t.local, ['garbage\r\n\r\n', '\u0000\u0001', bad], 1);
    expect(answer!.split('\r\n').slice(0, 1)).toEqual(['SIP/2.0 400 Bad Request']);
    expect(answer).toContain('\r\nWarning: 399 ozml "CSeq method INVITE does not match the request method OPTIONS"\r\n');
    expect(answer).toContain('\r\nTo: <sip:ozml@127.0.0.1>\r\n'); // no tag: the 400 is stateless
    expect(requests).toEqual([]);
    expect(t.counters).toEqual({ received: 3, untrusted: 0, malformed: 2, answeredBadRequest: 1, handlerErrors: 0 });
  });

  it('drops datagrams over the size limit and from untrusted sources, unanswered', async () => {
    const { transport: t, requests } = await transport({ trusted: ['127.0.0.2/32'], limits: { maxBytes: 300 } });
    await exchange(t.local, [options('z9hG4bK-c')], 0, '127.0.0.1');
    const answers = await exchange(t.local, [options('z9hG4bK-d', `X-Pad: ${'x'.repeat(400)}\r\n`), options('z9hG4bK-e')], 1, '127.0.0.2');
    expect(answers.map((a) => a.split('\r\n')[0])).toEqual(['SIP/2.0 200 OK']);
    expect(requests.map((r) => r.headers.get('Call-ID'))).toEqual(['z9hG4bK-e@probe']);
    expect(t.counters).toMatchObject({ received: 3, untrusted: 1, malformed: 1 });
  });

  it('keeps going when a handler throws, and reports it', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const t = await UdpSipTransport.listen({
      address: '127.0.0.1', port: 0, onResponse: () => {}, onHandlerError: (e) => errors.push(e),
      onRequest: (request, from) => {
        if (++calls === 1) throw new Error('handler bug');
        t.send(answerOptions(request, { toTag: 't' }), from);
      },
    });
    open.push(t);
    const answers = await exchange(t.local, [options('z9hG4bK-f'), options('z9hG4bK-g')], 1);
    expect(answers[0]).toContain('Call-ID: z9hG4bK-g@probe');
    expect(errors.map(String)).toEqual(['Error: handler bug']);
    expect(t.counters.handlerErrors).toBe(1);
  });

  it('refuses a trusted list entry that is not a CIDR network, naming it', () => {
    for (const bad of ['10.0.0.0', '10.0.0.0/33', '::1/129', 'host/8', '10.0.0.0/-1', '10.0.0.0/8a']) {
      expect(() => trustedNetworks([bad])).toThrow(`trusted: ${JSON.stringify(bad)} is not a CIDR network`);
    }
    expect(trustedNetworks(['10.0.0.0/8']).check('10.1.2.3')).toBe(true);
  });
});

describe.skipIf(missingTools('SIP OPTIONS against sipp', TOOLS.sipp))('SIP OPTIONS against sipp', () => {
  it('sipp sends OPTIONS and receives our 200 (sipp exits 0)', async () => {
    const { transport: t } = await transport({ trusted: ['127.0.0.0/8'] });
    const dir = mkdtempSync(path.join(tmpdir(), 'ozml-sipp-'));
    const scenario = path.join(dir, 'options.xml');
    writeFileSync(scenario, `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="options">
  <send retrans="500"><![CDATA[
OPTIONS sip:ozml@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag[call_number]
To: <sip:ozml@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 OPTIONS
Max-Forwards: 70
Content-Length: 0

]]></send>
  <recv response="200">
    <action><ereg regexp="INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REFER, NOTIFY" search_in="hdr" header="Allow:" check_it="true" assign_to="allow"/></action>
  </recv>
  <Reference variables="allow"/>
</scenario>
`);
    // sipp runs as its own process, asynchronously: the transport answers on this event loop.
    const child = spawn('sipp', [`127.0.0.1:${t.local.port}`, '-sf', scenario, '-i', '127.0.0.3', '-p', '0', '-m', '1', '-nostdin', '-timeout', '10s', '-trace_err', '-error_file', path.join(dir, 'errors.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const errors = (() => { try { return readFileSync(path.join(dir, 'errors.log'), 'utf8'); } catch { return ''; } })();
    expect({ code, errors: errors.slice(0, 500) }, stderr).toEqual({ code: 0, errors: '' });
    expect(t.counters).toMatchObject({ received: 1, malformed: 0, answeredBadRequest: 0 });
  });
});
