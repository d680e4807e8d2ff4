/** Speak, Play (Repeat, Timeout), Delay and Beep on the caller's leg, on the virtual clock. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentWav } from '../../src/calls/sim/recording-files.js';
import { harness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h.dispose();
});

const MEDIA = ['verb.started', 'verb.finished', 'media.started', 'media.ended', 'leg.state', 'session.ended'];

describe('Speak', () => {
  it('speaks the text with its voice and language, taking as long as the speech model says', async () => {
    h = harness();
    // 3 words × 400 ms + one comma 250 ms + one sentence end 500 ms = 1.95 s
    const result = await h.inbound({}, '<Response><Speak Voice="Kate" Language="en-GB">Hello there, friend.</Speak></Response>');
    expect(result).toEqual({ sessionId: 's1', cause: 'normal', verbs: 1, documents: 0 });
    expect(h.trace(MEDIA)).toEqual([
      '0 in-1 Idle→Ringing',
      '0 in-1 Ringing→Established',
      '0 Speak',
      '0 in-1 speech Hello there, friend.',
      '1.95 in-1 speech ended completed',
      '1.95 Speak → completed',
      '1.95 in-1 Established→Released (normal)',
      '1.95 end normal',
    ]);
    const [started] = h.of('verb.started');
    expect(started).toEqual({
      time: 0, sessionId: 's1', type: 'verb.started', verb: 'Speak',
      attributes: { Text: 'Hello there, friend.', Language: 'en-GB', Voice: 'Kate' }, line: 1, column: 11, url: null,
    });
  });

  it('takes the text from the Text attribute as well', async () => {
    h = harness();
    await h.inbound({}, '<Response><Speak Text="One two three four five."/></Response>');
    expect(h.trace(['verb.finished', 'session.ended'])).toEqual(['2.5 Speak → completed', '2.5 end normal']);
  });
});

describe('Play', () => {
  it('plays a file once by default; a file that cannot be read lasts 5 s', async () => {
    h = harness();
    await h.inbound({}, '<Response><Play>http://media.example/hello.wav</Play><Speak>Done.</Speak></Response>');
    expect(h.trace(MEDIA)).toEqual([
      '0 in-1 Idle→Ringing',
      '0 in-1 Ringing→Established',
      '0 Play',
      '0 in-1 audio http://media.example/hello.wav',
      '5 in-1 audio ended completed',
      '5 Play → completed',
      '5 Speak',
      '5 in-1 speech Done.',
      '5.9 in-1 speech ended completed',
      '5.9 Speak → completed',
      '5.9 in-1 Established→Released (normal)',
      '5.9 end normal',
    ]);
    expect(h.of('verb.started')[0]!.attributes).toEqual({ AudioFile: 'http://media.example/hello.wav', Repeat: false });
  });

  it('a local WAV file lasts as long as its audio', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ozml-media-'));
    try {
      writeFileSync(path.join(dir, 'prompt.wav'), silentWav(2500));
      h = harness({ sim: { mediaRoot: dir } });
      await h.inbound({}, '<Response><Play>prompt.wav</Play></Response>');
      expect(h.trace(['verb.finished'])).toEqual(['2.5 Play → completed']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Timeout stops a long file', async () => {
    h = harness();
    await h.inbound({}, '<Response><Play Timeout="3">http://media.example/long.mp3</Play></Response>');
    expect(h.trace(['verb.finished', 'media.ended', 'session.ended'])).toEqual([
      '3 in-1 audio ended timeout',
      '3 Play → timeout',
      '3 end normal',
    ]);
  });

  it('Repeat loops the file until Timeout', async () => {
    h = harness();
    await h.inbound({}, '<Response><Play Repeat="true" Timeout="12">http://media.example/a.wav</Play><Beep/></Response>');
    expect(h.trace(MEDIA)).toEqual([
      '0 in-1 Idle→Ringing',
      '0 in-1 Ringing→Established',
      '0 Play',
      '0 in-1 audio http://media.example/a.wav',
      '5 in-1 audio ended completed',
      '5 in-1 audio http://media.example/a.wav',
      '10 in-1 audio ended completed',
      '10 in-1 audio http://media.example/a.wav',
      '12 in-1 audio ended timeout',
      '12 Play → timeout',
      '12 Beep',
      '12 in-1 tone beep',
      '12.5 in-1 tone ended completed',
      '12.5 Beep → completed',
      '12.5 in-1 Established→Released (normal)',
      '12.5 end normal',
    ]);
  });

  it('Repeat without Timeout loops until the caller hangs up', async () => {
    h = harness();
    const result = await h.inbound({ behaviour: { hangupAtSeconds: 12 } }, '<Response><Play Repeat="true">http://media.example/a.wav</Play><Beep/></Response>');
    expect(result.cause).toBe('caller-hangup');
    expect(h.trace(['verb.started', 'verb.finished', 'media.ended', 'leg.state', 'session.ended'])).toEqual([
      '0 in-1 Idle→Ringing',
      '0 in-1 Ringing→Established',
      '0 Play',
      '5 in-1 audio ended completed',
      '10 in-1 audio ended completed',
      '12 in-1 Established→Released (remote-hangup)',
      '12 in-1 audio ended hangup',
      '12 Play → interrupted',
      '12 end caller-hangup',
    ]);
  });
});

describe('Delay and Beep', () => {
  it('Delay waits its seconds; 0 goes straight on', async () => {
    h = harness();
    await h.inbound({}, '<Response><Delay>2</Delay><Delay Time="0"/><Delay>1</Delay></Response>');
    expect(h.trace(['verb.started', 'verb.finished', 'session.ended'])).toEqual([
      '0 Delay', '2 Delay → completed', '2 Delay', '2 Delay → completed', '2 Delay', '3 Delay → completed', '3 end normal',
    ]);
  });

  it('Beep plays the 0.5 s beep tone', async () => {
    h = harness();
    await h.inbound({}, '<Response><Beep/><Beep/></Response>');
    expect(h.trace(['media.started', 'media.ended', 'session.ended'])).toEqual([
      '0 in-1 tone beep', '0.5 in-1 tone ended completed', '0.5 in-1 tone beep', '1 in-1 tone ended completed', '1 end normal',
    ]);
  });

  it('Delay works without a call leg (third-party)', async () => {
    h = harness();
    const result = await h.run('<Response><Delay>4</Delay></Response>', 'third-party');
    expect(result.cause).toBe('normal');
    expect(h.trace(['verb.finished', 'session.ended'])).toEqual(['4 Delay → completed', '4 end normal']);
  });
});
