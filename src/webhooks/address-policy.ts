/**
 * SSRF guard for webhook destinations: private, loopback, link-local, metadata and other
 * non-public addresses are refused before any socket opens, unless the app's config allows them.
 *
 * Two checks are needed because Node's `net.connect` skips `lookup` for IP literals: IP-literal
 * hosts are checked directly, host names are checked on every address they resolve to (and the
 * socket then connects to exactly those vetted addresses, so DNS rebinding cannot slip in between).
 */
import dns from 'node:dns';
import net from 'node:net';
import type { LookupFunction } from 'node:net';

export type AddressCategory = 'unspecified' | 'loopback' | 'private' | 'link-local' | 'metadata' | 'multicast' | 'reserved';

/** Keywords accepted in `allowAddresses` besides CIDRs and single addresses. */
export const ADDRESS_KEYWORDS = ['loopback', 'private', 'link-local'] as const;
export type AddressKeyword = (typeof ADDRESS_KEYWORDS)[number];

type Subnet = readonly [address: string, prefix: number, family: 'ipv4' | 'ipv6'];

/** Cloud metadata endpoints (AWS/GCP/Azure/OpenStack, AWS IPv6, Alibaba). */
const METADATA: readonly Subnet[] = [
  ['169.254.169.254', 32, 'ipv4'], ['169.254.170.2', 32, 'ipv4'], ['fd00:ec2::254', 128, 'ipv6'], ['100.100.100.200', 32, 'ipv4'],
];

const CATEGORIES: ReadonlyArray<readonly [AddressCategory, readonly Subnet[]]> = [
  ['unspecified', [['0.0.0.0', 8, 'ipv4'], ['::', 128, 'ipv6']]],
  ['loopback', [['127.0.0.0', 8, 'ipv4'], ['::1', 128, 'ipv6']]],
  ['private', [['10.0.0.0', 8, 'ipv4'], ['172.16.0.0', 12, 'ipv4'], ['192.168.0.0', 16, 'ipv4'], ['100.64.0.0', 10, 'ipv4'], ['fc00::', 7, 'ipv6']]],
  ['link-local', [['169.254.0.0', 16, 'ipv4'], ['fe80::', 10, 'ipv6']]],
  ['multicast', [['224.0.0.0', 4, 'ipv4'], ['ff00::', 8, 'ipv6']]],
  ['reserved', [['192.0.0.0', 24, 'ipv4'], ['198.18.0.0', 15, 'ipv4'], ['240.0.0.0', 4, 'ipv4'], ['100::', 64, 'ipv6'], ['2001:db8::', 32, 'ipv6']]],
];

function blockListOf(subnets: readonly Subnet[]): net.BlockList {
  const list = new net.BlockList();
  for (const [address, prefix, family] of subnets) list.addSubnet(address, prefix, family);
  return list;
}

const metadataList = blockListOf(METADATA);
const categoryLists = CATEGORIES.map(([category, subnets]) => [category, blockListOf(subnets)] as const);

function familyOf(ip: string): 'ipv4' | 'ipv6' {
  return net.isIPv6(ip) ? 'ipv6' : 'ipv4';
}

