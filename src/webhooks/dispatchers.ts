/**
 * Keep-alive undici agents behind the address policy. undici fixes the connect timeout and the
 * response-size cap per agent, not per request, so one agent exists per distinct
 * (connect timeout, body cap) pair; with no `#ct` overrides that is a single shared agent.
 */
import { Agent, buildConnector } from 'undici';
import type { Dispatcher } from 'undici';
import net from 'node:net';
import type { LookupFunction } from 'node:net';
import { unbracket } from './address-policy.js';
import type { AddressPolicy } from './address-policy.js';

export interface DispatcherPoolOptions {
  policy: AddressPolicy;
  /** DNS lookup used before the policy check (tests map names to addresses with it). */
  lookup?: LookupFunction;
  /** Idle keep-alive sockets are closed after this long unless the server asks for less. */
  keepAliveTimeoutMs?: number;
}

export class DispatcherPool {
  private readonly agents = new Map<string, Agent>();
  private readonly lookup: LookupFunction;
  private last: { connectTimeoutMs: number; maxResponseBytes: number; agent: Agent } | undefined;

  constructor(private readonly options: DispatcherPoolOptions) {
    this.lookup = options.policy.guardLookup(options.lookup);
  }

  get(connectTimeoutMs: number, maxResponseBytes: number): Dispatcher {
    // Nearly every request uses the same pair as the one before; that skips building the key.
    const last = this.last;
    if (last !== undefined && last.connectTimeoutMs === connectTimeoutMs && last.maxResponseBytes === maxResponseBytes) return last.agent;
    const key = `${connectTimeoutMs}/${maxResponseBytes}`;
    let agent = this.agents.get(key);
    if (!agent) {
      agent = this.create(connectTimeoutMs, maxResponseBytes);
      this.agents.set(key, agent);
    }
    this.last = { connectTimeoutMs, maxResponseBytes, agent };
    return agent;
  }

  /** Per-origin open sockets and running requests over all agents (for leak checks and diagnostics). */
  stats(): Record<string, { connected: number; running: number }> {
    const out: Record<string, { connected: number; running: number }> = {};
    for (const agent of this.agents.values()) {
      for (const [origin, s] of Object.entries(agent.stats)) {
        const prev = out[origin] ?? { connected: 0, running: 0 };
        out[origin] = { connected: prev.connected + Number(s.connected), running: prev.running + s.running };
      }
    }
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.takeAgents().map((a) => a.close()));
  }

  async destroy(): Promise<void> {
    await Promise.all(this.takeAgents().map((a) => a.destroy()));
  }

  /** Empties the pool (later requests get fresh agents) and returns what it held. */
  private takeAgents(): Agent[] {
    const agents = [...this.agents.values()];
    this.agents.clear();
    this.last = undefined;
    return agents;
  }

  private create(connectTimeoutMs: number, maxResponseBytes: number): Agent {
    const policy = this.options.policy;
    const lookup = this.lookup;
    const base = buildConnector({ timeout: connectTimeoutMs });
    const connect: buildConnector.connector = (opts, callback) => {
      const host = unbracket(opts.hostname);
      if (net.isIP(host) !== 0) {
        const refused = policy.checkLiteralHost(host);
        return refused ? callback(refused, null) : base(opts, callback);
      }
      // Resolve and vet the name before any socket exists, then connect to the vetted address
      // (so a second resolution cannot rebind). `host` stays as it was: Host header and TLS SNI
      // still carry the name.
      // Name resolution counts against the connect timeout too (undici's timer starts at the TCP connect).
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        callback(Object.assign(new Error(`resolving ${host} took longer than ${connectTimeoutMs} ms`), { code: 'UND_ERR_CONNECT_TIMEOUT' }), null);
      }, connectTimeoutMs);
      lookup(host, { all: true }, (error, addresses) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) return callback(error, null);
        const first = Array.isArray(addresses) ? addresses[0] : { address: addresses };
        if (!first) return callback(Object.assign(new Error(`${host} did not resolve`), { code: 'ENOTFOUND' }), null);
        base({ ...opts, hostname: first.address, servername: opts.servername ?? host }, callback);
      });
    };
    return new Agent({
      connect,
      maxResponseSize: maxResponseBytes,
      keepAliveTimeout: this.options.keepAliveTimeoutMs ?? 4_000,
      // Per-request read timeouts are passed with each request; these are only backstops.
      headersTimeout: 60_000,
      bodyTimeout: 60_000,
    });
  }
}
