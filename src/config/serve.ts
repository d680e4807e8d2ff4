/**
 * The `serve` section of ozml.config.json (docs/serve.md): shapes are checked by the JSON Schema,
 * this module checks what a schema cannot (listen address, password hashes, environment
 * passwords, CIDRs) and applies the defaults.
 */
import net from 'node:net';

/** A parsed `scrypt:N:r:p:salt:key` hash (salt and key in base64). */
export interface ScryptHash {
  kind: 'scrypt';
  cost: number;
  blockSize: number;
  parallelization: number;
  salt: string;
  key: string;
}

/** A password read from the environment at start-up (and again on reload). */
export interface EnvPassword {
  kind: 'env';
  variable: string;
  value: string;
}

export type ServePassword = ScryptHash | EnvPassword;

export interface ServeLimits {
  maxConcurrentCalls: number;
  callsPerSecondPerApp: number;
}

/**
 * A simulated party in the scenario file's party format (checked by the scenario schema's `party`
 * definition); the sim switch's `behaviourOf` turns it into a behaviour.
 */
export type SimPartyFile = Readonly<Record<string, unknown>>;

export interface ServeConfig {
  listen: { host: string; port: number };
  users: Record<string, { password: ServePassword }>;
  allow: string[];
  deny: string[];
  limits: ServeLimits;
  drainSeconds: number;
  sim: { parties: Record<string, SimPartyFile> };
}

export const SERVE_DEFAULTS = {
  host: '127.0.0.1',
  port: 7780,
  maxConcurrentCalls: 1000,
  callsPerSecondPerApp: 50,
  drainSeconds: 30,
} as const;

/** The settings of a config without a `serve` section. */
export function defaultServeConfig(): ServeConfig {
  return {
    listen: { host: SERVE_DEFAULTS.host, port: SERVE_DEFAULTS.port },
    users: {},
    allow: [],
    deny: [],
    limits: { maxConcurrentCalls: SERVE_DEFAULTS.maxConcurrentCalls, callsPerSecondPerApp: SERVE_DEFAULTS.callsPerSecondPerApp },
    drainSeconds: SERVE_DEFAULTS.drainSeconds,
    sim: { parties: {} },
  };
}

/** The schema's pattern for `listen`, with groups. */
const LISTEN_SHAPE = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):([0-9]{1,5})$/;

/** `HOST:PORT` or `[IPv6]:PORT`; a message when it is not one. */
export function parseListen(text: string): { host: string; port: number } | { error: string } {
  const match = LISTEN_SHAPE.exec(text);
  if (!match) return { error: `"${text}" is not HOST:PORT (use [ADDRESS]:PORT for IPv6)` };
  const host = match[1] ?? match[2]!;
  const port = Number(match[3]);
  if (port > 65535) return { error: `port ${port} is out of range (0-65535)` };
  if (match[1] !== undefined && net.isIPv6(host) === false) return { error: `"${host}" is not an IPv6 address` };
  return { host, port };
}

/** Minimum sizes of an acceptable hash: weaker parameters are refused, not silently used. */
const MIN_COST = 1024;
const MIN_SALT_BYTES = 16;
const MIN_KEY_BYTES = 32;

export function formatScryptHash(hash: Omit<ScryptHash, 'kind'>): string {
  return `scrypt:${hash.cost}:${hash.blockSize}:${hash.parallelization}:${hash.salt}:${hash.key}`;
}

/** Parses `scrypt:N:r:p:salt:key`; a message saying what is wrong otherwise. */
export function parseScryptHash(text: string): ScryptHash | { error: string } {
  const parts = text.split(':');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return { error: 'must be scrypt:N:r:p:SALT:KEY (make one with `ozml serve --hash-password`)' };
  const [cost, blockSize, parallelization] = parts.slice(1, 4).map((p) => (/^[0-9]{1,8}$/.test(p) ? Number(p) : NaN)) as [number, number, number];
  const base64 = /^[A-Za-z0-9+/]+={0,2}$/;
  const salt = parts[4]!;
  const key = parts[5]!;
  if (!(cost >= MIN_COST && cost <= 2 ** 20 && (cost & (cost - 1)) === 0)) return { error: `scrypt cost N must be a power of two from ${MIN_COST} to 1048576` };
  if (!(blockSize >= 1 && blockSize <= 32)) return { error: 'scrypt block size r must be 1-32' };
  if (!(parallelization >= 1 && parallelization <= 16)) return { error: 'scrypt parallelization p must be 1-16' };
  if (!base64.test(salt) || Buffer.from(salt, 'base64').length < MIN_SALT_BYTES) return { error: `the salt must be base64 of at least ${MIN_SALT_BYTES} bytes` };
  if (!base64.test(key) || Buffer.from(key, 'base64').length < MIN_KEY_BYTES) return { error: `the key must be base64 of at least ${MIN_KEY_BYTES} bytes` };
  return { kind: 'scrypt', cost, blockSize, parallelization, salt, key };
}

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Normalises the section at `at` (already schema-checked; every check guards its own types).
 * `env` undefined: environment passwords are not read (commands that never serve).
 */
export function normaliseServe(
  section: Obj,
  at: string,
  env: Readonly<Record<string, string | undefined>> | undefined,
  addressProblem: (entry: string) => string | undefined,
  messages: string[],
): ServeConfig {
  const out = defaultServeConfig();
  if (typeof section['listen'] === 'string') {
    const listen = parseListen(section['listen']);
    // A wrong shape is the schema's message; this adds the port range and the IPv6 check.
    if ('error' in listen) {
      if (LISTEN_SHAPE.test(section['listen'])) messages.push(`${at}.listen: ${listen.error}`);
    }
    else out.listen = listen;
  }
  if (isObject(section['users'])) {
    for (const [name, user] of Object.entries(section['users'])) {
      const password = isObject(user) ? user['password'] : undefined;
      if (typeof password !== 'string') continue;
      const where = `${at}.users${/^[A-Za-z0-9_$-]+$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`}.password`;
      if (password.startsWith('env:')) {
        const variable = password.slice(4);
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) messages.push(`${where}: "${variable}" is not an environment variable name`);
        else if (env) {
          const value = env[variable];
          if (value === undefined || value === '') messages.push(`${where}: environment variable ${variable} is not set`);
          else out.users[name] = { password: { kind: 'env', variable, value } };
        }
      } else if (password.startsWith('scrypt:')) {
        const hash = parseScryptHash(password);
        if ('error' in hash) messages.push(`${where}: ${hash.error}`);
        else out.users[name] = { password: hash };
      }
    }
  }
  for (const key of ['allow', 'deny'] as const) {
    const list = section[key];
    if (!Array.isArray(list)) continue;
    list.forEach((entry, i) => {
      if (typeof entry !== 'string') return;
      const problem = addressProblem(entry);
      if (problem) messages.push(`${at}.${key}[${i}]: ${problem}`);
      else out[key].push(entry);
    });
  }
  const limits = section['limits'];
  if (isObject(limits)) {
    if (typeof limits['maxConcurrentCalls'] === 'number') out.limits.maxConcurrentCalls = limits['maxConcurrentCalls'];
    if (typeof limits['callsPerSecondPerApp'] === 'number') out.limits.callsPerSecondPerApp = limits['callsPerSecondPerApp'];
  }
  if (typeof section['drainSeconds'] === 'number') out.drainSeconds = section['drainSeconds'];
  const sim = section['sim'];
  if (isObject(sim) && isObject(sim['parties'])) {
    for (const [number, party] of Object.entries(sim['parties'])) if (isObject(party)) out.sim.parties[number] = party;
  }
  return out;
}
