/**
 * Who may use the HTTP APIs (docs/serve.md): the allow/deny address lists, then the office users'
 * credentials. Passwords are compared in constant time; scrypt is only run for a password not
 * verified before (a digest of the last good one is kept per user, never the password). Failed
 * logins are limited per client address.
 */
import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import type { ScryptOptions } from 'node:crypto';
import net from 'node:net';
import { formatScryptHash } from '../config/index.js';
import type { ScryptHash, ServeConfig } from '../config/index.js';
import { ADDRESS_KEYWORDS, categoryOf } from '../webhooks/index.js';
import type { AddressKeyword } from '../webhooks/index.js';

/** Failed logins from one address within the window that block it. */
export const FAILED_LOGIN_LIMIT = 5;
export const FAILED_LOGIN_WINDOW_MS = 60_000;
/** How long a blocked address gets Code 305 whatever it sends. */
export const LOGIN_BLOCK_MS = 60_000;
/** Addresses tracked at once; the oldest is forgotten first (bounded memory under a spray). */
const MAX_TRACKED_ADDRESSES = 10_000;

/** Parameters of hashes `ozml serve --hash-password` makes. */
const HASH_PARAMS = { cost: 16_384, blockSize: 8, parallelization: 1, saltBytes: 16, keyBytes: 32 } as const;

function scrypt(password: string, salt: Buffer, keyBytes: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password, salt, keyBytes, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function scryptOptions(hash: Pick<ScryptHash, 'cost' | 'blockSize' | 'parallelization'>): ScryptOptions {
  return { N: hash.cost, r: hash.blockSize, p: hash.parallelization, maxmem: 256 * hash.cost * hash.blockSize };
}

/** A new `scrypt:N:r:p:salt:key` hash of `password`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(HASH_PARAMS.saltBytes);
  const params = { cost: HASH_PARAMS.cost, blockSize: HASH_PARAMS.blockSize, parallelization: HASH_PARAMS.parallelization };
  const key = await scrypt(password, salt, HASH_PARAMS.keyBytes, scryptOptions(params));
  return formatScryptHash({ ...params, salt: salt.toString('base64'), key: key.toString('base64') });
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** `::ffff:10.0.0.1` is the IPv4 client 10.0.0.1 on a dual-stack listener. */
export function clientAddress(ip: string): string {
  return ip.startsWith('::ffff:') && net.isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
}

/** A list of addresses, CIDRs and the keywords loopback / private / link-local. */
class AddressList {
  readonly #blocks = new net.BlockList();
  readonly #keywords = new Set<AddressKeyword>();
  readonly size: number;

  constructor(entries: readonly string[]) {
    this.size = entries.length;
    for (const entry of entries) {
      const keyword = ADDRESS_KEYWORDS.find((k) => k === entry);
      if (keyword) {
        this.#keywords.add(keyword);
        continue;
      }
      const [address = '', prefix] = entry.split('/');
      const family = net.isIPv6(address) ? 'ipv6' : 'ipv4';
      if (prefix === undefined) this.#blocks.addAddress(address, family);
      else this.#blocks.addSubnet(address, Number(prefix), family);
    }
  }

  matches(ip: string): boolean {
    const family = net.isIPv6(ip) ? 'ipv6' : 'ipv4';
    if (this.#blocks.check(ip, family)) return true;
    if (this.#keywords.size === 0) return false;
    const category = categoryOf(ip);
    return category !== undefined && this.#keywords.has(category as AddressKeyword);
  }
}

export type AuthOutcome =
  | { ok: true; user?: string }
  | { ok: false; code: 'ForbiddenAddress' | 'AuthenticationRequired' | 'AuthenticationFailed' };

interface FailureRecord {
  /** Times of failures in the window. */
  failures: number[];
  blockedUntil: number;
}

export class ApiGuard {
  readonly #users: ServeConfig['users'];
  readonly #allow: AddressList;
  readonly #deny: AddressList;
  readonly #now: () => number;
  /** User → digest of the password last verified against its scrypt hash. */
  readonly #verified = new Map<string, Buffer>();
  readonly #failures = new Map<string, FailureRecord>();

  constructor(settings: Pick<ServeConfig, 'users' | 'allow' | 'deny'>, options: { now?: () => number } = {}) {
    this.#users = settings.users;
    this.#allow = new AddressList(settings.allow);
    this.#deny = new AddressList(settings.deny);
    this.#now = options.now ?? Date.now;
  }

  /** True when office users are configured (requests must then carry Username and Password). */
  get requiresLogin(): boolean {
    return Object.keys(this.#users).length > 0;
  }

  /** Deny wins over allow; an empty allow list allows every address. */
  addressAllowed(ip: string): boolean {
    const address = clientAddress(ip);
    if (this.#deny.size > 0 && this.#deny.matches(address)) return false;
    return this.#allow.size === 0 || this.#allow.matches(address);
  }

  async check(ip: string, username: string | undefined, password: string | undefined): Promise<AuthOutcome> {
    if (!this.addressAllowed(ip)) return { ok: false, code: 'ForbiddenAddress' };
    if (!this.requiresLogin) return { ok: true };
    if (!username || password === undefined) return { ok: false, code: 'AuthenticationRequired' };
    const address = clientAddress(ip);
    const now = this.#now();
    const record = this.#failures.get(address);
    // A blocked address learns nothing, not even whether this guess was right.
    if (record && record.blockedUntil > now) return { ok: false, code: 'AuthenticationFailed' };
    if (await this.#verify(username, password)) return { ok: true, user: username };
    this.#fail(address, now);
    return { ok: false, code: 'AuthenticationFailed' };
  }

  async #verify(username: string, password: string): Promise<boolean> {
    const given = digest(password);
    const user = Object.hasOwn(this.#users, username) ? this.#users[username] : undefined;
    if (!user) {
      timingSafeEqual(given, digest(`\u0000${password}`)); // as long as a comparison with a real user
      return false;
    }
    const spec = user.password;
    if (spec.kind === 'env') return timingSafeEqual(given, digest(spec.value));
    const known = this.#verified.get(username);
    if (known && timingSafeEqual(given, known)) return true;
    const expected = Buffer.from(spec.key, 'base64');
    const key = await scrypt(password, Buffer.from(spec.salt, 'base64'), expected.length, scryptOptions(spec));
    if (!timingSafeEqual(key, expected)) return false;
    this.#verified.set(username, given);
    return true;
  }

  #fail(address: string, now: number): void {
    let record = this.#failures.get(address);
    if (!record) {
      if (this.#failures.size >= MAX_TRACKED_ADDRESSES) this.#failures.delete(this.#failures.keys().next().value!);
      record = { failures: [], blockedUntil: 0 };
      this.#failures.set(address, record);
    }
    record.failures = record.failures.filter((t) => now - t < FAILED_LOGIN_WINDOW_MS);
    record.failures.push(now);
    if (record.failures.length >= FAILED_LOGIN_LIMIT) {
      record.blockedUntil = now + LOGIN_BLOCK_MS;
      record.failures = [];
    }
  }
}
