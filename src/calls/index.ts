/**
 * Public API of the call layer: legs, the channel API, the Switch interface, clocks and the
 * simulated switch.
 */
export { CallControl, type CallControlOptions } from './call-control.js';
export { isAbortError, LinkedAbort, OperationSignal, type AbortSignalLike } from './abort.js';
export { CallChannel, type DialOptions, type DialOutcome, type LegSnapshot } from './channel.js';
export {
  allowedOperations,
  capabilitiesOf,
  CAPABILITIES,
  CAPABILITY_OF_OPERATION,
  isAllowed,
  OPERATIONS,
  type BridgeKind,
  type Capability,
  type ConsultRole,
  type LegSituation,
  type Operation,
} from './capabilities.js';
export { RealClock, VirtualClock, type Clock, type PendingTimer, type TimerHandle } from './clock.js';
export { DIVERSION_REASONS, type Diversion, type DiversionReason, type DiversionTreatment } from './diversion.js';
export { HangupError, InvalidOptionError, InvalidStateError } from './errors.js';
export { SwitchError, toSwitchError, type SwitchErrorKind, type SwitchOperation } from './switch-error.js';
export type * from './events.js';
export {
  CALL_TYPES,
  LEG_STATES,
  RELEASE_CAUSES,
  stateNames,
  type CallType,
  type Direction,
  type KnownReleaseCause,
  type LegState,
  type ReleaseCause,
  type StateNames,
} from './leg-states.js';
export { legMachine, nextLegState, LEG_MACHINE_EVENT_TYPES, type LegMachineEvent, type LegMachineEventType } from './leg-machine.js';
export type { CollectDigitsOptions, DigitsResult } from './digits.js';
export type {
  CallRecordingOptions,
  OperationOptions,
  PlayOptions,
  PlayResult,
  RecordingResult,
  RecordOptions,
  SpeakOptions,
  ToneOptions,
} from './media.js';
export type { BlindTransferOptions } from './blind-transfer.js';
export type { CompleteTransferOptions, ConferenceOptions, InitiateTransferOptions } from './consult.js';
export { serviceAddress, serviceNameOf, type InboundServiceOptions } from './service-transfer.js';
export { DEFAULT_RINGBACK, type TransferResult } from './transfer-common.js';
export { causeOfUnansweredTarget, isTransferCause, TRANSFER_CAUSES, type TransferCause } from './transfer-causes.js';
export { normalizeOwnedNumber, PRIVATE_NUMBER, type Whisper } from './transfer-options.js';
export { DEFAULT_TONES, toneDurationMs, type ToneDefinition } from './tones.js';
export type { UserDataInput, UserDataPair, UserDataValue } from './user-data.js';
export type * from './switch.js';
export * from './sim/index.js';
