/**
 * Office-user authentication and the address lists: a request that fails them does nothing at
 * all, for every command; failed logins are limited per address; an open API only on loopback.
 */
import { scryptSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiGuard, FAILED_LOGIN_LIMIT, LOGIN_BLOCK_MS, hashPassword } from '../../src/api/auth.js';
import { OzmlServer, ServeError } from '../../src/api/server.js';
import { defaultServeConfig, formatScryptHash, parseConfig, parseScryptHash } from '../../src/config/index.js';
import { apiGet, apiPost, eventually, form, simCall, startServer, startWebhook } from './helpers.js';
import type { TestServer, Webhook } from './helpers.js';

const salt = Buffer.alloc(16, 3).toString('base64');
const ADMIN_HASH = formatScryptHash({
  cost: 1024, blockSize: 8, parallelization: 1, salt,
  key: scryptSync('s3cret pass', Buffer.from(salt, 'base64'), 32, { N: 1024, r: 8, p: 1 }).toString('base64'),
});

let hook: Webhook;
let srv: TestServer;

beforeAll(async () => {
  hook = await startWebhook((r) => (r.path === '/incoming' || r.path === '/connected' ? '<Response><Delay Time="120"/></Response>' : ''));
  srv = await startServer({
    apps: { '9000': { incomingCallUrl: `${hook.url}/incoming`, allowAddresses: ['loopback'] } },
    serve: {
      users: { admin: { password: ADMIN_HASH }, ops: { password: 'env:OZML_TEST_OPS' } },
      sim: { parties: { '1001': { response: 'answer', ringSeconds: 0.1 } } },
    },
  }, { OZML_TEST_OPS: 'ops-password' });
});

afterAll(async () => {
  await srv.server.close();
  await hook.close();
});

async function liveCall(): Promise<string> {
  const callId = (await simCall(srv.base, { from: '+15550001', to: '9000' })).json['callId'] as string;
  await eventually(() => srv.logs.find((l) => l['event'] === 'leg.state' && l['legId'] === callId && l['state'] === 'Established'));
  return callId;
}

/** Valid parameters for every command, on live calls `a` and `b`. */
function everyCommand(a: string, b: string, hookUrl: string): Record<string, string>[] {
  return [
    { command: 'Call', Dialed: '1001', ApiExtension: '9000', Url: `${hookUrl}/connected` },
    { command: 'AttendedTransfer', TransferredCallId: a, TargetCallId: b },
    { command: 'BlindTransfer', CallId: a, TransferorParty: 'callee', Target: '1001' },
    { command: 'Forward', CallId: a, Destination: '1001' },
    { command: 'Hangup', CallId: a },
    { command: 'Hold', CallId: a },
    { command: 'Unhold', CallId: a },
    { command: 'ListActiveCalls' },
    { command: 'Play', CallId: a, Party: 'caller', AudioFile: 'https://media.example.com/a.wav' },
    { command: 'Record', CallId: a, Format: 'wav' },
    { command: 'SendDTMF', CallId: a, Party: 'caller', Keys: '1' },
    { command: 'Speak', CallId: a, Party: 'caller', Text: 'Hi' },
    { command: 'SendSms', ApiExtension: '9000', Recipient: '+1555', Message: 'x' },
    { command: 'SendEmail', ApiExtension: '9000', Recipient: 'a@example.com' },
  ];
}

/** Log lines of anything the phone system did (everything but the API request lines themselves). */
const activity = () => srv.logs.filter((l) => l['event'] !== 'api.request').length;

describe('with office users configured', () => {
  it('accepts a user with the right password (scrypt hash or env:NAME), by GET and by POST', async () => {
    const callId = await liveCall();
    expect(await apiGet(srv.base, form({ command: 'Hold', CallId: callId, Username: 'admin', Password: 's3cret pass' }))).toMatchObject({ code: 200 });
    expect(await apiPost(srv.base, form({ command: 'Unhold', CallId: callId, username: 'ops', password: 'ops-password' }))).toMatchObject({ code: 200 });
    const login = srv.logs.filter((l) => l['event'] === 'api.request').at(-1);
    expect(login).toMatchObject({ command: 'Unhold', code: 200, user: 'ops' });
    // Passwords never reach the log.
    expect(JSON.stringify(srv.logs)).not.toContain('s3cret');
    expect(JSON.stringify(srv.logs)).not.toContain('ops-password');
    await apiGet(srv.base, form({ command: 'Hangup', CallId: callId, Username: 'admin', Password: 's3cret pass' }));
  });

  it('does nothing at all for any command without credentials (304) or with wrong ones (305)', async () => {
    const a = await liveCall();
    const b = await liveCall();
    const before = activity();
    const webhooks = hook.received.length;
    for (const params of everyCommand(a, b, hook.url)) {
      const missing = await apiGet(srv.base, form(params));
      expect([params['command'], missing.code, missing.message]).toEqual([params['command'], 304, 'Authentication required']);
      expect(missing.body).not.toContain('<ActiveCalls');
      const wrong = await apiPost(srv.base, form({ ...params, Username: 'admin', Password: 'guess' }));
      expect([params['command'], wrong.code, wrong.message]).toEqual([params['command'], 305, 'Authentication failed, bad username or password']);
      const nobody = await apiGet(srv.base, form({ ...params, Username: 'mallory', Password: 's3cret pass' }));
      expect([params['command'], nobody.code]).toEqual([params['command'], 305]);
    }
    expect(activity()).toBe(before);
    expect(hook.received.length).toBe(webhooks);
    const calls = srv.server.runtime.listActiveCalls().filter((c) => c.callId === a || c.callId === b).map((c) => [c.callId, c.state]);
    expect(calls).toEqual([[a, 'InCall'], [b, 'InCall']]);
  });

  it('blocks an address after repeated failures: even the right password gets 305 then', async () => {
    // The loop above failed far more than FAILED_LOGIN_LIMIT times from 127.0.0.1.
    expect(await apiGet(srv.base, form({ command: 'ListActiveCalls', Username: 'admin', Password: 's3cret pass' }))).toMatchObject({ code: 305 });
  });
});

