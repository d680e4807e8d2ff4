/**
 * `CallControl`: the call layer over one switch. It owns every leg's state, data and events and
 * hands out `CallChannel`s. Create one per switch; the executor, the dry-run and tests subscribe to
 * the same event stream.
 */
import type { CallChannel } from './channel.js';
import type { Clock } from './clock.js';
import { HangupError, InvalidOptionError } from './errors.js';
import type { CallEventListener } from './events.js';
import { connectLegs } from './join.js';
import { LegTable, type CallListenerErrorHandler } from './leg-table.js';
import { warnListenerError } from './listener-errors.js';
import type { Leg } from './leg.js';
import type { OperationOptions } from './media.js';
import { serviceAddress } from './service-transfer.js';
import type { Switch } from './switch.js';
import { DEFAULT_TONES, type ToneDefinition } from './tones.js';
import type { TransferResult } from './transfer-common.js';
import { normalizeOwnedNumber } from './transfer-options.js';

export interface CallControlOptions {
  clock: Clock;
  /** Numbers this platform owns: allowed as caller ID of transfers. */
  ownedNumbers?: readonly string[];
  /**
   * Inbound services for `transferToInboundService`: name → address to dial, or a function.
   * Default: `service:<name>` (the sim directory can list such addresses).
   */
  services?: Readonly<Record<string, string>> | ((name: string) => string | undefined);
  /** Default hold music (a tone name or audio URL); the switch's own default when absent. */
  holdMusic?: string;
  /** Extra tones, added to (or replacing) `DEFAULT_TONES`; names are matched case-insensitively. */
  tones?: Readonly<Record<string, ToneDefinition>>;
  /** Prefix of the ids of legs this side dials. Default `leg-`. */
  idPrefix?: string;
  /**
   * Told when an event listener (`subscribe`, `channel.subscribe`) throws; the other listeners
   * still get the event and the call goes on. Default: a warning on the process
   * (`process.emitWarning`, name `CallEventListenerError`).
   */
  onListenerError?: CallListenerErrorHandler;
  /** Mints the ids of legs this side dials (the platform's id source); default `<idPrefix><n>`. */
  newLegId?: () => string;
}

/** Owned numbers in their normalised form; one that cannot be normalised is refused. */
function ownedNumbersOf(numbers: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const written of numbers) {
    const normalized = normalizeOwnedNumber(written);
    if ('reason' in normalized) throw new InvalidOptionError('ownedNumbers', written, `ownedNumbers: ${normalized.reason}`);
    out.add(normalized.number);
  }
  return out;
}

function serviceResolver(services: CallControlOptions['services']): (name: string) => string | undefined {
  if (typeof services === 'function') return services;
  if (services) return (name) => (Object.hasOwn(services, name) ? services[name] : undefined);
  return serviceAddress;
}

export class CallControl {
  readonly #table: LegTable;

  constructor(sw: Switch, options: CallControlOptions) {
    const tones: Record<string, ToneDefinition> = {};
    for (const [name, tone] of Object.entries({ ...DEFAULT_TONES, ...options.tones })) tones[name.toLowerCase()] = tone;
    this.#table = new LegTable(
      sw,
      options.clock,
      {
        ownedNumbers: ownedNumbersOf(options.ownedNumbers ?? []),
        resolveService: serviceResolver(options.services),
        holdMusic: options.holdMusic,
        tones,
        idPrefix: options.idPrefix ?? 'leg-',
        ...(options.newLegId ? { newLegId: options.newLegId } : {}),
      },
      options.onListenerError ?? warnListenerError('call event'),
    );
  }

  get clock(): Clock {
    return this.#table.clock;
  }

  /** Every event of every leg, in order. Returns the unsubscribe function. */
  subscribe(listener: CallEventListener): () => void {
    return this.#table.subscribe(listener);
  }

  /** The channel of a live leg (inbound legs appear with their `leg.created` event). */
  channel(legId: string): CallChannel | undefined {
    const leg = this.#table.get(legId);
    return leg && this.#table.channelOf(leg);
  }

  /** A new Idle channel: dial from it, or pass it to `transferToInboundService`. `id`: a fixed leg id (default: minted). */
  createChannel(id?: string): CallChannel {
    return this.#table.channelOf(id === undefined ? this.#table.createLeg() : this.#table.createLeg(id));
  }

  /** Channels that are neither Idle nor Released. */
  liveChannels(): CallChannel[] {
    return this.#table.live().map((leg) => this.#table.channelOf(leg));
  }

  /**
   * Connects the parties of two answered legs of different calls and leaves both (the third-party
   * third-party AttendedTransfer, as in Ozeki's example): both channels Released (`transferred`), the parties connected
   * on the switch until one hangs up. `transfer.started` / `transfer.ended` (kind `consult`) are
   * reported on `moved`. Resolves `completed`, or `caller-hangup` / `target-hangup` / `failed`.
   * Legs that are not Established or Held, have a pending consult, or are bridged elsewhere are
   * refused with `HangupError` / `InvalidStateError` before anything happens.
   */
  async connect(moved: CallChannel, target: CallChannel, options?: OperationOptions): Promise<TransferResult> {
    return connectLegs(this.#table, this.#legOf(moved, 'moved'), this.#legOf(target, 'target'), options);
  }

  #legOf(channel: CallChannel, option: string): Leg {
    const leg = this.#table.get(channel.id);
    if (leg && this.#table.owns(leg, channel)) return leg;
    // Idle and Released legs are not in the table; refuse them as any operation on them is refused.
    if (!leg && (channel.state === 'Idle' || channel.state === 'Released')) throw new HangupError(channel.id, 'connect', channel.state);
    throw new InvalidOptionError(option, channel.id, `leg ${channel.id} does not belong to this call control`);
  }

  /** Ids of legs handed off by completed transfers that are still connected on the switch. */
  handedOffLegs(): string[] {
    return this.#table.handedOff();
  }

  /** Stops listening to the switch and releases calls still handed off. */
  close(): void {
    this.#table.close();
  }
}
