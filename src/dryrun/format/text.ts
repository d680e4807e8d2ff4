/**
 * The text timeline: one line per thing a person reading a call log cares about,
 *
 *   +12.400s  caller   Established → Held   AttendedTransfer "5001"
 *
 * time, who, what, and (for leg state changes) the verb that caused it. Fed event by event, so
 * `ozml run` can print while the call runs. Media and digit-collection bookkeeping are left to the
 * NDJSON output.
 */
import pc from 'picocolors';
import type { DryRunEvent } from '../events.js';
import { describeVerb, notificationDetails, shorten } from './describe.js';
import { Parties } from './parties.js';

export interface TextOptions {
  color?: boolean;
}

const WHO_WIDTH = 12;

/** `+12.400s` */
export function formatTime(t: number): string {
  return `+${t.toFixed(3)}s`;
}

interface RunningVerb {
  text: string;
  order: number;
}

export class TextTimeline {
  readonly parties = new Parties();
  readonly #stacks = new Map<string, RunningVerb[]>();
  #started = 0;
  readonly #c: ReturnType<typeof pc.createColors>;

  constructor(options: TextOptions = {}) {
    this.#c = pc.createColors(options.color === true);
  }

  /** The line for `event`, or undefined when the timeline leaves it out. */
  line(event: DryRunEvent): string | undefined {
    this.parties.observe(event);
    const what = this.#describe(event);
    if (what === undefined) return undefined;
    const [who, text, note] = what;
    const time = this.#c.dim(formatTime(event.t).padStart(10));
    const whoText = who.padEnd(WHO_WIDTH);
    const colored = who === 'ozml' ? this.#c.cyan(whoText) : who === 'app' ? this.#c.magenta(whoText) : this.#c.yellow(whoText);
    return `${time}  ${colored} ${text}${note ? `   ${this.#c.dim(note)}` : ''}`;
  }

  /**
   * The verb behind a leg's state change: the latest verb still running in any session (a
   * third-party Hold acts on a call that another session runs a Delay on).
   */
  #running(): string | undefined {
    let latest: RunningVerb | undefined;
    for (const stack of this.#stacks.values()) {
      const top = stack[stack.length - 1];
      if (top && (!latest || top.order > latest.order)) latest = top;
    }
    return latest?.text;
  }

  #indent(sessionId: string): string {
    return '  '.repeat(this.#stacks.get(sessionId)?.length ?? 0);
  }

