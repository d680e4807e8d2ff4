/**
 * The call registry: every live call and its legs by call id, the list of active calls (what
 * Ozeki's ListActiveCalls and Genesys' `GET /api/v2/me/calls` answer), and the id source — the
 * only place the platform's ids are minted. docs/platform.md ("Call registry").
 *
 * A call is the leg that started it (its id is the call id) plus the legs dialled for it: consult
 * legs (`parentCallId`) and transfer targets (`transfer.started` names them). A leg the platform
 * dials for a `Call` verb starts a call of its own, as on Ozeki. A call leaves the registry when
 * its last leg is released.
 */
import type { CallControl } from '../calls/call-control.js';
import type { CallEvent } from '../calls/events.js';
import { stateNames, type CallType, type Direction, type LegState } from '../calls/leg-states.js';
import type { IdSource } from './ids.js';
import { sequentialIds } from './ids.js';

/** One leg of a live call. */
export interface RegisteredLeg {
  legId: string;
  state: LegState;
  callType: CallType;
  from: string;
  to: string;
}

/** One live call, with what ListActiveCalls and `GET /api/v2/me/calls` report. */
export interface ActiveCall {
  callId: string;
  /** The call's state: its first leg's (canonical leg state). */
  state: LegState;
  /** The same in Ozeki's vocabulary (`Ringing`, `InCall`, `Hold`, …). */
  ozekiState: string;
  /** `Inbound`, `Outbound` or `Internal`: where the call came from. */
  source: CallType;
  direction: Direction;
  /** The calling party's number. */
  caller: string;
  callerName?: string;
  /** The number called. */
  destination: string;
  /** When the call started (ms on the platform clock). */
  startedAt: number;
  /** Seconds it rang (until answered, or until now while it still rings). */
  ringSeconds: number;
  /** Seconds it has been answered (0 before). */
  talkSeconds: number;
  /** Its live legs, first leg first. */
  legs: RegisteredLeg[];
}

export interface CallRegistry {
  /** The id source of this platform (every call, leg and session id comes from it). */
  readonly ids: IdSource;
  /** Starts following the calls of `calls`. Returns the function that stops it. */
  track(calls: CallControl): () => void;
  /** A live call by its id. */
  find(callId: string): ActiveCall | undefined;
  /** The call a live leg belongs to. */
  callOf(legId: string): ActiveCall | undefined;
  /** Every live call, oldest first. */
  active(): ActiveCall[];
}

interface CallRecord {
  readonly callId: string;
  readonly source: CallType;
  readonly direction: Direction;
  readonly caller: string;
  readonly callerName: string | undefined;
  readonly destination: string;
  readonly startedAt: number;
  answeredAt: number | undefined;
  rootState: LegState;
  readonly legs: Map<string, RegisteredLeg>;
}

/** The registry of one process: calls kept in a Map, ids from the given source (default: counters). */
export class InMemoryCallRegistry implements CallRegistry {
  readonly ids: IdSource;
  readonly #calls = new Map<string, CallRecord>();
  readonly #callOfLeg = new Map<string, CallRecord>();
  /** Transfer targets announced before their leg exists (`transfer.started` comes first). */
  readonly #adopted = new Map<string, CallRecord>();
  #now: () => number = () => 0;

  constructor(options: { ids?: IdSource } = {}) {
    this.ids = options.ids ?? sequentialIds();
  }

  track(calls: CallControl): () => void {
    this.#now = () => calls.clock.now();
    return calls.subscribe((event) => this.#onEvent(event));
  }

  find(callId: string): ActiveCall | undefined {
    const record = this.#calls.get(callId);
    return record && this.#describe(record);
  }

  callOf(legId: string): ActiveCall | undefined {
    const record = this.#callOfLeg.get(legId);
    return record && this.#describe(record);
  }

  active(): ActiveCall[] {
    return [...this.#calls.values()].map((record) => this.#describe(record));
  }

  #onEvent(event: CallEvent): void {
    switch (event.type) {
      case 'leg.created': {
        const leg: RegisteredLeg = { legId: event.legId, state: 'Idle', callType: event.callType, from: event.from, to: event.to };
        const parent = (event.parentCallId === undefined ? undefined : this.#callOfLeg.get(event.parentCallId)) ?? this.#adopted.get(event.legId);
        this.#adopted.delete(event.legId);
        if (parent) {
          this.#join(parent, leg);
          return;
        }
        const record: CallRecord = {
          callId: event.legId, source: event.callType, direction: event.direction, caller: event.from,
          callerName: event.displayName, destination: event.to, startedAt: event.time, answeredAt: undefined,
          rootState: 'Idle', legs: new Map(),
        };
        this.#calls.set(record.callId, record);
        this.#join(record, leg);
        return;
      }
      case 'transfer.started': {
        // A transfer target dialled for this call joins it (created before this event, as a call of its own).
        const record = this.#callOfLeg.get(event.legId);
        if (!record || event.targetLegId === undefined) return;
        const target = this.#calls.get(event.targetLegId);
        if (!target) {
          if (!this.#callOfLeg.has(event.targetLegId)) this.#adopted.set(event.targetLegId, record);
          return;
        }
        if (target === record) return;
        this.#calls.delete(target.callId);
        for (const leg of target.legs.values()) this.#join(record, leg);
        return;
      }
      case 'leg.state': {
        const record = this.#callOfLeg.get(event.legId);
        const leg = record?.legs.get(event.legId);
        if (!record || !leg) return;
        leg.state = event.state;
        if (event.legId === record.callId) {
          record.rootState = event.state;
          if (event.state === 'Established' && record.answeredAt === undefined) record.answeredAt = event.time;
        }
        if (event.state !== 'Released') return;
        record.legs.delete(event.legId);
        this.#callOfLeg.delete(event.legId);
        if (record.legs.size === 0) this.#calls.delete(record.callId);
        return;
      }
      default:
    }
  }

  #join(record: CallRecord, leg: RegisteredLeg): void {
    record.legs.set(leg.legId, leg);
    this.#callOfLeg.set(leg.legId, record);
  }

  #describe(record: CallRecord): ActiveCall {
    const now = this.#now();
    const answeredAt = record.answeredAt;
    return {
      callId: record.callId,
      state: record.rootState,
      ozekiState: stateNames(record.rootState).ozeki ?? 'Completed',
      source: record.source,
      direction: record.direction,
      caller: record.caller,
      ...(record.callerName === undefined ? {} : { callerName: record.callerName }),
      destination: record.destination,
      startedAt: record.startedAt,
      ringSeconds: seconds((answeredAt ?? now) - record.startedAt),
      talkSeconds: answeredAt === undefined ? 0 : seconds(now - answeredAt),
      legs: [...record.legs.values()].map((leg) => ({ ...leg })),
    };
  }
}

const seconds = (ms: number): number => Math.max(0, Math.round(ms) / 1000);
