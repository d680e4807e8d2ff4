/** Verb name → executor: one small module per verb family (jambonz-style one task per verb). */
import type { VerbExecutor } from '../verb.js';
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

export const EXECUTORS: Readonly<Record<string, VerbExecutor>> = {
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
};
