/**
 * SIP over UDP: one socket, datagrams parsed with explicit limits, sources checked against the
 * trusted networks before anything else is done. What happens to bad traffic (docs/sip.md,
 * "Limits and what bad input gets"):
 * - a datagram from an untrusted address is dropped unanswered (`untrusted`);
 * - a request that cannot be parsed but whose Via, From, To, Call-ID and CSeq were readable is
 *   answered `400 Bad Request` with the reason in a Warning header;
 * - anything else that cannot be parsed is dropped (`malformed`).
 * Every outcome is counted; nothing throws out of the socket's handlers.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { DEFAULT_SIP_LIMITS, parseSipMessage, serializeSipMessage, SipHeaders } from './message.js';
import type { SipMessage, SipParseLimits, SipRequest, SipResponse } from './message.js';
import { responseTo } from './response.js';

/** Where a datagram came from or goes to. */
export interface SipPeer {
  readonly address: string;
  readonly port: number;
}

export interface UdpTransportOptions {
  /** Address to bind, e.g. `127.0.0.1` or `::1`. */
  address: string;
  /** Port to bind; 0 picks a free one. */
  port: number;
  /** Networks allowed to send (CIDRs). Default: loopback only (`127.0.0.0/8`, `::1/128`). */
  trusted?: readonly string[];
  limits?: SipParseLimits;
  /** Written into the Warning header of a 400 (`399 <agent> "reason"`). */
  agent?: string;
  onRequest(request: SipRequest, from: SipPeer): void;
  onResponse(response: SipResponse, from: SipPeer): void;
  /** A handler threw: reported here, the transport goes on. Default: a process warning. */
  onHandlerError?(error: unknown): void;
}

/** What the transport did with traffic it did not hand on. */
export interface UdpTransportCounters {
  received: number;
  untrusted: number;
  malformed: number;
  answeredBadRequest: number;
  handlerErrors: number;
}

export const DEFAULT_TRUSTED = Object.freeze(['127.0.0.0/8', '::1/128']);

/** Parses a CIDR list into a BlockList of the allowed networks; throws a clear error for a bad entry. */
export function trustedNetworks(cidrs: readonly string[]): net.BlockList {
  const list = new net.BlockList();
  for (const cidr of cidrs) {
    const match = /^([^/]+)\/(\d{1,3})$/.exec(cidr.trim());
    const family = match ? net.isIP(match[1]!) : 0;
    const prefix = match ? Number(match[2]) : NaN;
    if (!match || family === 0 || prefix > (family === 4 ? 32 : 128)) throw new RangeError(`trusted: ${JSON.stringify(cidr)} is not a CIDR network such as 10.0.0.0/8 or ::1/128`);
    list.addSubnet(match[1]!, prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
  return list;
}

export class UdpSipTransport {
  readonly counters: UdpTransportCounters = { received: 0, untrusted: 0, malformed: 0, answeredBadRequest: 0, handlerErrors: 0 };
  readonly #socket: dgram.Socket;
  readonly #options: UdpTransportOptions;
  readonly #trusted: net.BlockList;

  private constructor(socket: dgram.Socket, options: UdpTransportOptions, trusted: net.BlockList) {
    this.#socket = socket;
    this.#options = options;
    this.#trusted = trusted;
    socket.on('message', (data, rinfo) => this.#receive(data, { address: rinfo.address, port: rinfo.port }));
  }

  static async listen(options: UdpTransportOptions): Promise<UdpSipTransport> {
    const trusted = trustedNetworks(options.trusted ?? DEFAULT_TRUSTED);
    const socket = dgram.createSocket({ type: net.isIPv6(options.address) ? 'udp6' : 'udp4' });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(options.port, options.address, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    // After binding, a send error (e.g. ICMP unreachable reported by the OS) must not crash the process.
    socket.on('error', (error) => this.#report(options, error));
    return new UdpSipTransport(socket, options, trusted);
  }

  get local(): SipPeer {
    const { address, port } = this.#socket.address();
    return { address, port };
  }

  send(message: SipMessage, to: SipPeer): void {
    this.#socket.send(serializeSipMessage(message), to.port, to.address);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#socket.close(() => resolve()));
  }

  #receive(data: Buffer, from: SipPeer): void {
    this.counters.received++;
    if (!this.#trusted.check(from.address, net.isIPv6(from.address) ? 'ipv6' : 'ipv4')) {
      this.counters.untrusted++;
      return;
    }
    const result = parseSipMessage(data, { maxBytes: this.#options.limits?.maxBytes ?? DEFAULT_SIP_LIMITS.maxBytes, maxHeaders: this.#options.limits?.maxHeaders ?? DEFAULT_SIP_LIMITS.maxHeaders });
    try {
      if (result.ok) {
        if (result.message.kind === 'request') this.#options.onRequest(result.message, from);
        else this.#options.onResponse(result.message, from);
        return;
      }
      const partial = result.error.partial;
      const answerable = partial && /^[A-Za-z]+ \S+ SIP\/2\.0$/.test(partial.start) && !partial.start.startsWith('ACK ')
        && ['Via', 'From', 'To', 'Call-ID', 'CSeq'].every((name) => partial.headers.has(name));
      if (!answerable) {
        this.counters.malformed++;
        return;
      }
      this.counters.answeredBadRequest++;
      const warning = `399 ${this.#options.agent ?? 'ozml'} ${JSON.stringify(result.error.message)}`;
      this.send(responseTo({ headers: partial.headers }, 400, { headers: new SipHeaders([['Warning', warning]]).entries() }), from);
    } catch (error) {
      this.counters.handlerErrors++;
      UdpSipTransport.#report(this.#options, error);
    }
  }

  static #report(options: UdpTransportOptions, error: unknown): void {
    if (options.onHandlerError) options.onHandlerError(error);
    else process.emitWarning(error instanceof Error ? error : new Error(String(error)), { type: 'SipTransportError' });
  }
}
