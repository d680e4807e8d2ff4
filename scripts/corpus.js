#!/usr/bin/env node
// Deterministic corpus of realistic OzML documents for benchmarks: IVR menus (nested, with BackKey),
// PIN entry, blind and attended transfers, voicemail ForEach, alarms, recording, messaging, outbound
// calls. A seeded PRNG picks the building blocks, so the same seed always gives the same bytes.
// Every document is canonical, valid in the api-extension context and between 200 B and 20 KiB.
//
// Usage: node scripts/corpus.js <dir> [count=1000] [seed=2]   (writes doc-0000.xml …)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIN_BYTES = 200;
export const MAX_BYTES = 20 * 1024;

/** mulberry32: small, fast, good enough for picking building blocks. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMPANIES = ['Acme Dental', 'Northwind Travel', 'Müller &amp; Söhne', 'Blue Harbor Bank', 'Café Lumière', 'Sakura 日本語 Support', 'City Clinic', 'Orbit Telecom'];
const DEPARTMENTS = ['sales', 'support', 'billing', 'reception', 'accounts', 'technical support', 'returns', 'appointments'];
const PHRASES = [
  'Your call is important to us.',
  'Calls may be recorded for training and quality purposes.',
  'Our opening hours are Monday to Friday, nine to five.',
  'Please have your customer number ready.',
  'You can also reach us online at any time.',
  'We are experiencing a high volume of calls.',
  'Thank you for your patience.',
  'Para español, marque nueve.',
];
const VOICES = ['Kate', 'Susan', 'Julie', 'Dave', 'Paul'];
const LANGUAGES = ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES'];

/** Builds one document; `ids` keeps Var/Array IDs unique inside it. */
function documentBuilder(random) {
  const pick = (list) => list[Math.floor(random() * list.length)];
  const int = (min, max) => min + Math.floor(random() * (max - min + 1));
  const chance = (p) => random() < p;
  const number = () => `+1555${String(int(0, 9999999)).padStart(7, '0')}`;
  const extension = () => String(int(1000, 1999));
  const url = (path) => (chance(0.5) ? `https://app.example.com/ozml/${path}` : `${path}.xml`);
  const audio = (name) => (chance(0.5) ? `https://media.example.com/audio/${name}.mp3` : `audio/${name}.wav`);
  let nextId = 0;
  const id = (prefix) => `${prefix}${++nextId}`;
  const pad = (depth) => '  '.repeat(depth);

  const speak = (depth, text = pick(PHRASES)) =>
    chance(0.3)
      ? `${pad(depth)}<Speak Text="${text}" Voice="${pick(VOICES)}" Language="${pick(LANGUAGES)}"/>\n`
      : `${pad(depth)}<Speak>${text}</Speak>\n`;
  const play = (depth) => `${pad(depth)}<Play AudioFile="${audio(pick(['welcome', 'hold', 'closed', 'menu']))}"${chance(0.3) ? ` Repeat="true" Timeout="${int(10, 60)}"` : ''}/>\n`;

  const blindTransfer = (depth) => {
    const options = [
      chance(0.5) ? ` CallerId="caller"` : '',
      chance(0.4) ? ` Timeout="${int(10, 60)}"` : '',
      chance(0.3) ? ` RingbackTone="${pick(['ringback-us', 'ringback-uk', 'ringback-eu'])}"` : '',
      chance(0.3) ? ` Whisper="Call from the ${pick(DEPARTMENTS)} menu" WhisperVoice="${pick(VOICES)}"` : '',
      chance(0.2) ? ` DiversionTreatment="stack" DiversionReason="${pick(['no-answer', 'user-busy', 'follow-me'])}"` : '',
      chance(0.3) ? ` FinishedUrl="${url('transfer/finished')}"` : '',
    ].join('');
    return `${pad(depth)}<BlindTransfer Target="${chance(0.5) ? extension() : number()}"${options}/>\n`
      + speak(depth, 'Sorry, nobody is available. The result was $TransferCause.');
  };

  const attendedTransfer = (depth) =>
    `${pad(depth)}<AttendedTransfer Target="${extension()}" Timeout="${int(15, 45)}" AcceptKey="1" HoldMusic="${audio('hold')}">\n`
    + `${pad(depth + 1)}<Consult>\n`
    + speak(depth + 2, 'You have a call from $Caller. Press 1 to accept.')
    + `${pad(depth + 2)}<Beep/>\n`
    + `${pad(depth + 1)}</Consult>\n`
    + `${pad(depth)}</AttendedTransfer>\n`;

  const pinEntry = (depth) =>
    `${pad(depth)}<UserInput Digits="${int(4, 6)}" Timeout="${int(5, 15)}" ForwardToUrl="${url('pin/check')}">\n`
    + `${pad(depth + 1)}<InitialCommands>\n`
    + speak(depth + 2, 'Please enter your PIN followed by the hash key.')
    + `${pad(depth + 1)}</InitialCommands>\n`
    + `${pad(depth)}</UserInput>\n`;

  const record = (depth) =>
    speak(depth, 'Please leave a message after the beep. Press hash when you are done.')
    + `${pad(depth)}<Beep/>\n`
    + `${pad(depth)}<Record Format="${pick(['mp3', 'wav'])}" FinishedUrl="${url('voicemail/saved')}" Duration="${int(60, 300)}" FinishDigits="#"/>\n`;

  const voicemail = (depth) => {
    if (chance(0.5)) {
      return `${pad(depth)}<ForEach Source="voicemails">\n${pad(depth + 1)}<Play AudioFile="$item"/>\n${pad(depth + 1)}<Delay Time="1"/>\n${pad(depth)}</ForEach>\n`;
    }
    const array = id('messages');
    const items = Array.from({ length: int(2, 6) }, (_, i) => `${pad(depth + 1)}<Item>Message ${i + 1} from ${number()}.</Item>\n`).join('');
    return `${pad(depth)}<Array ID="${array}">\n${items}${pad(depth)}</Array>\n`
      + `${pad(depth)}<ForEach Source="${array}">\n${speak(depth + 1, 'New message: $item')}${pad(depth)}</ForEach>\n`;
  };

  const alarm = (depth) =>
    chance(0.5)
      ? `${pad(depth)}<ReceiveAlarmNotification Timeout="${int(30, 120)}">\n${pad(depth + 1)}<Received>\n`
        + `${pad(depth + 2)}<SendEmail Recipient="alarms@example.com" Subject="Alarm $eventcode">Account $account, partition $partition, zone $zone.</SendEmail>\n`
        + `${pad(depth + 2)}<SendSms Recipient="${number()}">Alarm $eventcode on account $account</SendSms>\n`
        + `${pad(depth + 1)}</Received>\n${pad(depth)}</ReceiveAlarmNotification>\n`
      : `${pad(depth)}<SendAlarmNotification PhoneNumber="${number()}" AccountNumber="${int(1000, 9999)}" EventCode="${pick(['110', '130', '301', '602'])}" PartitionNumber="${int(1, 8)}" ZoneNumber="${int(1, 64)}" ResultUrl="${url('alarm/result')}"/>\n`;

  const messaging = (depth) =>
    pick([
      () => `${pad(depth)}<SendSms Recipient="${number()}" DeliveryReportURL="${url('sms/report')}">Thanks for calling ${pick(COMPANIES)}. Reference $CallId.</SendSms>\n`,
      () => `${pad(depth)}<SendEmail Recipient="${pick(DEPARTMENTS).replace(' ', '.')}@example.com" Subject="Missed call from $Caller">A caller pressed a key in the ${pick(DEPARTMENTS)} menu.</SendEmail>\n`,
      () => `${pad(depth)}<SendMsg ToConnection="gmail_client_1@localhost">Call from $Caller to $Callee</SendMsg>\n`,
    ])();

  const variables = (depth) => {
    const name = id('note');
    return `${pad(depth)}<Var ID="${name}" Value="${pick(PHRASES)}"/>\n` + speak(depth, `$${name}`);
  };

  const outbound = (depth) =>
    chance(0.5)
      ? `${pad(depth)}<Call Dialled="${number()}" Url="${url('call/connected')}" RingTime="${int(20, 60)}"${chance(0.5) ? ` CallerId="${extension()}"` : ''}/>\n`
      : `${pad(depth)}<Request DialedAddress="${extension()}" RingTime="${int(20, 60)}">\n`
        + `${pad(depth + 1)}<OnAnswered>\n${speak(depth + 2, 'This is an automated reminder of your appointment tomorrow.')}${pad(depth + 1)}</OnAnswered>\n`
        + `${pad(depth + 1)}<OnNoAnswer>\n${pad(depth + 2)}<SendSms Recipient="${number()}">We could not reach you.</SendSms>\n${pad(depth + 1)}</OnNoAnswer>\n`
        + `${pad(depth)}</Request>\n`;

  /** A menu; deeper levels get a BackKey and fewer options. */
  const menu = (depth, level) => {
    const options = int(2, level === 0 ? 6 : 4);
    const labels = Array.from({ length: options }, () => pick(DEPARTMENTS));
    const prompt = labels.map((label, i) => `For ${label}, press ${i + 1}.`).join(' ');
    let inputs = '';
    for (let i = 0; i < options; i++) {
      const body = level < 2 && chance(0.3) ? menu(depth + 3, level + 1) : action(depth + 3);
      inputs += `${pad(depth + 2)}<Input Key="${i + 1}">\n${body}${pad(depth + 2)}</Input>\n`;
    }
    const back = level > 0 ? ' BackKey="*"' : '';
    return `${pad(depth)}<UserInput Timeout="${int(3, 10)}" Repeat="${chance(0.7) ? 'true' : 'false'}"${back}${chance(0.3) ? ` ForwardToUrl="${url('menu/unknown')}"` : ''}>\n`
      + `${pad(depth + 1)}<InitialCommands>\n${speak(depth + 2, prompt)}${pad(depth + 1)}</InitialCommands>\n`
      + `${pad(depth + 1)}<Inputs>\n${inputs}${pad(depth + 1)}</Inputs>\n`
      + `${pad(depth)}</UserInput>\n`;
  };

  const action = (depth) => pick([blindTransfer, attendedTransfer, record, voicemail, messaging, pinEntry, speak, play])(depth);

  const blocks = [
    [speak, 4], [play, 1], [(d) => menu(d, 0), 4], [pinEntry, 2], [blindTransfer, 2], [attendedTransfer, 1], [record, 2],
    [voicemail, 2], [alarm, 1], [messaging, 2], [variables, 2], [outbound, 1], [(d) => `${pad(d)}<Delay Time="${int(1, 3)}"/>\n`, 1],
  ];
  const totalWeight = blocks.reduce((sum, [, w]) => sum + w, 0);
  const block = (depth) => {
    let r = random() * totalWeight;
    for (const [make, weight] of blocks) if ((r -= weight) < 0) return make(depth);
    return speak(depth);
  };

  const ending = () => pick(['', '  <Hangup/>\n', `  <GoTo Url="${url('next')}"/>\n`]);
  return { block, ending, speak: (depth) => speak(depth, `Welcome to ${pick(COMPANIES)}. ${pick(PHRASES)}`) };
}

