/**
 * Record and replay of webhook exchanges, one readable YAML file per HTTP exchange (each attempt
 * and each redirect hop is its own file), named by sequence: `0001-IncomingCall.yaml`, …
 *
 * Replay answers from those files without any network: a request matches a recorded exchange with
 * the same method, URL and body (headers are not compared: signatures and idempotency keys vary).
 * Recorded failures (timeouts, resets, refused addresses) are replayed as the same failure, at once.
 *
 * Files hold no wall-clock time unless the caller's clock supplies it: `timing.elapsedMs` comes from
 * the recording's clock, the signature timestamp from the source's; when the two differ (a dry run
 * on virtual time) the signature header is not recorded.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { TRANSPORT_ERROR_KINDS, TransportError } from './transport.js';
import type { HttpRequest, HttpResponse, Transport, TransportErrorKind } from './transport.js';

export interface RecordedBody {
  body?: string;
  /** Used instead of `body` when the bytes are not plain UTF-8 text. */
  bodyBase64?: string;
}

export interface RecordedExchange {
  sequence: number;
  notification: string;
  attempt: number;
  redirect: number;
  request: { method: string; url: string; headers: Record<string, string>; params?: Record<string, string> } & RecordedBody;
  response?: { status: number; headers: Record<string, string> } & RecordedBody;
  error?: { kind: TransportErrorKind; code: number; message: string };
  timing: { elapsedMs: number };
}

const FILE_NAME = /^(\d{4,})-[A-Za-z]+\.yaml$/;
/** Per-connection and per-moment headers: they make recordings differ run to run without meaning anything. */
const UNRECORDED_RESPONSE_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function encodeBody(bytes: Uint8Array | string): RecordedBody {
  if (typeof bytes === 'string') return { body: bytes };
  try {
    const text = strictUtf8.decode(bytes);
    // Control characters (other than tab/CR/LF) would make the YAML unreadable; keep such bodies binary.
    if (!/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(text)) return { body: text };
  } catch {
    // not UTF-8: fall through
  }
  return { bodyBase64: Buffer.from(bytes).toString('base64') };
}

function decodeBody(recorded: RecordedBody): Uint8Array {
  if (recorded.bodyBase64 !== undefined) return new Uint8Array(Buffer.from(recorded.bodyBase64, 'base64'));
  return new Uint8Array(Buffer.from(recorded.body ?? '', 'utf8'));
}

function bodyText(recorded: RecordedBody): string {
  return recorded.bodyBase64 !== undefined ? Buffer.from(recorded.bodyBase64, 'base64').toString('latin1') : recorded.body ?? '';
}

/** Wraps a live transport and writes every exchange to `dir` (replacing an earlier recording there). */
export class RecordingTransport implements Transport {
  private sequence = 0;
  private ready: Promise<void> | undefined;

  private readonly unrecordedRequestHeaders: ReadonlySet<string>;

  /** `unrecordedRequestHeaders` (lower case) are left out of the files, e.g. a signature made on another clock. */
  constructor(
    private readonly inner: Transport,
    private readonly dir: string,
    private readonly clock: () => number,
    options: { unrecordedRequestHeaders?: readonly string[] } = {},
  ) {
    this.unrecordedRequestHeaders = new Set(options.unrecordedRequestHeaders ?? []);
  }

  async exchange(req: HttpRequest): Promise<HttpResponse> {
    const sequence = ++this.sequence;
    const started = this.clock();
    let response: HttpResponse | undefined;
    let failure: TransportError | undefined;
    try {
      response = await this.inner.exchange(req);
    } catch (error) {
      failure = error as TransportError;
    }
    // A caller's abort is not an answer the server gave; replay must not reproduce it.
    if (failure?.kind !== 'aborted') {
      const exchange: RecordedExchange = {
        sequence,
        notification: req.notification,
        attempt: req.attempt,
        redirect: req.redirect,
        request: { method: req.method, url: req.url, headers: sortedHeaders(req.headers, this.unrecordedRequestHeaders), ...readableParams(req), ...encodeBody(req.body) },
        ...(response
          ? { response: { status: response.status, headers: recordableHeaders(response.headers), ...encodeBody(response.body) } }
          : { error: { kind: failure!.kind, code: failure!.code, message: failure!.message } }),
        timing: { elapsedMs: Math.max(0, this.clock() - started) },
      };
      await this.write(exchange);
    }
    if (failure) throw failure;
    return response!;
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async write(exchange: RecordedExchange): Promise<void> {
    this.ready ??= this.prepare();
    await this.ready;
    const name = `${String(exchange.sequence).padStart(4, '0')}-${exchange.notification}.yaml`;
    await writeFile(path.join(this.dir, name), stringify(exchange, { lineWidth: 0 }), 'utf8');
  }

  /** Creates the directory and removes exchange files of an earlier recording (only files named like ours). */
  private async prepare(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const old = (await readdir(this.dir)).filter((f) => FILE_NAME.test(f));
    await Promise.all(old.map((f) => rm(path.join(this.dir, f))));
  }
}

/** Answers from a recording; never opens a socket. */
export class ReplayTransport implements Transport {
  private exchanges: Promise<Array<RecordedExchange & { used: boolean; file: string }>> | undefined;

