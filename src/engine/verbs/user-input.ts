/**
 * UserInput (design.md §4): InitialCommands play while digits are collected and the first digit
 * interrupts them; a matching Input runs, then the script continues after the UserInput. No match:
 * DtmfEntered to ForwardToUrl, else a replay with Repeat, else continue. At most 10 rounds.
 * BackKey returns to the enclosing UserInput (flow `back`).
 */
import type { CollectDigitsOptions } from '../../calls/digits.js';
import type { ProgramNode } from '../../language/index.js';
import { NEXT } from '../flow.js';
import { outcome } from '../run.js';
import type { VerbExecutor } from '../run.js';
import type { Attributes } from '../resolve.js';
import { ownChannel } from './party.js';

export const MAX_ROUNDS = 10;

function block(node: ProgramNode, name: string): ProgramNode | undefined {
  return node.children.find((child) => child.name === name);
}

function digitOptions(a: Attributes): Pick<CollectDigitsOptions, 'exact' | 'min' | 'max' | 'terminator'> {
  const min = a.number('MinDigits');
  const max = a.number('MaxDigits');
  if (min !== undefined || max !== undefined) {
    const low = min ?? 1;
    return { min: low, max: Math.max(max ?? low, low), terminator: '#' };
  }
  return { exact: a.number('Digits') ?? 1, terminator: null };
}

function inputKey(input: ProgramNode): string | undefined {
  const key = input.attributes['Key'];
  return key?.kind === 'literal' ? String(key.value) : undefined;
}

export const userInput: VerbExecutor = async (node, a, scope) => {
  const { session } = scope;
  const channel = ownChannel(scope);
  const prompts = block(node, 'InitialCommands')?.children ?? [];
  const inputs = (block(node, 'Inputs')?.children ?? []).filter((child) => child.name === 'Input');
  const timeout = a.number('Timeout') ?? 5;
  const backKey = a.string('BackKey');
  const forwardTo = a.string('ForwardToUrl');
  const repeat = a.boolean('Repeat');

  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const result = await channel.collectDigits({
      ...digitOptions(a),
      signal: scope.signal,
      firstDigitTimeoutSeconds: timeout,
      interDigitTimeoutSeconds: timeout,
      ...(prompts.length > 0 ? { interruptPrompts: (signal: AbortSignal) => scope.runBlock(prompts, { signal }) } : {}),
    });
    session.emit({ type: 'digits.received', digits: result.digits, endedBy: result.endedBy });
    if (result.digits === '') {
      if (repeat) continue;
      return outcome('timeout');
    }
    session.variables.set('DtmfDigits', result.digits);
    if (backKey !== undefined && result.digits === backKey) return outcome('back', { kind: 'back' });
    const input = inputs.find((candidate) => inputKey(candidate) === result.digits);
    if (input) {
      const flow = await scope.runBlock(input.children);
      if (flow.kind === 'back') continue; // a nested menu's BackKey: replay this menu
      return outcome(`matched ${result.digits}`, flow);
    }
    if (forwardTo) {
      const reply = await session.fetch('DtmfEntered', forwardTo, {
        baseUrl: scope.documentUrl, context: 'api-extension', params: { DtmfDigits: result.digits },
      });
      if (reply.kind === 'empty') return outcome('forwarded');
      return outcome('forwarded', { kind: 'replace', program: reply.program, url: reply.url });
    }
    if (repeat) continue;
    return outcome(`no match ${result.digits}`);
  }
  return outcome('max-rounds', NEXT);
};
