/**
 * Verb name → executor: one small module per verb family. Checked against the catalogue: a verb
 * without an executor, or an executor for a verb's attributes it does not get, is a type error.
 */
import type { VerbName } from '../../language/index.js';
import type { NodeExecutor, VerbExecutor } from '../verb.js';
import { receiveAlarmNotification, sendAlarmNotification } from './alarm.js';
import { array, exit, forEach, goTo, hangup, reject, variable } from './control.js';
import { deleteFile, moveFile } from './files.js';
import { beep, delay, play, speak } from './media.js';
import { sendEmail, sendMsg, sendSms } from './messaging.js';
import { call, callSetup, request } from './outbound.js';
import { record } from './record.js';
import { route } from './route.js';
import { forward, hold, sendDtmf, unhold } from './third-party.js';
import { attendedTransfer, blindTransfer, transferToService } from './transfers.js';
import { userInput } from './user-input.js';

export const EXECUTORS = {
  Array: array,
  AttendedTransfer: attendedTransfer,
  Beep: beep,
  BlindTransfer: blindTransfer,
  Call: call,
  CallSetup: callSetup,
  Delay: delay,
  DeleteFile: deleteFile,
  Exit: exit,
  ForEach: forEach,
  Forward: forward,
  GoTo: goTo,
  Hangup: hangup,
  Hold: hold,
  MoveFile: moveFile,
  Play: play,
  ReceiveAlarmNotification: receiveAlarmNotification,
  Record: record,
  Reject: reject,
  Request: request,
  Route: route,
  SendAlarmNotification: sendAlarmNotification,
  SendDTMF: sendDtmf,
  SendEmail: sendEmail,
  SendMsg: sendMsg,
  SendSms: sendSms,
  Speak: speak,
  TransferToService: transferToService,
  Unhold: unhold,
  UserInput: userInput,
  Var: variable,
} as const satisfies { readonly [V in VerbName]: VerbExecutor<V> };

/**
 * The table by name, as the runner looks nodes up. This is the one place where typed executors meet
 * untyped program nodes: the compiler checked, converted and defaulted every attribute of a node by
 * its verb's catalogue entry (and resolve.ts checks templates the same way when they are expanded),
 * so a node named V carries the attributes VerbExecutor<V> declares.
 */
const BY_NAME: ReadonlyMap<string, NodeExecutor> = new Map(
  Object.entries(EXECUTORS).map(([name, executor]): [string, NodeExecutor] => [name, executor as NodeExecutor]),
);

/** The executor for a node's (canonical) verb name. */
export function executorFor(name: string): NodeExecutor | undefined {
  return BY_NAME.get(name);
}
