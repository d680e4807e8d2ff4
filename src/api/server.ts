/**
 * `ozml serve` in one object: the runtime (switch, calls, engines), one fastify listener carrying
 * the APIs (each an encapsulated plugin: the Ozeki command API, the sim's calls, the operations
 * routes), the logs and the metrics; drain and reload (docs/serve.md).
 */
import net from 'node:net';
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { defaultServeConfig } from '../config/index.js';
import type { OzmlConfig, ServeConfig } from '../config/index.js';
import { ApiGuard } from './auth.js';
import { LocalRuntime } from './local-runtime.js';
import { CallLog, createLogger } from './logging.js';
import { ServeMetrics } from './metrics.js';
import { opsRoutes } from './ops.js';
import { ozekiApi } from './ozeki/plugin.js';
import { simCalls } from './sim/plugin.js';

export type SwitchKind = 'sim';

export interface ServeOptions {
  config: OzmlConfig;
  /** Overrides `serve.listen`. */
  listen?: { host: string; port: number };
  switch?: SwitchKind;
  logger?: Logger;
}

/** The server cannot start as configured; the message says why. */
export class ServeError extends Error {
  override readonly name = 'ServeError';
}

/** 127.0.0.0/8, ::1 and `localhost`: addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  return host === '::1';
}

export function serveConfigOf(config: OzmlConfig): ServeConfig {
  return config.serve ?? defaultServeConfig();
}

/** Refuses an open API on an address other machines can reach. */
export function checkExposure(serve: ServeConfig, host: string): void {
  if (Object.keys(serve.users).length === 0 && !isLoopbackHost(host)) {
    throw new ServeError(
      `refusing to listen on ${host}: the HTTP API has no users configured, so anyone who can reach the address could place and control calls. `
      + 'Add office users to serve.users in the config (passwords as scrypt hashes from `ozml serve --hash-password`, or env:NAME), or listen on 127.0.0.1.',
    );
  }
}

export class OzmlServer {
  readonly app: FastifyInstance;
  readonly runtime: LocalRuntime;
  readonly metrics: ServeMetrics;
  readonly logger: Logger;
  #serve: ServeConfig;
  #guard: ApiGuard;
  #draining: Promise<number> | undefined;

  private constructor(options: ServeOptions, serve: ServeConfig, logger: Logger) {
    this.#serve = serve;
    this.#guard = new ApiGuard(serve);
    this.logger = logger;
    this.runtime = new LocalRuntime({ config: options.config, serve });
    this.metrics = new ServeMetrics(() => this.runtime.liveCalls);
    const log = new CallLog(logger);
    this.runtime.events.subscribe((event) => {
      this.metrics.observe(event);
      log.write(event);
    });
    // Requests are logged once each, by the APIs themselves (command and code, never parameters).
    this.app = Fastify({
      loggerInstance: logger as FastifyBaseLogger,
      logController: new LogController({ disableRequestLogging: true }),
      forceCloseConnections: true,
    });
    void this.app.register(ozekiApi, {
      calls: this.runtime,
      guard: () => this.#guard,
      draining: () => this.runtime.draining,
      onAnswered: (answered) => {
        this.metrics.apiRequests.inc({ command: answered.command || (answered.given ? 'unknown' : 'none'), code: String(answered.code) });
        logger.info({ event: 'api.request', command: answered.command || answered.given, code: answered.code, ip: answered.ip, ...(answered.user ? { user: answered.user } : {}) }, 'api request');
      },
      onError: (command, error) => logger.error({ event: 'api.error', command, error: error instanceof Error ? error.stack : String(error) }, 'api command failed'),
    });
    if ((options.switch ?? 'sim') === 'sim') void this.app.register(simCalls, {
        placeInbound: (request) => this.runtime.placeInbound(request),
        addressAllowed: (ip) => this.#guard.addressAllowed(ip),
      });
    void this.app.register(opsRoutes, { metrics: this.metrics, ready: () => !this.runtime.draining });
  }

  /** Builds and starts listening. @throws ServeError when the listener would expose an open API. */
  static async start(options: ServeOptions): Promise<OzmlServer> {
    const serve = serveConfigOf(options.config);
    const listen = options.listen ?? serve.listen;
    checkExposure(serve, listen.host);
    const server = new OzmlServer(options, serve, options.logger ?? createLogger());
    await server.runtime.start();
    await server.app.listen({ host: listen.host, port: listen.port });
    const address = server.address;
    server.logger.info({ event: 'serve.listening', host: address.host, port: address.port, users: Object.keys(serve.users).length }, 'listening');
    return server;
  }

  get address(): { host: string; port: number } {
    const address = this.app.server.address();
    if (address === null || typeof address === 'string') throw new Error('the server is not listening');
    return { host: address.address, port: address.port };
  }

  get draining(): boolean {
    return this.#draining !== undefined;
  }

  /** New settings for new calls and requests; the listener stays where it is. */
  reload(config: OzmlConfig): void {
    const serve = serveConfigOf(config);
    checkExposure(serve, this.address.host);
    this.#serve = serve;
    this.#guard = new ApiGuard(serve);
    this.runtime.reload(config, serve);
    this.logger.info({ event: 'serve.reloaded', apps: Object.keys(config.apps).length, users: Object.keys(serve.users).length }, 'configuration reloaded');
  }

  /**
   * Readiness fails and new calls are refused at once; running calls go on until the drain
   * deadline, then are released with cause `shutdown`; then the listener closes.
   */
  drain(): Promise<number> {
    this.#draining ??= (async () => {
      const live = this.runtime.liveCalls;
      this.logger.info({ event: 'serve.draining', calls: live, deadlineSeconds: this.#serve.drainSeconds }, 'draining');
      const released = await this.runtime.drain(this.#serve.drainSeconds * 1000);
      await this.runtime.close();
      await this.app.close();
      this.metrics.close();
      this.logger.info({ event: 'serve.stopped', released }, 'stopped');
      return released;
    })();
    return this.#draining;
  }

  /** Stops at once (tests): no drain deadline. */
  async close(): Promise<void> {
    if (this.#draining) {
      await this.#draining;
      return;
    }
    this.#draining = (async () => {
      await this.runtime.drain(0);
      await this.runtime.close();
      await this.app.close();
      this.metrics.close();
      return 0;
    })();
    await this.#draining;
  }
}
