/**
 * `ozml serve` as a process, the way it is deployed: it starts, answers requests copied from the
 * vendor's documentation, reloads on SIGHUP, drains on SIGTERM with 200 live calls (none lost) and
 * exits 0; it refuses an open API on a public address and a bad config, saying why.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, neutralEnv } from '../cli/helpers.js';
import { apiGet, apiPost, eventually, form, simCall, startWebhook } from './helpers.js';
import type { Webhook } from './helpers.js';

interface Served {
  child: ChildProcessWithoutNullStreams;
  base: string;
  logs: Record<string, unknown>[];
  stderr: () => string;
  exit: Promise<number | null>;
}

let dir: string;
let hook: Webhook;
const running = new Set<Served>();

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ozml-serve-cli-'));
  hook = await startWebhook((r) => {
    if (r.path === '/long') return '<Response><Speak>Please hold</Speak><Delay Time="600"/></Response>';
    if (r.path === '/short') return '<Response><Delay Time="1"/></Response>';
    if (r.path === '/connected') return '<Response><Speak>You have an appointment</Speak></Response>';
    return '';
  });
});

afterEach(() => {
  for (const served of running) served.child.kill('SIGKILL');
  running.clear();
});

afterAll(async () => {
  await hook.close();
  rmSync(dir, { recursive: true, force: true });
});

function writeConfig(name: string, config: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/** Starts `ozml serve` on a free port and waits for its "listening" line. */
async function serve(args: string[], env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', '--listen', '127.0.0.1:0', ...args], { cwd: dir, env: neutralEnv(env) });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
  });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const served: Served = { child, base: '', logs, stderr: () => stderr, exit };
  running.add(served);
  const listening = await eventually(() => logs.find((l) => l['event'] === 'serve.listening'));
  served.base = `http://127.0.0.1:${String(listening['port'])}`;
  return served;
}