/** `count` documents, sizes log-uniform between MIN_BYTES and MAX_BYTES. */
export function generateCorpus(count = 1000, seed = 2) {
  const random = prng(seed);
  const documents = [];
  for (let n = 0; n < count; n++) {
    const target = Math.round(MIN_BYTES * (MAX_BYTES / MIN_BYTES) ** random());
    const builder = documentBuilder(random);
    const ending = builder.ending();
    const head = `<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n`;
    const tail = `${ending}</Response>\n`;
    let body = builder.speak(1);
    const size = (text) => Buffer.byteLength(head + text + tail);
    for (let attempts = 0; size(body) < target && attempts < 200; attempts++) {
      const next = body + builder.block(1);
      if (size(next) <= MAX_BYTES) body = next;
    }
    while (size(body) < MIN_BYTES) body += builder.speak(1);
    documents.push({ name: `doc-${String(n).padStart(4, '0')}.xml`, text: head + body + tail });
  }
  return documents;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir, count = '1000', seed = '2'] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write('usage: node scripts/corpus.js <dir> [count] [seed]\n');
    process.exit(2);
  }
  mkdirSync(dir, { recursive: true });
  for (const doc of generateCorpus(Number(count), Number(seed))) writeFileSync(join(dir, doc.name), doc.text);
}
