/** Record in api-extension context: Duration, Inactivity, FinishDigits, Format, FinishedUrl, hangup. */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { harness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h.dispose();
});

const STEPS = ['verb.started', 'verb.finished', 'recording.started', 'recording.ended', 'notification.requested', 'notification.replied', 'leg.state', 'session.ended'];
const REC = { sim: { recordingsBaseUrl: 'http://rec.example/calls' } };
const texts = () => h.of('verb.started').filter((e) => e.verb === 'Speak').map((e) => e.attributes['Text']);

describe('Record', () => {
  it('Duration caps the recording; RecordCompleted goes to FinishedUrl and its reply replaces the rest', async () => {
    h = harness({ ...REC, routes: { 'http://app.example/rec': '<Response><Speak>Saved as $RecordURL</Speak></Response>' } });
    const result = await h.inbound({ from: '+15550001', to: '9000' }, '<Response><Record Duration="3" FinishedUrl="http://app.example/rec"/><Beep/></Response>');
    expect(result).toEqual({ sessionId: 's1', cause: 'normal', verbs: 2, documents: 1 });
    expect(h.trace(STEPS)).toEqual([
      '0 in-1 Idle→Ringing', '0 in-1 Ringing→Established',
      '0 Record', '0 in-1 recording mp3', '3 in-1 recorded 3s max-duration',
      '3 → RecordCompleted http://app.example/rec', '3 ← RecordCompleted document', '3 Record → max-duration',
      // 3 words and the URL's colon (a pause in the speech model): 1.45 s
      '3 Speak', '4.45 Speak → completed',
      '4.45 in-1 Established→Released (normal)', '4.45 end normal',
    ]);
    expect(h.of('verb.started')[0]!.attributes).toEqual({ Format: 'mp3', FinishedUrl: 'http://app.example/rec', Duration: 3 });
    expect(h.source.deliveries).toEqual([{
      kind: 'fetch', name: 'RecordCompleted', url: 'http://app.example/rec', route: 'http://app.example/rec',
      params: {
        NotificationName: 'RecordCompleted', CallId: 'in-1', Caller: '+15550001', Callee: '9000', ApiExtension: '9000', CallState: 'InCall',
        Direction: 'Incoming', Timestamp: '1970-01-01T00:00:03.000Z', RecordURL: 'http://rec.example/calls/in-1-1.mp3', Duration: '3',
      },
    }]);
    expect(texts()).toEqual(['Saved as http://rec.example/calls/in-1-1.mp3']);
    // A real file: whole 36 ms MP3 frames of 144 bytes covering 3 s.
    const file = path.join(h.recordingsDir, 'in-1-1.mp3');
    expect(statSync(file).size).toBe(Math.ceil(3000 / 36) * 144);
    expect([...readFileSync(file).subarray(0, 2)]).toEqual([0xff, 0xfb]);
  });

  it('an empty RecordCompleted reply continues after the Record', async () => {
    h = harness({ ...REC, routes: { 'http://app.example/rec': '<Response/>' } });
    await h.inbound({}, '<Response><Record Duration="2" FinishedUrl="http://app.example/rec"/><Speak>Thanks.</Speak></Response>');
    expect(h.trace(['verb.finished', 'notification.replied'])).toEqual([
      '2 ← RecordCompleted empty', '2 Record → max-duration', '2.9 Speak → completed',
    ]);
  });

  it('Inactivity ends the recording after that much silence from the caller', async () => {
    h = harness(REC);
    // The caller talks for the first 4 s, then is silent: 2 s of silence end the recording at 6 s.
    await h.inbound({ behaviour: { speaks: [{ seconds: 4 }] } }, '<Response><Record Inactivity="2"/><Speak>$RecordURL</Speak></Response>');
    expect(h.trace(['verb.finished', 'recording.ended'])).toEqual([
      '6 in-1 recorded 6s silence', '6 Record → silence', '6.65 Speak → completed',
    ]);
    expect(texts()).toEqual(['http://rec.example/calls/in-1-1.mp3']);
  });

  it('a FinishDigit ends the recording; Format="wav" writes a WAV file', async () => {
    h = harness(REC);
    await h.inbound({ behaviour: { presses: [{ digits: '5#', afterAnswerSeconds: 2 }] } }, '<Response><Record Format="wav" FinishDigits="#*" Duration="60"/></Response>');
    // 5 at 2 s does not end it, # at 2.5 s does.
    expect(h.trace(['verb.finished', 'recording.started', 'recording.ended', 'session.ended'])).toEqual([
      '0 in-1 recording wav', '2.5 in-1 recorded 2.5s digit', '2.5 Record → digit', '2.5 end normal',
    ]);
    const wav = readFileSync(path.join(h.recordingsDir, 'in-1-1.wav'));
    expect(wav.toString('latin1', 0, 4)).toBe('RIFF');
    expect(wav.length).toBe(44 + 2.5 * 8000 * 2);
  });

  it('the caller hanging up ends the recording; RecordCompleted still goes out, its reply is not run', async () => {
    h = harness({ ...REC, routes: { 'http://app.example/rec': '<Response><Speak>never</Speak></Response>' } });
    const result = await h.inbound({ behaviour: { hangupAtSeconds: 7 } }, '<Response><Speak>Leave a message.</Speak><Record FinishedUrl="http://app.example/rec"/><Beep/></Response>');
    expect(result.cause).toBe('caller-hangup');
    expect(h.trace(STEPS)).toEqual([
      '0 in-1 Idle→Ringing', '0 in-1 Ringing→Established',
      '0 Speak', '1.7 Speak → completed',
      '1.7 Record', '1.7 in-1 recording mp3',
      '7 in-1 Established→Released (remote-hangup)',
      '7 in-1 recorded 5.3s hangup',
      '7 → RecordCompleted http://app.example/rec',
      '7 Record → hangup',
      '7 end caller-hangup',
    ]);
    expect(h.source.deliveries.map((d) => [d.kind, d.name, d.params['Duration'], d.params['CallState']])).toEqual([
      ['send', 'RecordCompleted', '5.3', 'Completed'],
    ]);
  });

  it('a RecordCompleted that cannot be delivered ends the call with application-error', async () => {
    h = harness(REC);
    const result = await h.inbound({}, '<Response><Record Duration="1" FinishedUrl="http://app.example/nowhere"/></Response>');
    expect(result.cause).toBe('application-error');
    expect(h.trace(['verb.finished', 'leg.state']).slice(2)).toEqual(['1 Record → application-error', '1 in-1 Established→Released (application-error)']);
  });
});
