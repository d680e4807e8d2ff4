import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AddressPolicy, AddressRefusedError, HttpScriptSource, categoryOf, parseAllowEntry } from '../../src/webhooks/index.js';
import { unbracket } from '../../src/webhooks/address-policy.js';
import { notification } from './helpers/notifications.js';
import { countClientSockets } from './helpers/server.js';
import type { SocketCounter } from './helpers/server.js';

describe('address categories', () => {
  it.each([
    ['127.0.0.1', 'loopback'], ['127.255.0.9', 'loopback'], ['::1', 'loopback'], ['::ffff:127.0.0.1', 'loopback'], ['::ffff:7f00:1', 'loopback'],
    ['10.0.0.1', 'private'], ['172.16.5.4', 'private'], ['172.31.255.255', 'private'], ['192.168.1.1', 'private'], ['100.64.0.1', 'private'],
    ['fd12:3456::1', 'private'], ['fc00::1', 'private'],
    ['169.254.169.254', 'metadata'], ['169.254.170.2', 'metadata'], ['fd00:ec2::254', 'metadata'], ['100.100.100.200', 'metadata'],
    ['169.254.1.1', 'link-local'], ['fe80::1', 'link-local'],
    ['0.0.0.0', 'unspecified'], ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'], ['ff02::1', 'multicast'],
    ['240.0.0.1', 'reserved'], ['198.18.0.1', 'reserved'], ['2001:db8::1', 'reserved'],
  ])('%s is %s', (ip, category) => {
    expect(categoryOf(ip)).toBe(category);
  });

  it.each(['8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '192.0.2.1'])('%s is public', (ip) => {
    expect(categoryOf(ip)).toBeUndefined();
  });
});

describe('AddressPolicy', () => {
  it('refuses every non-public address by default', () => {
    const policy = new AddressPolicy();
    expect(policy.refusal('127.0.0.1')).toBe('loopback');
    expect(policy.refusal('8.8.8.8')).toBeUndefined();
  });

  it('allows keywords, CIDRs and single addresses', () => {
    const policy = new AddressPolicy(['loopback', '10.1.0.0/16', 'fd00::5']);
    expect(policy.refusal('127.0.0.7')).toBeUndefined();
    expect(policy.refusal('::1')).toBeUndefined();
    expect(policy.refusal('10.1.200.3')).toBeUndefined();
    expect(policy.refusal('10.2.0.1')).toBe('private');
    expect(policy.refusal('fd00::5')).toBeUndefined();
    expect(policy.refusal('fd00::6')).toBe('private');
  });

  it('keeps metadata endpoints refused under the link-local keyword; only an explicit CIDR opens them', () => {
    expect(new AddressPolicy(['link-local']).refusal('169.254.169.254')).toBe('metadata');
    expect(new AddressPolicy(['link-local']).refusal('169.254.10.10')).toBeUndefined();
    expect(new AddressPolicy(['169.254.169.254/32']).refusal('169.254.169.254')).toBeUndefined();
  });

  it('an allowed IPv4 range also covers its IPv4-mapped IPv6 form', () => {
    expect(new AddressPolicy(['127.0.0.1/32']).refusal('::ffff:127.0.0.1')).toBeUndefined();
  });

  it.each([
    ['local', "'local' is not an IP address, a CIDR or one of loopback, private, link-local"],
    ['10.0.0.0/33', "'10.0.0.0/33' has an invalid prefix length (0-32)"],
    ['fd00::/129', "'fd00::/129' has an invalid prefix length (0-128)"],
    ['10.0.0/8', "'10.0.0/8' is not an IP address, a CIDR or one of loopback, private, link-local"],
  ])('rejects the allow entry %s', (entry, message) => {
    expect(parseAllowEntry(entry)).toEqual({ error: message });
    expect(() => new AddressPolicy([entry])).toThrow(message);
  });
});