/** The 16 bytes of an IPv6 address (the caller has checked it with `net.isIPv6`). */
function ipv6Bytes(ip: string): number[] {
  let text = ip.split('%')[0] ?? ip;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const groups = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const front = groups(head);
  const back = tail === undefined ? [] : groups(tail);
  const words = [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

/**
 * The IPv4 address an IPv6 address carries, for the forms a gateway turns back into IPv4: NAT64
 * (64:ff9b::/96, and 64:ff9b:1::/48 read as its /96 form), 6to4 (2002::/16), IPv4-compatible
 * (::/96) and IPv4-translated (::ffff:0:0:0/96). IPv4-mapped (::ffff:0:0/96) BlockList handles itself.
 */
export function embeddedIPv4(ip: string): string | undefined {
  if (!net.isIPv6(ip)) return undefined;
  const b = ipv6Bytes(ip);
  const zero = (from: number, to: number): boolean => b.slice(from, to).every((x) => x === 0);
  const v4 = (at: number): string => b.slice(at, at + 4).join('.');
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b) {
    if (zero(4, 12)) return v4(12);
    if (b[4] === 0x00 && b[5] === 0x01) return v4(12);
  }
  if (b[0] === 0x20 && b[1] === 0x02) return v4(2);
  if (zero(0, 12)) return v4(12);
  if (zero(0, 8) && b[8] === 0xff && b[9] === 0xff && zero(10, 12)) return v4(12);
  return undefined;
}

/** The non-public category of an IP address, or undefined for a public address. */
export function categoryOf(ip: string): AddressCategory | undefined {
  const family = familyOf(ip);
  // BlockList matches IPv4-mapped IPv6 (::ffff:a.b.c.d) against IPv4 subnets too.
  if (metadataList.check(ip, family)) return 'metadata';
  for (const [category, list] of categoryLists) if (list.check(ip, family)) return category;
  const inner = embeddedIPv4(ip);
  return inner === undefined ? undefined : categoryOf(inner);
}

/** Raised (as a connect error) when the policy refuses a destination. */
export class AddressRefusedError extends Error {
  readonly code = 'OZML_ADDRESS_REFUSED';
  constructor(readonly host: string, readonly address: string, readonly category: AddressCategory) {
    const kind = `${/^[aeiou]/.test(category) ? 'an' : 'a'} ${category} address`;
    super(host === address
      ? `${address} is ${kind}; add it to allowAddresses to allow it`
      : `${host} resolves to ${address}, ${kind}; add it to allowAddresses to allow it`);
    this.name = 'AddressRefusedError';
  }
}

/** Parses one `allowAddresses` entry: a keyword, a CIDR (`10.0.0.0/8`, `fd00::/8`) or one address. */
export function parseAllowEntry(entry: string): { keyword: AddressKeyword } | { subnet: Subnet } | { error: string } {
  const text = entry.trim();
  if ((ADDRESS_KEYWORDS as readonly string[]).includes(text)) return { keyword: text as AddressKeyword };
  const slash = text.indexOf('/');
  const address = slash >= 0 ? text.slice(0, slash) : text;
  const family = net.isIP(address);
  if (family === 0) return { error: `'${entry}' is not an IP address, a CIDR or one of ${ADDRESS_KEYWORDS.join(', ')}` };
  const max = family === 4 ? 32 : 128;
  const prefixText = slash >= 0 ? text.slice(slash + 1) : String(max);
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) {
    return { error: `'${entry}' has an invalid prefix length (0-${max})` };
  }
  return { subnet: [address, Number(prefixText), family === 4 ? 'ipv4' : 'ipv6'] };
}

export class AddressPolicy {
  private readonly keywords = new Set<AddressKeyword>();
  private readonly allowed = new net.BlockList();
  private readonly literalVerdicts = new Map<string, AddressCategory | 'name' | 'allowed'>();

  /** @throws Error on an invalid entry (the config validator reports these with their JSON path first). */
  constructor(allowAddresses: readonly string[] = []) {
    for (const entry of allowAddresses) {
      const parsed = parseAllowEntry(entry);
      if ('error' in parsed) throw new Error(parsed.error);
      if ('keyword' in parsed) this.keywords.add(parsed.keyword);
      else this.allowed.addSubnet(...parsed.subnet);
    }
  }

  /** Why `ip` is refused, or undefined when connecting to it is fine. */
  refusal(ip: string): AddressCategory | undefined {
    const category = categoryOf(ip);
    if (category === undefined) return undefined;
    if (this.allowed.check(ip, familyOf(ip))) return undefined;
    const inner = embeddedIPv4(ip);
    if (inner !== undefined && this.allowed.check(inner, 'ipv4')) return undefined;
    // Metadata endpoints are only reachable through an explicit CIDR, never through a keyword.
    if (category !== 'metadata' && (this.keywords as Set<string>).has(category)) return undefined;
    return category;
  }

  /** For an IP-literal host (URL hostname, brackets allowed): the refusal error, if any. */
  checkLiteralHost(hostname: string): AddressRefusedError | undefined {
    let verdict = this.literalVerdicts.get(hostname);
    if (verdict === undefined) {
      // BlockList.check builds a SocketAddress per call; every request checks its host, so the
      // verdict per host string is remembered (bounded: hosts come from untrusted documents).
      const host = unbracket(hostname);
      verdict = net.isIP(host) === 0 ? 'name' : this.refusal(host) ?? 'allowed';
      if (this.literalVerdicts.size >= 1024) this.literalVerdicts.clear();
      this.literalVerdicts.set(hostname, verdict);
    }
    if (verdict === 'name' || verdict === 'allowed') return undefined;
    const host = unbracket(hostname);
    return new AddressRefusedError(host, host, verdict);
  }

  /**
   * A `lookup` for `net.connect` that refuses a name when any address it resolves to is refused
   * (an attacker-controlled name could otherwise mix a public and a private address).
   */
  guardLookup(base: LookupFunction = dns.lookup as LookupFunction): LookupFunction {
    return (hostname, options, callback) => {
      base(hostname, { ...options, all: true }, (error, addresses) => {
        if (error) return callback(error, '', 0);
        const list = Array.isArray(addresses) ? addresses : [{ address: addresses, family: 4 }];
        for (const entry of list) {
          const category = this.refusal(entry.address);
          if (category !== undefined) return callback(new AddressRefusedError(hostname, entry.address, category), '', 0);
        }
        const first = list[0];
        if (!first) return callback(Object.assign(new Error(`${hostname} did not resolve`), { code: 'ENOTFOUND' }), '', 0);
        return options.all ? callback(null, list) : callback(null, first.address, first.family);
      });
    };
  }
}

export function unbracket(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}
