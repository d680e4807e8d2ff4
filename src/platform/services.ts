/**
 * The service desk: inbound services the platform runs itself (TransferToService, the Aculab channel API). `ozml.config.json`'s
 * `services` maps a name to a script URL or file. A transfer dials the service's address
 * (`service:<name>`); the switch routes that address back to this platform as an inbound call
 * (the sim's `loopback` option, a SIP switch's own routing), and the desk answers it with a new
 * session that runs the service's script. When that script ends, its session hangs up the service
 * leg — "the service side hangs up" — and the call layer retrieves the transferred caller.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CallChannel } from '../calls/channel.js';
import type { CallControl } from '../calls/call-control.js';
import type { CallEvent } from '../calls/events.js';
import { serviceNameOf } from '../calls/service-transfer.js';
import type { Engine, SessionStart } from '../engine/index.js';
import { compileDocument, FETCH_MAX_BYTES } from '../language/index.js';

/** Service name → script: an http(s) URL (fetched with IncomingCall), a `file:` URL or a file path. */
export type ServiceScripts = Readonly<Record<string, string>>;

/**
 * The addresses a switch must route back to this platform for the engine to answer `scripts`
 * (`service:<name>` for each name): pass it as the sim's `loopback` option.
 */
export function servicesLoopback(scripts: ServiceScripts): (address: string) => boolean {
  return (address) => {
    const name = serviceNameOf(address);
    return name !== undefined && Object.hasOwn(scripts, name);
  };
}

const isHttp = (script: string): boolean => /^https?:\/\//i.test(script);

export interface ServiceDeskOptions {
  engine: Engine;
  calls: CallControl;
  scripts: ServiceScripts;
  /** Names TransferToService may use inside service scripts, and extra tone names (compile checks). */
  serviceNames: readonly string[];
  tones: readonly string[];
}

/** Answers calls to `service:<name>` addresses with a session running the service's script. */
export class ServiceDesk {
  readonly #options: ServiceDeskOptions;
  readonly #unsubscribe: () => void;
  readonly #loading = new Set<Promise<void>>();
  #closed = false;

  constructor(options: ServiceDeskOptions) {
    this.#options = options;
    this.#unsubscribe = options.calls.subscribe((event) => this.#onEvent(event));
  }

  /** Stops answering service calls and waits for scripts being read. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#unsubscribe();
    while (this.#loading.size > 0) await Promise.all([...this.#loading]);
  }

  #onEvent(event: CallEvent): void {
    // A new inbound leg starts ringing (its `leg.created` comes before it is Ringing, too early to answer).
    if (this.#closed || event.type !== 'leg.state' || event.previousState !== 'Idle' || event.state !== 'Ringing') return;
    const channel = this.#options.calls.channel(event.legId);
    const name = channel && serviceNameOf(channel.snapshot().callee);
    if (!channel || name === undefined || !Object.hasOwn(this.#options.scripts, name)) return;
    const script = this.#options.scripts[name]!;
    if (isHttp(script)) {
      this.#start(channel, name, { url: script, notification: 'IncomingCall', context: 'api-extension', params: { Service: name } });
      return;
    }
    const loading = this.#load(channel, name, script).catch((error: unknown) => this.#report(name, error instanceof Error ? error.message : String(error)));
    this.#loading.add(loading);
    void loading.finally(() => this.#loading.delete(loading));
  }

  /** Reads and compiles a script file; a file that cannot run refuses the call (the transfer sees `rejected`). */
  async #load(channel: CallChannel, name: string, script: string): Promise<void> {
    const { calls } = this.#options;
    const file = script.startsWith('file:') ? fileURLToPath(script) : script;
    const url = pathToFileURL(file).href;
    // Reading is real I/O: virtual time stands still meanwhile.
    const release = calls.clock.hold();
    let problem: string | undefined;
    let start: SessionStart | undefined;
    try {
      const text = await readFile(file);
      const result = compileDocument(text, {
        context: 'api-extension', url, maxBytes: FETCH_MAX_BYTES,
        services: this.#options.serviceNames, tones: this.#options.tones,
      });
      if (result.program) start = { program: result.program, url, params: { Service: name } };
      else problem = result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.range.line}:${d.range.column} ${d.message}`).join('; ');
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    } finally {
      release();
    }
    if (this.#closed || !channel.can('answer')) return;
    if (start) {
      this.#start(channel, name, start);
      return;
    }
    this.#report(name, `${file} cannot run: ${problem ?? 'no program'}`);
    // The caller may have given up meanwhile; a leg that can no longer be refused needs nothing.
    if (channel.can('reject')) await channel.reject('rejected');
  }

  #report(name: string, detail: string): void {
    const { calls, engine } = this.#options;
    engine.events.emit({ time: calls.clock.now(), sessionId: `service:${name}`, type: 'error', code: 'service-unavailable', message: `service ${name}: ${detail}` });
  }

  #start(channel: CallChannel, name: string, start: SessionStart): void {
    this.#options.engine.start({ channel, start, direction: 'inbound', callee: name });
  }
}