describe('refusal happens before any socket exists', () => {
  const ADD = '; add it to allowAddresses to allow it';
  let sockets: SocketCounter;
  beforeEach(() => {
    sockets = countClientSockets();
  });
  afterEach(() => sockets.stop());

  it.each([
    ['http://127.0.0.1:9/', `127.0.0.1 is a loopback address${ADD}`],
    ['http://2130706433:9/', `127.0.0.1 is a loopback address${ADD}`],
    ['http://0x7f.1:9/', `127.0.0.1 is a loopback address${ADD}`],
    ['http://[::1]:9/', `::1 is a loopback address${ADD}`],
    ['http://[::ffff:127.0.0.1]:9/', `::ffff:7f00:1 is a loopback address${ADD}`],
    ['http://169.254.169.254/latest/meta-data/', `169.254.169.254 is a metadata address${ADD}`],
    ['http://[fe80::1]/', `fe80::1 is a link-local address${ADD}`],
    ['http://0.0.0.0:9/', `0.0.0.0 is an unspecified address${ADD}`],
    // localhost may resolve to either loopback address first.
    ['http://localhost:9/', expect.stringMatching(/^localhost resolves to (127\.0\.0\.1|::1), a loopback address; add it to allowAddresses to allow it$/)],
  ])('%s', async (url, detail) => {
    const source = new HttpScriptSource({});
    try {
      const reply = await source.fetch(notification('GoTo', url));
      expect(reply).toMatchObject({ kind: 'failed', code: 11225, detail });
      expect(sockets.opened).toBe(0);
    } finally {
      await source.close();
    }
  });
});

describe('IPv6 addresses that embed IPv4 are classified by the IPv4 address', () => {
  it.each([
    ['64:ff9b::a00:1', 'private'], ['64:ff9b::7f00:1', 'loopback'], ['64:ff9b::169.254.169.254', 'metadata'],
    ['64:ff9b:1::a00:1', 'private'], ['2002:a00:1::', 'private'], ['2002:7f00:1:1::5', 'loopback'],
    ['::a00:1', 'private'], ['::ffff:0:a00:1', 'private'], ['::ffff:0:7f00:1', 'loopback'],
  ])('%s is %s', (ip, category) => {
    expect(categoryOf(ip)).toBe(category);
  });

  it.each(['64:ff9b::808:808', '2002:808:808::', '::ffff:0:808:808', '2606:4700::1111'])('%s is public', (ip) => {
    expect(categoryOf(ip)).toBeUndefined();
  });

  it('an allowed IPv4 range covers its embedded forms', () => {
    expect(new AddressPolicy(['10.0.0.0/8']).refusal('64:ff9b::a00:1')).toBeUndefined();
    expect(new AddressPolicy(['10.1.0.0/16']).refusal('64:ff9b::a00:1')).toBe('private');
  });

  it('a name whose AAAA record embeds a private IPv4 address is refused', () => {
    const policy = new AddressPolicy();
    const lookup = policy.guardLookup(((_h: string, _o: unknown, cb: (e: null, a: { address: string; family: number }[]) => void) =>
      cb(null, [{ address: '64:ff9b::a00:1', family: 6 }])) as unknown as import('node:net').LookupFunction);
    let error: unknown;
    lookup('evil.example', { all: true }, (e) => { error = e; });
    expect(String(error)).toBe('AddressRefusedError: evil.example resolves to 64:ff9b::a00:1, a private address; add it to allowAddresses to allow it');
  });

  it('a lookup mixing a public and a private address is refused; a public one passes', () => {
    const policy = new AddressPolicy();
    const fake = (addresses: string[]) => policy.guardLookup(((_h: string, _o: unknown, cb: (e: null, a: { address: string; family: number }[]) => void) =>
      cb(null, addresses.map((address) => ({ address, family: 4 })))) as unknown as import('node:net').LookupFunction);
    let error: unknown;
    fake(['1.2.3.4', '10.0.0.1'])('mixed.example', { all: true }, (e) => { error = e; });
    expect(String(error)).toBe('AddressRefusedError: mixed.example resolves to 10.0.0.1, a private address; add it to allowAddresses to allow it');
    let result: unknown;
    fake(['1.2.3.4'])('ok.example', { all: true }, (e, a) => { result = e ?? a; });
    expect(result).toEqual([{ address: '1.2.3.4', family: 4 }]);
    fake([])('none.example', { all: true }, (e) => { result = e; });
    expect(result).toMatchObject({ code: 'ENOTFOUND', message: 'none.example did not resolve' });
  });

  it.each(['10.0.0.0/-1', '10.0.0.0/8a', '10.0.0.0/8.5'])('rejects the allow entry %s with a clear message', (entry) => {
    expect(parseAllowEntry(entry)).toEqual({ error: `'${entry}' has an invalid prefix length (0-32)` });
  });
});

