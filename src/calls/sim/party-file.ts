/**
 * A simulated party as scenario files and the server's config write it: the sim's behaviour plus
 * shorthands (`digits`, string presses). One reading for `ozml run` and `ozml serve`.
 */
import type { DigitPresses, PartyBehaviour } from './directory.js';

/** A party as written: the sim's behaviour plus `digits`, a shorthand for digits pressed when first prompted. */
export interface PartyFile extends Omit<PartyBehaviour, 'presses'> {
  digits?: string;
  presses?: ReadonlyArray<string | DigitPresses>;
}

/** The sim's behaviour from a party as written: `digits` and string presses become "when prompted" presses. */
export function behaviourOf(party: PartyFile): PartyBehaviour {
  const behaviour: PartyBehaviour = {};
  const presses: DigitPresses[] = [];
  if (party.digits !== undefined) presses.push({ digits: party.digits });
  for (const p of party.presses ?? []) presses.push(typeof p === 'string' ? { digits: p } : p);
  for (const key of ['response', 'ringSeconds', 'hangupAfterSeconds', 'hangupAtSeconds', 'speaks', 'transferBackAfterSeconds', 'extension', 'giveUp'] as const) {
    if (party[key] !== undefined) (behaviour as Record<string, unknown>)[key] = party[key];
  }
  if (presses.length > 0) behaviour.presses = presses;
  return behaviour;
}