  /** [who, what, note] */
  #describe(e: DryRunEvent): [string, string, string?] | undefined {
    const c = this.#c;
    const party = (legId: string): string => this.parties.label(legId);
    switch (e.type) {
      case 'run.started':
        return ['ozml', `${e.direction === 'none' ? 'runs' : `${e.direction} call from ${e.from} to ${e.to}:`} ${e.script} (${e.context})`];
      case 'run.ended':
        return ['ozml', e.stopped ? c.red(`run stopped at the time limit (${e.seconds}s)`) : `run ended after ${e.seconds}s${e.cause ? `: ${e.cause}` : ''}`];
      case 'leg.created':
        if (e.direction === 'inbound') return [party(e.legId), `calls ${e.to}${e.diversions?.length ? ` (diverted from ${e.diversions.map((d) => d.number).join(', ')})` : ''}`];
        return [party(e.legId), `${e.callType === 'Consult' ? 'consult call' : 'dialled'} from ${e.from}${e.diversions?.length ? `, diversions ${e.diversions.map((d) => `${d.number} (${d.reason})`).join(', ')}` : ''}`];
      case 'leg.alerting':
        return [party(e.legId), 'ringing'];
      case 'leg.state': {
        const released = e.state === 'Released' ? ` (${e.cause ?? 'normal'})` : '';
        return [party(e.legId), `${e.previousState} → ${e.state}${released}`, this.#running()];
      }
      case 'media.started':
        return e.media === 'tone' ? [party(e.legId), `hears ${e.source}`] : undefined;
      case 'dtmf.received':
        return [party(e.legId), `presses ${e.digit}`];
      case 'dtmf.sent':
        return [party(e.legId), `is sent DTMF ${e.digits}`];
      case 'recording.started':
        return [party(e.legId), `recording (${e.format})`];
      case 'recording.ended':
        return [party(e.legId), `recorded ${e.file}, ${e.durationSeconds}s (${e.endedBy})`];
      case 'transfer.started':
        return [party(e.legId), `${e.kind} transfer to ${e.target}`];
      case 'transfer.ended':
        return [party(e.legId), `${e.kind} transfer to ${e.target}: ${e.cause === 'completed' || e.cause === 'retrieved' ? c.green(e.cause) : c.red(e.cause)}`];
      case 'bridge.started':
        return [party(e.legId), `connected to ${party(e.peerLegId)}`];
      case 'bridge.ended':
        return [party(e.legId), `disconnected from ${party(e.peerLegId)}${e.cause ? ` (${e.cause})` : ''}`];
      case 'leg.userdata':
        return [party(e.legId), `user data ${e.userData.map((p) => `${p.key}=${String(p.value)}`).join(' ')}`];
      case 'session.started':
        this.#stacks.set(e.sessionId, []);
        return ['ozml', `session ${e.sessionId} starts (${e.context}, call ${e.callId})`];
      case 'session.ended': {
        const text = `session ${e.sessionId} ended: ${e.cause} (${plural(e.verbs, 'verb')}, ${plural(e.documents, 'document')})`;
        return ['ozml', e.cause === 'application-error' || e.cause === 'limit-exceeded' ? c.red(text) : text];
      }
      case 'document.loaded':
        return undefined;
      case 'verb.started': {
        const text = describeVerb(e.verb, e.attributes);
        const line = `${this.#indent(e.sessionId)}${text}`;
        const stack = this.#stacks.get(e.sessionId) ?? [];
        stack.push({ text, order: ++this.#started });
        this.#stacks.set(e.sessionId, stack);
        return ['ozml', line];
      }
      case 'verb.finished': {
        this.#stacks.get(e.sessionId)?.pop();
        if (e.result === 'completed' || e.result === 'set') return undefined;
        return ['ozml', `${this.#indent(e.sessionId)}  ${e.verb} → ${e.result}`];
      }
      case 'digits.received':
        return ['ozml', e.digits === '' ? `no digits (${e.endedBy})` : `got digits ${e.digits} (${e.endedBy})`];
      case 'notification.requested': {
        const details = notificationDetails(e.params);
        return ['app', `← ${e.name} ${e.url}${details ? ` ${details}` : ''}`];
      }
      case 'notification.replied':
        if (e.reply === 'failed') return ['app', c.red(`→ failed ${e.code ?? ''}: ${shorten(e.detail ?? '', 100)}`)];
        return ['app', `→ ${e.reply === 'document' ? 'document' : 'empty reply'}`];
      case 'variable.warning':
        return ['ozml', c.yellow(`warning: $${e.name} is not defined (${e.verb})`)];
      case 'message.sent':
        return ['ozml', `${e.kind.toUpperCase()} ${e.id} to ${e.to}`];
      case 'file.changed':
        return ['ozml', `file ${e.action}: ${e.path}`];
      case 'alarm.sent':
        return ['ozml', `alarm ${e.dtmf} to ${e.to}: ${e.result}`];
      case 'alarm.received':
        return ['ozml', `alarm from account ${e.account}: event ${e.eventCode}, zone ${e.zone}`];
      case 'error':
        return ['ozml', c.red(`error ${e.code}${e.verb ? ` in ${e.verb}` : ''}: ${e.message}`)];
      case 'webhook.failure':
        return ['app', c.red(`${e.notification} to ${e.url} failed (${e.code}): ${shorten(e.detail, 100)}`)];
      case 'webhook.error-notification':
        return ['app', `← Error ${e.url} ErrorCode=${e.code} ErrorUrl=${e.failedUrl}`];
      case 'webhook.fallback':
        return ['app', `← ${e.notification} ${e.url} (FallbackUrl) ErrorCode=${e.code} ErrorUrl=${e.failedUrl}`];
      case 'webhook.retry':
        return ['app', `retry ${e.nextAttempt} of ${e.notification} in ${e.delayMs} ms (${e.reason})`];
      case 'webhook.redirect':
        return ['app', `redirect ${e.status} → ${e.to}`];
      case 'route.decided':
        return ['ozml', e.destination === '' ? 'route: reject the call' : `route to ${e.dialedNumber ?? e.destination}${e.dialedNumber ? ` via ${e.destination}` : ''} (ring ${e.ringSeconds}s)`];
      case 'route.ended':
        return ['ozml', `route to ${e.destination}: ${e.cause}${e.lastCallState ? ` (LastCallState ${e.lastCallState})` : ''}`];
      case 'call.refused':
        return ['ozml', c.red(`call to ${e.to} refused (${e.limit}): ${e.detail}`)];
      default:
        return undefined;
    }
  }
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The whole timeline of a run. */
export function formatText(events: readonly DryRunEvent[], options: TextOptions = {}): string {
  const timeline = new TextTimeline(options);
  const lines: string[] = [];
  for (const event of events) {
    const line = timeline.line(event);
    if (line !== undefined) lines.push(line);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