describe('address policy details', () => {
  it.each([
    ['64:ff9b::10.0.0.1', 'private'], ['64:ff9b:1::10.0.0.1', 'private'], ['64:ff9b:1:0:0:0:a00:1', 'private'],
    ['::10.0.0.1', 'private'], ['::ffff:0:10.0.0.1', 'private'], ['2002:0a00:0001::1', 'private'], ['fe80::1%eth0', 'link-local'],
    ['::127.0.0.1', 'loopback'], ['2002:a9fe:a9fe::', 'metadata'], ['64:ff9b::e000:1', 'multicast'],
  ])('%s is %s', (ip, category) => {
    expect(categoryOf(ip)).toBe(category);
  });

  it.each([
    // Only the forms listed in docs/webhooks.md §4 are decoded; nearby prefixes are plain IPv6.
    '64:ff9b:2::a00:1', '64:ff9a::a00:1', '2003:a00:1::', '1::a00:1', '::1:0:0:a00:1', '::fffe:0:a00:1', '::ffff:1:a00:1',
    '64:ff9b:0:0:1:0:a00:1', '2002:808:808::', '8.8.8.8',
  ])('%s is public', (ip) => {
    expect(categoryOf(ip)).toBeUndefined();
  });

  it('names the category with the right article', () => {
    expect(new AddressRefusedError('h.test', '10.0.0.1', 'private').message).toBe('h.test resolves to 10.0.0.1, a private address; add it to allowAddresses to allow it');
    expect(new AddressRefusedError('0.0.0.0', '0.0.0.0', 'unspecified').message).toBe('0.0.0.0 is an unspecified address; add it to allowAddresses to allow it');
    expect(new AddressRefusedError('224.0.0.1', '224.0.0.1', 'multicast')).toMatchObject({ name: 'AddressRefusedError', code: 'OZML_ADDRESS_REFUSED', host: '224.0.0.1', category: 'multicast' });
  });

  it.each<[string, unknown]>([
    ['loopback', { keyword: 'loopback' }],
    [' private ', { keyword: 'private' }],
    ['link-local', { keyword: 'link-local' }],
    ['10.0.0.1', { subnet: ['10.0.0.1', 32, 'ipv4'] }],
    ['fd00::5', { subnet: ['fd00::5', 128, 'ipv6'] }],
    ['10.0.0.0/0', { subnet: ['10.0.0.0', 0, 'ipv4'] }],
    ['fd00::/128', { subnet: ['fd00::', 128, 'ipv6'] }],
    ['10.0.0.0/', { error: "'10.0.0.0/' has an invalid prefix length (0-32)" }],
    ['10.0.0.0/1000', { error: "'10.0.0.0/1000' has an invalid prefix length (0-32)" }],
    ['Loopback', { error: "'Loopback' is not an IP address, a CIDR or one of loopback, private, link-local" }],
    ['metadata', { error: "'metadata' is not an IP address, a CIDR or one of loopback, private, link-local" }],
  ])('parseAllowEntry(%j)', (entry, parsed) => {
    expect(parseAllowEntry(entry)).toEqual(parsed);
  });

  it('the constructor refuses an invalid entry with the same message', () => {
    expect(() => new AddressPolicy(['10.0.0.0/8a'])).toThrow("'10.0.0.0/8a' has an invalid prefix length (0-32)");
  });

  it('an allowed IPv6 range allows only itself; keywords allow their category only', () => {
    const policy = new AddressPolicy(['private']);
    expect(policy.refusal('10.1.2.3')).toBeUndefined();
    expect(policy.refusal('fd00::1')).toBeUndefined();
    expect(policy.refusal('127.0.0.1')).toBe('loopback');
    expect(policy.refusal('169.254.1.1')).toBe('link-local');
    expect(policy.refusal('64:ff9b::a00:1')).toBeUndefined();
    expect(new AddressPolicy(['loopback']).refusal('64:ff9b::a00:1')).toBe('private');
  });

  it('checkLiteralHost: names pass, literals are judged (bracketed or not), over many distinct hosts', () => {
    const policy = new AddressPolicy(['10.0.0.0/8']);
    expect(policy.checkLiteralHost('hooks.example.com')).toBeUndefined();
    expect(policy.checkLiteralHost('10.9.9.9')).toBeUndefined();
    expect(policy.checkLiteralHost('[::1]')).toMatchObject({ host: '::1', address: '::1', category: 'loopback', message: '::1 is a loopback address; add it to allowAddresses to allow it' });
    // More distinct hosts than the verdicts remembered: answers stay right.
    for (let i = 0; i < 1100; i++) {
      expect(policy.checkLiteralHost(`192.168.${i >> 8}.${i & 255}`)?.category).toBe('private');
      expect(policy.checkLiteralHost(`h${i}.example`)).toBeUndefined();
    }
    expect(policy.checkLiteralHost('[::1]')?.category).toBe('loopback');
    expect(policy.checkLiteralHost('10.9.9.9')).toBeUndefined();
  });
});

