/**
 * Reads one document for linting with the size cap applied first: a file is stat'ed through its
 * descriptor and not read at all when it is too large; stdin is read until the cap is passed.
 */
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import type { Diagnostic } from '../language/index.js';

/** How `-` (a document read from stdin) is shown to the user. */
export const STDIN_PATH = '<stdin>';

export type ReadDocument =
  | { ok: true; bytes: Buffer }
  /** `size` is the file size, or for stdin the bytes read before stopping. */
  | { ok: false; size: number };

/** Throws the fs error (ENOENT, EACCES, EISDIR, …) when the file cannot be read. */
export function readDocumentFile(path: string, maxBytes: number): ReadDocument {
  const fd = openSync(path, 'r');
  try {
    const { size } = fstatSync(fd);
    if (size > maxBytes) return { ok: false, size };
    const bytes = readFileSync(fd);
    // The file may have grown since fstat.
    return bytes.byteLength > maxBytes ? { ok: false, size: bytes.byteLength } : { ok: true, bytes };
  } finally {
    closeSync(fd);
  }
}

export async function readDocumentStdin(maxBytes: number, stream: NodeJS.ReadableStream = process.stdin): Promise<ReadDocument> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.byteLength;
    if (size > maxBytes) {
      // Stop reading: the rest of the input is not needed to report the size.
      if ('destroy' in stream && typeof stream.destroy === 'function') stream.destroy();
      return { ok: false, size };
    }
    chunks.push(buffer);
  }
  return { ok: true, bytes: Buffer.concat(chunks, size) };
}

const START: Diagnostic['range'] = { line: 1, column: 1, endLine: 1, endColumn: 1 };

/** The finding for a document the read refused (`{ ok: false }`): stdin's full size is not known. */
export function tooLargeDiagnostic(size: number, maxBytes: number, fromStdin: boolean): Diagnostic {
  const message = fromStdin
    ? `Document is larger than ${maxBytes} bytes.`
    : `Document is ${size} bytes; the limit is ${maxBytes}.`;
  return { rule: 'document-too-large', severity: 'error', message, range: START };
}
