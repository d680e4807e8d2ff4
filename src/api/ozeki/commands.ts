/**
 * The Ozeki HTTP API commands (docs/serve.md): each reads its parameters, checks the mandatory
 * ones (Code 302), and asks the calls port. Names are matched case-insensitively; a command that
 * is not here is answered with Code 301.
 */
import type { ActiveCall, CallsPort, ControlOutcome, Party } from './calls-port.js';
import { OK } from './codes.js';
import type { OzekiStatus } from './codes.js';
import type { CommandParams } from './params.js';
import type { XmlNode } from './xml-reply.js';

export interface CommandResult {
  status: OzekiStatus;
  extra?: readonly XmlNode[];
}

export interface CommandContext {
  params: CommandParams;
  calls: CallsPort;
  /** New calls are refused (the server is draining). */
  draining: boolean;
}

type Handler = (ctx: CommandContext, name: string) => Promise<CommandResult>;

const PARTIES: readonly Party[] = ['caller', 'callee', 'all'];

/** Thrown by `required`/`choice` and answered with Code 302. */
class ParameterProblem extends Error {
  constructor(readonly parameter: string) {
    super(parameter);
  }
}

function required(params: CommandParams, name: string, ...aliases: string[]): string {
  const value = params.first(name, ...aliases);
  if (value === undefined || value.trim() === '') throw new ParameterProblem(name);
  return value.trim();
}

