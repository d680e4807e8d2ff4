/**
 * The embedded default switch: deterministic, in-process, driven by a `Clock`. Parties are
 * simulated from a directory of behaviours; media takes as long as the duration model says;
 * recordings are real files of silence. Tests drive it further with `placeInboundCall`,
 * `hangup` and `pressDigits`, and check `liveLegs()` / `sentDtmf()` afterwards.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ONCE, type AbortSignalLike } from '../abort.js';
import type { Clock, TimerHandle } from '../clock.js';
import type { Diversion } from '../diversion.js';
import { deliver, warnListenerError, type ListenerErrorHandler } from '../listener-errors.js';
import type {
  HoldRequest,
  OriginateRequest,
  RecordRequest,
  RejectReason,
  SpeechRequest,
  Switch,
  SwitchEvent,
  SwitchEventListener,
  SwitchMediaOutcome,
  SwitchOperationOptions,
  SwitchRecording,
  RecordingEnd,
  ToneRequest,
} from '../switch.js';
import { toneDurationMs } from '../tones.js';
import {
  DEFAULT_DIGIT_GAP_SECONDS,
  DEFAULT_PROMPT_DELAY_SECONDS,
  DEFAULT_RING_SECONDS,
  DTMF_DIGIT_MS,
  type DigitPresses,
  type PartyBehaviour,
} from './directory.js';
import { audioFileDurationMs, DEFAULT_SPEECH_MODEL, localAudioPath, speechDurationMs, type SpeechModel } from './media-durations.js';
import { silentMp3, silentWav } from './recording-files.js';

export interface SimSwitchOptions {
  clock: Clock;
  /** Numbers and extensions the sim can call, with their behaviour. */
  directory?: Readonly<Record<string, PartyBehaviour>>;
  /** Behaviour of numbers not in the directory. Default `{ response: 'not-found' }`. */
  defaultBehaviour?: PartyBehaviour;
  speech?: Partial<SpeechModel>;
  /** Duration of audio that is not a readable local WAV/MP3 file (remote URLs, missing files). Default 5. */
  defaultAudioSeconds?: number;
  /** Relative audio paths resolve against this directory. Default: the working directory. */
  mediaRoot?: string;
  /** Where recordings are written. Default `<tmpdir>/ozml-recordings`. */
  recordingsDir?: string;
  /** RecordURL base (`<base>/<file name>`); default a `file://` URL of the file. */
  recordingsBaseUrl?: string;
  /** Prefix of inbound leg ids. Default `in-`. */
  inboundIdPrefix?: string;
  /** Mints inbound leg ids (the platform's id source) instead of `inboundIdPrefix` + counter. */
  newInboundId?: () => string;
  /**
   * Addresses that ring back into this switch (the platform's own inbound services, answered by
   * the interpreter: TransferToService to a service script). Dialling one creates an inbound leg
   * with the same from/to (an `incoming` event); its answer, rejection and hangup are the dialled
   * leg's, a hangup of either ends both, and digits the party bridged to the dialled leg presses
   * reach the inbound leg.
   */
  loopback?: (address: string) => boolean;
  /**
   * Told when a subscriber throws on a switch event; the other subscribers still get it and the
   * sim goes on. Default: a process warning (`CallEventListenerError`).
   */
  onSubscriberError?: ListenerErrorHandler<SwitchEvent>;
}

export interface InboundCall {
  /** The leg's id (the platform's id source, or a scenario's fixed call id); default `<inboundIdPrefix><n>`. */
  legId?: string;
  from: string;
  to: string;
  displayName?: string;
  /** From an extension of this platform (callType Internal). */
  internal?: boolean;
  diversions?: readonly Diversion[];
  /** The caller's behaviour: `hangupAtSeconds`, `hangupAfterSeconds`, `presses`, `speaks`. */
  behaviour?: PartyBehaviour;
}

export type SimLegStatus = 'ringing' | 'up' | 'ended';

/** What the sim knows about a leg (for assertions). */
export interface SimLegInfo {
  id: string;
  direction: 'inbound' | 'outbound';
  from: string;
  to: string;
  displayName?: string;
  privacy: boolean;
  diversions: readonly Diversion[];
  status: SimLegStatus;
  held: boolean;
  holdMusic?: string;
  bridgedTo?: string;
  /** The other end of a loopback call (the inbound leg of a dialled loopback address, and back). */
  loopbackTo?: string;
  sentDtmf: string;
}

