/**
 * The OzML verb catalogue: every command of the vendor's OzML reference plus the transfer extensions of
 * docs/transfers.md, declared once and `as const`, so that the type of every attribute value follows
 * from its entry (`VerbAttributes` in typed.ts). Decisions where the vendor is silent are recorded in
 * docs/language.md; docs/verbs.md is generated from this table.
 */
import type { DocumentContext } from '../types.js';
import {
  DIVERSION_REASONS,
  DIVERSION_TREATMENTS,
  WHISPER_GENDERS,
  WHISPER_LOCALE_ALIASES,
  WHISPER_LOCALES,
  WHISPER_VOICES,
} from '../vocabulary/index.js';
import type { AttributeSpec, AttributeType, ElementSpec } from './spec.js';

const API = ['api-extension'] as const satisfies readonly DocumentContext[];
const TP = ['third-party'] as const satisfies readonly DocumentContext[];
const API_TP = ['api-extension', 'third-party'] as const satisfies readonly DocumentContext[];
const ROUTING = ['routing'] as const satisfies readonly DocumentContext[];

type Extra = Omit<AttributeSpec, 'name' | 'type' | 'doc'>;

/** An attribute entry whose name, type and options keep their literal types (the typed executors read them). */
function attr<const N extends string, const T extends AttributeType>(name: N, type: T, doc: string): { name: N; type: T; doc: string };
function attr<const N extends string, const T extends AttributeType, const X extends Extra>(
  name: N, type: T, doc: string, extra: X,
): { name: N; type: T; doc: string } & X;
function attr(name: string, type: AttributeType, doc: string, extra: Extra = {}): AttributeSpec {
  return { name, type, doc, ...extra };
}

const STRING = { kind: 'string' } as const;
const URL_T = { kind: 'url' } as const;
const BOOL = { kind: 'boolean' } as const;
const ADDRESS = { kind: 'address' } as const;
const CALLER_ID = { kind: 'caller-id' } as const;
/** A duration in whole seconds. */
const seconds = (min: number, max: number) => ({ kind: 'integer', min, max, unit: 'seconds' }) as const;
/** A count (digits, …). */
const count = (min: number, max: number) => ({ kind: 'integer', min, max }) as const;
const oneOf = <const V extends readonly string[]>(values: V) => ({ kind: 'enum', values }) as const;

export const PARTIES = ['caller', 'callee', 'all'] as const;
export const TRANSFEROR_PARTIES = ['caller', 'callee'] as const;
export const RECORDING_FORMATS = ['mp3', 'wav'] as const;
export const ALARM_EVENT_QUALIFIERS = ['NewEvent', 'NewRestore', 'StatusReport'] as const;

const CALL_ID = attr('CallId', STRING, 'The call to act on; defaults to the call of the notification.', { contexts: TP });
const PARTY = attr('Party', oneOf(PARTIES), 'Who hears it / who acts: caller, callee or all.', { contexts: TP, required: TP });

/** Commands allowed inside `<Consult>` (docs/transfers.md). */
export const CONSULT_VERBS = ['Speak', 'Play', 'Delay', 'Beep', 'UserInput'] as const;

/** `<Request>` outcome blocks, one per call outcome. */
export const REQUEST_OUTCOMES = [
  'OnSetup', 'OnRinging', 'OnAnswered', 'OnBusy', 'OnNoAnswer', 'OnRejected', 'OnNotFound', 'OnError', 'OnCompleted',
] as const;

