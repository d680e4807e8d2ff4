/**
 * Runs programs verb by verb (docs/engine.md): resolves each verb's attributes, reports it, hands it
 * to its executor, and follows the flow it returns (next, replace the document, end, back).
 */
import { isAbortError } from '../calls/abort.js';
import { HangupError } from '../calls/errors.js';
import type { DocumentContext, Program, ProgramNode } from '../language/index.js';
import type { EndCause, ResolvedValue } from './events.js';
import { NEXT, SessionEnd, end } from './flow.js';
import type { Flow } from './flow.js';
import { AttributeError, literalAttributes, resolveAttributes } from './resolve.js';
import type { Session, VerbScope } from './runtime.js';
import type { ResolvedAttributes, VerbOutcome } from './verb.js';
import { executorFor } from './verbs/index.js';

export type { VerbExecutor, VerbOutcome } from './verb.js';
export { outcome } from './verb.js';

type ScopeFields = Omit<VerbScope, 'runBlock'>;

/**
 * A scope whose `runBlock` runs nested commands with this scope's leg, signal and menu depth (plus
 * overrides). Spelt out field by field: a spread copy plus `runBlock` got a hidden class of its own
 * for every call, which each live call kept (bench:calls, parked heap).
 */
function scoped(fields: ScopeFields): VerbScope {
  const scope: VerbScope = {
    session: fields.session,
    context: fields.context,
    documentUrl: fields.documentUrl,
    channel: fields.channel,
    signal: fields.signal,
    menuDepth: fields.menuDepth,
    runBlock: (nodes, nested) => runBlock(scoped(nested ? { ...scope, ...nested } : scope), nodes),
  };
  return scope;
}

function makeScope(session: Session, context: DocumentContext, documentUrl: string | undefined): VerbScope {
  return scoped({ session, context, documentUrl, channel: session.channel, signal: session.signal, menuDepth: 0 });
}

/**
 * The attributes of every all-literal node met so far (null: the node has templates). They are
 * the same on every run, so every call running the node shares one frozen record instead of two
 * new objects per verb (bench:calls).
 */
const LITERALS = new WeakMap<ProgramNode, ResolvedAttributes | null>();

function literalsOf(node: ProgramNode, context: DocumentContext): ResolvedAttributes | null {
  let known = LITERALS.get(node);
  // A node belongs to one program, so to one context; the check only guards against reuse.
  if (known === undefined || (known !== null && known.context !== context)) {
    const values = literalAttributes(node);
    known = values ? Object.freeze({ context, values: Object.freeze(values) }) : null;
    LITERALS.set(node, known);
  }
  return known;
}

async function runVerb(scope: VerbScope, node: ProgramNode): Promise<Flow> {
  const { session } = scope;
  session.countVerb();
  const executor = executorFor(node.name);
  const literals = literalsOf(node, scope.context);
  let values: Record<string, ResolvedValue>;
  try {
    values = literals ? literals.values : resolveAttributes(node, {
      variables: session.variables,
      documentUrl: scope.documentUrl,
      values: { services: session.services.services, tones: session.services.tones },
      onUnknownVariable: (name) => session.emit({ type: 'variable.warning', name, verb: node.name }),
    });
  } catch (error) {
    if (!(error instanceof AttributeError)) throw error;
    session.emit({ type: 'error', code: 'invalid-attribute-value', message: error.message, verb: node.name });
    return NEXT; // the verb cannot run as written; the script goes on, as with a failed transfer
  }
  // Built whole rather than through `session.emit` (which copies its argument): two per verb.
  session.services.emit({
    time: session.services.clock.now(), sessionId: session.identity.id,
    type: 'verb.started', verb: node.name, attributes: values, line: node.range.line, column: node.range.column,
    url: scope.documentUrl ?? null,
  });
  if (!executor) {
    session.emit({ type: 'error', code: 'not-implemented', message: `<${node.name}> is not supported by this executor`, verb: node.name });
    session.emit({ type: 'verb.finished', verb: node.name, result: 'skipped' });
    return NEXT;
  }
  let result: VerbOutcome;
  try {
    result = await executor(node, literals ?? { context: scope.context, values }, scope);
  } catch (error) {
    if (isAbortError(error) || scope.signal.aborted) {
      // Barge-in over a prompt, or the session ending under the verb.
      session.emit({ type: 'verb.finished', verb: node.name, result: 'interrupted' });
      throw error;
    }
    if (error instanceof SessionEnd) {
      session.emit({ type: 'verb.finished', verb: node.name, result: error.endCause });
      throw error;
    }
    if (error instanceof HangupError && error.legId === session.channel?.id) {
      // The caller's leg went away under the verb before the session heard of it.
      session.emit({ type: 'verb.finished', verb: node.name, result: 'hangup' });
      return end('caller-hangup');
    }
    const message = error instanceof Error ? error.message : String(error);
    session.emit({ type: 'error', code: error instanceof Error ? error.name : 'error', message, verb: node.name });
    session.emit({ type: 'verb.finished', verb: node.name, result: 'error' });
    return NEXT;
  }
  session.services.emit({
    time: session.services.clock.now(), sessionId: session.identity.id, type: 'verb.finished', verb: node.name, result: result.result,
  });
  return result.flow;
}

export async function runBlock(scope: VerbScope, nodes: readonly ProgramNode[]): Promise<Flow> {
  // Indexed: an iterator per block run, and a result object per step until the loop is optimised.
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (node.kind !== 'verb') continue;
    const flow = await runVerb(scope, node);
    if (flow.kind !== 'next') return flow;
  }
  return NEXT;
}

/**
 * Runs a document and whatever replaces it. Returns why the script ended; `normal` when the last
 * document ran to its end (the caller hangs up the call then).
 */
export async function runProgram(session: Session, first: Program, url: string | undefined): Promise<EndCause> {
  let program = first;
  let documentUrl = url;
  for (;;) {
    session.emit({ type: 'document.loaded', url: documentUrl ?? null, context: program.context, verbs: program.instructions.length });
    session.documentUrl = documentUrl;
    const flow = await runBlock(makeScope(session, program.context, documentUrl), program.instructions);
    switch (flow.kind) {
      case 'replace':
        program = flow.program;
        documentUrl = flow.url;
        continue;
      case 'end':
        return flow.cause;
      default:
        // `next` (the end of the document) and a `back` no UserInput took (none encloses the verb).
        return 'normal';
    }
  }
}
