/**
 * Expectations of a scenario: matchers on the dry-run's events. A string value matches exactly,
 * or as a regular expression when written `/…/`; numbers and booleans compare as text.
 */

export type Scalar = string | number | boolean;

/** Time constraints every matcher may carry (seconds since the call started). */
export interface Timing {
  atSeconds?: number;
  afterSeconds?: number;
  withinSeconds?: number;
  /** Name shown in reports instead of the generated description. */
  name?: string;
}

/** A verb ran (`verb.started`) with these attributes, and finished with this result. */
export interface VerbExpectation extends Timing {
  verb: string;
  attributes?: Record<string, Scalar>;
  result?: string;
  session?: string;
}

/** A leg reached a state. `leg`: `caller`, a leg id, or the number a leg dialled. */
export interface LegExpectation extends Timing {
  leg: string;
  state: string;
  from?: string;
  cause?: string;
}

/** A transfer ended. `transfer`: `blind`, `consult`, `service`, `conference` or `any`. */
export interface TransferExpectation extends Timing {
  transfer: string;
  target?: Scalar;
  cause?: string;
}

/** A notification was sent with these parameters (and got this kind of reply). */
export interface NotificationExpectation extends Timing {
  notification: string;
  url?: string;
  params?: Record<string, Scalar>;
  reply?: 'document' | 'empty' | 'failed';
}

/** A session ended with a cause (`any` for any cause). */
export interface CallEndedExpectation extends Timing {
  callEnded: string;
  session?: string;
}

/** UserInput received these digits. */
export interface DigitsExpectation extends Timing {
  digits: Scalar;
  endedBy?: string;
}

/** DTMF was sent to a leg. */
export interface DtmfSentExpectation extends Timing {
  dtmfSent: Scalar;
  leg?: string;
}

/** SendSms / SendEmail / SendMsg. */
export interface MessageExpectation extends Timing {
  message: 'sms' | 'email' | 'msg';
  to?: Scalar;
}

/**
 * An error the engine reported (`error` event): its code (`any` for any code), the verb it came
 * from, its message (`text`). Every error fails the run unless an expectation like this one matched it.
 */
export interface ErrorExpectation extends Timing {
  error: Scalar;
  verb?: string;
  /** The error's message. */
  text?: Scalar;
}

/** Any event, by type and a subset of its fields. */
export interface EventExpectation extends Timing {
  event: { type: string } & Record<string, unknown>;
}

export type Expectation =
  | VerbExpectation
  | LegExpectation
  | TransferExpectation
  | NotificationExpectation
  | CallEndedExpectation
  | DigitsExpectation
  | DtmfSentExpectation
  | MessageExpectation
  | ErrorExpectation
  | EventExpectation;

/** The key that says what a matcher is about. */
export const EXPECTATION_KINDS = ['verb', 'leg', 'transfer', 'notification', 'callEnded', 'digits', 'dtmfSent', 'message', 'error', 'event'] as const;
export type ExpectationKind = (typeof EXPECTATION_KINDS)[number];

/** Fields each kind accepts besides its own key and the timing fields. */
export const KIND_FIELDS: Readonly<Record<ExpectationKind, readonly string[]>> = {
  verb: ['attributes', 'result', 'session'],
  leg: ['state', 'from', 'cause'],
  transfer: ['target', 'cause'],
  notification: ['url', 'params', 'reply'],
  callEnded: ['session'],
  digits: ['endedBy'],
  dtmfSent: ['leg'],
  message: ['to'],
  error: ['verb', 'text'],
  event: [],
};

export const TIMING_FIELDS = ['atSeconds', 'afterSeconds', 'withinSeconds', 'name'] as const;

/** `ordered`: each matches an event after the previous one's; `unordered`: each matches some event; `never`: none matches. */
export interface ExpectationSet {
  ordered: Expectation[];
  unordered: Expectation[];
  never: Expectation[];
}