  constructor(private readonly dir: string) {}

  async exchange(req: HttpRequest): Promise<HttpResponse> {
    if (req.abort.aborted) throw new TransportError('aborted', 'aborted by the caller');
    const all = await (this.exchanges ??= this.load());
    const match = all.find((e) => !e.used && e.request.method === req.method && e.request.url === req.url && bodyText(e.request) === req.body);
    if (!match) throw new TransportError('replay-missing', this.describeMiss(req, all));
    match.used = true;
    if (match.error) throw new TransportError(match.error.kind, match.error.message);
    const response = match.response!;
    return { status: response.status, headers: { ...response.headers }, body: decodeBody(response) };
  }

  async close(): Promise<void> {}

  private async load(): Promise<Array<RecordedExchange & { used: boolean; file: string }>> {
    let files: string[];
    try {
      files = (await readdir(this.dir)).filter((f) => FILE_NAME.test(f)).sort();
    } catch (error) {
      throw new TransportError('replay-missing', `cannot read the recording directory ${this.dir}: ${(error as Error).message}`);
    }
    const out: Array<RecordedExchange & { used: boolean; file: string }> = [];
    for (const file of files) {
      const data = parse(await readFile(path.join(this.dir, file), 'utf8')) as RecordedExchange;
      if (!isRecordedExchange(data)) throw new TransportError('replay-missing', `${path.join(this.dir, file)} is not a recorded exchange`);
      out.push({ ...data, used: false, file });
    }
    return out;
  }

  /** Names the closest unused recordings, so a changed request is easy to spot. */
  private describeMiss(req: HttpRequest, all: ReadonlyArray<RecordedExchange & { used: boolean; file: string }>): string {
    const head = `no recorded exchange for ${req.method} ${req.url} in ${this.dir}`;
    const sameUrl = all.filter((e) => !e.used && e.request.url === req.url);
    if (sameUrl.length === 0) {
      const left = all.filter((e) => !e.used).length;
      return `${head} (${left === 0 ? 'every recorded exchange was already used' : `no unused recording for this URL; ${left} unused for other URLs`})`;
    }
    const first = sameUrl[0]!;
    if (first.request.method !== req.method) return `${head}; ${first.file} was recorded with ${first.request.method}`;
    return `${head}; ${first.file} has a different body: ${firstDifference(bodyText(first.request), req.body)}`;
  }
}

function firstDifference(recorded: string, actual: string): string {
  const a = paramsOf(recorded);
  const b = paramsOf(actual);
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    if (a.get(key) !== b.get(key)) return `${key} was ${JSON.stringify(a.get(key) ?? null)}, now ${JSON.stringify(b.get(key) ?? null)}`;
  }
  return `recorded ${JSON.stringify(recorded.slice(0, 80))}, now ${JSON.stringify(actual.slice(0, 80))}`;
}

/** Notification parameters of a form or JSON body. */
function paramsOf(body: string): Map<string, string> {
  if (body.startsWith('{')) {
    try {
      return new Map(Object.entries(JSON.parse(body) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    } catch {
      // not JSON after all
    }
  }
  return new Map(new URLSearchParams(body));
}

function isRecordedExchange(value: unknown): value is RecordedExchange {
  if (!value || typeof value !== 'object') return false;
  const e = value as Partial<RecordedExchange>;
  const requestOk = !!e.request && typeof e.request.method === 'string' && typeof e.request.url === 'string';
  const responseOk = !!e.response && typeof e.response.status === 'number';
  const errorOk = !!e.error && TRANSPORT_ERROR_KINDS.includes(e.error.kind);
  return requestOk && (responseOk || errorOk);
}

/** Form bodies are also shown decoded, for people reading the file; replay matches on `body`. */
function readableParams(req: HttpRequest): { params?: Record<string, string> } {
  if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') return {};
  return { params: Object.fromEntries(new URLSearchParams(req.body)) };
}

function sortedHeaders(headers: Record<string, string>, left?: ReadonlySet<string>): Record<string, string> {
  const entries = Object.entries(headers).filter(([name]) => left === undefined || !left.has(name));
  return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
}

function recordableHeaders(headers: Record<string, string>): Record<string, string> {
  return sortedHeaders(Object.fromEntries(Object.entries(headers).filter(([name]) => !UNRECORDED_RESPONSE_HEADERS.has(name))));
}
