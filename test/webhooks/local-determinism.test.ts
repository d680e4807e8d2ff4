/**
 * LocalScriptSource on the engine's virtual clock (`sourceUsesClock: true`): reading a route's
 * file is real I/O, during which virtual time must not move — otherwise other calls' timers fire
 * while the file is read and the document arrives at a different virtual time from run to run.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CallControl } from '../../src/calls/call-control.js';
import { VirtualClock } from '../../src/calls/clock.js';
import { SimSwitch } from '../../src/calls/sim/sim-switch.js';
import { Engine } from '../../src/engine/engine.js';
import type { EngineEvent } from '../../src/engine/engine.js';
import { RecordingOutbox } from '../../src/engine/outbox.js';
import { compileDocument } from '../../src/language/index.js';
import { LocalScriptSource } from '../../src/webhooks/local-source.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ozml-local-det-'));
writeFileSync(path.join(dir, 'next.xml'), '<Response><Delay>1</Delay><Hangup/></Response>');

const program = (text: string) => compileDocument(text, { context: 'api-extension' }).program!;
const GOTO = program('<Response><Delay>1</Delay><GoTo>http://app.test/next</GoTo></Response>');
const TICKS = program('<Response><Delay>1</Delay><Delay>1</Delay><Delay>1</Delay><Hangup/></Response>');

/** Three calls at once: two fetch a file route at t=1 s while the third's timers are pending. */
async function once(): Promise<string[]> {
  const clock = new VirtualClock();
  const sim = new SimSwitch({ clock, directory: {}, recordingsDir: dir });
  const calls = new CallControl(sim, { clock });
  const source = new LocalScriptSource({ routes: { 'http://app.test/next': 'next.xml' }, baseDir: dir, clock });
  const engine = new Engine({ calls, source, outbox: new RecordingOutbox(), sourceUsesClock: true });
  const lines: string[] = [];
  engine.events.subscribe((e: EngineEvent) => {
    if (e.type === 'verb.finished' || e.type === 'session.ended') lines.push(`${e.time} ${e.sessionId} ${e.type === 'verb.finished' ? `${e.verb} ${e.result}` : e.cause}`);
  });
  const start = (p: typeof GOTO) => {
    const legId = sim.placeInboundCall({ from: '+15550001', to: '9000' });
    return engine.start({ channel: calls.channel(legId)!, start: { program: p } }).done;
  };
  await Promise.all([start(GOTO), start(GOTO), start(TICKS)]);
  return lines;
}

describe('LocalScriptSource with file routes on a virtual clock', () => {
  it('gives the same result on every run: the document arrives at t=1 s', async () => {
    const first = await once();
    expect(first.filter((l) => l.includes('GoTo'))).toEqual(['1000 s1 GoTo document', '1000 s2 GoTo document']);
    expect(first.filter((l) => l.includes('normal'))).toEqual(['2000 s1 normal', '2000 s2 normal', '3000 s3 normal']);
    for (let run = 0; run < 15; run++) expect(await once()).toEqual(first);
  });

  it('a delayMs route sleeps on the clock (virtual time, not wall time)', async () => {
    const clock = new VirtualClock();
    const source = new LocalScriptSource({ routes: { 'http://app.test/slow': { ozml: '<Response><Hangup/></Response>', delayMs: 60_000 } }, clock });
    const reply = await source.fetch({ name: 'GoTo', url: 'http://app.test/slow', params: {}, context: 'api-extension' });
    expect(reply).toMatchObject({ kind: 'document', url: 'http://app.test/slow' });
    expect(clock.now()).toBe(60_000);
  });
});