describe('the failed-login limit', () => {
  it(`blocks after ${FAILED_LOGIN_LIMIT} failures within a minute, for ${LOGIN_BLOCK_MS / 1000} s, per address`, async () => {
    let now = 1_000_000;
    const hash = await hashPassword('right');
    const hashed = parseScryptHash(hash);
    if ('error' in hashed) throw new Error(hashed.error);
    const guard = new ApiGuard({ users: { admin: { password: hashed } }, allow: [], deny: [] }, { now: () => now });
    for (let i = 0; i < FAILED_LOGIN_LIMIT - 1; i++) expect(await guard.check('10.0.0.1', 'admin', 'wrong')).toEqual({ ok: false, code: 'AuthenticationFailed' });
    expect(await guard.check('10.0.0.1', 'admin', 'right')).toEqual({ ok: true, user: 'admin' });
    expect(await guard.check('10.0.0.1', 'admin', 'wrong')).toEqual({ ok: false, code: 'AuthenticationFailed' });
    // The fifth failure blocked 10.0.0.1; 10.0.0.2 is not affected.
    expect(await guard.check('10.0.0.1', 'admin', 'right')).toEqual({ ok: false, code: 'AuthenticationFailed' });
    expect(await guard.check('::ffff:10.0.0.1', 'admin', 'right')).toEqual({ ok: false, code: 'AuthenticationFailed' });
    expect(await guard.check('10.0.0.2', 'admin', 'right')).toEqual({ ok: true, user: 'admin' });
    now += LOGIN_BLOCK_MS - 1;
    expect(await guard.check('10.0.0.1', 'admin', 'right')).toEqual({ ok: false, code: 'AuthenticationFailed' });
    now += 1;
    expect(await guard.check('10.0.0.1', 'admin', 'right')).toEqual({ ok: true, user: 'admin' });
    // Failures older than the window do not add up.
    for (let i = 0; i < FAILED_LOGIN_LIMIT - 1; i++) expect((await guard.check('10.0.0.3', 'admin', 'wrong')).ok).toBe(false);
    now += 60_000;
    expect((await guard.check('10.0.0.3', 'admin', 'wrong')).ok).toBe(false);
    expect(await guard.check('10.0.0.3', 'admin', 'right')).toEqual({ ok: true, user: 'admin' });
  });

  it('makes hashes the config accepts', async () => {
    const hash = await hashPassword('x');
    expect(hash).toMatch(/^scrypt:16384:8:1:[A-Za-z0-9+/]{22}==:[A-Za-z0-9+/]{43}=$/);
    expect(parseConfig(JSON.stringify({ serve: { users: { u: { password: hash } } } })).serve?.users['u']?.password.kind).toBe('scrypt');
  });
});

describe('the address lists', () => {
  it('deny wins over allow; an allow list without the client refuses it (307); the sim refuses too (403)', async () => {
    const denied = await startServer({ serve: { allow: ['127.0.0.0/8'], deny: ['127.0.0.1'] } });
    const elsewhere = await startServer({ serve: { allow: ['10.0.0.0/8', 'private'] } });
    const loopback = await startServer({ serve: { allow: ['loopback'] } });
    try {
      for (const server of [denied, elsewhere]) {
        expect(await apiGet(server.base, 'command=ListActiveCalls')).toMatchObject({ status: 200, code: 307, message: 'Use API from this address is forbidden' });
        expect((await simCall(server.base, { from: '1', to: '9000' })).status).toBe(403);
      }
      expect(await apiGet(loopback.base, 'command=ListActiveCalls')).toMatchObject({ code: 200 });
      expect(denied.logs.filter((l) => l['event'] === 'leg.created')).toEqual([]);
    } finally {
      await Promise.all([denied.server.close(), elsewhere.server.close(), loopback.server.close()]);
    }
  });
});

describe('an open API', () => {
  it('is refused on an address other machines can reach, saying why', async () => {
    const config = parseConfig('{}');
    await expect(OzmlServer.start({ config, listen: { host: '0.0.0.0', port: 0 } })).rejects.toThrow(ServeError);
    await expect(OzmlServer.start({ config, listen: { host: '0.0.0.0', port: 0 } })).rejects.toThrow(
      /^refusing to listen on 0\.0\.0\.0: the HTTP API has no users configured/,
    );
    expect(defaultServeConfig().listen).toEqual({ host: '127.0.0.1', port: 7780 });
  });
});
