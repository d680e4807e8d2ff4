/**
 * What the Ozeki commands need from the phone system, and nothing more: the API layer is written
 * against this port, the runtime that `ozml serve` assembles implements it.
 */

/** One row of ListActiveCalls. */
export interface ActiveCall {
  callId: string;
  /** Ozeki's CallState (Ringing, InCall, Hold, Transferred, …). */
  state: string;
  /** The caller's number. */
  source: string;
  /** The caller's display ID (its number when it sent none). */
  callerId: string;
  /** The called number. */
  destination: string;
  /** Epoch ms. */
  startedAt: number;
  ringSeconds: number;
  talkSeconds: number;
}

export type Party = 'caller' | 'callee' | 'all';

/** How a command on a live call went. */
export type ControlOutcome =
  | { kind: 'done' }
  | { kind: 'not-found'; callId: string }
  /** The call is not in a state the command works in (Code 303). */
  | { kind: 'inappropriate'; detail: string }
  /** A parameter value the command cannot use (Code 302). */
  | { kind: 'invalid'; parameter: string; detail: string };

export interface PlaceCallRequest {
  dialed: string;
  /** Absent: the only API extension there is (else the outcome is `no-extension`). */
  apiExtension?: string;
  callerId?: string;
  callerDisplayName?: string;
  /** CallConnected goes here once the call is answered; its OzML runs the call. Empty: hung up on answer. */
  url: string;
  errorUrl?: string;
}

export type PlaceCallOutcome =
  | { kind: 'connected'; callId: string }
  /** Not answered: `state` is Ozeki's CallState of the ended call (Busy, Cancelled, Error). */
  | { kind: 'failed'; callId: string; state: string }
  | { kind: 'no-extension' }
  /** Draining, or a call limit reached (Code 303). */
  | { kind: 'refused'; detail: string };

export type OutgoingMessage =
  | { kind: 'sms'; apiExtension: string; sender?: string; recipient: string; message: string; deliveryReportUrl?: string }
  | { kind: 'email'; apiExtension: string; sender?: string; recipient: string; subject?: string; message?: string };

export type MessageOutcome = { kind: 'queued'; id: string } | { kind: 'no-extension' };

export interface CallsPort {
  /** Dials; resolves once the call is answered (its Url's OzML then runs) or has failed. */
  placeCall(request: PlaceCallRequest): Promise<PlaceCallOutcome>;
  findCall(callId: string): ActiveCall | undefined;
  listActiveCalls(): ActiveCall[];
  hangup(callId: string): Promise<ControlOutcome>;
  hold(callId: string): Promise<ControlOutcome>;
  unhold(callId: string): Promise<ControlOutcome>;
  /**
   * The party that is not `transferorParty` is connected to `target`; the transferor leaves.
   * TransferCompleted goes to `finishedUrl` when the transferred call ends (or the transfer fails).
   */
  blindTransfer(callId: string, options: { transferorParty: 'caller' | 'callee'; target: string; finishedUrl?: string }): Promise<ControlOutcome>;
  /** Joins the party of the transferred call to the target call (the transferor leaves both). */
  attendedTransfer(transferredCallId: string, targetCallId: string): Promise<ControlOutcome>;
  /** A ringing call is connected to `destination`. */
  forward(callId: string, destination: string): Promise<ControlOutcome>;
  play(callId: string, options: { party: Party; audioFile: string; repeat: boolean }): Promise<ControlOutcome>;
  speak(callId: string, options: { party: Party; text: string }): Promise<ControlOutcome>;
  sendDtmf(callId: string, options: { party: Party; keys: string }): Promise<ControlOutcome>;
  /** Records the call in the background; RecordCompleted goes to `finishedUrl` when it ends. */
  record(callId: string, options: { format: string; finishedUrl?: string }): Promise<ControlOutcome>;
  sendMessage(message: OutgoingMessage): Promise<MessageOutcome>;
}