const verbs = [
  {
    name: 'Array', kind: 'verb', aliases: [], contexts: API_TP, children: { kind: 'elements', names: ['Item'] },
    doc: 'Declares a named list of items that ForEach can iterate.',
    attributes: [attr('ID', { kind: 'identifier' }, 'Name of the array (ForEach Source).', { required: true })],
  },
  {
    name: 'AttendedTransfer', kind: 'verb', contexts: API_TP, blocking: true, children: { kind: 'elements', names: ['Consult'] },
    doc: 'Two-step transfer: hold the caller, consult the target, then connect them (third-party: join two existing calls).',
    attributes: [
      attr('Target', ADDRESS, 'Number the consult leg dials.', { required: API, contexts: API, main: true }),
      attr('TargetCallId', STRING, 'Call the held party is transferred into.', { required: TP, contexts: TP }),
      attr('TransferredCallId', STRING, 'Call the party is transferred from (default: the notified call).', {
        contexts: TP, aliases: ['TranferredCallId'],
      }),
      attr('TransferorParty', oneOf(TRANSFEROR_PARTIES), 'The party that performs the transfer and leaves.', {
        contexts: TP, aliases: ['TranferorParty'],
      }),
      attr('Timeout', seconds(1, 300), 'Seconds the consult leg may ring.', { default: '30', contexts: API }),
      attr('CallerId', CALLER_ID, 'Caller ID shown to the target: private, caller or an owned number.', { contexts: API }),
      attr('HoldMusic', URL_T, 'Audio played to the held caller (default: the hold tone).', { contexts: API }),
      attr('AcceptKey', { kind: 'dtmf-key' }, 'Key the target must press to accept the transfer.', { contexts: API }),
      attr('FinishedUrl', URL_T, 'Receives a TransferCompleted notification.', {}),
    ],
  },
  {
    name: 'Beep', kind: 'verb', contexts: API, blocking: true, children: { kind: 'none' },
    doc: 'Plays a short beep.', attributes: [],
  },
  {
    name: 'BlindTransfer', kind: 'verb', contexts: API_TP, blocking: true, children: { kind: 'none' },
    doc: 'Transfers the other party to a target; on success the script ends, on failure it continues with $TransferCause.',
    attributes: [
      attr('Target', ADDRESS, 'Destination number.', { required: true, main: true }),
      CALL_ID,
      attr('TransferorParty', oneOf(TRANSFEROR_PARTIES), 'The party that performs the transfer and leaves; the other party moves.', {
        contexts: TP, required: TP, aliases: ['TranferorParty'],
      }),
      attr('FinishedUrl', URL_T, 'Receives a TransferCompleted notification (ID, caller, callee, duration) when the transferred call ends.'),
      attr('CallerId', CALLER_ID, 'private, caller (keep the caller\'s number) or an owned number.'),
      attr('CallerDisplayName', STRING, 'Display name shown to the target.'),
      attr('Timeout', seconds(1, 300), 'Seconds the target may ring.', { default: '30' }),
      attr('RingbackTone', { kind: 'tone' }, 'Tone the caller hears while the target rings.', { default: 'ringback-us' }),
      attr('Whisper', STRING, 'Text spoken to the target after it answers, before the caller is connected.'),
      attr('WhisperAudio', URL_T, 'Audio played to the target after it answers, before the caller is connected.'),
      attr('WhisperVoice', oneOf(WHISPER_VOICES), 'Voice of the whisper text (default: the first voice of WhisperLocale and WhisperGender, Susan for en_US female).'),
      attr('WhisperGender', oneOf(WHISPER_GENDERS), 'Gender of the whisper voice (default: the voice\'s, else female).'),
      attr('WhisperLocale', { kind: 'enum', values: WHISPER_LOCALES, aliases: WHISPER_LOCALE_ALIASES },
        'Locale of the whisper voice (default: the voice\'s, else en_US); en means en_US.'),
      attr('DiversionTreatment', oneOf(DIVERSION_TREATMENTS), 'Diversion headers on the new leg.', { default: 'none' }),
      attr('DiversionReason', oneOf(DIVERSION_REASONS), 'Reason of the stacked Diversion header (only with stack; default unknown).'),
      attr('Record', BOOL, 'Record the transferred call.', { default: 'false' }),
      attr('RecordFormat', oneOf(RECORDING_FORMATS), 'Format of the recording.', { default: 'wav' }),
      attr('CallbackUrl', URL_T, 'Receives the events of the new leg.'),
    ],
  },
  {
    name: 'Call', kind: 'verb', contexts: API, children: { kind: 'none' },
    doc: 'Places an outbound call; when it is answered a CallConnected notification fetches its script from Url.',
    attributes: [
      attr('Dialled', ADDRESS, 'Number to call.', { required: true, main: true, aliases: ['Dialed'] }),
      attr('ApiExtension', STRING, 'API extension placing the call (default: the current one).'),
      attr('CallerId', ADDRESS, 'Number shown to the callee (default: ApiExtension).'),
      attr('CallerDisplayName', STRING, 'Name shown to the callee.'),
      attr('Url', { kind: 'url', allowEmpty: true }, 'Receives CallConnected; its OzML runs on the new call. Empty or unreachable: the call is hung up.'),
      attr('ErrorUrl', URL_T, 'Receives an Error notification when the call fails.'),
      attr('RingTime', seconds(1, 600), 'Seconds the callee may ring.', { default: '60' }),
    ],
  },
  {
    name: 'CallSetup', kind: 'verb', contexts: API_TP, children: { kind: 'none' },
    doc: 'Sets up a call between two numbers.',
    attributes: [
      attr('Caller', ADDRESS, 'Number that is called first and shown to the callee.', { required: true }),
      attr('Callee', ADDRESS, 'Number it is connected to.', { required: true }),
      attr('ErrorUrl', URL_T, 'Receives an Error notification when setup fails.'),
      attr('RingTime', seconds(1, 600), 'Seconds each side may ring.', { default: '60' }),
    ],
  },
  {
    name: 'Delay', kind: 'verb', contexts: API_TP, blocking: true, children: { kind: 'none' },
    doc: 'Pauses before the next command.',
    attributes: [attr('Time', seconds(0, 14400), 'Seconds to wait.', { required: true, main: true })],
  },
  {
    name: 'DeleteFile', kind: 'verb', contexts: API_TP, children: { kind: 'none' },
    doc: 'Deletes a file inside the storage root.',
    attributes: [attr('SourceFile', STRING, 'Path of the file, inside the storage root.', { required: true, main: true })],
  },
  {
    name: 'Exit', kind: 'verb', contexts: API_TP, terminal: true, children: { kind: 'none' },
    doc: 'Stops the script; in api-extension context the call is hung up.', attributes: [],
  },
  {
    name: 'ForEach', kind: 'verb', contexts: API_TP, children: { kind: 'commands' },
    doc: 'Runs its commands once per item of an array, with the item in $item.',
    attributes: [attr('Source', { kind: 'identifier' }, 'ID of the array.', { required: true })],
  },
  {
    name: 'Forward', kind: 'verb', aliases: ['ForwardCall'], contexts: TP, children: { kind: 'none' },
    doc: 'Forwards a call that is still ringing to another number.',
    attributes: [CALL_ID, attr('Destination', ADDRESS, 'Number to forward to.', { required: true, main: true })],
  },
  {
    name: 'GoTo', kind: 'verb', contexts: API, terminal: true, children: { kind: 'none' },
    doc: 'Fetches OzML from a URL (GoTo notification) and runs it in place of the rest of the document.',
    attributes: [attr('Url', URL_T, 'Where to fetch the next document.', { required: true, main: true })],
  },
  {
    name: 'Hangup', kind: 'verb', contexts: API_TP, terminal: true, children: { kind: 'none' },
    doc: 'Disconnects the call.', attributes: [CALL_ID],
  },
  {
    name: 'Hold', kind: 'verb', contexts: TP, children: { kind: 'none' },
    doc: 'Puts both legs of a call on hold.', attributes: [CALL_ID],
  },
  {
    name: 'MoveFile', kind: 'verb', contexts: API_TP, children: { kind: 'none' },
    doc: 'Moves a file into a directory, both inside the storage root.',
    attributes: [
      attr('SourceFile', STRING, 'Path of the file.', { required: true }),
      attr('TargetDirectory', STRING, 'Directory to move it into.', { required: true }),
    ],
  },
  {
    name: 'Play', kind: 'verb', contexts: API_TP, blocking: true, children: { kind: 'none' },
    doc: 'Plays a wav or mp3 file into the call.',
    attributes: [
      attr('AudioFile', URL_T, 'Path or URL of the audio.', { required: true, main: true }),
      PARTY,
      CALL_ID,
      attr('Repeat', BOOL, 'Loop the file (until Timeout, if given).', { default: 'false' }),
      attr('Timeout', seconds(1, 14400), 'Stop playing after this many seconds.'),
    ],
  },
  {
    name: 'ReceiveAlarmNotification', kind: 'verb', contexts: API, blocking: true,
    children: { kind: 'elements', names: ['Received'] },
    doc: 'Receives an Ademco Contact ID alarm as DTMF; runs <Received> with $account, $eventcode, … on success.',
    attributes: [attr('Timeout', seconds(1, 600), 'Seconds to wait for a complete message.', { default: '60' })],
  },
  {
    name: 'Record', kind: 'verb', contexts: API_TP, blocking: true, children: { kind: 'none' },
    doc: 'Records the call; RecordCompleted (RecordURL, Duration) goes to FinishedUrl.',
    attributes: [
      CALL_ID,
      attr('Format', oneOf(RECORDING_FORMATS), 'File format.', { default: 'mp3' }),
      attr('FinishedUrl', URL_T, 'Receives RecordCompleted.'),
      attr('Duration', seconds(1, 14400), 'Maximum length in seconds.', { contexts: API }),
      attr('Inactivity', seconds(1, 3600), 'Stop after this many seconds of silence.', { contexts: API }),
      attr('FinishDigits', { kind: 'dtmf' }, 'Any of these keys stops the recording.', { contexts: API }),
    ],
  },
  {
    name: 'Reject', kind: 'verb', contexts: API, terminal: true, children: { kind: 'none' },
    doc: 'Rejects the incoming call; valid only as the first command.', attributes: [],
  },
  {
    name: 'Request', kind: 'verb', contexts: API_TP, blocking: true,
    children: { kind: 'elements', names: REQUEST_OUTCOMES },
    doc: 'Places a call and runs the On… block of each call state it reaches.',
    attributes: [
      attr('DialedAddress', ADDRESS, 'Number or address to call.', { required: true }),
      attr('ExtensionAddress', STRING, 'API extension placing the call.'),
      attr('CallerPhoneNumber', ADDRESS, 'Number shown to the callee.'),
      attr('CallerDisplayName', STRING, 'Name shown to the callee.'),
      attr('RingTime', seconds(1, 600), 'Seconds the callee may ring.', { default: '120' }),
    ],
  },
  {
    name: 'Route', kind: 'verb', contexts: ROUTING, terminal: true, children: { kind: 'none' },
    doc: 'Routes the call being set up; an empty Destination rejects it.',
    attributes: [
      attr('Destination', { kind: 'address', allowEmpty: true }, 'Extension or outside line name; empty rejects the call.', {
        required: true, main: true,
      }),
      attr('RingTime', seconds(1, 600), 'Seconds to ring the destination.', { default: '90' }),
      attr('CallerId', { kind: 'phone-number' }, 'Calling number shown to the callee (a number, not a display name).'),
      attr('DialedNumber', ADDRESS, 'Number to dial through the Destination line.'),
    ],
  },
  {
    name: 'SendAlarmNotification', kind: 'verb', contexts: API, children: { kind: 'none' },
    doc: 'Calls a number and sends an Ademco Contact ID alarm message as DTMF.',
    attributes: [
      attr('PhoneNumber', ADDRESS, 'Number of the alarm receiver.', { required: true }),
      attr('ApiExtension', STRING, 'API extension placing the call.'),
      attr('ResultUrl', URL_T, 'Requested when sending succeeds or fails.'),
      attr('AccountNumber', { kind: 'string', pattern: /^[0-9B-F]{4}$/i, patternHint: '4 digits' }, 'Account number (4 digits).', { required: true }),
      attr('EventQualifier', oneOf(ALARM_EVENT_QUALIFIERS), 'Event qualifier.', { default: 'NewEvent' }),
      attr('EventCode', { kind: 'string', pattern: /^[0-9]{1,3}$/, patternHint: '1 to 3 digits' }, 'Event code (e.g. 110 = fire).', { required: true }),
      attr('PartitionNumber', { kind: 'string', pattern: /^[0-9]{1,2}$/, patternHint: '1 or 2 digits' }, 'Partition number.', { required: true }),
      attr('ZoneNumber', { kind: 'string', pattern: /^[0-9]{1,3}$/, patternHint: '1 to 3 digits' }, 'Zone number.', { required: true }),
    ],
  },
  {
    name: 'SendDTMF', kind: 'verb', contexts: TP, children: { kind: 'none' },
    doc: 'Sends DTMF keys to a party of a call.',
    attributes: [CALL_ID, PARTY, attr('Keys', { kind: 'dtmf' }, 'Keys to send.', { required: true, main: true })],
  },
  {
    name: 'SendEmail', kind: 'verb', contexts: API_TP, children: { kind: 'none' },
    doc: 'Sends an e-mail through the outbox.',
    attributes: [
      attr('ApiExtension', STRING, 'API extension sending it.'),
      attr('Sender', STRING, 'Sender address (default: the outbox\'s).'),
      attr('Recipient', { kind: 'string', pattern: /^[^\s@]+@[^\s@]+$/, patternHint: 'an e-mail address' }, 'Recipient address.', { required: true }),
      attr('Subject', STRING, 'Subject line.'),
      attr('Message', STRING, 'Body text.', { main: true }),
      attr('Attachments', STRING, 'Paths of attachments, separated by ;.'),
    ],
  },
  {
    name: 'SendMsg', kind: 'verb', contexts: API_TP, children: { kind: 'none' },
    doc: 'Sends a message to a connection through the outbox.',
    attributes: [
      attr('ToConnection', STRING, 'Connection name, e.g. gmail_client_1@localhost.', { required: true }),
      attr('ToAddress', STRING, 'Address for connections that need one.'),
      attr('Text', STRING, 'Message text.', { required: true, main: true }),
    ],
  },
  {
    name: 'SendSms', kind: 'verb', contexts: API_TP, children: { kind: 'none' },
    doc: 'Sends an SMS through the outbox.',
    attributes: [
      attr('ApiExtension', STRING, 'API extension sending it.'),
      attr('Sender', ADDRESS, 'Sender number.'),
      attr('Recipient', ADDRESS, 'Recipient number.', { required: true }),
      attr('Message', STRING, 'Text of the SMS.', { required: true, main: true }),
      attr('DeliveryReportURL', URL_T, 'Receives SMSDeliveryReport.', { aliases: ['DelivaryReportURL'] }),
    ],
  },
  {
    name: 'Speak', kind: 'verb', contexts: API_TP, blocking: true, children: { kind: 'none' },
    doc: 'Text-to-speech into the call.',
    attributes: [
      attr('Text', STRING, 'Text to speak.', { required: true, main: true }),
      PARTY,
      CALL_ID,
      attr('Language', { kind: 'language' }, 'Culture code of the TTS voice, e.g. en-US.'),
      attr('Voice', STRING, 'Name of the TTS voice.'),
    ],
  },
  {
    name: 'TransferToService', kind: 'verb', contexts: API, blocking: true, children: { kind: 'none' },
    doc: 'Retrievable transfer to a registered inbound service; the call returns when the service side ends.',
    attributes: [
      attr('Service', { kind: 'service' }, 'Name of a service from the config.', { required: true, main: true }),
      attr('CallFrom', ADDRESS, 'Calling address presented to the service.'),
      attr('RingbackTone', { kind: 'tone' }, 'Tone the caller hears while the service leg rings.', { default: 'ringback-us' }),
      attr('Timeout', seconds(0, 86400), 'Seconds allowed for the transfer to complete; 0 = none.', { default: '120' }),
    ],
  },
  {
    name: 'Unhold', kind: 'verb', contexts: TP, children: { kind: 'none' },
    doc: 'Takes both legs of a held call off hold.', attributes: [CALL_ID],
  },
  {
    name: 'UserInput', kind: 'verb', aliases: ['Userinput'], contexts: API, blocking: true,
    children: { kind: 'elements', names: ['InitialCommands', 'Inputs'] },
    doc: 'Collects DTMF digits while its InitialCommands play and runs the matching Input.',
    attributes: [
      attr('Repeat', BOOL, 'Replay the prompts after a timeout or an unmatched entry.', { default: 'false' }),
      attr('Timeout', seconds(1, 600), 'Seconds to wait for a key after the prompts end (restarts on each digit).', { default: '5' }),
      attr('BackKey', { kind: 'dtmf-key' }, 'Key that returns to the enclosing UserInput.'),
      attr('Digits', count(1, 64), 'Number of digits to collect.', { default: '1' }),
      attr('MinDigits', count(1, 64), 'Fewest digits accepted (with MaxDigits; # ends the entry early).'),
      attr('MaxDigits', count(1, 64), 'Most digits collected.'),
      attr('ForwardToUrl', URL_T, 'Receives DtmfEntered when the digits match no Input.', { aliases: ['enteredUrl'] }),
    ],
  },
  {
    name: 'Var', kind: 'verb', contexts: API_TP, children: { kind: 'none' },
    doc: 'Sets a call variable, read as $ID.',
    attributes: [
      attr('ID', { kind: 'identifier' }, 'Name of the variable.', { required: true }),
      attr('Value', { kind: 'string', allowEmpty: true }, 'Value of the variable.', { required: true, main: true }),
    ],
  },
] as const satisfies readonly ElementSpec[];

