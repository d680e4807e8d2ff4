import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultServeConfig, formatScryptHash, parseConfig } from '../../src/config/index.js';

function problems(text: unknown, env: Record<string, string> = {}): readonly string[] {
  try {
    parseConfig(JSON.stringify(text), { env });
  } catch (error) {
    if (error instanceof ConfigError) return error.messages;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const salt = Buffer.alloc(16, 7).toString('base64');
const key = scryptSync('s3cret', Buffer.from(salt, 'base64'), 32, { N: 1024, r: 8, p: 1 }).toString('base64');
const HASH = formatScryptHash({ cost: 1024, blockSize: 8, parallelization: 1, salt, key });

describe('the serve section of ozml.config.json', () => {
  it('is absent without a serve section; the defaults are 127.0.0.1:7780, 1000 calls, 50 calls/s, 30 s drain', () => {
    expect(parseConfig('{}').serve).toBeUndefined();
    expect(defaultServeConfig()).toEqual({
      listen: { host: '127.0.0.1', port: 7780 }, users: {}, allow: [], deny: [],
      limits: { maxConcurrentCalls: 1000, callsPerSecondPerApp: 50 }, drainSeconds: 30, sim: { parties: {} },
    });
  });

  it('reads every setting, hashes parsed and environment passwords resolved', () => {
    const config = parseConfig(JSON.stringify({
      serve: {
        listen: '[::1]:8080',
        users: { admin: { password: HASH }, ops: { password: 'env:OPS_PASSWORD' } },
        allow: ['192.168.0.0/16', 'loopback'],
        deny: ['192.168.1.15'],
        limits: { maxConcurrentCalls: 5, callsPerSecondPerApp: 2.5 },
        drainSeconds: 4,
        sim: { parties: { '1001': { response: 'answer', ringSeconds: 1, digits: '12' }, '*': { response: 'busy' } } },
      },
    }), { env: { OPS_PASSWORD: 'hunter2' } });
    expect(config.serve).toEqual({
      listen: { host: '::1', port: 8080 },
      users: {
        admin: { password: { kind: 'scrypt', cost: 1024, blockSize: 8, parallelization: 1, salt, key } },
        ops: { password: { kind: 'env', variable: 'OPS_PASSWORD', value: 'hunter2' } },
      },
      allow: ['192.168.0.0/16', 'loopback'],
      deny: ['192.168.1.15'],
      limits: { maxConcurrentCalls: 5, callsPerSecondPerApp: 2.5 },
      drainSeconds: 4,
      sim: { parties: { '1001': { response: 'answer', ringSeconds: 1, digits: '12' }, '*': { response: 'busy' } } },
    });
  });

  it('checks the port range of listen', () => {
    expect(problems({ serve: { listen: '0.0.0.0:70000' } })).toEqual(['serve.listen: port 70000 is out of range (0-65535)']);
  });

  it('reports each problem at its path', () => {
    expect(problems({
      serve: {
        listen: 'localhost',
        users: { admin: { password: 'plain' }, ops: { password: 'env:MISSING' }, weak: { password: 'scrypt:16:8:1:abc:def' } },
        allow: ['10.0.0.0/33', 'nonsense'],
        limits: { maxConcurrentCalls: 0 },
        drainSeconds: -1,
        sim: { parties: { '1001': { response: 'maybe', ringSeconds: 1 }, '1002': { colour: 'red' } } },
        extra: true,
      },
    })).toEqual([
      'serve.extra: unknown property',
      'serve.listen: must be HOST:PORT (use [ADDRESS]:PORT for IPv6)',
      'serve.users.admin.password: must be an scrypt hash (`ozml serve --hash-password`) or env:NAME, never the password itself',
      'serve.limits.maxConcurrentCalls: must be >= 1',
      'serve.drainSeconds: must be >= 0',
      'serve.sim.parties.1001.response: must be one of "answer", "busy", "no-answer", "reject", "not-found"',
      'serve.sim.parties.1002: must NOT have unevaluated properties',
      'serve.users.ops.password: environment variable MISSING is not set',
      'serve.users.weak.password: scrypt cost N must be a power of two from 1024 to 1048576',
      'serve.allow[0]: "10.0.0.0/33" has an invalid prefix length (0-32)',
      'serve.allow[1]: "nonsense" is not an IP address, a CIDR or one of loopback, private, link-local',
    ]);
  });
});