describe('embedded IPv4: one byte off a decoded prefix is plain IPv6', () => {
  it.each([
    '164:ff9b::a00:1', '65:ff9b::a00:1', '64:fe9b::a00:1', '165:fe9b::a00:1', '165:ff9b::a00:1', '64:ff9b:101::a00:1',
    '2102:a00:1::', '::feff:0:a00:1', '1::ffff:0:a00:1',
  ])('%s is public', (ip) => {
    expect(categoryOf(ip)).toBeUndefined();
  });
});

describe('unbracket', () => {
  it.each([['[::1]', '::1'], ['::1', '::1'], ['[::1', '[::1'], ['::1]', '::1]'], ['10.0.0.1', '10.0.0.1']])('%s → %s', (host, out) => {
    expect(unbracket(host)).toBe(out);
  });
});

describe('guardLookup asks for every address and answers errors in the callback shape', () => {
  it('passes all: true to the resolver whatever the caller asked', () => {
    const asked: unknown[] = [];
    const base = ((_h: string, options: unknown, cb: (e: null, a: { address: string; family: number }[]) => void) => {
      asked.push(options);
      cb(null, [{ address: '8.8.8.8', family: 4 }]);
    }) as unknown as import('node:net').LookupFunction;
    new AddressPolicy().guardLookup(base)('x.test', { family: 4 }, () => {});
    expect(asked).toEqual([{ family: 4, all: true }]);
  });

  it.each<[string, unknown]>([
    ['a resolver error', Object.assign(new Error('boom'), { code: 'EAI_AGAIN' })],
    ['a refused address', 'refused'],
    ['an empty answer', 'empty'],
  ])('%s: (error, "", 0)', (_label, kind) => {
    const base = ((_h: string, _o: unknown, cb: (e: unknown, a: { address: string; family: number }[]) => void) =>
      kind instanceof Error ? cb(kind, []) : cb(null, kind === 'refused' ? [{ address: '10.0.0.1', family: 4 }] : [])) as unknown as import('node:net').LookupFunction;
    const calls: unknown[][] = [];
    new AddressPolicy().guardLookup(base)('x.test', {}, (...args: unknown[]) => calls.push(args));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.slice(1)).toEqual(['', 0]);
    expect(calls[0]![0]).toBeInstanceOf(Error);
  });
});
