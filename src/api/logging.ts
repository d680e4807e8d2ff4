/**
 * Logs of `ozml serve`: pino JSON lines on stdout, one per call event, session event and API
 * request, bound to the call (`callId`) and the leg (`legId`). Secrets are redacted by path; on a
 * terminal the lines are printed in a short human form instead.
 */
import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import type { RuntimeEvent } from './local-runtime.js';

/** Paths that may hold credentials or webhook secrets, wherever a log line carries them. */
export const REDACTED_PATHS = [
  'password', 'Password', '*.password', '*.Password', 'secret', '*.secret', 'params.Password', 'params.password',
  'headers.authorization', 'req.headers.authorization', 'config.serve.users', 'config.apps.*.secret',
];

const LEVELS: Readonly<Record<number, string>> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/** `12:00:01.123 info  call released callId=in-1 cause=normal` for people watching a terminal. */
export function prettyLine(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { time, level, msg, pid: _pid, hostname: _host, ...rest } = record;
  const when = typeof time === 'number' ? new Date(time).toISOString().slice(11, 23) : '';
  const fields = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
  return `${when} ${(LEVELS[level as number] ?? String(level)).padEnd(5)} ${String(msg ?? '')}${fields ? ` ${fields}` : ''}\n`;
}

function prettyStream(out: NodeJS.WritableStream): DestinationStream {
  return { write: (line: string) => { out.write(prettyLine(line)); } };
}

export function createLogger(options: { level?: string; destination?: DestinationStream; pretty?: boolean } = {}): Logger {
  const destination = options.destination ?? (options.pretty ?? process.stdout.isTTY ? prettyStream(process.stdout) : pino.destination({ dest: 1, sync: false }));
  return pino({ level: options.level ?? 'info', redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { pid: process.pid } }, destination);
}

/**
 * Turns runtime events into log lines. Keeps which call each leg and session belongs to, for the
 * bindings; entries go when the leg or session ends.
 */
export class CallLog {
  readonly #callOfLeg = new Map<string, string>();
  readonly #callOfSession = new Map<string, string>();

  constructor(private readonly logger: Logger) {}

  write(event: RuntimeEvent): void {
    switch (event.kind) {
      case 'call': {
        const { type, legId, time: _time, ...fields } = event.event;
        if (event.event.type === 'leg.created') this.#callOfLeg.set(legId, event.event.parentCallId ?? legId);
        const callId = this.#callOfLeg.get(legId) ?? legId;
        if (type === 'transfer.started' && event.event.targetLegId) this.#callOfLeg.set(event.event.targetLegId, callId);
        this.logger.info({ callId, legId, event: type, ...fields }, type);
        if (type === 'leg.state' && event.event.state === 'Released') this.#callOfLeg.delete(legId);
        return;
      }
      case 'session': {
        const { type, sessionId, time: _time, ...fields } = event.event;
        const key = `${event.app}/${sessionId}`;
        if (type === 'session.started') this.#callOfSession.set(key, event.event.callId);
        const callId = this.#callOfSession.get(key);
        // Notification parameters are the app's data; they are not repeated in the log.
        const { params: _params, ...shown } = fields as Record<string, unknown>;
        const level = type === 'error' ? 'warn' : 'info';
        this.logger[level]({ app: event.app, sessionId, ...(callId ? { callId } : {}), event: type, ...shown }, type);
        if (type === 'session.ended') this.#callOfSession.delete(key);
        return;
      }
      case 'session-result':
        this.logger.info({ app: event.app, callId: event.callId, sessionId: event.result.sessionId, cause: event.result.cause, verbs: event.result.verbs }, 'session result');
        return;
      case 'webhook': {
        const { type, ...fields } = event.event;
        this.logger[type === 'failure' ? 'warn' : 'debug']({ app: event.app, event: `webhook.${type}`, ...fields }, `webhook ${type}`);
        return;
      }
      case 'refused':
        this.logger.warn({ callId: event.callId, from: event.from, to: event.to, reason: event.reason }, 'call refused');
        return;
      case 'message':
        this.logger.info({ app: event.app, id: event.id, kind: event.message.kind, to: event.message.kind === 'msg' ? event.message.toConnection : event.message.recipient }, 'message queued');
        return;
      case 'problem':
        this.logger.error({ callId: event.callId, action: event.action, error: event.message }, 'call operation failed');
        return;
    }
  }
}