describe('ozml serve', () => {
  it('answers requests copied from the vendor documentation unchanged', async () => {
    const config = writeConfig('docs.config.json', {
      apps: {
        '9986': { incomingCallUrl: `${hook.url}/long`, allowAddresses: ['loopback'] },
        '9990': { incomingCallUrl: `${hook.url}/long`, allowAddresses: ['loopback'] },
      },
      serve: { sim: { parties: { '103': { response: 'answer', ringSeconds: 0.1 } } } },
    });
    const served = await serve(['--config', config]);
    // GET and POST forms of the Call command from the HTTP API's GET/POST page.
    expect(await apiGet(served.base, 'command=Call&dialed=103&apiextension=9986')).toMatchObject({ status: 200, code: 200, message: 'Command successfully executed' });
    expect(await apiPost(served.base, 'command=Call&dialed=103&apiextension=9990')).toMatchObject({ code: 200 });
    // The response-format page's example.
    expect(await apiGet(served.base, 'command=ListActiveCalls')).toMatchObject({ code: 200 });
    // The appointment-reminder sample's POST (no ApiExtension; its own data in the Url's query).
    const single = writeConfig('reminder.config.json', {
      apps: { reminders: { incomingCallUrl: `${hook.url}/long`, allowAddresses: ['loopback'] } },
      serve: { sim: { parties: { '+3611111111': { response: 'answer', ringSeconds: 0.1 } } } },
    });
    const reminder = await serve(['--config', single]);
    const body = `Command=Call&Dialed=%2B3611111111&CallerDisplayName=Appointment Reminder&Url=${encodeURIComponent(`${hook.url}/connected`)}%3FAppLocation%3DBudapest%26AppDate%3D2013-07-01`;
    expect(await apiPost(reminder.base, body)).toMatchObject({ code: 200 });
    const connected = await hook.next((r) => r.path === '/connected');
    expect(connected.query).toEqual({ AppLocation: 'Budapest', AppDate: '2013-07-01' });
    expect(connected.params).toMatchObject({ NotificationName: 'CallConnected', Callee: '+3611111111', ApiExtension: 'reminders' });
  }, 20_000);

  it('drains 200 live calls on SIGTERM: new calls refused, none lost, exit 0 within the deadline', async () => {
    const config = writeConfig('drain.config.json', {
      apps: { '9000': { incomingCallUrl: `${hook.url}/long`, errorUrl: `${hook.url}/errors`, allowAddresses: ['loopback'] }, '9001': { incomingCallUrl: `${hook.url}/short`, allowAddresses: ['loopback'] } },
      serve: { drainSeconds: 2, limits: { maxConcurrentCalls: 500, callsPerSecondPerApp: 10_000 } },
    });
    const served = await serve(['--config', config]);
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) {
      const placed = await simCall(served.base, { from: `+1555${String(i).padStart(4, '0')}`, to: i % 10 === 0 ? '9001' : '9000' });
      expect(placed.status).toBe(201);
      ids.push(placed.json['callId'] as string);
    }
    const long = ids.filter((_, i) => i % 10 !== 0);
    await eventually(() => (long.every((id) => served.logs.some((l) => l['event'] === 'leg.state' && l['legId'] === id && l['state'] === 'Established')) ? true : undefined));
    served.child.kill('SIGTERM');
    await eventually(() => served.logs.find((l) => l['event'] === 'serve.draining'));
    const ready = await fetch(`${served.base}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([503, { status: 'draining' }]);
    const refused = await simCall(served.base, { from: '+15559999', to: '9000' });
    expect([refused.status, refused.json['reason'], refused.json['cause']]).toEqual([503, 'draining', 'rejected']);
    expect(await apiGet(served.base, form({ command: 'Call', Dialed: '1', ApiExtension: '9000', Url: `${hook.url}/long` }))).toMatchObject({ code: 303, message: "Command 'Call' cannot be used here" });
    expect(await served.exit).toBe(0);

    // Every call ended with a cause: the short ones by their script, the rest at the deadline.
    const released = new Map(served.logs.filter((l) => l['event'] === 'leg.state' && l['state'] === 'Released').map((l) => [l['legId'], l['cause']]));
    for (const id of ids) expect(released.has(id), `${id} released`).toBe(true);
    expect(new Set(ids.filter((_, i) => i % 10 === 0).map((id) => released.get(id)))).toEqual(new Set(['normal']));
    expect(new Set(long.map((id) => released.get(id)))).toEqual(new Set(['shutdown']));
    // …and each call cut short told its app.
    const errors = hook.received.filter((r) => r.path === '/errors');
    expect(errors.length).toBe(long.length);
    expect(new Set(errors.map((r) => r.params['CallId']))).toEqual(new Set(long));
    expect(errors[0]!.params).toMatchObject({ NotificationName: 'Error', ErrorCode: 'shutdown', ApiExtension: '9000' });
    expect(served.logs.at(-1)).toMatchObject({ event: 'serve.stopped', released: long.length });
  }, 60_000);

  it('reloads the config on SIGHUP for new requests', async () => {
    const file = writeConfig('reload.config.json', { serve: { drainSeconds: 0 } });
    const served = await serve(['--config', file], { OZML_RELOAD_PW: 'pw-from-env' });
    expect(await apiGet(served.base, 'command=ListActiveCalls')).toMatchObject({ code: 200 });
    writeConfig('reload.config.json', { serve: { drainSeconds: 0, users: { admin: { password: 'env:OZML_RELOAD_PW' } } } });
    served.child.kill('SIGHUP');
    await eventually(() => served.logs.find((l) => l['event'] === 'serve.reloaded'));
    expect(await apiGet(served.base, 'command=ListActiveCalls')).toMatchObject({ code: 304 });
    expect(await apiGet(served.base, 'command=ListActiveCalls&Username=admin&Password=pw-from-env')).toMatchObject({ code: 200 });
    // A broken config is reported and the running one stays.
    writeFileSync(file, '{ "serve": { "drainSeconds": -5 } }');
    served.child.kill('SIGHUP');
    const failed = await eventually(() => served.logs.find((l) => l['event'] === 'serve.reload-failed'));
    expect(String(failed['error'])).toContain('serve.drainSeconds: must be >= 0');
    expect(await apiGet(served.base, 'command=ListActiveCalls')).toMatchObject({ code: 304 });
    served.child.kill('SIGINT');
    expect(await served.exit).toBe(0);
  }, 20_000);

  it('serves /metrics in the Prometheus text format', async () => {
    const config = writeConfig('metrics.config.json', { apps: { '9000': { incomingCallUrl: `${hook.url}/short`, allowAddresses: ['loopback'] } }, serve: { drainSeconds: 0 } });
    const served = await serve(['--config', config]);
    const placed = await simCall(served.base, { from: '+15550001', to: '9000' });
    await eventually(() => served.logs.find((l) => l['event'] === 'leg.state' && l['legId'] === placed.json['callId'] && l['state'] === 'Released'));
    await apiGet(served.base, 'command=ListActiveCalls');
    await apiGet(served.base, 'command=Nope');
    const response = await fetch(`${served.base}/metrics`);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const samples = parsePrometheus(await response.text());
    expect(samples.get('ozml_active_calls')).toBe(0);
    expect(samples.get('ozml_calls_total{outcome="normal"}')).toBe(1);
    expect(samples.get('ozml_verbs_executed_total{verb="Delay"}')).toBe(1);
    expect(samples.get('ozml_webhook_duration_seconds_count{notification="IncomingCall"}')).toBe(1);
    expect(samples.get('ozml_api_requests_total{command="ListActiveCalls",code="200"}')).toBe(1);
    expect(samples.get('ozml_api_requests_total{command="unknown",code="301"}')).toBe(1);
    expect(samples.get('ozml_event_loop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    expect(samples.has('nodejs_eventloop_lag_p99_seconds')).toBe(true);
    expect((await fetch(`${served.base}/healthz`)).status).toBe(200);
    expect((await fetch(`${served.base}/readyz`)).status).toBe(200);
    served.child.kill('SIGTERM');
    expect(await served.exit).toBe(0);
  }, 20_000);

  it('refuses an open API on a public address, and a bad config, with exit 2 and the reason', () => {
    const open = spawnSync(process.execPath, [BIN, 'serve', '--listen', '0.0.0.0:0'], { cwd: dir, env: neutralEnv(), encoding: 'utf8' });
    expect(open.status).toBe(2);
    expect(open.stderr).toMatch(/^ozml: refusing to listen on 0\.0\.0\.0: the HTTP API has no users configured/);
    const bad = writeConfig('bad.config.json', { serve: { listen: 'everywhere', users: { admin: { password: 'hunter2' } } } });
    const invalid = spawnSync(process.execPath, [BIN, 'serve', '--config', bad], { cwd: dir, env: neutralEnv(), encoding: 'utf8' });
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toContain('serve.listen: must be HOST:PORT (use [ADDRESS]:PORT for IPv6)');
    expect(invalid.stderr).toContain('serve.users.admin.password: must be an scrypt hash');
    expect(invalid.stderr).not.toContain('hunter2');
    const listen = spawnSync(process.execPath, [BIN, 'serve', '--listen', 'nowhere'], { cwd: dir, env: neutralEnv(), encoding: 'utf8' });
    expect([listen.status, listen.stderr]).toEqual([2, 'ozml: --listen: "nowhere" is not HOST:PORT (use [ADDRESS]:PORT for IPv6)\n']);
  });

  it('prints an scrypt hash for the config with --hash-password', () => {
    const run = spawnSync(process.execPath, [BIN, 'serve', '--hash-password'], { cwd: dir, env: neutralEnv(), input: 'correct horse\n', encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^scrypt:16384:8:1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+\n$/);
  });
});

/** `name{labels} value` lines → map; comments skipped. */
function parsePrometheus(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}
