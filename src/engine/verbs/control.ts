/** Var, Array, ForEach, GoTo, Exit, Hangup, Reject: the verbs that steer the script. */
import { end, NEXT } from '../flow.js';
import { resolveValue } from '../resolve.js';
import { outcome } from '../verb.js';
import type { VerbExecutor } from '../verb.js';
import type { ArrayItem } from '../variables.js';
import { callIdOf, legsOfCall } from './party.js';

export const variable: VerbExecutor<'Var'> = async (_node, { values: a }, scope) => {
  scope.session.variables.set(a.ID, a.Value);
  return outcome('set');
};

export const array: VerbExecutor<'Array'> = async (node, { values: a }, scope) => {
  const { session } = scope;
  const items: ArrayItem[] = node.children
    .filter((child) => child.name === 'Item' && child.attributes['Value'])
    .map((child) => String(resolveValue(child, 'Value', child.attributes['Value']!, {
      variables: session.variables,
      documentUrl: scope.documentUrl,
      values: {},
      onUnknownVariable: (name) => session.emit({ type: 'variable.warning', name, verb: 'Array' }),
    })));
  session.variables.defineArray(a.ID, items);
  return outcome(`${items.length} items`);
};

export const forEach: VerbExecutor<'ForEach'> = async (node, { values: a }, scope) => {
  const source = a.Source;
  const items = scope.session.variables.array(source);
  if (!items) {
    scope.session.emit({ type: 'error', code: 'unknown-array', message: `ForEach: no array '${source}'`, verb: 'ForEach' });
    return outcome('unknown-array');
  }
  let count = 0;
  for (const item of items) {
    const flow = await scope.session.variables.withItem(item, () => scope.runBlock(node.children));
    count++;
    if (flow.kind !== 'next') return outcome(`${count} items`, flow);
  }
  return outcome(`${count} items`);
};

export const goTo: VerbExecutor<'GoTo'> = async (_node, { values: a }, scope) => {
  const reply = await scope.session.fetch('GoTo', a.Url, { baseUrl: scope.documentUrl, context: 'api-extension' });
  // GoTo always replaces the rest of the document; an empty reply leaves nothing to run.
  if (reply.kind === 'empty') return outcome('empty reply', end('normal'));
  return outcome('document', { kind: 'replace', program: reply.program, url: reply.url });
};

export const exit: VerbExecutor<'Exit'> = async () => outcome('exit', end('normal'));

export const hangup: VerbExecutor<'Hangup'> = async (_node, a, scope) => {
  if (a.context === 'third-party') {
    const callId = a.values.CallId;
    const { caller, callee } = legsOfCall(scope, callIdOf(scope, callId));
    await Promise.all([caller, callee].map((leg) => {
      if (leg?.can('hangup')) return leg.hangup('normal', { signal: scope.signal });
      // A call still ringing is refused.
      if (leg?.can('reject')) return leg.reject('rejected', { signal: scope.signal });
      return undefined;
    }));
    return outcome('hung up', callId ? NEXT : end('normal'));
  }
  return outcome('hangup', end('normal'));
};

export const reject: VerbExecutor<'Reject'> = async (_node, _a, scope) => {
  const channel = scope.channel;
  if (channel?.can('reject')) {
    await channel.reject('rejected', { signal: scope.signal });
    return outcome('rejected', end('rejected'));
  }
  // Answered already (Reject was not first): the vendor's rule cannot hold, so the call ends.
  scope.session.emit({ type: 'error', code: 'reject-not-first', message: 'Reject after the call was answered: hanging up instead', verb: 'Reject' });
  return outcome('hangup', end('normal'));
};
