/**
 * What the platform itself reports, beside the engine's session events and the call layer's leg
 * events: routing decisions and calls a platform limit refused. docs/platform.md ("Events").
 * `time` is milliseconds on the platform clock.
 */
import type { TransferCause } from '../calls/transfer-causes.js';
import type { PlatformLimitName } from './limits.js';

export type PlatformEvent =
  | {
      type: 'route.decided'; time: number; sessionId: string; destination: string; ringSeconds: number;
      callerId: string | null; dialedNumber: string | null;
    }
  /** `lastCallState`: what the next RoutingInterception reports (null when the call was connected or the caller left). */
  | { type: 'route.ended'; time: number; destination: string; cause: TransferCause; lastCallState: string | null }
  /** A `Call` (or a call ringing in) refused by a platform limit; `sessionId` is the session that asked, if any. */
  | { type: 'call.refused'; time: number; sessionId: string | null; app: string; to: string; limit: PlatformLimitName; detail: string };

export type PlatformEventListener = (event: PlatformEvent) => void;
