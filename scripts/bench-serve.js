// ozml serve benchmark. The server runs in a child process (node --expose-gc); this process is the
// load generator and the apps' loopback webhook. One JSON line per figure.
//
// API: with N live sim calls, ListActiveCalls and Speak requests over C keep-alive connections,
// against a bare fastify route in the same server process that does the same authentication
// (ApiGuard, one office user) and sends an equally sized XML reply. Ratio = ozml req/s / bare
// req/s, measured in the same run (alternating rounds, the best of each side); p99 latency.
//
// Calls: a fresh server; L sim calls placed at R new calls/s, each answered by the webhook's
// <Delay Time="3600"/>. Event-loop lag p99 in the server while they ramp up and run, heap per
// live call (after gc, with all L live, minus before), then a drain (deadline 0) and a count of
// calls that ended without a cause.
//
// Usage: npm run bench:serve -- [--calls 1000] [--seconds 4] [--connections 16] [--rounds 2] [--load 2000] [--rate 200]
import { fork } from 'node:child_process';
import http from 'node:http';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

const USER = 'bench';
const PASSWORD = 'bench-password-123';

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

if (process.argv.includes('--role=server')) await runServer();
else await main();

// ── the server process ─────────────────────────────────────────────────────────────────────

async function runServer() {
  const { parseConfig } = await import('../dist/config/index.js');
  const { OzmlServer } = await import('../dist/api/server.js');
  const { ApiGuard } = await import('../dist/api/auth.js');
  const { replyXml } = await import('../dist/api/ozeki/xml-reply.js');
  const Fastify = (await import('fastify')).default;
  const { pino } = await import('pino');
  const hookUrl = process.env.BENCH_HOOK;
  const config = parseConfig(JSON.stringify({
    apps: { '9000': { incomingCallUrl: `${hookUrl}/incoming`, allowAddresses: ['loopback'] } },
    serve: {
      users: { [USER]: { password: 'env:BENCH_PASSWORD' } },
      limits: { maxConcurrentCalls: 100_000, callsPerSecondPerApp: 100_000 },
      drainSeconds: 0,
    },
  }), { env: { BENCH_PASSWORD: PASSWORD } });
  const server = await OzmlServer.start({ config, listen: { host: '127.0.0.1', port: 0 }, logger: pino({ level: 'silent' }) });

  // Calls and their causes, from the same events the logs are made of.
  const roots = new Set();
  let withoutCause = 0;
  let released = 0;
  server.runtime.events.subscribe((event) => {
    if (event.kind !== 'call') return;
    const e = event.event;
    if (e.type === 'leg.created' && e.direction === 'inbound') roots.add(e.legId);
    if (e.type === 'leg.state' && e.state === 'Released' && roots.has(e.legId)) {
      released++;
      if (!e.cause) withoutCause++;
    }
  });

  // The baseline: the same guard, an XML reply of the size asked for, nothing else.
  const guard = new ApiGuard(config.serve);
  const bodies = new Map();
  const bare = Fastify({ logger: false });
  bare.get('/', async (request, reply) => {
    const params = new URLSearchParams(request.raw.url.slice(request.raw.url.indexOf('?') + 1));
    const auth = await guard.check(request.ip, params.get('Username') ?? undefined, params.get('Password') ?? undefined);
    const size = Number(params.get('size'));
    let body = bodies.get(size);
    if (!body) {
      const head = replyXml(auth.ok ? { name: 'OK' } : { name: auth.code });
      body = `${head.slice(0, -'</Response>'.length)}<Pad>${'x'.repeat(Math.max(0, size - head.length - 11))}</Pad></Response>`.slice(0, Math.max(size, head.length));
      bodies.set(size, body);
    }
    return reply.code(200).type('application/xml').send(body);
  });
  await bare.listen({ host: '127.0.0.1', port: 0 });

  const lag = monitorEventLoopDelay({ resolution: 1 });
  lag.enable();
  process.on('message', async (message) => {
    if (message.type === 'stats') {
      if (message.gc) for (let i = 0; i < 3; i++) globalThis.gc?.();
      process.send({ type: 'stats', live: server.runtime.liveCalls, heapUsed: process.memoryUsage().heapUsed, lagP99Ms: lag.percentile(99) / 1e6, lagMaxMs: lag.max / 1e6 });
    } else if (message.type === 'reset-lag') {
      lag.reset();
      process.send({ type: 'reset-lag' });
    } else if (message.type === 'drain') {
      await server.drain();
      await bare.close();
      process.send({ type: 'drained', calls: roots.size, released, withoutCause });
      process.exit(0);
    }
  });
  process.send({ type: 'ready', ozml: `http://127.0.0.1:${server.address.port}`, bare: `http://127.0.0.1:${bare.server.address().port}` });
}