const blocks: ElementSpec[] = [
  { name: 'Item', kind: 'block', children: { kind: 'none' }, doc: 'An item of an Array.',
    attributes: [attr('Value', { kind: 'string', allowEmpty: true }, 'The item.', { required: true, main: true })] },
  { name: 'InitialCommands', kind: 'block', unique: true, children: { kind: 'commands' }, doc: 'Prompts played while digits are collected.', attributes: [] },
  { name: 'Inputs', kind: 'block', unique: true, children: { kind: 'elements', names: ['Input'] }, doc: 'The menu entries of a UserInput.', attributes: [] },
  { name: 'Input', kind: 'block', children: { kind: 'commands' }, doc: 'Commands run when the entered digits equal Key.',
    attributes: [attr('Key', { kind: 'dtmf', maxLength: 64 }, 'The digits that select this entry.', { required: true })] },
  { name: 'Received', kind: 'block', unique: true, children: { kind: 'commands' }, doc: 'Commands run after an alarm message was received.', attributes: [] },
  { name: 'Consult', kind: 'block', unique: true, contexts: API, children: { kind: 'commands' }, doc: 'Commands run on the consult leg once the target answers (Speak, Play, Delay, Beep, UserInput).', attributes: [] },
  ...REQUEST_OUTCOMES.map((name): ElementSpec => ({
    name, kind: 'block', unique: true, children: { kind: 'commands' }, doc: `Commands run when the requested call reaches ${name.slice(2)}.`, attributes: [],
  })),
];

/** Every element the language knows, in catalogue order. */
export const ELEMENTS: readonly ElementSpec[] = [...verbs, ...blocks];
export const VERBS: readonly ElementSpec[] = verbs;
/** The verb entries with their literal types (typed.ts derives attribute types from them). */
export const VERB_CATALOGUE = verbs;
export type VerbSpec = (typeof verbs)[number];
/** Canonical verb names. */
export type VerbName = VerbSpec['name'];
export const ROOTS = ['Response', 'OzML'] as const;
