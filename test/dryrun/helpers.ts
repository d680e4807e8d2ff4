/**
 * Helpers for the dry-run tests: the built CLI as a child process (asynchronous, so a webhook
 * server in the test process can answer it), temporary directories, and a real HTTP server on
 * 127.0.0.1 that plays the customer's application.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterEach, beforeEach } from 'vitest';
import type { ValidateFunction } from 'ajv/dist/2020.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin/ozml.js');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `ozml …` (the built CLI, `npm run build` first) without colour or CI variables. */
export function ozml(args: readonly string[], options: { cwd?: string } = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['NO_COLOR', 'FORCE_COLOR', 'CI', 'GITHUB_ACTIONS', 'TERM']) delete env[name];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

export function tempDir(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'ozml-dryrun-test-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A fresh directory for each test of the calling file (made before it, removed after it) and a writer into it. */
export function scratchDirectory(): { readonly path: string; write(name: string, text: string): string } {
  let current: { path: string; remove: () => void } | undefined;
  beforeEach(() => { current = tempDir(); });
  afterEach(() => current?.remove());
  const path = (): string => {
    if (!current) throw new Error('scratchDirectory is used outside a test');
    return current.path;
  };
  return {
    get path() { return path(); },
    write(name, text) {
      const file = join(path(), name);
      writeFileSync(file, text);
      return file;
    },
  };
}

let eventValidator: ValidateFunction | undefined;

/** Validates one NDJSON event against schemas/events.schema.json; returns the errors as text (empty when valid). */
export function eventSchemaErrors(event: unknown): string {
  if (!eventValidator) {
    const schema = JSON.parse(readFileSync(join(ROOT, 'schemas/events.schema.json'), 'utf8')) as object;
    eventValidator = new Ajv2020({ allErrors: false, strict: true, strictTypes: false }).addFormat('date-time', true).compile(schema);
  }
  return eventValidator(event) ? '' : JSON.stringify(eventValidator.errors);
}

export interface Hit {
  method: string;
  path: string;
  form: Record<string, string>;
}

export interface AppServer {
  origin: string;
  hits: Hit[];
  close(): Promise<void>;
}

/** A customer's app: `answer(path, form)` returns the OzML to send (or a status without a body). */
export async function startApp(answer: (path: string, form: Record<string, string>) => string | number): Promise<AppServer> {
  const hits: Hit[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const path = req.url ?? '';
      hits.push({ method: req.method ?? '', path, form });
      const reply = answer(path, form);
      if (typeof reply === 'number') {
        res.writeHead(reply).end();
      } else {
        res.writeHead(200, { 'content-type': 'application/xml' }).end(reply);
      }
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
