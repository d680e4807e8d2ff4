/** Where SendSms / SendEmail / SendMsg go. Production plugs in real gateways; the sim records them. */

export type OutboxMessage =
  | { kind: 'sms'; sender?: string; recipient: string; message: string; deliveryReportUrl?: string }
  | { kind: 'email'; sender?: string; recipient: string; subject?: string; message?: string; attachments: string[] }
  | { kind: 'msg'; toConnection: string; toAddress?: string; text: string };

export interface Outbox {
  /** Returns an id for the message (e.g. SmsId). Must not block the call for long: the verbs do not wait. */
  send(message: OutboxMessage, options: { signal?: AbortSignal }): Promise<string>;
}

/** Keeps every message in memory, ids from a counter (deterministic). */
export class RecordingOutbox implements Outbox {
  readonly messages: (OutboxMessage & { id: string })[] = [];

  async send(message: OutboxMessage): Promise<string> {
    const id = `${message.kind}-${this.messages.length + 1}`;
    this.messages.push({ ...message, id });
    return id;
  }
}
