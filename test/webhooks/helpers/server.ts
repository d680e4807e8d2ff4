/**
 * Real HTTP servers on 127.0.0.1 for the webhook tests: every request is kept (method, path,
 * headers, raw body, which connection it came on), connections are counted, and `close()` ends
 * every socket so suites exit by themselves.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { expect } from 'vitest';

export interface Hit {
  method: string;
  /** Request target as received: path and query. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** 1-based number of the connection the request arrived on. */
  connection: number;
  /** Parsed form body (empty for other bodies). */
  form: Record<string, string>;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, hit: Hit) => unknown;

export interface TestServer {
  readonly origin: string;
  readonly hits: Hit[];
  /** Connections accepted so far. */
  readonly connections: number;
  url(path: string): string;
  /** Sockets currently open on the server side. */
  openSockets(): number;
  close(): Promise<void>;
}

export async function startServer(handler: Handler, options: { host?: string } = {}): Promise<TestServer> {
  const host = options.host ?? '127.0.0.1';
  const hits: Hit[] = [];
  const sockets = new Set<Socket>();
  const ids = new WeakMap<Socket, number>();
  let connections = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
      const hit: Hit = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        connection: ids.get(req.socket) ?? 0,
        form: isForm ? Object.fromEntries(new URLSearchParams(body)) : {},
      };
      hits.push(hit);
      Promise.resolve(handler(req, res, hit)).catch((error: unknown) => {
        res.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
  });
  server.on('connection', (socket: Socket) => {
    connections++;
    ids.set(socket, connections);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host}:${port}`;
  return {
    origin,
    hits,
    get connections() {
      return connections;
    },
    url: (path: string) => `${origin}${path}`,
    openSockets: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Replies with an OzML document (`application/xml` unless told otherwise). */
export function xml(res: http.ServerResponse, body: string, status = 200, contentType = 'application/xml'): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Open TCP sockets in this process (vitest itself talks over pipes, so this is ours and the servers'). */
export function openTcpSockets(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
}

export interface TimerTracker {
  /** Creation stacks of timers neither fired nor cleared. */
  pending(): string[];
  restore(): void;
}

/**
 * Records every `setTimeout` made while installed (ours and undici's) and which of them are still
 * pending: a leaked timer shows up with the stack that created it. vitest's own timers are
 * created outside the window and are not counted.
 */
export function trackTimers(): TimerTracker {
  const live = new Map<unknown, string>();
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  const tracked = ((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const timer: NodeJS.Timeout = realSet((...a: unknown[]) => {
      live.delete(timer);
      fn(...a);
    }, ms, ...args);
    live.set(timer, new Error('timer created').stack ?? '');
    return timer;
  }) as unknown as typeof setTimeout;
  globalThis.setTimeout = tracked;
  globalThis.clearTimeout = ((timer: NodeJS.Timeout | string | number | undefined) => {
    live.delete(timer);
    realClear(timer);
  }) as typeof clearTimeout;
  return {
    pending: () => [...live.values()],
    restore() {
      globalThis.setTimeout = realSet;
      globalThis.clearTimeout = realClear;
    },
  };
}

/** Waits until `check` passes (sockets close asynchronously), failing after `ms`. */
export async function eventually(check: () => void, ms = 2_000): Promise<void> {
  const start = Date.now();
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() - start > ms) throw error;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

/**
 * Waits for every TCP socket to close and every tracked timer to settle, failing if one survives;
 * restores the real timers either way.
 */
export async function expectNothingLeftBehind(timers: TimerTracker): Promise<void> {
  try {
    await eventually(() => {
      expect(openTcpSockets()).toBe(0);
      expect(timers.pending()).toEqual([]);
    });
  } finally {
    timers.restore();
  }
}

export interface SocketCounter {
  /** Client sockets created since the counter started. */
  readonly opened: number;
  stop(): void;
}

/** Counts the client sockets undici creates (its `net.client.socket` channel) until `stop()`. */
export function countClientSockets(): SocketCounter {
  let opened = 0;
  const count = (): void => {
    opened++;
  };
  diagnosticsChannel.subscribe('net.client.socket', count);
  return {
    get opened() {
      return opened;
    },
    stop: () => diagnosticsChannel.unsubscribe('net.client.socket', count),
  };
}
