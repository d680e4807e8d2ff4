/** Real HTTP over 127.0.0.1 for the server tests: a customer's webhook server and the ozml server. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { parseConfig } from '../../src/config/index.js';
import { OzmlServer } from '../../src/api/server.js';

export interface Received {
  method: string;
  path: string;
  query: Record<string, string>;
  params: Record<string, string>;
  headers: http.IncomingHttpHeaders;
}

export interface Webhook {
  url: string;
  received: Received[];
  /** Resolves with the first request (already received or still to come) that `match` accepts. */
  next(match: (r: Received) => boolean): Promise<Received>;
  close(): Promise<void>;
}

/** A webhook server: `reply` answers each notification with OzML (or '' for an empty reply). */
export async function startWebhook(reply: (r: Received) => string | Promise<string>): Promise<Webhook> {
  const received: Received[] = [];
  const waiting: { match: (r: Received) => boolean; resolve: (r: Received) => void }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const r: Received = { method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), params, headers: req.headers };
      received.push(r);
      for (const w of [...waiting]) {
        if (w.match(r)) {
          waiting.splice(waiting.indexOf(w), 1);
          w.resolve(r);
        }
      }
      void Promise.resolve(reply(r)).then((body) => {
        res.writeHead(body === '' ? 204 : 200, { 'content-type': 'application/xml' });
        res.end(body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    next: (match) => {
      const found = received.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiting.push({ match, resolve }));
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export interface TestServer {
  server: OzmlServer;
  base: string;
  /** Every log line so far, parsed. */
  logs: Record<string, unknown>[];
}

/** Starts ozml serve in-process on 127.0.0.1 (port 0) with this config (JSON text of ozml.config.json). */
export async function startServer(config: unknown, env: Record<string, string> = {}): Promise<TestServer> {
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = pino({ level: 'debug' }, sink);
  const server = await OzmlServer.start({ config: parseConfig(JSON.stringify(config), { env }), listen: { host: '127.0.0.1', port: 0 }, logger });
  return { server, base: `http://127.0.0.1:${server.address.port}`, logs };
}

export interface ApiReply {
  status: number;
  contentType: string | null;
  body: string;
  code: number;
  message: string;
}

function parsed(status: number, contentType: string | null, body: string): ApiReply {
  const code = Number(/<Code>(\d+)<\/Code>/.exec(body)?.[1] ?? NaN);
  const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1] ?? '';
  return { status, contentType, body, code, message: message.replace(/&apos;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&') };
}

/** `GET <base><path>?<query>` (query written as is). */
export async function apiGet(base: string, query: string, path = '/'): Promise<ApiReply> {
  const response = await fetch(`${base}${path}?${query}`);
  return parsed(response.status, response.headers.get('content-type'), await response.text());
}

/** `POST <base><path>` with a form body (written as is). */
export async function apiPost(base: string, body: string, path = '/', contentType = 'application/x-www-form-urlencoded'): Promise<ApiReply> {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });
  return parsed(response.status, response.headers.get('content-type'), await response.text());
}

/** Builds a query from name → value (URL-encoded, + for spaces as browsers send forms). */
export function form(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

export async function simCall(base: string, body: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${base}/sim/calls`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** Polls `check` every 20 ms until it returns a value, at most `tries` times. */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, tries = 500): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the condition did not hold in time');
}
