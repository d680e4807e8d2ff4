/** Test harness: a virtual clock, the simulated switch, the call layer, a local script source and the engine. */
import { CallControl } from '../../src/calls/call-control.js';
import { VirtualClock } from '../../src/calls/clock.js';
import type { PartyBehaviour } from '../../src/calls/sim/directory.js';
import { SimSwitch } from '../../src/calls/sim/sim-switch.js';
import type { InboundCall } from '../../src/calls/sim/sim-switch.js';
import { Engine } from '../../src/engine/engine.js';
import type { EngineEvent, EngineOptions, SessionResult, SessionStart } from '../../src/engine/engine.js';
import { compileDocument } from '../../src/language/index.js';
import type { DocumentContext, Program } from '../../src/language/index.js';
import { LocalScriptSource } from '../../src/webhooks/local-source.js';
import type { LocalRoute } from '../../src/webhooks/local-source.js';

export interface HarnessOptions {
  directory?: Record<string, PartyBehaviour>;
  routes?: Record<string, LocalRoute>;
  engine?: Partial<Omit<EngineOptions, 'calls' | 'source'>>;
  ownedNumbers?: string[];
  services?: Record<string, string>;
}

export function compile(text: string, context: DocumentContext = 'api-extension'): Program {
  const result = compileDocument(text, { context });
  if (!result.program) throw new Error(`fixture does not compile: ${JSON.stringify(result.diagnostics)}`);
  return result.program;
}

export function harness(options: HarnessOptions = {}) {
  const clock = new VirtualClock();
  const sim = new SimSwitch({ clock, directory: options.directory ?? {} });
  const calls = new CallControl(sim, {
    clock,
    ...(options.ownedNumbers ? { ownedNumbers: options.ownedNumbers } : {}),
    ...(options.services ? { services: options.services } : {}),
  });
  const source = new LocalScriptSource({
    routes: options.routes ?? {},
    sleep: (ms, signal) => clock.sleep(ms, signal),
  });
  const engine = new Engine({ calls, source, ...options.engine });
  const events: EngineEvent[] = [];
  engine.events.subscribe((event) => events.push(event));

  /** Places an inbound call and runs `start` on it; resolves when the session has ended. */
  async function inbound(call: InboundCall, start: SessionStart | string): Promise<SessionResult> {
    const legId = sim.placeInboundCall(call);
    const channel = calls.channel(legId);
    if (!channel) throw new Error('no channel for the inbound leg');
    const handle = engine.start({ channel, start: typeof start === 'string' ? { program: compile(start) } : start });
    return handle.done;
  }

  /** Compact, comparable lines for the events that matter in a test. */
  function trace(types: readonly string[] = ['verb.started', 'verb.finished', 'leg.state', 'session.ended', 'digits.received', 'notification.requested', 'error']) {
    return events.filter((e) => types.includes(e.type)).map((e) => {
      const t = (e.time / 1000).toFixed(1);
      switch (e.type) {
        case 'verb.started': return `${t} ${e.verb}`;
        case 'verb.finished': return `${t} ${e.verb} → ${e.result}`;
        case 'leg.state': return `${t} ${e.legId} ${e.previousState}→${e.state}${e.cause ? ` (${e.cause})` : ''}`;
        case 'session.ended': return `${t} end ${e.cause}`;
        case 'digits.received': return `${t} digits '${e.digits}' ${e.endedBy}`;
        case 'notification.requested': return `${t} ${e.name} ${e.url}`;
        case 'error': return `${t} error ${e.code}: ${e.message}`;
        default: return `${t} ${e.type}`;
      }
    });
  }

  async function dispose() {
    await engine.close();
    calls.close();
    await source.close();
  }

  return { clock, sim, calls, source, engine, events, inbound, trace, dispose };
}
