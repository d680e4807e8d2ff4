/** Speak, Play, Beep, Delay: the blocking media verbs. */
import { outcome } from '../run.js';
import type { VerbExecutor } from '../run.js';
import { ownChannel, partyLegs } from './party.js';

export const speak: VerbExecutor = async (_node, a, scope) => {
  const text = a.string('Text') ?? '';
  const voice = a.string('Voice');
  const language = a.string('Language');
  await Promise.all(partyLegs(scope, a).map((leg) => leg.speak(text, {
    signal: scope.signal, ...(voice ? { voice } : {}), ...(language ? { language } : {}),
  })));
  return outcome('completed');
};

export const play: VerbExecutor = async (_node, a, scope) => {
  const timeout = a.number('Timeout');
  const results = await Promise.all(partyLegs(scope, a).map((leg) => leg.play(a.string('AudioFile') ?? '', {
    signal: scope.signal,
    repeat: a.boolean('Repeat') ? Infinity : 1,
    ...(timeout !== undefined ? { timeoutSeconds: timeout } : {}),
  })));
  return outcome(results[0]?.endedBy ?? 'completed');
};

export const beep: VerbExecutor = async (_node, _a, scope) => {
  await ownChannel(scope).playTone('beep', { signal: scope.signal });
  return outcome('completed');
};

export const delay: VerbExecutor = async (_node, a, scope) => {
  await scope.session.services.clock.sleep((a.number('Time') ?? 0) * 1000, scope.signal);
  return outcome('completed');
};
