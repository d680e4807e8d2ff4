/**
 * Speak, Play, Beep, Delay: the blocking media verbs. In third-party context Speak and Play go to
 * the parties Party names; on a two-party call each party hears the prompt in place of the other
 * (the call layer plays into one leg of the bridge).
 */
import type { CallChannel } from '../../calls/channel.js';
import type { SpeakOptions } from '../../calls/media.js';
import { COMPLETED, outcome } from '../verb.js';
import type { VerbExecutor, VerbOutcome } from '../verb.js';
import { ownChannel, partyLegs } from './party.js';

/**
 * Runs `work` on every party at once and waits for all of them, so the prompt to one party never
 * outlives the verb when another party's fails (that party hung up); then rethrows the first
 * failure (the caller's before the callee's).
 */
export async function onEveryParty<T>(legs: readonly CallChannel[], work: (leg: CallChannel) => Promise<T>): Promise<T[]> {
  if (legs.length === 1) return [await work(legs[0]!)]; // the common case: one party, no bookkeeping
  const settled = await Promise.allSettled(legs.map(work));
  const values: T[] = [];
  for (const result of settled) {
    if (result.status === 'rejected') throw result.reason;
    values.push(result.value);
  }
  return values;
}

const completed = (): VerbOutcome => COMPLETED;

/**
 * Not an async function: a prompt's promise chained with `then` settles in the same turn an
 * `await` would, without a suspended function per prompt (bench:calls). Errors thrown before the
 * prompt starts become a rejection, as they would in an async function.
 */
export const speak: VerbExecutor<'Speak'> = (_node, attributes, scope) => {
  const a = attributes.values;
  try {
    const text = a.Text;
    const voice = a.Voice;
    const language = a.Language;
    const options: SpeakOptions = { signal: scope.signal };
    if (voice) options.voice = voice;
    if (language) options.language = language;
    const legs = partyLegs(scope, attributes);
    // One party (the common case) without onEveryParty: a closure and an async call less per prompt.
    if (legs.length === 1) return legs[0]!.speak(text, options).then(completed);
    return onEveryParty(legs, (leg) => leg.speak(text, options)).then(completed);
  } catch (error) {
    return Promise.reject(error);
  }
};

export const play: VerbExecutor<'Play'> = async (_node, attributes, scope) => {
  const a = attributes.values;
  const timeout = a.Timeout;
  const results = await onEveryParty(partyLegs(scope, attributes), (leg) => leg.play(a.AudioFile, {
    signal: scope.signal,
    repeat: a.Repeat ? Infinity : 1,
    ...(timeout !== undefined ? { timeoutSeconds: timeout } : {}),
  }));
  return outcome(results[0]?.endedBy ?? 'completed');
};

export const beep: VerbExecutor<'Beep'> = async (_node, _a, scope) => {
  await ownChannel(scope).playTone('beep', { signal: scope.signal });
  return COMPLETED;
};

/** Chained rather than async, as `speak`. */
export const delay: VerbExecutor<'Delay'> = (_node, { values: a }, scope) => {
  try {
    return scope.session.services.clock.sleep(a.Time * 1000, scope.signal).then(completed);
  } catch (error) {
    return Promise.reject(error);
  }
};
