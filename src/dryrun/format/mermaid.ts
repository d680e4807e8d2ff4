/**
 * A Mermaid sequence diagram of a run, to paste into Markdown: the caller, ozml, every party it
 * dialled, and the application's webhooks, with the signalling, prompts, digits and notifications
 * between them.
 */
import type { DryRunEvent } from '../events.js';
import { describeVerb, notificationDetails, shorten } from './describe.js';
import { Parties } from './parties.js';
import { formatTime } from './text.js';

/** Mermaid treats `;` as a statement end and `#…;` as an entity; `<`/`>` could become HTML. */
function escape(text: string): string {
  let out = '';
  for (const ch of text.replace(/\s+/g, ' ')) {
    if (ch === '#' || ch === ';' || ch === '<' || ch === '>') out += `#${ch.charCodeAt(0)};`;
    else out += ch;
  }
  return out;
}

const OZML = 'ozml';
const APP = 'app';

export function formatMermaid(events: readonly DryRunEvent[]): string {
  const parties = new Parties();
  const ids = new Map<string, string>();
  const lines: string[] = [];
  let partyCount = 0;
  const id = (label: string): string => {
    let known = ids.get(label);
    if (known === undefined) {
      known = label === OZML || label === APP ? label : `p${++partyCount}`;
      ids.set(label, known);
    }
    return known;
  };
  const leg = (legId: string): string => id(parties.label(legId));
  const arrow = (from: string, to: string, text: string, reply = false): void => {
    lines.push(`    ${from}${reply ? '-->>' : '->>'}${to}: ${escape(text)}`);
  };
  const note = (over: string, text: string): void => {
    lines.push(`    Note over ${over}: ${escape(text)}`);
  };

  for (const e of events) {
    parties.observe(e);
    switch (e.type) {
      case 'run.started':
        if (e.leg !== null) id(e.direction === 'outbound' ? 'callee' : 'caller');
        id(OZML);
        break;
      case 'leg.created':
        if (e.direction === 'inbound') arrow(leg(e.legId), OZML, `call ${e.to}`);
        else arrow(OZML, leg(e.legId), `${e.callType === 'Consult' ? 'consult call' : 'dial'} ${e.to} from ${e.from}`);
        break;
      case 'leg.alerting':
        arrow(leg(e.legId), OZML, 'ringing', true);
        break;
      case 'leg.state': {
        const p = leg(e.legId);
        if (e.state === 'Established' && (e.previousState === 'Ringing' || e.previousState === 'Dialing')) {
          if (e.previousState === 'Ringing') arrow(OZML, p, 'answer', true);
          else arrow(p, OZML, 'answered', true);
        } else if (e.state === 'Held') arrow(OZML, p, 'hold');
        else if (e.previousState === 'Held' && e.state === 'Established') arrow(OZML, p, 'retrieve');
        else if (e.state === 'Transferred') note(p, 'transferred to a service');
        else if (e.previousState === 'Transferred' && e.state === 'Established') note(p, 'back from the service');
        else if (e.state === 'Released' && e.cause !== 'transferred') {
          if (e.cause === 'remote-hangup') arrow(p, OZML, 'hang up');
          else if (e.previousState === 'Dialing') arrow(p, OZML, e.cause ?? 'released', true);
          else arrow(OZML, p, `hang up (${e.cause ?? 'normal'})`);
        }
        break;
      }
      case 'media.started':
        arrow(OZML, leg(e.legId), e.media === 'speech' ? `"${shorten(e.source, 40)}"` : e.media === 'tone' ? `tone ${e.source}` : `play ${shorten(e.source, 40)}`);
        break;
      case 'dtmf.received':
        arrow(leg(e.legId), OZML, `DTMF ${e.digit}`);
        break;
      case 'dtmf.sent':
        arrow(OZML, leg(e.legId), `DTMF ${e.digits}`);
        break;
      case 'recording.ended':
        note(leg(e.legId), `recorded ${e.durationSeconds}s (${e.endedBy})`);
        break;
      case 'transfer.started':
        note(OZML, `${e.kind} transfer to ${e.target}`);
        break;
      case 'transfer.ended':
        note(OZML, `${e.kind} transfer: ${e.cause}`);
        break;
      case 'bridge.started': {
        const a = leg(e.legId);
        const b = leg(e.peerLegId);
        note(a === b ? a : `${a},${b}`, 'connected');
        break;
      }
      case 'bridge.ended': {
        const a = leg(e.legId);
        const b = leg(e.peerLegId);
        note(a === b ? a : `${a},${b}`, `disconnected${e.cause ? ` (${e.cause})` : ''}`);
        break;
      }
      case 'verb.started':
        if (!['Speak', 'Play'].includes(e.verb)) note(OZML, describeVerb(e.verb, e.attributes));
        break;
      case 'notification.requested': {
        const details = notificationDetails(e.params);
        id(APP);
        arrow(OZML, APP, `${e.name}${details ? ` ${details}` : ''}`);
        break;
      }
      case 'notification.replied':
        arrow(APP, OZML, e.reply === 'failed' ? `failed ${e.code ?? ''}` : e.reply === 'document' ? 'OzML' : 'empty', true);
        break;
      case 'webhook.error-notification':
        id(APP);
        arrow(OZML, APP, `Error ${e.code}`);
        break;
      case 'webhook.fallback':
        id(APP);
        arrow(OZML, APP, `${e.notification} (FallbackUrl)`);
        break;
      case 'message.sent':
        note(OZML, `${e.kind.toUpperCase()} to ${e.to}`);
        break;
      case 'error':
        note(OZML, `error ${e.code}`);
        break;
      case 'route.decided':
        note(OZML, e.destination === '' ? 'route: reject' : `route to ${e.dialedNumber ?? e.destination}`);
        break;
      case 'session.ended':
        note(OZML, `${e.sessionId} ended: ${e.cause}`);
        break;
      case 'run.ended':
        note(OZML, `${formatTime(e.seconds)}${e.stopped ? ' stopped at the time limit' : ''}`);
        break;
      default:
        break;
    }
  }
  const header = ['sequenceDiagram'];
  // Participants left to right: the caller, ozml, the parties it dialled, then the app's webhooks.
  const order = [...ids].sort(([a], [b]) => Number(a === APP) - Number(b === APP));
  for (const [label, pid] of order) header.push(pid === label ? `    participant ${pid}` : `    participant ${pid} as ${escape(label)}`);
  return `${[...header, ...lines].join('\n')}\n`;
}
