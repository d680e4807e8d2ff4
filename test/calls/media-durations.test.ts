/** Duration models of the sim: speech, WAV and MP3 headers, tones; the silence files it writes. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { DEFAULT_TONES, toneDurationMs } from '../../src/calls/tones.js';
import { audioFileDurationMs, localAudioPath, mp3DurationMs, mpegFrameAt, speechDurationMs, wavDurationMs } from '../../src/calls/sim/media-durations.js';
import { MP3_FRAME_MS, silentMp3, silentWav } from '../../src/calls/sim/recording-files.js';

const dir = mkdtempSync(join(tmpdir(), 'ozml-media-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, bytes: Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

describe('speech model', () => {
  test.each([
    ['', 0],
    ['Hello', 400],
    ['Hello.', 900],
    ['Hello, you have reached ozml.', 2000 + 250 + 500],
    ['Press 1 for sales; press 2 for support!', 8 * 400 + 250 + 500],
    ['Version 2.5 is out ...  ', 4 * 400 + 500],
    ['— — !', 500],
  ])('%j lasts %d ms at 150 wpm', (text, ms) => {
    expect(speechDurationMs(text)).toBe(ms);
  });

  test('the rate is configurable', () => {
    expect(speechDurationMs('one two three', { wordsPerMinute: 60, commaPauseMs: 0, sentencePauseMs: 0 })).toBe(3000);
  });
});

describe('WAV', () => {
  test('data size / byte rate, for the files the sim writes', () => {
    expect(wavDurationMs(file('a.wav', silentWav(1234)))).toBe(1234);
    expect(silentWav(1000).length).toBe(44 + 16_000);
  });

  test('chunks before the data chunk (odd sizes padded) and other formats', () => {
    const fmt = Buffer.alloc(24);
    fmt.write('fmt ', 0, 'latin1');
    fmt.writeUInt32LE(16, 4);
    fmt.writeUInt16LE(1, 8);
    fmt.writeUInt16LE(2, 10);
    fmt.writeUInt32LE(44_100, 12);
    fmt.writeUInt32LE(176_400, 16); // 44.1 kHz stereo 16-bit
    const list = Buffer.concat([Buffer.from('LIST', 'latin1'), Buffer.from([5, 0, 0, 0]), Buffer.from('INFOx'), Buffer.from([0])]);
    const data = Buffer.concat([Buffer.from('data', 'latin1'), Buffer.from([0x20, 0xb1, 0x02, 0x00]), Buffer.alloc(176_400)]);
    const body = Buffer.concat([Buffer.from('WAVE', 'latin1'), fmt, list, data]);
    const riff = Buffer.concat([Buffer.from('RIFF', 'latin1'), Buffer.alloc(4), body]);
    riff.writeUInt32LE(body.length, 4);
    expect(wavDurationMs(file('stereo.wav', riff))).toBe(1000);
    expect(wavDurationMs(file('text.wav', Buffer.from('not audio at all')))).toBeUndefined();
  });
});

describe('MP3', () => {
  test('the sim writes 36 ms MPEG-1 Layer III frames', () => {
    const bytes = silentMp3(1000);
    expect(bytes.length).toBe(28 * 144);
    expect(mpegFrameAt(bytes, 0)).toEqual({ length: 144, samples: 1152, sampleRate: 32_000, tagOffset: 21 });
    expect(mp3DurationMs(file('a.mp3', bytes))).toBe(28 * MP3_FRAME_MS);
  });

  test('an ID3v2 tag is skipped and an ID3v1 tag ends the frames', () => {
    const id3 = Buffer.concat([Buffer.from('ID3', 'latin1'), Buffer.from([4, 0, 0, 0, 0, 0x01, 0x00]), Buffer.alloc(128)]);
    const id3v1 = Buffer.concat([Buffer.from('TAG', 'latin1'), Buffer.alloc(125)]);
    expect(mp3DurationMs(file('tagged.mp3', Buffer.concat([id3, silentMp3(360), id3v1])))).toBe(360);
  });

  test('a Xing header gives the frame count (VBR)', () => {
    const xing = Buffer.alloc(144);
    xing.set([0xff, 0xfb, 0x18, 0xc0], 0);
    xing.write('Xing', 21, 'latin1');
    xing.writeUInt32BE(1, 25);
    xing.writeUInt32BE(1000, 29);
    expect(mp3DurationMs(file('vbr.mp3', Buffer.concat([xing, silentMp3(72)])))).toBe(36_000);
  });

  test('MPEG-2 Layer III frames (576 samples)', () => {
    const frame = Buffer.alloc(144);
    frame.set([0xff, 0xf3, 0x48, 0xc0], 0); // MPEG-2, Layer III, 32 kbit/s, 16 kHz, mono
    expect(mpegFrameAt(frame, 0)).toMatchObject({ length: 144, samples: 576, sampleRate: 16_000 });
    expect(mp3DurationMs(file('mpeg2.mp3', Buffer.concat([frame, frame, frame])))).toBe(108);
  });

  test('files that are neither give no duration', () => {
    expect(audioFileDurationMs(file('junk.mp3', Buffer.from('junk')))).toBeUndefined();
    expect(audioFileDurationMs(join(dir, 'missing.wav'))).toBeUndefined();
    expect(audioFileDurationMs(dir)).toBeUndefined();
  });
});

test('audio sources: file URLs and relative paths are local, other URLs are not', () => {
  expect(localAudioPath('file:///tmp/a.wav', '/srv')).toBe('/tmp/a.wav');
  expect(localAudioPath('prompts/a.wav', '/srv')).toBe('/srv/prompts/a.wav');
  expect(localAudioPath('/abs/a.wav', '/srv')).toBe('/abs/a.wav');
  expect(localAudioPath('https://x.test/a.wav', '/srv')).toBeUndefined();
});

test('tone durations follow their cadence', () => {
  expect(toneDurationMs(DEFAULT_TONES['beep']!)).toBe(500);
  expect(toneDurationMs(DEFAULT_TONES['busy']!)).toBe(4000);
  expect(toneDurationMs(DEFAULT_TONES['none']!)).toBe(0);
  expect(toneDurationMs(DEFAULT_TONES['ringback-us']!)).toBeUndefined();
});
