/**
 * Variables in URL attributes (docs/language.md "Variables in URLs", docs/webhooks.md §1): what a
 * real server on 127.0.0.1 receives when a caller's number lands in a GoTo URL. A value can never
 * add `#` overrides, query parameters or path segments.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CallControl } from '../../src/calls/call-control.js';
import { VirtualClock } from '../../src/calls/clock.js';
import { SimSwitch } from '../../src/calls/sim/sim-switch.js';
import { Engine } from '../../src/engine/engine.js';
import type { EngineEvent } from '../../src/engine/engine.js';
import { RecordingOutbox } from '../../src/engine/outbox.js';
import { encodeUrlValue, expandUrlTemplate } from '../../src/engine/url-template.js';
import { compileDocument } from '../../src/language/index.js';
import { HttpScriptSource } from '../../src/webhooks/http-source.js';
import { startServer } from './helpers/server.js';
import type { TestServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer((req, res) => {
    // /fail answers 500 (so the attempts can be counted); everything else is an empty reply.
    res.writeHead(req.url?.startsWith('/fail') ? 500 : 204).end();
  });
});
afterAll(() => server.close());
afterEach(() => {
  server.hits.length = 0;
});

/** Runs `script` for an inbound call from `caller` against the real server; returns the engine's events. */
async function run(script: string, caller: string): Promise<EngineEvent[]> {
  const clock = new VirtualClock();
  const sim = new SimSwitch({ clock, directory: {}, recordingsDir: mkdtempSync(path.join(tmpdir(), 'ozml-url-vars-')) });
  const calls = new CallControl(sim, { clock });
  const source = new HttpScriptSource({ app: { allowAddresses: ['loopback'], retryBackoffMs: 0 } });
  const engine = new Engine({ calls, source, outbox: new RecordingOutbox() });
  const events: EngineEvent[] = [];
  engine.events.subscribe((e) => events.push(e));
  try {
    const compiled = compileDocument(script.replaceAll('ORIGIN', server.origin), { context: 'api-extension' });
    expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const legId = sim.placeInboundCall({ from: caller, to: '9000' });
    await engine.start({ channel: calls.channel(legId)!, start: { program: compiled.program! } }).done;
    return events;
  } finally {
    await source.close();
  }
}

const query = (url: string): Array<[string, string]> => [...new URL(url, 'http://x').searchParams];

describe('a caller number in a GoTo URL arrives as data', () => {
  it('x#rc=5&rp=all&tt=60000 in the query is one value: no overrides, the default 2 attempts', async () => {
    await run('<Response><GoTo>ORIGIN/fail?from=$Caller</GoTo></Response>', 'x#rc=5&rp=all&tt=60000');
    expect(server.hits.map((h) => h.url)).toEqual([
      '/fail?from=x%23rc%3D5%26rp%3Dall%26tt%3D60000',
      '/fail?from=x%23rc%3D5%26rp%3Dall%26tt%3D60000',
    ]);
    expect(query(server.hits[0]!.url)).toEqual([['from', 'x#rc=5&rp=all&tt=60000']]);
  });

  it('1&admin=1 adds no parameter', async () => {
    await run('<Response><GoTo>ORIGIN/menu?from=$Caller&amp;step=2</GoTo></Response>', '1&admin=1');
    expect(server.hits.map((h) => h.url)).toEqual(['/menu?from=1%26admin%3D1&step=2']);
    expect(query(server.hits[0]!.url)).toEqual([['from', '1&admin=1'], ['step', '2']]);
  });

  it('a + reaches a form-decoding server as a plus, not a space', async () => {
    await run('<Response><GoTo>ORIGIN/menu?from=$Caller</GoTo></Response>', '+15551230001');
    expect(server.hits.map((h) => h.url)).toEqual(['/menu?from=%2B15551230001']);
    expect(query(server.hits[0]!.url)).toEqual([['from', '+15551230001']]);
  });

  it('in the path a value stays one segment: / ? # are encoded', async () => {
    await run('<Response><GoTo>ORIGIN/users/$Caller/menu</GoTo></Response>', 'a/../b?x=1#rc=5');
    expect(server.hits.map((h) => h.url)).toEqual(['/users/a%2F..%2Fb%3Fx%3D1%23rc%3D5/menu']);
  });

  it('in the fragment a value cannot add an override', async () => {
    await run('<Response><GoTo>ORIGIN/fail#rt=$Caller</GoTo></Response>', '9000&rc=5');
    // rt="9000&rc=5" is not a number, so it is ignored; rc stays the default (one retry).
    expect(server.hits.map((h) => h.url)).toEqual(['/fail', '/fail']);
  });

  it('a value that would be a whole .. segment is refused; nothing is requested', async () => {
    const events = await run('<Response><GoTo>ORIGIN/a/b/$Caller/admin</GoTo></Response>', '..');
    expect(server.hits).toEqual([]);
    expect(events.filter((e) => e.type === 'error')).toMatchObject([{
      type: 'error', code: 'invalid-attribute-value', verb: 'GoTo',
      message: `Url of <GoTo>: a variable in '${server.origin}/a/b/$Caller/admin' makes the path segment '..', which would change the path.`,
    }]);
  });

  it('a variable that begins the URL and holds an absolute URL supplies it; later values are encoded', async () => {
    await run('<Response><Var ID="next" Value="ORIGIN/n?a=1"/><GoTo>$next&amp;from=$Caller</GoTo></Response>', '1&b=2');
    expect(server.hits.map((h) => h.url)).toEqual(['/n?a=1&from=1%26b%3D2']);
  });
});

describe('expandUrlTemplate', () => {
  const vars: Record<string, string> = { a: 'x y', dots: '.', rel: 'sub/page.xml', url: 'https://h.example/p?q=1', empty: '' };
  const expand = (template: string, unknown: string[] = []): string => expandUrlTemplate(template, (n) => vars[n], (n) => unknown.push(n));

  it.each([
    ['/p/$a', '/p/x%20y'],
    ['/p?k=$a', '/p?k=x%20y'],
    ['/p#k=$a', '/p#k=x%20y'],
    ['$$a/$a', '$a/x%20y'],
    ['$rel', 'sub%2Fpage.xml'],
    ['$url&r=$rel', 'https://h.example/p?q=1&r=sub%2Fpage.xml'],
    ['/x/$url', '/x/https%3A%2F%2Fh.example%2Fp%3Fq%3D1'],
    ['/p/$dots-x', '/p/.-x'],
    ['/p?k=$dots', '/p?k=.'],
    ['/p/$empty/q', '/p//q'],
  ])('%s → %s', (template, expected) => {
    expect(expand(template)).toBe(expected);
  });

  it('an unknown variable expands to nothing and is reported', () => {
    const unknown: string[] = [];
    expect(expand('/p?k=$nope&j=$a', unknown)).toBe('/p?k=&j=x%20y');
    expect(unknown).toEqual(['nope']);
  });

  it.each(['/p/$dots/q', '/p/$dots$dots', '/p/.$dots'])('%s is refused (a dot segment)', (template) => {
    expect(() => expand(template)).toThrow(/makes the path segment '\.{1,2}', which would change the path$/);
  });

  it('a lone surrogate is encoded as U+FFFD instead of throwing', () => {
    expect(encodeUrlValue('a\uD800b')).toBe('a%EF%BF%BDb');
    expect(encodeUrlValue('\uDC00')).toBe('%EF%BF%BD');
    expect(encodeUrlValue('é😀')).toBe('%C3%A9%F0%9F%98%80');
  });
});
