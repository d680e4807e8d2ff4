/**
 * Audio files are probed, never read whole: a gigabyte sparse file (no disk, no memory) gives its
 * duration from headers and a bounded prefix, directly and in a dry run whose script comes from a
 * webhook. The file system is wrapped to count what is read from each file.
 */
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { audioFileDurationMs, mp3DurationMs, PROBE_BYTES, wavDurationMs } from '../../src/calls/sim/media-durations.js';
import { runScenario } from '../../src/dryrun/runner.js';
import { parseScenario } from '../../src/dryrun/scenario/load.js';
import { tempDir } from './helpers.js';

const reads = vi.hoisted(() => ({ fdPaths: new Map<number, string>(), bytes: new Map<string, number>(), whole: [] as string[] }));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const wrapped = {
    ...fs,
    openSync: (...args: Parameters<typeof fs.openSync>) => {
      const fd = fs.openSync(...args);
      reads.fdPaths.set(fd, String(args[0]));
      return fd;
    },
    readSync: (...args: Parameters<typeof fs.readSync>) => {
      const n = fs.readSync(...args);
      const path = reads.fdPaths.get(args[0]) ?? `fd ${args[0]}`;
      reads.bytes.set(path, (reads.bytes.get(path) ?? 0) + n);
      return n;
    },
    readFileSync: ((...args: Parameters<typeof fs.readFileSync>) => {
      reads.whole.push(String(args[0]));
      return fs.readFileSync(...args);
    }) as typeof fs.readFileSync,
  };
  return { ...wrapped, default: wrapped };
});

const GiB = 2 ** 30;
let dir: { path: string; remove: () => void };
const file = (name: string): string => join(dir.path, name);

/** A sparse file of `size` bytes with `parts` written at their offsets. */
function sparse(name: string, size: number, parts: Array<[number, Buffer]>): string {
  const path = file(name);
  const fd = openSync(path, 'w');
  try {
    for (const [offset, bytes] of parts) writeSync(fd, bytes, 0, bytes.length, offset);
    ftruncateSync(fd, size);
  } finally {
    closeSync(fd);
  }
  return path;
}

/** MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, stereo: 417-byte frames of 1152 samples. */
function cbrFrames(bytes: number): Buffer {
  const out = Buffer.alloc(Math.floor(bytes / 417) * 417);
  for (let at = 0; at + 417 <= out.length; at += 417) out.set([0xff, 0xfb, 0x90, 0x00], at);
  return out;
}

beforeAll(() => {
  dir = tempDir();
  // 1 GiB of constant-bit-rate frames (the first MiB written, the rest a hole the probe never reads).
  sparse('long.mp3', GiB, [[0, cbrFrames(1024 * 1024)]]);
  // 128 MiB of the same: 2 h 20 min, within what one Play may last (4 h).
  sparse('call.mp3', GiB / 8, [[0, cbrFrames(1024 * 1024)]]);
  // A 100 MiB ID3v2 tag (album art, say), then a Xing frame that counts 100,000 frames of 36 ms.
  const id3 = Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, 0x32, 0x00, 0x00, 0x00]); // synchsafe 0x32<<21 = 100 MiB
  const xing = Buffer.alloc(144);
  xing.set([0xff, 0xfb, 0x18, 0xc0], 0);
  xing.write('Xing', 21, 'latin1');
  xing.writeUInt32BE(1, 25);
  xing.writeUInt32BE(100_000, 29);
  sparse('tagged.mp3', GiB, [[0, id3], [10 + 100 * 1024 * 1024, xing]]);
  // A WAV whose data chunk fills 1 GiB at 16,000 bytes a second.
  const wav = Buffer.alloc(44);
  wav.write('RIFF', 0, 'latin1');
  wav.writeUInt32LE(GiB - 8, 4);
  wav.write('WAVEfmt ', 8, 'latin1');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(8000, 24);
  wav.writeUInt32LE(16_000, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'latin1');
  wav.writeUInt32LE(GiB - 44, 40);
  sparse('long.wav', GiB, [[0, wav]]);
  // Many tiny chunks before any data: the walk gives up instead of reading the file 8 bytes at a time.
  const chunks = Buffer.alloc(12 + 1000 * 8);
  chunks.write('RIFF', 0, 'latin1');
  chunks.write('WAVE', 8, 'latin1');
  for (let i = 0; i < 1000; i++) chunks.write('junk', 12 + i * 8, 'latin1');
  sparse('chunks.wav', GiB, [[0, chunks]]);
});
afterAll(() => dir.remove());
beforeEach(() => {
  reads.bytes.clear();
  reads.whole.length = 0;
});

const readFrom = (path: string): number => reads.bytes.get(path) ?? 0;

describe('probing audio files', () => {
  it('a 1 GiB constant-bit-rate MP3: its length from the first 256 KiB, the rest extrapolated', () => {
    // 1152 / 44100 s per 417 bytes, over 2^30 bytes.
    expect(mp3DurationMs(file('long.mp3'))).toBe(67_263_228);
    expect(readFrom(file('long.mp3'))).toBeLessThanOrEqual(PROBE_BYTES + 10 + 3);
    expect(reads.whole).toEqual([]);
  });

  it('an ID3v2 tag is skipped without reading it, and a Xing frame count is exact', () => {
    expect(mp3DurationMs(file('tagged.mp3'))).toBe(3_600_000);
    expect(readFrom(file('tagged.mp3'))).toBeLessThanOrEqual(PROBE_BYTES + 10 + 3);
    expect(reads.whole).toEqual([]);
  });

  it('a 1 GiB WAV by its chunk headers only', () => {
    expect(wavDurationMs(file('long.wav'))).toBe(67_108_861);
    expect(readFrom(file('long.wav'))).toBeLessThanOrEqual(12 + 8 + 16 + 8);
    expect(audioFileDurationMs(file('chunks.wav'))).toBeUndefined();
    expect(readFrom(file('chunks.wav'))).toBeLessThanOrEqual(12 + 64 * 8 + PROBE_BYTES + 10 + 3);
  });

  it('a dry run whose webhook script plays a 128 MiB file takes its length without reading it', async () => {
    const audio = pathToFileURL(file('call.mp3')).href;
    const scenario = parseScenario([
      'script: https://app.test/ivr',
      'clock: { maxSeconds: 20000 }',
      'webhooks:',
      `  https://app.test/ivr: '<Response><Play>${audio}</Play><Hangup/></Response>'`,
    ].join('\n'), { baseDir: dir.path });
    const result = await runScenario(scenario, {});
    const ended = result.events.find((e) => e.type === 'media.ended');
    expect(ended).toMatchObject({ t: 8407.903, media: 'audio', source: audio, endedBy: 'completed' });
    // The WAV probe reads 12 bytes first, then the MP3 probe its bounded prefix.
    expect(readFrom(file('call.mp3'))).toBeLessThanOrEqual(12 + PROBE_BYTES + 10 + 3);
    expect(reads.whole.filter((p) => p.includes('call.mp3'))).toEqual([]);
  });
});
