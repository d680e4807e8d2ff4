/**
 * The dry run waits for a slow real webhook without spinning: while the request holds virtual
 * time it waits on the clock's release, not on a setImmediate loop (which cost a whole core).
 * Counted in turns of the event loop, not in time.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { parseScenario } from '../../src/dryrun/index.js';
import { runScenario } from '../../src/dryrun/runner.js';

let server: http.Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** An app that answers after `delayMs` of wall time. */
async function slowApp(delayMs: number): Promise<string> {
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end('<Response><Speak>Hello.</Speak></Response>');
    }, delayMs));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/in`;
}

describe('settle', () => {
  it('waits on a 600 ms webhook with a bounded number of event-loop turns', async () => {
    const url = await slowApp(600);
    const scenario = parseScenario(`script: ${url}\ncall: { hangupAfterSeconds: 30 }\n`, { baseDir: process.cwd() });
    const config = parseConfig(JSON.stringify({ apps: { main: { allowAddresses: ['loopback'] } } }));
    const original = globalThis.setImmediate;
    let turns = 0;
    const counting = ((...args: Parameters<typeof setImmediate>) => { turns++; return original(...args); }) as typeof setImmediate;
    globalThis.setImmediate = Object.assign(counting, { __promisify__: original.__promisify__ });
    let result;
    try {
      result = await runScenario(scenario, { config });
    } finally {
      globalThis.setImmediate = original;
    }
    expect(result.events.filter((e) => e.type === 'media.started').map((e) => e.type === 'media.started' && e.source)).toEqual(['Hello.']);
    expect(result.cause).toBe('normal');
    // A spin takes a turn every few microseconds: tens of thousands in 600 ms. Waiting on the
    // release takes a handful per timer the run fires.
    expect(turns).toBeLessThan(500);
  });
});