interface SimLeg {
  readonly id: string;
  readonly direction: 'inbound' | 'outbound';
  readonly from: string;
  readonly to: string;
  readonly displayName: string | undefined;
  readonly privacy: boolean;
  readonly diversions: readonly Diversion[];
  readonly behaviour: PartyBehaviour;
  status: SimLegStatus;
  answeredAt: number | undefined;
  held: boolean;
  holdMusic: string | undefined;
  bridgedTo: string | undefined;
  /** The other end of a loopback call. */
  loopPeer: SimLeg | undefined;
  sentDtmf: string;
  timers: Set<TimerHandle> | undefined;
  /** "When prompted" presses not used yet. */
  prompted: DigitPresses[] | undefined;
  /** Called when the leg ends (media and recordings waiting on it). */
  onEnd: Set<() => void> | undefined;
  /** Called for every digit the party presses (recordings with finish digits). */
  onDigit: Set<(digit: string) => void> | undefined;
  /** How often each prompt finished playing, for a party that gives up on repeats (`giveUp`). */
  promptPlays: Map<string, number> | undefined;
}

const NOT_FOUND: PartyBehaviour = { response: 'not-found' };
/** How many distinct prompt texts the simulated switch remembers the speaking time of. */
const SPEECH_CACHE_SIZE = 1024;

export class SimSwitch implements Switch {
  readonly clock: Clock;
  readonly #listeners = new Set<SwitchEventListener>();
  readonly #legs = new Map<string, SimLeg>();
  readonly #directory: Readonly<Record<string, PartyBehaviour>>;
  readonly #defaultBehaviour: PartyBehaviour;
  readonly #speech: SpeechModel;
  readonly #defaultAudioMs: number;
  readonly #mediaRoot: string;
  readonly #recordingsDir: string;
  readonly #recordingsBaseUrl: string | undefined;
  readonly #inboundPrefix: string;
  readonly #newInboundId: (() => string) | undefined;
  readonly #loopback: ((address: string) => boolean) | undefined;
  readonly #onSubscriberError: ListenerErrorHandler<SwitchEvent>;
  readonly #audioDurations = new Map<string, number>();
  /** Prompts repeat from call to call; measuring one allocates (split, match). Bounded. */
  readonly #speechDurations = new Map<string, number>();
  #inboundCount = 0;
  #recordingCount = 0;

  constructor(options: SimSwitchOptions) {
    this.clock = options.clock;
    this.#directory = options.directory ?? {};
    this.#defaultBehaviour = options.defaultBehaviour ?? NOT_FOUND;
    this.#speech = { ...DEFAULT_SPEECH_MODEL, ...options.speech };
    this.#defaultAudioMs = (options.defaultAudioSeconds ?? 5) * 1000;
    this.#mediaRoot = options.mediaRoot ?? process.cwd();
    this.#recordingsDir = options.recordingsDir ?? join(tmpdir(), 'ozml-recordings');
    this.#recordingsBaseUrl = options.recordingsBaseUrl?.replace(/\/+$/, '');
    this.#inboundPrefix = options.inboundIdPrefix ?? 'in-';
    this.#newInboundId = options.newInboundId;
    this.#loopback = options.loopback;
    this.#onSubscriberError = options.onSubscriberError ?? warnListenerError('switch event');
  }

