/**
 * The dry run against a real app on 127.0.0.1 (pass-through): the HTTP source's retries and
 * redirects are run events, and `--record` files are byte-identical between runs of the same
 * scenario (no wall-clock time in them: elapsed time on the run's clock, no signature header).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DryRunEvent } from '../../src/dryrun/events.js';
import { runScenario } from '../../src/dryrun/runner.js';
import { parseScenario } from '../../src/dryrun/scenario/load.js';
import { startServer } from './helpers/server.js';
import type { TestServer } from './helpers/server.js';

const HANGUP = '<Response><Speak>Bye.</Speak><Hangup/></Response>';
let server: TestServer;
let attempts = new Map<string, number>();
beforeAll(async () => {
  server = await startServer((req, res) => {
    const url = req.url ?? '';
    const seen = (attempts.get(url) ?? 0) + 1;
    attempts.set(url, seen);
    if (url === '/flaky' && seen === 1) return res.writeHead(503).end();
    if (url === '/moved') return res.writeHead(302, { location: '/final' }).end();
    return res.writeHead(200, { 'content-type': 'application/xml' }).end(HANGUP);
  });
});
afterAll(() => server.close());
const dirs: string[] = [];
afterEach(() => {
  attempts = new Map();
  server.hits.length = 0;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function workspace(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ozml-dry-http-'));
  dirs.push(dir);
  writeFileSync(path.join(dir, 'ozml.config.json'), JSON.stringify({
    apps: { main: { allowAddresses: ['loopback'], retryBackoffMs: 0, secret: 'whsec_dry_run_secret_0001' } },
  }));
  return dir;
}

async function run(urlPath: string, dir: string, recordDir?: string): Promise<DryRunEvent[]> {
  const scenario = parseScenario(`script: ${server.url(urlPath)}\nconfig: ozml.config.json\n`, { baseDir: dir });
  const result = await runScenario(scenario, recordDir === undefined ? {} : { recordDir });
  return result.events;
}

const webhookEvents = (events: DryRunEvent[]) => events.filter((e) => e.type.startsWith('webhook.'));

describe('ozml run with a real webhook server', () => {
  it('a 503 then 200 is reported as webhook.retry, and the reply runs', async () => {
    const events = await run('/flaky', workspace());
    expect(webhookEvents(events)).toEqual([{
      t: 0, type: 'webhook.retry', notification: 'IncomingCall', url: server.url('/flaky'), nextAttempt: 2, delayMs: 0, reason: 'HTTP 503',
    }]);
    expect(server.hits.map((h) => [h.url, h.headers['x-ozml-attempt']])).toEqual([['/flaky', '1'], ['/flaky', '2']]);
    expect(events.filter((e) => e.type === 'verb.started').map((e) => (e as { verb: string }).verb)).toEqual(['Speak', 'Hangup']);
  });

  it('a 302 is reported as webhook.redirect', async () => {
    const events = await run('/moved', workspace());
    expect(webhookEvents(events)).toEqual([{
      t: 0, type: 'webhook.redirect', notification: 'IncomingCall', from: server.url('/moved'), to: server.url('/final'), status: 302,
    }]);
    expect(server.hits.map((h) => h.url)).toEqual(['/moved', '/final']);
  });

  it('--record files are byte-identical between two runs, with no signature and elapsed time on the run clock', async () => {
    const dir = workspace();
    const read = (d: string) => Object.fromEntries(readdirSync(d).sort().map((f) => [f, readFileSync(path.join(d, f), 'utf8')]));
    const a = path.join(dir, 'rec-a');
    const b = path.join(dir, 'rec-b');
    await run('/flaky', dir, a);
    attempts = new Map();
    await new Promise((resolve) => setTimeout(resolve, 1100)); // a new wall-clock second: a signature would differ
    await run('/flaky', dir, b);
    const first = read(a);
    expect(Object.keys(first)).toEqual(['0001-IncomingCall.yaml', '0002-IncomingCall.yaml']);
    expect(read(b)).toEqual(first);
    for (const text of Object.values(first)) {
      expect(text).not.toMatch(/x-ozml-signature/i);
      expect(text).toMatch(/\ntiming:\n {2}elapsedMs: 0\n$/);
    }
    // The requests were signed all the same.
    expect(server.hits.every((h) => /^t=\d+,v1=[0-9a-f]{64}$/.test(String(h.headers['x-ozml-signature'])))).toBe(true);
  });
});
