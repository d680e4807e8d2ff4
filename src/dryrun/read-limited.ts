/**
 * Reading a local document under a size limit: the size is checked before anything is read, and
 * at most limit + 1 bytes are ever read (a file that grows, or one whose size the system does not
 * report, such as a pipe). A 300 MiB file costs one stat, not 300 MiB of memory.
 */
import { open } from 'node:fs/promises';

export type LimitedRead =
  | { ok: true; bytes: Uint8Array }
  /** `size` is the file's size when known, else undefined: more than `limit` bytes were there. */
  | { ok: false; size: number | undefined };

/** @throws the file system's error (ENOENT, EISDIR, …) when the file cannot be opened or read. */
export async function readAtMost(file: string, limit: number): Promise<LimitedRead> {
  const handle = await open(file, 'r');
  try {
    const stat = await handle.stat();
    if (stat.isFile() && stat.size > limit) return { ok: false, size: stat.size };
    const buffer = new Uint8Array(limit + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > limit) return { ok: false, size: stat.isFile() && stat.size > limit ? stat.size : undefined };
    return { ok: true, bytes: buffer.subarray(0, filled) };
  } finally {
    await handle.close();
  }
}

/** The message for a document over the limit, naming it as `shown`. */
export function tooLargeMessage(shown: string, size: number | undefined, limit: number): string {
  return size === undefined ? `${shown} is larger than ${limit} bytes (the limit)` : `${shown} is ${size} bytes; the limit is ${limit}`;
}
