/**
 * UserInput (docs/engine.md): InitialCommands play while digits are collected and the first digit
 * interrupts them; a matching Input runs, then the script continues after the UserInput. No match:
 * DtmfEntered to ForwardToUrl, else a replay with Repeat, else continue. At most 10 rounds.
 * BackKey returns to the enclosing UserInput (flow `back`); without one the script just goes on.
 * An entry shorter than Digits/MinDigits (the caller stopped typing) counts as no entry.
 */
import { OperationSignal, type AbortSignalLike } from '../../calls/abort.js';
import type { CollectDigitsOptions, DigitsResult } from '../../calls/digits.js';
import type { ProgramNode } from '../../language/index.js';
import { NEXT } from '../flow.js';
import type { Flow } from '../flow.js';
import { resolveValue } from '../resolve.js';
import type { AttributesIn, VerbSpecOf } from '../../language/index.js';
import { outcome } from '../verb.js';
import type { VerbExecutor, VerbOutcome } from '../verb.js';
import type { VerbScope } from '../runtime.js';
import { ownChannel } from './party.js';

export const MAX_ROUNDS = 10;

/** Abort reason of the collection when the prompts end the script's flow (Hangup, GoTo, Exit in InitialCommands). */
const PROMPT_FLOW = Object.freeze({ name: 'PromptFlow' });

function block(node: ProgramNode, name: string): ProgramNode | undefined {
  return node.children.find((child) => child.name === name);
}

/** A UserInput's prompts and inputs: the same on every run of the node. */
interface Menu {
  readonly prompts: readonly ProgramNode[];
  readonly inputs: readonly ProgramNode[];
}

/** Found once per node rather than on every run (an array and two closures per call; bench:calls). */
const MENUS = new WeakMap<ProgramNode, Menu>();

function menuOf(node: ProgramNode): Menu {
  let menu = MENUS.get(node);
  if (!menu) {
    menu = Object.freeze({
      prompts: block(node, 'InitialCommands')?.children ?? [],
      inputs: (block(node, 'Inputs')?.children ?? []).filter((child) => child.name === 'Input'),
    });
    MENUS.set(node, menu);
  }
  return menu;
}

type UserInputValues = AttributesIn<VerbSpecOf<'UserInput'>, 'api-extension'>;

/** The collection options of a round, built field by field (a spread copy per round otherwise). */
function collectOptions(a: UserInputValues, signal: AbortSignalLike, timeout: number): CollectDigitsOptions {
  const options: CollectDigitsOptions = { signal, firstDigitTimeoutSeconds: timeout, interDigitTimeoutSeconds: timeout };
  const min = a.MinDigits;
  const max = a.MaxDigits;
  if (min !== undefined || max !== undefined) {
    const low = min ?? 1;
    options.min = low;
    options.max = Math.max(max ?? low, low);
    options.terminator = '#';
  } else {
    options.exact = a.Digits;
    options.terminator = null;
  }
  return options;
}

/** An Input's Key, with `$variables` expanded. */
function inputKey(scope: VerbScope, input: ProgramNode): string | undefined {
  const key = input.attributes['Key'];
  if (!key) return undefined;
  if (key.kind === 'literal') return String(key.value);
  const { session } = scope;
  try {
    return String(resolveValue(input, 'Key', key, {
      variables: session.variables,
      documentUrl: scope.documentUrl,
      values: {},
      onUnknownVariable: (name) => session.emit({ type: 'variable.warning', name, verb: 'Input' }),
    }));
  } catch {
    return undefined; // a Key that expands to no DTMF string matches nothing
  }
}

/**
 * One round: the prompts play while digits are collected. Resolves once the prompts have settled
 * too (so their `interrupted` reports come before whatever the entry leads to), or with the flow
 * of a prompt that ended the script.
 */
async function collectRound(scope: VerbScope, a: UserInputValues, prompts: readonly ProgramNode[], timeout: number): Promise<DigitsResult | Flow> {
  const collecting = new OperationSignal(scope.signal);
  let promptRun: Promise<unknown> | undefined;
  let promptFlow: Flow | undefined;
  const interruptPrompts = (signal: AbortSignalLike): Promise<unknown> => {
    const run = scope.runBlock(prompts, { signal }).then((flow) => {
      if (flow.kind === 'next' || flow.kind === 'back') return;
      promptFlow = flow;
      collecting.abort(PROMPT_FLOW);
    });
    promptRun = run.catch(() => {});
    return run;
  };
  try {
    const options = collectOptions(a, collecting, timeout);
    if (prompts.length > 0) options.interruptPrompts = interruptPrompts;
    const result = await ownChannel(scope).collectDigits(options);
    return result;
  } catch (error) {
    if (!scope.signal.aborted && collecting.reason === PROMPT_FLOW && promptFlow) return promptFlow;
    throw error;
  } finally {
    await promptRun;
    collecting.dispose();
  }
}

export const userInput: VerbExecutor<'UserInput'> = async (node, { values: a }, scope) => {
  const { session } = scope;
  const { prompts, inputs } = menuOf(node);
  const timeout = a.Timeout;
  const backKey = a.BackKey;
  const forwardTo = a.ForwardToUrl;
  const repeat = a.Repeat;
  const back = (): VerbOutcome => outcome('back', scope.menuDepth > 0 ? { kind: 'back' } : NEXT);

  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const result = await collectRound(scope, a, prompts, timeout);
    if (!('digits' in result)) return outcome('prompt ended the script', result);
    session.emit({ type: 'digits.received', digits: result.digits, endedBy: result.endedBy });
    if (backKey !== undefined && result.digits === backKey) return back();
    if (result.digits === '' || !result.complete) {
      if (repeat) continue;
      return outcome(result.digits === '' ? 'timeout' : `incomplete ${result.digits}`);
    }
    session.variables.set('DtmfDigits', result.digits);
    const input = inputs.find((candidate) => inputKey(scope, candidate) === result.digits);
    if (input) {
      const flow = await scope.runBlock(input.children, { menuDepth: scope.menuDepth + 1 });
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
