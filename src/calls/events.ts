/**
 * Events of one call-control stream (one per switch): the executor, the dry-run and tests all see
 * the same events. `time` is milliseconds on the clock. Key order is fixed so that the JSON of two
 * identical runs is identical byte for byte.
 */
import type { Capability } from './capabilities.js';
import type { Diversion } from './diversion.js';
import type { CallType, Direction, LegState } from './leg-states.js';
import type { RecordingEnd } from './switch.js';
import type { SwitchErrorKind, SwitchOperation } from './switch-error.js';
import type { TransferCause } from './transfer-causes.js';
import type { UserDataPair } from './user-data.js';

interface LegEventBase {
  time: number;
  legId: string;
}

/** A leg came into existence (before its first `leg.state`). */
export interface LegCreatedEvent extends LegEventBase {
  type: 'leg.created';
  callType: CallType;
  direction: Direction;
  parentCallId?: string;
  from: string;
  to: string;
  displayName?: string;
  /** Diversion headers the leg carries (top-most first). */
  diversions?: readonly Diversion[];
}

export interface LegStateEvent extends LegEventBase {
  type: 'leg.state';
  state: LegState;
  previousState: LegState;
  callType: CallType;
  parentCallId?: string;
  capabilities: readonly Capability[];
  /** Release cause, on `Released` only. */
  cause?: string;
}

/** Capabilities changed without a state change (a consult appeared or went away, a bridge ended). */
export interface LegCapabilitiesEvent extends LegEventBase {
  type: 'leg.capabilities';
  state: LegState;
  capabilities: readonly Capability[];
}

/** The far end of a dialled leg is ringing. */
export interface LegAlertingEvent extends LegEventBase {
  type: 'leg.alerting';
}

export interface LegUserDataEvent extends LegEventBase {
  type: 'leg.userdata';
  userData: readonly UserDataPair[];
}

export type MediaKind = 'speech' | 'audio' | 'tone';
/** `interrupted`: stopped by the application (barge-in, end of a transfer's ringback, abort). */
export type MediaEnd = 'completed' | 'timeout' | 'interrupted' | 'hangup' | 'state-change';

export interface MediaStartedEvent extends LegEventBase {
  type: 'media.started';
  media: MediaKind;
  /** Text, audio URL/path or tone name. */
  source: string;
}

export interface MediaEndedEvent extends LegEventBase {
  type: 'media.ended';
  media: MediaKind;
  source: string;
  endedBy: MediaEnd;
}

export interface DtmfReceivedEvent extends LegEventBase {
  type: 'dtmf.received';
  digit: string;
}

export interface DtmfSentEvent extends LegEventBase {
  type: 'dtmf.sent';
  digits: string;
}

export type DigitsEnd = 'complete' | 'terminator' | 'timeout';

export interface DigitsStartedEvent extends LegEventBase {
  type: 'digits.started';
}

export interface DigitsCollectedEvent extends LegEventBase {
  type: 'digits.collected';
  digits: string;
  endedBy: DigitsEnd;
}

export interface RecordingStartedEvent extends LegEventBase {
  type: 'recording.started';
  format: 'wav' | 'mp3';
}

export interface RecordingEndedEvent extends LegEventBase {
  type: 'recording.ended';
  file: string;
  url: string;
  durationSeconds: number;
  endedBy: RecordingEnd;
}

/** `blind`: BlindTransfer; `consult`: two-step transfer; `service`: transfer to an inbound service; `conference`: conferences. */
export type TransferKind = 'blind' | 'consult' | 'service' | 'conference';

export interface TransferStartedEvent extends LegEventBase {
  type: 'transfer.started';
  kind: TransferKind;
  target: string;
  targetLegId?: string;
}

export interface TransferEndedEvent extends LegEventBase {
  type: 'transfer.ended';
  kind: TransferKind;
  target: string;
  cause: TransferCause;
  targetLegId?: string;
}

/** Two legs' audio joined. */
export interface BridgeStartedEvent extends LegEventBase {
  type: 'bridge.started';
  peerLegId: string;
}

/** Two legs' audio separated, with why (the release cause of the leg that ended it). */
export interface BridgeEndedEvent extends LegEventBase {
  type: 'bridge.ended';
  peerLegId: string;
  cause: string;
}

/**
 * A switch operation failed where no caller awaits it (a BYE, an unbridge, a bridge of a
 * transfer that then ends `failed`): docs/calls.md, "When the switch fails".
 */
export interface SwitchErrorEvent extends LegEventBase {
  type: 'switch.error';
  operation: SwitchOperation;
  kind: SwitchErrorKind;
  message: string;
}

export type CallEvent =
  | LegCreatedEvent
  | LegStateEvent
  | LegCapabilitiesEvent
  | LegAlertingEvent
  | LegUserDataEvent
  | MediaStartedEvent
  | MediaEndedEvent
  | DtmfReceivedEvent
  | DtmfSentEvent
  | DigitsStartedEvent
  | DigitsCollectedEvent
  | RecordingStartedEvent
  | RecordingEndedEvent
  | TransferStartedEvent
  | TransferEndedEvent
  | BridgeStartedEvent
  | BridgeEndedEvent
  | SwitchErrorEvent;

export type CallEventListener = (event: CallEvent) => void;