// ── the load generator ─────────────────────────────────────────────────────────────────────

function startServerProcess(hookUrl) {
  const child = fork(fileURLToPath(import.meta.url), ['--role=server'], {
    execArgv: ['--expose-gc'],
    env: { ...process.env, BENCH_HOOK: hookUrl },
  });
  const waiting = new Map();
  child.on('message', (message) => {
    const resolve = waiting.get(message.type);
    if (resolve) {
      waiting.delete(message.type);
      resolve(message);
    }
  });
  const next = (type) => new Promise((resolve) => waiting.set(type, resolve));
  return {
    child,
    ready: next('ready'),
    ask: (message, reply = message.type) => {
      const answer = next(reply);
      child.send(message);
      return answer;
    },
  };
}

function startHook() {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const body = '<Response><Delay Time="3600"/></Response>';
      res.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` })));
}

async function placeCalls(base, count, { rate, concurrency = 32 } = {}) {
  const pool = new Pool(base, { connections: concurrency });
  const ids = [];
  let failed = 0;
  const one = async (i) => {
    const { statusCode, body } = await pool.request({
      path: '/sim/calls', method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: `+1555${String(i).padStart(6, '0')}`, to: '9000' }),
    });
    const json = await body.json();
    if (statusCode === 201) ids.push(json.callId);
    else failed++;
  };
  if (rate === undefined) {
    let i = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => { while (i < count) await one(i++); }));
  } else {
    // `rate` calls per second, in 10 ms batches, bounded by `count`.
    const started = performance.now();
    const inflight = [];
    for (let i = 0; i < count;) {
      const due = Math.min(count, Math.floor(((performance.now() - started) / 1000) * rate));
      while (i < due) inflight.push(one(i++));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await Promise.all(inflight);
  }
  await pool.close();
  return { ids, failed };
}

async function until(check, tries = 3000) {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('timed out');
}

/** Requests `path()` over `connections` for `seconds` (at most 2,000,000 requests); req/s and latency percentiles. */
async function load(base, path, { seconds, connections }) {
  const pool = new Pool(base, { connections, pipelining: 1 });
  const latencies = [];
  let bytes = 0;
  let bad = 0;
  const end = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < end && latencies.length < 2_000_000) {
      const t0 = performance.now();
      const { statusCode, body } = await pool.request({ path: path(), method: 'GET' });
      const text = await body.text();
      latencies.push(performance.now() - t0);
      bytes = text.length;
      if (statusCode !== 200 || !text.includes('<Code>200</Code>')) bad++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
  return { rps: latencies.length / elapsed, p50: pct(0.5), p99: pct(0.99), requests: latencies.length, bytes, bad };
}

function emit(figure) {
  process.stdout.write(`${JSON.stringify(figure)}\n`);
}

async function main() {
  const calls = option('calls', 1000);
  const seconds = option('seconds', 4);
  const connections = option('connections', 16);
  const rounds = option('rounds', 2);
  const loadCalls = option('load', 2000);
  const rate = option('rate', 200);
  const hook = await startHook();
  const auth = `&Username=${USER}&Password=${PASSWORD}`;

  // ── API ──
  let proc = startServerProcess(hook.url);
  let { ozml, bare } = await proc.ready;
  const placed = await placeCalls(ozml, calls);
  await until(async () => (await proc.ask({ type: 'stats' })).live === placed.ids.length);
  const listBytes = Buffer.byteLength(await (await fetch(`${ozml}/?command=ListActiveCalls${auth}`)).text());
  const speakBytes = Buffer.byteLength(await (await fetch(`${ozml}/?command=Speak&CallId=${placed.ids[0]}&Party=caller&Text=Hello${auth}`)).text());
  let k = 0;
  const cases = [
    { name: 'ListActiveCalls', ozml: () => `/?command=ListActiveCalls${auth}`, bare: () => `/?command=ListActiveCalls${auth}&size=${listBytes}` },
    { name: 'Speak', ozml: () => `/?command=Speak&CallId=${placed.ids[k++ % placed.ids.length]}&Party=caller&Text=Your+order+has+shipped${auth}`, bare: () => `/?command=Speak${auth}&size=${speakBytes}` },
  ];
  for (const c of cases) {
    let best = { ozml: undefined, bare: undefined };
    for (let round = 0; round < rounds; round++) {
      const b = await load(bare, c.bare, { seconds, connections });
      const o = await load(ozml, c.ozml, { seconds, connections });
      if (!best.bare || b.rps > best.bare.rps) best.bare = b;
      if (!best.ozml || o.rps > best.ozml.rps) best.ozml = o;
    }
    emit({
      figure: `api.${c.name}`, liveCalls: placed.ids.length, replyBytes: best.ozml.bytes, connections,
      ozmlRps: Math.round(best.ozml.rps), bareRps: Math.round(best.bare.rps), ratio: Number((best.ozml.rps / best.bare.rps).toFixed(3)),
      p50Ms: Number(best.ozml.p50.toFixed(2)), p99Ms: Number(best.ozml.p99.toFixed(2)), bareP99Ms: Number(best.bare.p99.toFixed(2)),
      badReplies: best.ozml.bad, target: { ratio: 0.7, p99Ms: 5 },
    });
  }
  const drainedApi = await proc.ask({ type: 'drain' }, 'drained');
  emit({ figure: 'api.drain', calls: drainedApi.calls, released: drainedApi.released, withoutCause: drainedApi.withoutCause });

  // ── Calls ──
  proc = startServerProcess(hook.url);
  ({ ozml } = await proc.ready);
  const before = await proc.ask({ type: 'stats', gc: true });
  await proc.ask({ type: 'reset-lag' });
  const started = performance.now();
  const ramp = await placeCalls(ozml, loadCalls, { rate, concurrency: 64 });
  await until(async () => (await proc.ask({ type: 'stats' })).live === ramp.ids.length);
  const rampSeconds = (performance.now() - started) / 1000;
  // Let the calls sit live for a moment, then measure.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const lag = await proc.ask({ type: 'stats' });
  const after = await proc.ask({ type: 'stats', gc: true });
  const drained = await proc.ask({ type: 'drain' }, 'drained');
  emit({
    figure: 'calls.load', calls: ramp.ids.length, refused: ramp.failed, ratePerSecond: rate, rampSeconds: Number(rampSeconds.toFixed(2)),
    lagP99Ms: Number(lag.lagP99Ms.toFixed(2)), lagMaxMs: Number(lag.lagMaxMs.toFixed(2)),
    heapPerCallBytes: Math.round((after.heapUsed - before.heapUsed) / Math.max(1, ramp.ids.length)),
    released: drained.released, withoutCause: drained.withoutCause + (drained.calls - drained.released),
    target: { lagP99Ms: 20, heapPerCallBytes: 16384, withoutCause: 0 },
  });
  hook.server.close();
  hook.server.closeAllConnections();
}
