/**
 * The default caller of a plain `ozml run` gives up on calls that would never end: it hangs up as
 * the same prompt finishes for the second time, or 10 s into a silent recording that only a key
 * could end, and the verdict says so. Scenarios describe their caller; `giveUp` is theirs to set.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DryRunEvent } from '../../src/dryrun/events.js';
import { runScenario } from '../../src/dryrun/runner.js';
import { parseScenario } from '../../src/dryrun/scenario/load.js';
import { ozml, tempDir } from './helpers.js';

let dir: { path: string; remove: () => void };
beforeAll(() => {
  dir = tempDir();
  writeFileSync(join(dir.path, 'music.xml'), '<Response><Speak>Hello there</Speak><Play Repeat="true">https://media.test/hold.mp3</Play></Response>');
  writeFileSync(join(dir.path, 'record.xml'), '<Response><Record FinishDigits="12"/></Response>');
  writeFileSync(join(dir.path, 'bounded.xml'), '<Response><Record Duration="30"/><Speak>Bye</Speak></Response>');
});
afterAll(() => dir.remove());

const brief = (events: readonly DryRunEvent[]): string[] => events.flatMap((e) => {
  switch (e.type) {
    case 'media.started': return [`${e.t} play ${e.source}`];
    case 'media.ended': return [`${e.t} ${e.endedBy}`];
    case 'recording.ended': return [`${e.t} recorded ${e.durationSeconds}s (${e.endedBy})`];
    case 'leg.state': return e.state === 'Released' ? [`${e.t} released ${e.cause}`] : [];
    case 'session.ended': return [`${e.t} session ${e.cause}`];
    default: return [];
  }
});

async function run(text: string) {
  return runScenario(parseScenario(text, { baseDir: dir.path }), {});
}

describe('the default caller', () => {
  it('ozml run of an endless Play hangs up as the audio finishes the second time, and says why', async () => {
    const r = await ozml(['run', 'music.xml'], { cwd: dir.path });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(-5)).toEqual([
      '  +10.800s  ozml         run ended after 10.8s: caller-hangup',
      '',
      '✓ music.xml (0 expectations, 10.800s of call)',
      '    the default caller hung up after hearing audio "https://media.test/hold.mp3" twice (describe the caller in a scenario to change this)',
      '',
    ]);
  });

  it('ozml run of a Record only a key could end hangs up after 10 s of silence', async () => {
    const r = await ozml(['run', 'record.xml'], { cwd: dir.path });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  +10.000s  caller       recorded in-1-1.mp3, 10s (hangup)\n');
    expect(r.stdout.split('\n').slice(-3)).toEqual([
      '✓ record.xml (0 expectations, 10.000s of call)',
      '    the default caller hung up after 10s of silence in a recording that only a key could end (describe the caller in a scenario to change this)',
      '',
    ]);
  });

  it('plays each prompt through: the speech once, the audio twice, then hangs up', async () => {
    const result = await run('script: music.xml\n');
    expect(brief(result.events)).toEqual([
      '0 play Hello there', '0.8 completed',
      '0.8 play https://media.test/hold.mp3', '5.8 completed',
      '5.8 play https://media.test/hold.mp3',
      '10.8 released remote-hangup', '10.8 hangup', '10.8 session caller-hangup',
    ]);
  });

  it('waits out a recording with its own limit', async () => {
    const result = await run('script: bounded.xml\n');
    expect(brief(result.events)).toEqual([
      '30 recorded 30s (max-duration)', '30 play Bye', '30.4 completed', '30.4 released normal', '30.4 session normal',
    ]);
  });

  it('a scenario describes its own caller: no giving up unless it says so', async () => {
    const stuck = await run('script: record.xml\nclock: { maxSeconds: 60 }\n');
    expect(brief(stuck.events)).toEqual(['60 released cancelled', '60 recorded 60s (hangup)', '60 session cancelled']);
    const patient = await run('script: music.xml\ncall: { giveUp: { promptRepeats: 3 }, speaks: [{ seconds: 1 }] }\n');
    expect(brief(patient.events).slice(-3)).toEqual(['15.8 released remote-hangup', '15.8 hangup', '15.8 session caller-hangup']);
    // What the caller says is not silence: 4 s of talk push giving up to 14 s.
    const talker = await run('script: record.xml\ncall: { giveUp: { recordingSeconds: 10 }, speaks: [{ afterSeconds: 2, seconds: 2 }] }\n');
    expect(brief(talker.events)).toEqual(['14 released remote-hangup', '14 recorded 14s (hangup)', '14 session caller-hangup']);
  });
});
