import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_DEFAULTS, ConfigError, loadConfig, parseConfig, validateConfig } from '../../src/config/index.js';
import type { OzmlConfig } from '../../src/config/index.js';
import { HttpScriptSource, WEBHOOK_DEFAULTS, appSettings } from '../../src/webhooks/index.js';
import { VARIABLE_NAME } from '../../src/language/index.js';
import { CONFIG_SCHEMA_PATH } from '../../src/config/index.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ozml-config-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, value: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return file;
}

/** The messages of the ConfigError `fn` throws. */
function problems(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.messages;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const FULL = {
  $schema: './node_modules/ozml/schemas/ozml.config.schema.json',
  apps: {
    main: {
      incomingCallUrl: 'https://ivr.example.com/ozml/incoming#ct=2000',
      errorUrl: '/ozml/errors',
      fallbackUrl: 'https://backup.example.com/ozml/fallback',
      secret: 'whsec_0123456789abcdef',
      keyId: 'k2026',
      bodyFormat: 'json',
      timeouts: { connectMs: 2000, readMs: 4000, totalMs: 8000 },
      retries: 2,
      retryBackoffMs: 100,
      maxBodyBytes: 32768,
      allowAddresses: ['10.20.0.0/16', 'loopback'],
      publicBaseUrl: 'https://ivr.example.com',
    },
    minimal: { incomingCallUrl: 'http://127.0.0.1:8080/ivr' },
  },
  ownedNumbers: ['+15551230000', '2000'],
  services: { support: 'services/support.xml', sales: 'https://sales.example.com/ozml' },
  tones: { 'ringback-de': { frequencies: [425], cadenceMs: [1000, 4000] }, jingle: 'audio/jingle.wav' },
  storageRoot: 'var/storage',
  lint: {
    rules: { 'name-case': 'warn', 'empty-response': 'off', 'undefined-variable': 'error' },
    contexts: [{ files: 'flows/3pcc/**/*.xml', context: 'third-party' }, { files: 'routing/*.xml', context: 'routing' }],
  },
};

describe('loadConfig', () => {
  it('loads a complete file: defaults applied, paths and relative URLs resolved', async () => {
    const file = write('ozml.config.json', FULL);
    const config = await loadConfig(file);
    expect(config).toEqual<OzmlConfig>({
      path: file,
      baseDir: dir,
      apps: {
        main: {
          incomingCallUrl: 'https://ivr.example.com/ozml/incoming#ct=2000',
          errorUrl: 'https://ivr.example.com/ozml/errors',
          fallbackUrl: 'https://backup.example.com/ozml/fallback',
          secret: 'whsec_0123456789abcdef',
          keyId: 'k2026',
          bodyFormat: 'json',
          timeouts: { connectMs: 2000, readMs: 4000, totalMs: 8000 },
          retries: 2,
          retryBackoffMs: 100,
          maxBodyBytes: 32768,
          allowAddresses: ['10.20.0.0/16', 'loopback'],
          publicBaseUrl: 'https://ivr.example.com/',
        },
        minimal: {
          incomingCallUrl: 'http://127.0.0.1:8080/ivr',
          bodyFormat: 'form',
          timeouts: { connectMs: 5000, readMs: 15000, totalMs: 15000 },
          retries: 1,
          retryBackoffMs: 250,
          maxBodyBytes: 65536,
          allowAddresses: [],
        },
      },
      ownedNumbers: ['+15551230000', '2000'],
      services: { support: path.join(dir, 'services/support.xml'), sales: 'https://sales.example.com/ozml' },
      tones: { 'ringback-de': { frequencies: [425], cadenceMs: [1000, 4000] }, jingle: 'audio/jingle.wav' },
      extensions: {},
      limits: {},
      storageRoot: path.join(dir, 'var/storage'),
      lint: {
        rules: { 'name-case': 'warning', 'empty-response': 'off', 'undefined-variable': 'error' },
        contexts: [{ files: 'flows/3pcc/**/*.xml', context: 'third-party' }, { files: 'routing/*.xml', context: 'routing' }],
      },
    });
  });

  it('skipSecrets leaves environment secrets unread (for commands that sign nothing)', () => {
    const text = JSON.stringify({ apps: { main: { secret: { env: 'OZML_TEST_SECRET_NOT_SET' } } } });
    expect(() => parseConfig(text, { env: {} })).toThrow('apps.main.secret: environment variable OZML_TEST_SECRET_NOT_SET is not set');
    const config = parseConfig(text, { env: {}, skipSecrets: true });
    expect(config.apps['main']!.secret).toBeUndefined();
  });

  it('an empty object is a valid config', () => {
    expect(parseConfig('{}', { baseDir: dir })).toEqual({ baseDir: dir, apps: {}, ownedNumbers: [], services: {}, tones: {}, extensions: {}, limits: {}, lint: { rules: {}, contexts: [] } });
  });

  it('reports every problem at once, each with its JSON path', () => {
    const bad = {
      apps: {
        main: {
          timeouts: { connectMs: 0, totalMs: 1000, readMs: 2000 },
          bodyFormat: 'xml',
          retries: 9,
          timeout: 5,
          allowAddresses: ['127.0.0.1', '10.0.0.0/40', 'localnet'],
          errorUrl: '/errors',
          fallbackUrl: 'ftp://example.com/x',
          secret: 'short',
          keyId: 'bad key',
        },
        'bad name!': {},
      },
      ownedNumbers: ['+15551230000', 'call-me', '+15551230000'],
      services: { support: 42 },
      tones: { busy: 'my-busy.wav', 'ringback-fr': { frequencies: [440], cadenceMs: [1500, 500, 200] }, 'tick': { frequencies: [] } },
      lint: {
        rules: { 'unknwn-verb': 'error', 'name-case': 'loud', 'xml-syntax': 'off' },
        contexts: [{ files: '*.xml', context: 'ivr' }, { context: 'routing' }],
      },
      storagRoot: 'x',
    };
    expect([...problems(() => validateConfig(bad, { baseDir: dir }))].sort()).toEqual([
      'apps.main.allowAddresses[1]: "10.0.0.0/40" has an invalid prefix length (0-32)',
      'apps.main.allowAddresses[2]: "localnet" is not an IP address, a CIDR or one of loopback, private, link-local',
      'apps.main.bodyFormat: must be one of "form", "json"',
      'apps.main.errorUrl: must be an absolute http(s) URL (or set publicBaseUrl to use relative URLs)',
      'apps.main.fallbackUrl: must be an http or https URL',
      'apps.main.keyId: must be 1-64 letters, digits, ".", "_" or "-"',
      'apps.main.retries: must be <= 5',
      'apps.main.secret: must NOT have fewer than 16 characters',
      'apps.main.timeout: unknown property (did you mean "timeouts"?)',
      'apps.main.timeouts.connectMs: must be >= 1',
      'apps.main.timeouts.readMs: must not exceed totalMs (1000)',
      'apps["bad name!"]: the name "bad name!" must be 1-64 letters, digits, "_", "." or "-", starting with a letter or digit',
      'lint.contexts[0].context: must be one of "api-extension", "third-party", "routing"',
      'lint.contexts[1].files: is required',
      'lint.rules.name-case: must be one of "off", "info", "warn", "error"',
      'lint.rules.unknwn-verb: unknown rule (did you mean "unknown-verb"?)',
      'lint.rules.xml-syntax: cannot be changed (a document failing "xml-syntax" cannot be read at all)',
      'ownedNumbers[1]: must be a phone number: 2-15 digits with an optional leading "+"',
      'ownedNumbers[2]: duplicates item 0',
      'services.support: must be string',
      'storagRoot: unknown property (did you mean "storageRoot"?)',
      'tones.busy: redefines the built-in tone "busy"; choose another name',
      'tones.ringback-fr.cadenceMs: must list on/off pairs (an even number of values)',
      'tones.tick.frequencies: must NOT have fewer than 1 items',
    ]);
  });

  it('the ConfigError message names the file and lists the problems', async () => {
    const file = write('bad.json', { apps: { main: { retries: -1 } } });
    await expect(loadConfig(file)).rejects.toThrow(`${file}: invalid configuration:\n  - apps.main.retries: must be >= 0`);
  });

  it('invalid JSON is reported with line and column when the parser knows them', async () => {
    const file = write('broken.json', '{\n  "apps": {\n    "main": { "retries": 1 }\n  }\n');
    await expect(loadConfig(file)).rejects.toMatchObject({
      name: 'ConfigError',
      messages: [expect.stringMatching(/^invalid JSON: .* at line 5, column 1$/)],
    });
    const other = write('broken2.json', '{ "apps": }');
    await expect(loadConfig(other)).rejects.toMatchObject({ messages: [expect.stringMatching(/^invalid JSON: Unexpected token/)] });
  });

  it('a missing file is a ConfigError too', async () => {
    const file = path.join(dir, 'nope.json');
    await expect(loadConfig(file)).rejects.toMatchObject({ name: 'ConfigError', path: file, messages: [expect.stringMatching(/^cannot read the file: ENOENT/)] });
  });

  it('reads secrets from the environment', () => {
    const config = { apps: { main: { secret: { env: 'OZML_MAIN_SECRET' }, keyId: 'k1' } } };
    expect(validateConfig(config, { env: { OZML_MAIN_SECRET: 'from-the-environment-123' } }).apps['main']?.secret).toBe('from-the-environment-123');
    expect(problems(() => validateConfig(config, { env: {} }))).toEqual(['apps.main.secret: environment variable OZML_MAIN_SECRET is not set']);
    expect(problems(() => validateConfig(config, { env: { OZML_MAIN_SECRET: 'short' } }))).toEqual([
      'apps.main.secret: environment variable OZML_MAIN_SECRET must hold at least 16 characters',
    ]);
    expect(problems(() => validateConfig({ apps: { main: { secret: { name: 'X' } } } }))).toEqual([
      'apps.main.secret.env: is required',
      'apps.main.secret.name: unknown property',
    ]);
  });

  it('keyId needs a secret; connectMs may not exceed totalMs', () => {
    expect(problems(() => validateConfig({ apps: { a: { keyId: 'k1', timeouts: { connectMs: 20000 } } } }))).toEqual([
      'apps.a.timeouts.connectMs: must not exceed totalMs (15000)',
      'apps.a.keyId: has no effect without a secret',
    ]);
  });
});

describe('config and webhook client agree', () => {
  it('the defaults are the same', () => {
    expect(APP_DEFAULTS).toEqual({
      bodyFormat: WEBHOOK_DEFAULTS.bodyFormat,
      connectMs: WEBHOOK_DEFAULTS.connectMs,
      totalMs: WEBHOOK_DEFAULTS.totalMs,
      retries: WEBHOOK_DEFAULTS.retries,
      retryBackoffMs: WEBHOOK_DEFAULTS.retryBackoffMs,
      maxBodyBytes: WEBHOOK_DEFAULTS.maxBodyBytes,
    });
    const fromConfig = appSettings(validateConfig({ apps: { a: {} } }).apps['a']);
    expect(fromConfig).toEqual(appSettings({}));
  });

  it('a loaded app drives the HTTP source as is: signing, JSON, allowed loopback', async () => {
    const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'application/xml' }).end('<Response><Hangup/></Response>');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const config = parseConfig(JSON.stringify({
      apps: { main: { publicBaseUrl: `http://127.0.0.1:${port}`, incomingCallUrl: '/ivr', secret: 'whsec_0123456789abcdef', keyId: 'k9', bodyFormat: 'json', allowAddresses: ['127.0.0.1'] } },
    }));
    const app = config.apps['main']!;
    const source = new HttpScriptSource({ app });
    try {
      const reply = await source.fetch({ name: 'IncomingCall', url: app.incomingCallUrl!, params: { CallId: 'c1' }, context: 'api-extension' });
      expect(reply).toMatchObject({ kind: 'document', url: `http://127.0.0.1:${port}/ivr` });
      expect(received).toHaveLength(1);
      expect(received[0]!.body).toBe('{"NotificationName":"IncomingCall","CallId":"c1"}');
      expect(received[0]!.headers['x-ozml-key-id']).toBe('k9');
      expect(received[0]!.headers['x-ozml-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    } finally {
      await source.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('lint.knownVariables and lint.knownArrays', () => {
  it('are read as lists of names; absent when not written', () => {
    const config = parseConfig(JSON.stringify({ lint: { knownVariables: ['AccountId', 'lang'], knownArrays: ['menus'] } }), { baseDir: dir });
    expect(config.lint).toEqual({ rules: {}, contexts: [], knownVariables: ['AccountId', 'lang'], knownArrays: ['menus'] });
    expect(parseConfig('{ "lint": {} }', { baseDir: dir }).lint).toEqual({ rules: {}, contexts: [] });
  });

  it('the schema checks names with the pattern --known-variable and --known-array use', () => {
    const schema = JSON.parse(readFileSync(CONFIG_SCHEMA_PATH, 'utf8')) as { $defs: { variableName: { pattern: string } } };
    expect(schema.$defs.variableName.pattern).toBe(VARIABLE_NAME.source);
  });
});
