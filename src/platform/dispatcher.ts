/**
 * The dispatcher: when a leg rings in (Idle → Ringing) it decides what answers it — an app as an
 * API extension (IncomingCall), an app that routes the call (RoutingInterception), or no app: the
 * platform rings the device the number belongs to. docs/platform.md ("Dispatcher").
 *
 * What a call gets is looked up in order: a plan assigned to its leg id before it rang (the dry
 * run's scenario calls, a call placed through an API), then the called number's API extension in
 * the config (`extensions`: number → app). Calls to `service:<name>` addresses belong to the
 * service desk.
 */
import type { CallChannel } from '../calls/channel.js';
import type { CallControl } from '../calls/call-control.js';
import type { CallEvent } from '../calls/events.js';
import { serviceNameOf } from '../calls/service-transfer.js';
import type { DocumentContext } from '../language/index.js';
import type { Engine, EndCause, SessionHandle } from '../engine/index.js';
import type { NotificationName } from '../webhooks/script-source.js';
import type { PlatformEvent } from './events.js';
import { routeCall } from './routing.js';
import { connectThirdParty } from './third-party.js';
import type { Work } from './work.js';

/** How an inbound call is handled: which document the app is asked for, and in which context. */
export interface InboundPlan {
  /** `api-extension`: the app answers (IncomingCall); `routing`: the app says where the call goes; `third-party`: the platform connects the call to the number dialled and tells the app. */
  context: Extract<DocumentContext, 'api-extension' | 'routing' | 'third-party'> | 'device';
  url: string;
  notification: NotificationName;
  params: Readonly<Record<string, string>>;
  /** The caller's display name, as the app hears it (RoutingInterception's CallerID). */
  displayName?: string;
}

/** A call the platform handles; `cause` resolves with how its first session ended (null: none ran). */
export interface CallTicket {
  readonly callId: string;
  readonly cause: Promise<EndCause | null>;
}

export interface DispatcherOptions {
  calls: CallControl;
  engine: Engine;
  work: Work;
  /** Called number → plan (the config's API extensions). */
  extension: (number: string) => InboundPlan | undefined;
  emit: (event: PlatformEvent) => void;
}

interface Assigned {
  plan: InboundPlan;
  settle: (cause: EndCause | null) => void;
}

export class Dispatcher {
  readonly #options: DispatcherOptions;
  readonly #assigned = new Map<string, Assigned>();
  readonly #unsubscribe: () => void;

  constructor(options: DispatcherOptions) {
    this.#options = options;
    this.#unsubscribe = options.calls.subscribe((event) => this.#onEvent(event));
  }

  /** Handles the leg `callId` as `plan` when it rings in (assign before the switch places it). */
  assign(callId: string, plan: InboundPlan): CallTicket {
    let settle!: (cause: EndCause | null) => void;
    const cause = new Promise<EndCause | null>((resolve) => { settle = resolve; });
    this.#assigned.set(callId, { plan, settle });
    return { callId, cause };
  }

  close(): void {
    this.#unsubscribe();
    for (const { settle } of this.#assigned.values()) settle(null);
    this.#assigned.clear();
  }

  #onEvent(event: CallEvent): void {
    if (event.type !== 'leg.state' || event.previousState !== 'Idle' || event.state !== 'Ringing') return;
    const channel = this.#options.calls.channel(event.legId);
    if (!channel || channel.direction !== 'inbound' || serviceNameOf(channel.callee) !== undefined) return;
    const assigned = this.#assigned.get(event.legId);
    this.#assigned.delete(event.legId);
    const plan = assigned?.plan ?? this.#options.extension(channel.callee) ?? DEVICE;
    const settle = assigned?.settle ?? (() => {});
    // After the fan-out of this event: every listener sees the leg ring before its session starts.
    const { work } = this.#options;
    work.run(async () => {
      await Promise.resolve();
      let cause: EndCause | null = null;
      try {
        await this.#dispatch(channel, plan, (c) => { cause = c; });
      } finally {
        settle(cause);
      }
    });
  }

  async #dispatch(leg: CallChannel, plan: InboundPlan, onCause: (cause: EndCause) => void): Promise<void> {
    const { engine, calls, emit } = this.#options;
    const follow = (handle: SessionHandle): Promise<void> => handle.done.then((result) => onCause(result.cause));
    const call = { from: leg.caller, to: leg.callee, ...(plan.displayName !== undefined ? { displayName: plan.displayName } : {}), url: plan.url, params: plan.params };
    switch (plan.context) {
      case 'routing':
        return routeCall({ engine, caller: leg, call, emit, now: () => calls.clock.now(), onFirstCause: onCause });
      case 'third-party':
        return connectThirdParty({ engine, leg, call, notification: plan.notification, onCause });
      case 'device':
        // No app: the platform connects the caller to the number dialled (a back-to-back call).
        if (leg.can('answer')) await leg.answer();
        await leg.blindTransfer(leg.callee, { callerId: 'caller' });
        return;
      default:
        return follow(engine.start({ channel: leg, start: { url: plan.url, notification: plan.notification, context: 'api-extension', params: { ...plan.params } } }));
    }
  }
}

/** A number with no app: ring the device. */
const DEVICE: InboundPlan = { context: 'device', url: '', notification: 'IncomingCall', params: {} };