  subscribe(listener: SwitchEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  isExtension(address: string): boolean {
    return this.#directory[address]?.extension === true;
  }

  // ── test and scenario controls ────────────────────────────────────────────────────────────

  /** A caller rings in; the call layer sees an `incoming` event at once. Returns the leg id. */
  placeInboundCall(call: InboundCall): string {
    const id = call.legId ?? this.#inboundId();
    if (this.#legs.has(id)) throw new Error(`sim: leg id ${id} is taken`);
    const leg = this.#newLeg(id, 'inbound', {
      from: call.from,
      to: call.to,
      displayName: call.displayName,
      privacy: false,
      diversions: call.diversions ?? [],
      behaviour: call.behaviour ?? {},
    });
    this.#scheduleAbandon(leg);
    this.#emit({
      type: 'incoming',
      legId: leg.id,
      from: call.from,
      to: call.to,
      ...(call.displayName === undefined ? {} : { displayName: call.displayName }),
      ...(call.diversions?.length ? { diversions: call.diversions } : {}),
      ...(call.internal ? { internal: true } : {}),
    });
    return leg.id;
  }

  #inboundId(): string {
    return this.#newInboundId?.() ?? `${this.#inboundPrefix}${++this.#inboundCount}`;
  }

  /** The far end of `legId` hangs up now. */
  hangup(legId: string): void {
    const leg = this.#legs.get(legId);
    if (leg && leg.status !== 'ended') this.#remoteHangup(leg);
  }

  /** The far end of `legId` presses `digits` now (all at the current time, in order). */
  pressDigits(legId: string, digits: string): void {
    const leg = this.#legs.get(legId);
    if (!leg) return;
    for (const digit of digits) this.#press(leg, digit);
  }

  /** Ids of legs that have not ended. */
  liveLegs(): string[] {
    return [...this.#legs.values()].filter((leg) => leg.status !== 'ended').map((leg) => leg.id);
  }

  /** DTMF the application sent on `legId`. */
  sentDtmf(legId: string): string {
    return this.#legs.get(legId)?.sentDtmf ?? '';
  }

  leg(legId: string): SimLegInfo | undefined {
    const leg = this.#legs.get(legId);
    if (!leg) return undefined;
    return {
      id: leg.id,
      direction: leg.direction,
      from: leg.from,
      to: leg.to,
      ...(leg.displayName === undefined ? {} : { displayName: leg.displayName }),
      privacy: leg.privacy,
      diversions: leg.diversions,
      status: leg.status,
      held: leg.held,
      ...(leg.holdMusic === undefined ? {} : { holdMusic: leg.holdMusic }),
      ...(leg.bridgedTo === undefined ? {} : { bridgedTo: leg.bridgedTo }),
      ...(leg.loopPeer === undefined ? {} : { loopbackTo: leg.loopPeer.id }),
      sentDtmf: leg.sentDtmf,
    };
  }

  /** Forgets ended legs (their `leg()` and `sentDtmf()` information). */
  forgetEnded(): void {
    for (const [id, leg] of this.#legs) if (leg.status === 'ended') this.#legs.delete(id);
  }

  // ── Switch ────────────────────────────────────────────────────────────────────────────────

  async originate(request: OriginateRequest, options: SwitchOperationOptions = {}): Promise<void> {
    options.signal?.throwIfAborted();
    if (this.#legs.has(request.legId)) throw new Error(`sim: leg id ${request.legId} is taken`);
    if (this.#loopback?.(request.to)) {
      this.#originateLoopback(request);
      return;
    }
    const behaviour = this.#directory[request.to] ?? this.#defaultBehaviour;
    const leg = this.#newLeg(request.legId, 'outbound', {
      from: request.from,
      to: request.to,
      displayName: request.displayName,
      privacy: request.privacy,
      diversions: request.diversions,
      behaviour,
    });
    this.#scheduleAbandon(leg);
    const response = behaviour.response ?? 'answer';
    const fail = (type: 'busy' | 'no-answer' | 'rejected' | 'not-found'): void => {
      this.#end(leg);
      this.#emit({ type, legId: leg.id });
    };
    if (response === 'busy' || response === 'not-found') {
      this.#after(leg, behaviour.ringSeconds ?? 0, () => fail(response));
      return;
    }
    this.#after(leg, 0, () => this.#emit({ type: 'ringing', legId: leg.id }));
    if (response === 'reject') this.#after(leg, behaviour.ringSeconds ?? DEFAULT_RING_SECONDS, () => fail('rejected'));
    else if (response === 'no-answer') {
      if (behaviour.ringSeconds !== undefined) this.#after(leg, behaviour.ringSeconds, () => fail('no-answer'));
    } else {
      this.#after(leg, behaviour.ringSeconds ?? DEFAULT_RING_SECONDS, () => {
        this.#goUp(leg);
        this.#emit({ type: 'answered', legId: leg.id });
      });
    }
  }

  async answer(legId: string): Promise<void> {
    const leg = this.#require(legId);
    if (leg.direction !== 'inbound' || leg.status !== 'ringing') throw new Error(`sim: leg ${legId} is not a ringing inbound call`);
    this.#goUp(leg);
    const dialled = leg.loopPeer;
    if (dialled?.status === 'ringing') {
      this.#goUp(dialled);
      this.#emit({ type: 'answered', legId: dialled.id });
    }
  }

  async reject(legId: string, reason: RejectReason): Promise<void> {
    const leg = this.#legs.get(legId);
    if (!leg) return;
    this.#end(leg);
    const dialled = leg.loopPeer;
    if (dialled && dialled.status !== 'ended') {
      this.#end(dialled);
      this.#emit({ type: reason === 'busy' ? 'busy' : 'rejected', legId: dialled.id });
    }
  }

  async release(legId: string): Promise<void> {
    const leg = this.#legs.get(legId);
    if (!leg) return;
    this.#end(leg);
    this.#endLoopPeer(leg);
  }

  playAudio(legId: string, source: string, options: SwitchOperationOptions = {}): Promise<SwitchMediaOutcome> {
    return this.#prompt(legId, `audio ${source}`, this.#play(legId, this.#audioDurationMs(source), options.signal));
  }

  playSpeech(legId: string, speech: SpeechRequest, options: SwitchOperationOptions = {}): Promise<SwitchMediaOutcome> {
    return this.#prompt(legId, `speech ${speech.text}`, this.#play(legId, this.#speechDurationMs(speech.text), options.signal));
  }

  playTone(legId: string, tone: ToneRequest, options: SwitchOperationOptions = {}): Promise<SwitchMediaOutcome> {
    const natural = toneDurationMs(tone.definition);
    const duration =
      tone.durationMs === undefined ? natural : natural === undefined ? tone.durationMs : Math.min(natural, tone.durationMs);
    return this.#prompt(legId, `tone ${tone.name}`, this.#play(legId, duration, options.signal));
  }

  /** A party that gives up on repeats hangs up as the same prompt finishes for the n-th time. */
  #prompt(legId: string, key: string, played: Promise<SwitchMediaOutcome>): Promise<SwitchMediaOutcome> {
    const leg = this.#legs.get(legId);
    const limit = leg?.behaviour.giveUp?.promptRepeats;
    if (!leg || limit === undefined) return played;
    return played.then((outcome) => {
      if (outcome !== 'completed' || leg.status === 'ended') return outcome;
      const counts = (leg.promptPlays ??= new Map<string, number>());
      const plays = (counts.get(key) ?? 0) + 1;
      counts.set(key, plays);
      if (plays < limit) return outcome;
      this.#remoteHangup(leg);
      return 'hangup';
    });
  }

  collectDtmf(legId: string, _options: { signal: AbortSignalLike }): void {
    const leg = this.#legs.get(legId);
    // On the inbound end of a loopback call the one who presses is the party bridged to the dialled end.
    const party = leg?.prompted?.length ? leg : this.#partyBehindLoopback(leg);
    const presses = party?.prompted?.shift();
    if (!party || !presses) return;
    const start = (presses.afterPromptSeconds ?? DEFAULT_PROMPT_DELAY_SECONDS) * 1000;
    this.#schedulePresses(party, start, presses);
  }

  record(legId: string, request: RecordRequest, options: SwitchOperationOptions = {}): Promise<SwitchRecording> {
    const leg = this.#require(legId);
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const clock = this.clock;
    const startedAt = clock.now();
    return new Promise<SwitchRecording>((resolve, reject) => {
      const timers: TimerHandle[] = [];
      let finished = false;
      const cleanup = (): void => {
        finished = true;
        for (const timer of timers) clock.clearTimer(timer);
        leg.onEnd?.delete(onEnd);
        leg.onDigit?.delete(onDigit);
        signal?.removeEventListener('abort', onAbort);
      };
      const finish = (endedBy: RecordingEnd): void => {
        if (finished) return;
        cleanup();
        this.#writeRecording(leg, request, clock.now() - startedAt, endedBy).then(resolve, reject);
      };
      const onEnd = (): void => finish('hangup');
      const onDigit = (digit: string): void => {
        if (request.finishDigits?.includes(digit)) finish('digit');
      };
      const onAbort = (): void => {
        cleanup();
        reject(signal?.reason);
      };
      if (leg.status === 'ended') {
        finish('hangup');
        return;
      }
      if (request.maxSeconds !== undefined) {
        timers.push(clock.setTimer(request.maxSeconds * 1000, () => finish('max-duration'), `record-max ${legId}`));
      }
      if (request.inactivitySeconds !== undefined) {
        const silentAt = this.#silenceEnd(leg, startedAt, request.inactivitySeconds * 1000);
        timers.push(clock.setTimer(silentAt - startedAt, () => finish('silence'), `record-silence ${legId}`));
      }
      // A party that gives up does not wait forever in a recording only a key could end.
      const giveUp = leg.behaviour.giveUp?.recordingSeconds;
      if (giveUp !== undefined && request.maxSeconds === undefined && request.inactivitySeconds === undefined) {
        const silentAt = this.#silenceEnd(leg, startedAt, giveUp * 1000);
        timers.push(clock.setTimer(silentAt - startedAt, () => this.#remoteHangup(leg), `record-give-up ${legId}`));
      }
      (leg.onEnd ??= new Set()).add(onEnd);
      (leg.onDigit ??= new Set()).add(onDigit);
      signal?.addEventListener('abort', onAbort, ONCE);
    });
  }

  async sendDtmf(legId: string, digits: string, options: SwitchOperationOptions = {}): Promise<void> {
    const outcome = await this.#play(legId, digits.length * DTMF_DIGIT_MS, options.signal);
    if (outcome === 'completed') this.#require(legId).sentDtmf += digits;
  }

  async hold(legId: string, request: HoldRequest): Promise<void> {
    const leg = this.#require(legId);
    leg.held = true;
    leg.holdMusic = request.music;
  }

  async retrieve(legId: string): Promise<void> {
    const leg = this.#require(legId);
    leg.held = false;
    leg.holdMusic = undefined;
  }

  async bridge(legA: string, legB: string): Promise<void> {
    const a = this.#require(legA);
    const b = this.#require(legB);
    if (a.status !== 'up' || b.status !== 'up') throw new Error(`sim: cannot bridge ${legA} and ${legB}: both must be answered`);
    this.#unlink(a);
    this.#unlink(b);
    a.bridgedTo = b.id;
    b.bridgedTo = a.id;
  }

  async unbridge(legId: string): Promise<void> {
    const leg = this.#legs.get(legId);
    if (leg) this.#unlink(leg);
  }

  // ── internals ─────────────────────────────────────────────────────────────────────────────

  #emit(event: SwitchEvent): void {
    for (const listener of [...this.#listeners]) deliver(listener, event, this.#onSubscriberError);
  }

  #newLeg(
    id: string,
    direction: 'inbound' | 'outbound',
    parts: Pick<SimLeg, 'from' | 'to' | 'displayName' | 'privacy' | 'diversions' | 'behaviour'>,
  ): SimLeg {
    const leg: SimLeg = {
      id,
      direction,
      ...parts,
      status: 'ringing',
      answeredAt: undefined,
      held: false,
      holdMusic: undefined,
      bridgedTo: undefined,
      loopPeer: undefined,
      sentDtmf: '',
      timers: undefined,
      prompted: undefined,
      onEnd: undefined,
      onDigit: undefined,
      promptPlays: undefined,
    };
    this.#legs.set(id, leg);
    return leg;
  }

  #require(legId: string): SimLeg {
    const leg = this.#legs.get(legId);
    if (!leg) throw new Error(`sim: unknown leg ${legId}`);
    return leg;
  }

  /** Runs `fn` after `seconds` unless the leg ends first. */
  #after(leg: SimLeg, seconds: number, fn: () => void): void {
    const timers = (leg.timers ??= new Set());
    const timer = this.clock.setTimer(
      seconds * 1000,
      () => {
        timers.delete(timer);
        fn();
      },
      `sim ${leg.id}`,
    );
    timers.add(timer);
  }

  #scheduleAbandon(leg: SimLeg): void {
    const at = leg.behaviour.hangupAtSeconds;
    if (at !== undefined) this.#after(leg, at, () => this.#remoteHangup(leg));
  }

  /** The call is answered (by the party, or by the application for inbound calls): start the party's script. */
  #goUp(leg: SimLeg): void {
    const behaviour = leg.behaviour;
    leg.status = 'up';
    leg.answeredAt = this.clock.now();
    if (behaviour.hangupAfterSeconds !== undefined) this.#after(leg, behaviour.hangupAfterSeconds, () => this.#remoteHangup(leg));
    if (behaviour.transferBackAfterSeconds !== undefined) {
      this.#after(leg, behaviour.transferBackAfterSeconds, () => this.#emit({ type: 'transfer-back', legId: leg.id }));
    }
    for (const presses of behaviour.presses ?? []) {
      if (presses.afterAnswerSeconds === undefined) (leg.prompted ??= []).push(presses);
      else this.#schedulePresses(leg, presses.afterAnswerSeconds * 1000, presses);
    }
  }

  #schedulePresses(leg: SimLeg, startMs: number, presses: DigitPresses): void {
    const gap = (presses.gapSeconds ?? DEFAULT_DIGIT_GAP_SECONDS) * 1000;
    [...presses.digits].forEach((digit, i) => this.#after(leg, (startMs + i * gap) / 1000, () => this.#press(leg, digit)));
  }

  #press(leg: SimLeg, digit: string): void {
    if (leg.status !== 'up') return;
    this.#emit({ type: 'dtmf', legId: leg.id, digit });
    for (const watcher of [...(leg.onDigit ?? [])]) watcher(digit);
    // Digits travel over a bridge into a loopback call: the platform's own service hears them.
    const peer = leg.bridgedTo === undefined ? undefined : this.#legs.get(leg.bridgedTo);
    const service = peer?.loopPeer;
    if (service?.status === 'up') {
      this.#emit({ type: 'dtmf', legId: service.id, digit });
      for (const watcher of [...(service.onDigit ?? [])]) watcher(digit);
    }
  }

  #remoteHangup(leg: SimLeg): void {
    if (leg.status === 'ended') return;
    this.#end(leg);
    this.#emit({ type: 'hangup', legId: leg.id });
    this.#endLoopPeer(leg);
  }

  /**
   * A loopback call: the dialled leg rings, and (one clock turn later, like any far end) an inbound
   * leg with the same addresses comes in; the two ends are tied until one of them ends.
   */
  #originateLoopback(request: OriginateRequest): void {
    // Both ends carry the same addresses; neither acts by itself (the platform drives both).
    const parts = {
      from: request.from,
      to: request.to,
      displayName: request.displayName,
      privacy: request.privacy,
      diversions: request.diversions,
      behaviour: {},
    };
    const dialled = this.#newLeg(request.legId, 'outbound', parts);
    this.#after(dialled, 0, () => {
      this.#emit({ type: 'ringing', legId: dialled.id });
      const inbound = this.#newLeg(this.#inboundId(), 'inbound', parts);
      dialled.loopPeer = inbound;
      inbound.loopPeer = dialled;
      this.#emit({
        type: 'incoming',
        legId: inbound.id,
        from: request.from,
        to: request.to,
        ...(request.displayName === undefined ? {} : { displayName: request.displayName }),
        ...(request.diversions.length > 0 ? { diversions: request.diversions } : {}),
        internal: true,
      });
    });
  }

  /** One end of a loopback call ended: the other end hears a hangup. */
  #endLoopPeer(leg: SimLeg): void {
    const peer = leg.loopPeer;
    if (!peer || peer.status === 'ended') return;
    this.#end(peer);
    this.#emit({ type: 'hangup', legId: peer.id });
  }

  /** The party bridged to the dialled end of the loopback call `leg` is the inbound end of. */
  #partyBehindLoopback(leg: SimLeg | undefined): SimLeg | undefined {
    const dialled = leg?.direction === 'inbound' ? leg.loopPeer : undefined;
    return dialled?.bridgedTo === undefined ? undefined : this.#legs.get(dialled.bridgedTo);
  }

  #end(leg: SimLeg): void {
    if (leg.status === 'ended') return;
    leg.status = 'ended';
    for (const timer of leg.timers ?? []) this.clock.clearTimer(timer);
    leg.timers = undefined;
    leg.prompted = undefined;
    leg.held = false;
    this.#unlink(leg);
    const waiting = leg.onEnd;
    leg.onEnd = undefined;
    leg.onDigit = undefined;
    for (const fn of waiting ?? []) fn();
  }

  #unlink(leg: SimLeg): void {
    const peer = leg.bridgedTo === undefined ? undefined : this.#legs.get(leg.bridgedTo);
    if (peer?.bridgedTo === leg.id) peer.bridgedTo = undefined;
    leg.bridgedTo = undefined;
  }

  /** Media that lasts `durationMs` (forever when undefined): resolves `completed`, or `hangup` when the leg ends. */
  #play(legId: string, durationMs: number | undefined, signal: AbortSignalLike | undefined): Promise<SwitchMediaOutcome> {
    const leg = this.#legs.get(legId);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (!leg || leg.status === 'ended') return Promise.resolve('hangup');
    const clock = this.clock;
    return new Promise<SwitchMediaOutcome>((resolve, reject) => {
      let timer: TimerHandle | undefined;
      // The clean-up is spelt out in each of the three callbacks: a fourth closure per play otherwise.
      const onEnd = (): void => {
        clock.clearTimer(timer);
        leg.onEnd?.delete(onEnd);
        signal?.removeEventListener('abort', onAbort);
        resolve('hangup');
      };
      const onAbort = (): void => {
        clock.clearTimer(timer);
        leg.onEnd?.delete(onEnd);
        signal?.removeEventListener('abort', onAbort);
        reject(signal?.reason);
      };
      if (durationMs !== undefined) {
        timer = clock.setTimer(
          durationMs,
          () => {
            timer = undefined;
            leg.onEnd?.delete(onEnd);
            signal?.removeEventListener('abort', onAbort);
            resolve('completed');
          },
          `media ${legId}`,
        );
      }
      (leg.onEnd ??= new Set()).add(onEnd);
      signal?.addEventListener('abort', onAbort, ONCE);
    });
  }

  #speechDurationMs(text: string): number {
    const cached = this.#speechDurations.get(text);
    if (cached !== undefined) return cached;
    const duration = speechDurationMs(text, this.#speech);
    if (this.#speechDurations.size >= SPEECH_CACHE_SIZE) this.#speechDurations.clear();
    this.#speechDurations.set(text, duration);
    return duration;
  }

  #audioDurationMs(source: string): number {
    const cached = this.#audioDurations.get(source);
    if (cached !== undefined) return cached;
    const path = localAudioPath(source, this.#mediaRoot);
    const duration = (path === undefined ? undefined : audioFileDurationMs(path)) ?? this.#defaultAudioMs;
    this.#audioDurations.set(source, duration);
    return duration;
  }

  /** When the far end has been silent for `inactivityMs` since `from`, given what it says (`speaks`). */
  #silenceEnd(leg: SimLeg, from: number, inactivityMs: number): number {
    const answeredAt = leg.answeredAt ?? from;
    const talk = (leg.behaviour.speaks ?? [])
      .map((u) => ({ start: answeredAt + (u.afterSeconds ?? 0) * 1000, end: answeredAt + ((u.afterSeconds ?? 0) + u.seconds) * 1000 }))
      .sort((a, b) => a.start - b.start);
    let silentSince = from;
    for (const { start, end } of talk) {
      if (end <= silentSince) continue;
      if (start - silentSince >= inactivityMs) break;
      silentSince = Math.max(silentSince, end);
    }
    return silentSince + inactivityMs;
  }

  async #writeRecording(leg: SimLeg, request: RecordRequest, durationMs: number, endedBy: RecordingEnd): Promise<SwitchRecording> {
    const name = `${leg.id}-${++this.#recordingCount}.${request.format}`;
    const file = join(this.#recordingsDir, name);
    const release = this.clock.hold();
    try {
      await mkdir(this.#recordingsDir, { recursive: true });
      await writeFile(file, request.format === 'wav' ? silentWav(durationMs) : silentMp3(durationMs));
    } finally {
      release();
    }
    const url = this.#recordingsBaseUrl ? `${this.#recordingsBaseUrl}/${name}` : pathToFileURL(file).href;
    return { file, url, durationSeconds: durationMs / 1000, endedBy };
  }
}