function optional(params: CommandParams, name: string): string | undefined {
  const value = params.get(name)?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function choice<T extends string>(params: CommandParams, name: string, allowed: readonly T[], fallback?: T): T {
  const value = optional(params, name);
  if (value === undefined) {
    if (fallback !== undefined) return fallback;
    throw new ParameterProblem(name);
  }
  const found = allowed.find((a) => a === value.toLowerCase());
  if (!found) throw new ParameterProblem(name);
  return found;
}

function booleanOf(params: CommandParams, name: string): boolean {
  const value = optional(params, name)?.toLowerCase();
  if (value === undefined || value === 'false' || value === '0' || value === 'no') return false;
  if (value === 'true' || value === '1' || value === 'yes') return true;
  throw new ParameterProblem(name);
}

function answer(outcome: ControlOutcome, command: string): CommandResult {
  switch (outcome.kind) {
    case 'done':
      return { status: OK };
    case 'not-found':
      return { status: { name: 'CallNotFound', args: [outcome.callId] } };
    case 'inappropriate':
      return { status: { name: 'InappropriateCommand', args: [command] } };
    case 'invalid':
      return { status: { name: 'InvalidParameter', args: [outcome.parameter, command] } };
  }
}

/** `2013-07-01T10:49:07.955+02:00`: local time with its offset, as the vendor's ListActiveCalls shows. */
export function localTimestamp(ms: number): string {
  const date = new Date(ms);
  const offset = -date.getTimezoneOffset();
  const local = new Date(ms + offset * 60_000).toISOString().slice(0, -1);
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export function callInfo(call: ActiveCall): XmlNode {
  return {
    name: 'CallInfo',
    children: [
      { name: 'CallState', text: call.state },
      { name: 'CallId', text: call.callId },
      { name: 'Source', text: call.source },
      { name: 'CallerId', text: call.callerId },
      { name: 'Destination', text: call.destination },
      { name: 'StartTime', text: localTimestamp(call.startedAt) },
      { name: 'RingDuration', text: String(Math.floor(call.ringSeconds)) },
      { name: 'TalkDuration', text: String(Math.floor(call.talkSeconds)) },
    ],
  };
}

/** Lower-case name → the command; filled once, below, when the module loads. */
const COMMANDS = new Map<string, { name: string; run: Handler }>();

function command(name: string, run: Handler): void {
  COMMANDS.set(name.toLowerCase(), { name, run });
}

command('Call', async ({ params, calls, draining }, name) => {
  const dialed = required(params, 'Dialed', 'Dialled');
  // Optional as in the vendor's own samples: the default is the only API extension there is.
  const apiExtension = optional(params, 'ApiExtension');
  // Without a Url the call is hung up once answered (the vendor's rule).
  const url = optional(params, 'Url') ?? '';
  if (url !== '' && !/^https?:\/\//i.test(url)) throw new ParameterProblem('Url');
  const errorUrl = optional(params, 'ErrorUrl');
  if (errorUrl !== undefined && !/^https?:\/\//i.test(errorUrl)) throw new ParameterProblem('ErrorUrl');
  if (draining) return { status: { name: 'InappropriateCommand', args: [name] } };
  const callerId = optional(params, 'CallerId');
  const callerDisplayName = optional(params, 'CallerDisplayName');
  const outcome = await calls.placeCall({
    dialed, url,
    ...(apiExtension ? { apiExtension } : {}),
    ...(callerId ? { callerId } : {}),
    ...(callerDisplayName ? { callerDisplayName } : {}),
    ...(errorUrl ? { errorUrl } : {}),
  });
  switch (outcome.kind) {
    case 'connected':
      return { status: OK, extra: [{ name: 'CallId', text: outcome.callId }] };
    case 'failed':
      return { status: { name: 'CallConnectFailed', args: [dialed, outcome.state] }, extra: [{ name: 'CallId', text: outcome.callId }] };
    case 'no-extension':
      if (apiExtension === undefined) throw new ParameterProblem('ApiExtension');
      return { status: { name: 'ApiExtensionUnavailable', args: [apiExtension] } };
    case 'refused':
      return { status: { name: 'InappropriateCommand', args: [name] } };
  }
});

command('AttendedTransfer', async ({ params, calls }, name) => {
  // The vendor's Ozeki 10 pages spell it TranferredCallId.
  const transferred = required(params, 'TransferredCallId', 'TranferredCallId');
  const target = required(params, 'TargetCallId');
  return answer(await calls.attendedTransfer(transferred, target), name);
});

command('BlindTransfer', async ({ params, calls }, name) => {
  const callId = required(params, 'CallId');
  const transferorParty = choice(params, 'TransferorParty', ['caller', 'callee'] as const);
  const target = required(params, 'Target');
  const finishedUrl = optional(params, 'FinishedUrl');
  if (finishedUrl !== undefined && !/^https?:\/\//i.test(finishedUrl)) throw new ParameterProblem('FinishedUrl');
  return answer(await calls.blindTransfer(callId, { transferorParty, target, ...(finishedUrl ? { finishedUrl } : {}) }), name);
});

command('Forward', async ({ params, calls }, name) => {
  const callId = required(params, 'CallId');
  const destination = required(params, 'Destination');
  return answer(await calls.forward(callId, destination), name);
});

command('Hangup', async ({ params, calls }, name) => answer(await calls.hangup(required(params, 'CallId')), name));
command('Hold', async ({ params, calls }, name) => answer(await calls.hold(required(params, 'CallId')), name));
command('Unhold', async ({ params, calls }, name) => answer(await calls.unhold(required(params, 'CallId')), name));

command('ListActiveCalls', async ({ calls }) => ({
  status: OK,
  extra: [{ name: 'ActiveCalls', children: calls.listActiveCalls().map(callInfo) }],
}));

command('Play', async ({ params, calls }, name) => {
  const callId = required(params, 'CallId');
  const party = choice(params, 'Party', PARTIES);
  const audioFile = required(params, 'AudioFile');
  return answer(await calls.play(callId, { party, audioFile, repeat: booleanOf(params, 'Repeat') }), name);
});

command('Speak', async ({ params, calls }, name) => {
  const callId = required(params, 'CallId');
  const party = choice(params, 'Party', PARTIES);
  // The text is spoken as given: only surrounding white space of other parameters is trimmed.
  const text = params.get('Text');
  if (text === undefined || text.trim() === '') throw new ParameterProblem('Text');
  return answer(await calls.speak(callId, { party, text }), name);
});

command('SendDTMF', async ({ params, calls }, name) => {
  const callId = required(params, 'CallId');
  const party = choice(params, 'Party', PARTIES);
  const keys = required(params, 'Keys');
  if (!/^[0-9A-Da-d*#]+$/.test(keys)) throw new ParameterProblem('Keys');
  return answer(await calls.sendDtmf(callId, { party, keys }), name);
});

command('Record', async ({ params, calls }, name) => {
  const callId = required(params, 'CallId');
  const format = choice(params, 'Format', ['mp3', 'wav'] as const, 'mp3');
  const finishedUrl = optional(params, 'FinishedURL');
  if (finishedUrl !== undefined && !/^https?:\/\//i.test(finishedUrl)) throw new ParameterProblem('FinishedURL');
  return answer(await calls.record(callId, { format, ...(finishedUrl ? { finishedUrl } : {}) }), name);
});

command('SendSms', async ({ params, calls }) => {
  const apiExtension = required(params, 'ApiExtension');
  const recipient = required(params, 'Recipient');
  const message = required(params, 'Message');
  const sender = optional(params, 'Sender');
  const deliveryReportUrl = optional(params, 'DeliveryReportURL');
  const outcome = await calls.sendMessage({
    kind: 'sms', apiExtension, recipient, message,
    ...(sender ? { sender } : {}),
    ...(deliveryReportUrl ? { deliveryReportUrl } : {}),
  });
  if (outcome.kind === 'no-extension') return { status: { name: 'ApiExtensionUnavailable', args: [apiExtension] } };
  return { status: OK, extra: [{ name: 'SmsId', text: outcome.id }] };
});

command('SendEmail', async ({ params, calls }) => {
  const apiExtension = required(params, 'ApiExtension');
  const recipient = required(params, 'Recipient');
  const sender = optional(params, 'Sender');
  const subject = optional(params, 'Subject');
  const message = params.get('Message');
  const outcome = await calls.sendMessage({
    kind: 'email', apiExtension, recipient,
    ...(sender ? { sender } : {}),
    ...(subject ? { subject } : {}),
    ...(message ? { message } : {}),
  });
  if (outcome.kind === 'no-extension') return { status: { name: 'ApiExtensionUnavailable', args: [apiExtension] } };
  return { status: OK };
});

/** The canonical name of a known command (any case), else undefined. */
export function commandName(name: string): string | undefined {
  return COMMANDS.get(name.toLowerCase())?.name;
}

/** Runs a command that `commandName` knows. */
export async function runCommand(name: string, ctx: CommandContext): Promise<CommandResult> {
  const entry = COMMANDS.get(name.toLowerCase());
  if (!entry) return { status: { name: 'NotImplementedCommand', args: [name] } };
  try {
    return await entry.run(ctx, entry.name);
  } catch (error) {
    if (error instanceof ParameterProblem) return { status: { name: 'InvalidParameter', args: [error.parameter, entry.name] } };
    throw error;
  }
}
