/** Files of silence for simulated recordings: 8 kHz mono 16-bit PCM WAV, or MPEG-1 Layer III frames. */

const WAV_RATE = 8000;
const WAV_BYTES_PER_SAMPLE = 2;

/** A RIFF/WAVE file of `durationMs` of silence. */
export function silentWav(durationMs: number): Buffer {
  const dataSize = Math.round((durationMs * WAV_RATE) / 1000) * WAV_BYTES_PER_SAMPLE;
  const file = Buffer.alloc(44 + dataSize);
  file.write('RIFF', 0, 'latin1');
  file.writeUInt32LE(36 + dataSize, 4);
  file.write('WAVE', 8, 'latin1');
  file.write('fmt ', 12, 'latin1');
  file.writeUInt32LE(16, 16); // fmt chunk size
  file.writeUInt16LE(1, 20); // PCM
  file.writeUInt16LE(1, 22); // mono
  file.writeUInt32LE(WAV_RATE, 24);
  file.writeUInt32LE(WAV_RATE * WAV_BYTES_PER_SAMPLE, 28); // byte rate
  file.writeUInt16LE(WAV_BYTES_PER_SAMPLE, 32); // block align
  file.writeUInt16LE(16, 34); // bits per sample
  file.write('data', 36, 'latin1');
  file.writeUInt32LE(dataSize, 40);
  return file;
}

/**
 * MPEG-1 Layer III, 32 kHz, 32 kbit/s, mono: 144-byte frames of 1152 samples (36 ms). A frame whose
 * side information is all zero carries no audio data, so decoders play silence.
 */
const MP3_HEADER = [0xff, 0xfb, 0x18, 0xc0];
const MP3_FRAME_BYTES = 144;
export const MP3_FRAME_MS = 36;

/** An MP3 file of silence at least `durationMs` long (whole 36 ms frames). */
export function silentMp3(durationMs: number): Buffer {
  const frames = Math.ceil(durationMs / MP3_FRAME_MS);
  const file = Buffer.alloc(frames * MP3_FRAME_BYTES);
  for (let i = 0; i < frames; i++) file.set(MP3_HEADER, i * MP3_FRAME_BYTES);
  return file;
}
