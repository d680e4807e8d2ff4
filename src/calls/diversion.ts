/** Diversion headers (RFC 5806) carried by legs, and the blind-transfer diversion options of Bandwidth's call-update API. */
import type { DiversionReason } from '../language/vocabulary/diversion.js';

export {
  DIVERSION_REASONS,
  DIVERSION_TREATMENTS,
  type DiversionReason,
  type DiversionTreatment,
} from '../language/vocabulary/diversion.js';

/** One Diversion header: the number the call was diverted from and why. */
export interface Diversion {
  readonly number: string;
  readonly reason: DiversionReason;
}
