/**
 * How long media lasts in the simulated switch: speech by a words-per-minute model, audio files by
 * their WAV (RIFF) or MP3 (frame) headers when the file exists locally, otherwise a default. Files
 * are probed, never read whole: a WAV by its chunk headers, an MP3 by at most `PROBE_BYTES` after
 * its ID3v2 tag (docs/dry-run.md), so a gigabyte file costs what a small one does.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Speaking rate model (docs/calls.md): every word takes 60 000 / wordsPerMinute ms, every `,` `;`
 * `:` adds `commaPauseMs`, every sentence end (`.` `!` `?` followed by space or the end) adds
 * `sentencePauseMs`. A "word" is a whitespace-separated token with at least one letter or digit.
 */
export interface SpeechModel {
  wordsPerMinute: number;
  commaPauseMs: number;
  sentencePauseMs: number;
}

export const DEFAULT_SPEECH_MODEL: Readonly<SpeechModel> = { wordsPerMinute: 150, commaPauseMs: 250, sentencePauseMs: 500 };

export function speechDurationMs(text: string, model: SpeechModel = DEFAULT_SPEECH_MODEL): number {
  const words = text.split(/\s+/).filter((token) => /[\p{L}\p{N}]/u.test(token)).length;
  const commas = text.match(/[,;:]/g)?.length ?? 0;
  const sentences = text.match(/[.!?]+(?=\s|$)/g)?.length ?? 0;
  return Math.round((words * 60_000) / model.wordsPerMinute + commas * model.commaPauseMs + sentences * model.sentencePauseMs);
}

/** How much of an MP3 file (after its ID3v2 tag) is read to find its length. */
export const PROBE_BYTES = 256 * 1024;
/** How many RIFF chunks are walked looking for a WAV's data chunk. */
const MAX_WAV_CHUNKS = 64;

/** Reads `length` bytes at `position` (fewer at the end of the file). */
function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const read = readSync(fd, buffer, 0, length, position);
  return buffer.subarray(0, read);
}

/** Duration of a PCM/any-codec RIFF WAVE file: data chunk size / byte rate. Undefined if not a WAV. */
export function wavDurationMs(path: string): number | undefined {
  const fd = openSync(path, 'r');
  try {
    const header = readAt(fd, 0, 12);
    if (header.length < 12 || header.toString('latin1', 0, 4) !== 'RIFF' || header.toString('latin1', 8, 12) !== 'WAVE') {
      return undefined;
    }
    const size = fstatSync(fd).size;
    let position = 12;
    let byteRate: number | undefined;
    // Bounded: a file of tiny chunks must not turn one probe into millions of reads.
    for (let chunks = 0; position + 8 <= size && chunks < MAX_WAV_CHUNKS; chunks++) {
      const chunk = readAt(fd, position, 8);
      if (chunk.length < 8) break;
      const id = chunk.toString('latin1', 0, 4);
      const length = chunk.readUInt32LE(4);
      if (id === 'fmt ') {
        const fmt = readAt(fd, position + 8, 16);
        if (fmt.length >= 12) byteRate = fmt.readUInt32LE(8);
      } else if (id === 'data') {
        if (!byteRate) return undefined;
        // Streams written before their length was known say 0 or 0xFFFFFFFF: use what is there.
        const data = length === 0 || length === 0xffffffff ? size - position - 8 : Math.min(length, size - position - 8);
        return Math.round((data * 1000) / byteRate);
      }
      position += 8 + length + (length % 2);
    }
    return undefined;
  } finally {
    closeSync(fd);
  }
}

// kbit/s by [version group][layer][index]; version group 0 = MPEG-1, 1 = MPEG-2/2.5.
const BITRATES: readonly (readonly (readonly number[])[])[] = [
  [
    [],
    [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
    [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  ],
  [
    [],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  ],
];
const SAMPLE_RATES: Readonly<Record<number, readonly number[]>> = {
  3: [44100, 48000, 32000],
  2: [22050, 24000, 16000],
  0: [11025, 12000, 8000],
};

interface MpegFrame {
  length: number;
  samples: number;
  sampleRate: number;
  /** Offset of a Xing/Info tag inside the frame. */
  tagOffset: number;
}

/** Parses the 4-byte MPEG audio frame header at `offset`. */
export function mpegFrameAt(bytes: Buffer, offset: number): MpegFrame | undefined {
  if (offset + 4 > bytes.length) return undefined;
  const b1 = bytes[offset + 1]!;
  const b2 = bytes[offset + 2]!;
  const b3 = bytes[offset + 3]!;
  if (bytes[offset] !== 0xff || (b1 & 0xe0) !== 0xe0) return undefined;
  const version = (b1 >> 3) & 3; // 3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5
  const layerBits = (b1 >> 1) & 3; // 1 = III, 2 = II, 3 = I
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  if (version === 1 || layerBits === 0 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return undefined;
  const layer = 4 - layerBits;
  const mpeg1 = version === 3;
  const kbps = BITRATES[mpeg1 ? 0 : 1]![layerBits]![bitrateIndex]!;
  const sampleRate = SAMPLE_RATES[version]![rateIndex]!;
  const padding = (b2 >> 1) & 1;
  const mono = b3 >> 6 === 3;
  let length: number;
  let samples: number;
  if (layer === 1) {
    length = (Math.floor((12 * kbps * 1000) / sampleRate) + padding) * 4;
    samples = 384;
  } else if (layer === 2 || mpeg1) {
    length = Math.floor((144 * kbps * 1000) / sampleRate) + padding;
    samples = 1152;
  } else {
    length = Math.floor((72 * kbps * 1000) / sampleRate) + padding;
    samples = 576;
  }
  const sideInfo = mpeg1 ? (mono ? 17 : 32) : mono ? 9 : 17;
  return { length, samples, sampleRate, tagOffset: 4 + sideInfo };
}

/** Size of an ID3v2 tag at the start of the file (0 if none). */
function id3v2Size(bytes: Buffer): number {
  if (bytes.length < 10 || bytes.toString('latin1', 0, 3) !== 'ID3') return 0;
  const size = ((bytes[6]! & 0x7f) << 21) | ((bytes[7]! & 0x7f) << 14) | ((bytes[8]! & 0x7f) << 7) | (bytes[9]! & 0x7f);
  const footer = (bytes[5]! & 0x10) !== 0 ? 10 : 0;
  return 10 + size + footer;
}

/**
 * Duration of an MP3 file: the frame count of a Xing/Info tag when there is one, otherwise the
 * sum over the frames (so VBR files come out right). Skips an ID3v2 tag; stops at ID3v1 `TAG`.
 * Reads at most `PROBE_BYTES` of audio: when the frames go on beyond that, the rest of the file is
 * taken to continue at the rate of the frames read (exact for constant bit rates).
 */
export function mp3DurationMs(path: string): number | undefined {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const start = id3v2Size(readAt(fd, 0, 10));
    if (start >= size) return undefined;
    const window = readAt(fd, start, PROBE_BYTES);
    const truncated = start + window.length < size;
    const id3v1 = truncated && size - 128 >= start && readAt(fd, size - 128, 3).toString('latin1') === 'TAG' ? 128 : 0;
    return framesDurationMs(window, truncated ? size - start - id3v1 : undefined);
  } finally {
    closeSync(fd);
  }
}

/**
 * The duration of the frames in `bytes`. `audioBytes`, when given, is how long the audio really is
 * (`bytes` is its first part): frames running past the end of `bytes` are extrapolated to it.
 */
function framesDurationMs(bytes: Buffer, audioBytes: number | undefined): number | undefined {
  let offset = 0;
  // Find the first frame (tolerate a little junk after the tag).
  const searchEnd = Math.min(bytes.length, 64 * 1024);
  while (offset < searchEnd && !mpegFrameAt(bytes, offset)) offset++;
  const first = mpegFrameAt(bytes, offset);
  if (!first) return undefined;
  const tag = bytes.toString('latin1', offset + first.tagOffset, offset + first.tagOffset + 4);
  if ((tag === 'Xing' || tag === 'Info') && offset + first.tagOffset + 12 <= bytes.length) {
    const flags = bytes.readUInt32BE(offset + first.tagOffset + 4);
    if (flags & 1) {
      const frames = bytes.readUInt32BE(offset + first.tagOffset + 8);
      return Math.round((frames * first.samples * 1000) / first.sampleRate);
    }
    offset += first.length; // a tag without a frame count is itself not audio
  }
  const audioStart = offset;
  let seconds = 0;
  // The frames go on past what was read: the rest plays at the rate of what was read.
  const extrapolated = (): number | undefined => {
    const read = offset - audioStart;
    return read > 0 && audioBytes !== undefined ? Math.round((seconds * 1000 * (audioBytes - audioStart)) / read) : undefined;
  };
  for (;;) {
    if (audioBytes !== undefined && offset + 4 > bytes.length) return extrapolated();
    if (bytes.toString('latin1', offset, offset + 3) === 'TAG') break;
    const frame = mpegFrameAt(bytes, offset);
    if (!frame || frame.length <= 0) break;
    if (audioBytes !== undefined && offset + frame.length > bytes.length) return extrapolated();
    seconds += frame.samples / frame.sampleRate;
    offset += frame.length;
  }
  return Math.round(seconds * 1000);
}

/** A local path for an audio source (`file:` URL, absolute or relative path), or undefined for remote URLs. */
export function localAudioPath(source: string, mediaRoot: string): string | undefined {
  if (source.startsWith('file:')) return fileURLToPath(source);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) return undefined;
  return isAbsolute(source) ? source : resolve(mediaRoot, source);
}

/** Duration of a local audio file by its headers, or undefined when it is missing or unreadable. */
export function audioFileDurationMs(path: string): number | undefined {
  try {
    if (!statSync(path).isFile()) return undefined;
    return wavDurationMs(path) ?? mp3DurationMs(path);
  } catch {
    return undefined;
  }
}
