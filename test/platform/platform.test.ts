/**
 * createPlatform: what a config names reaches the running call (tones, ErrorUrl), the same config
 * assembled twice behaves the same, the registry finds calls and their legs, ids come from the
 * injected source.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/calls/clock.js';
import { SimSwitch } from '../../src/calls/sim/sim-switch.js';
import { parseConfig } from '../../src/config/index.js';
import { loadScenario } from '../../src/dryrun/index.js';
import { runScenario } from '../../src/dryrun/runner.js';
import { createPlatform, InMemoryCallRegistry, sequentialIds, uniqueIds } from '../../src/platform/index.js';
import type { ActiveCall } from '../../src/platform/index.js';
import { LocalScriptSource } from '../../src/webhooks/local-source.js';
import { ozml, scratchDirectory } from '../dryrun/helpers.js';

const dir = scratchDirectory();
const write = dir.write;

/** A config tone used as RingbackTone: lint accepts it, and the run plays it (it failed before). */
function toneWorkspace(): void {
  write('ozml.config.json', JSON.stringify({ tones: { office: { frequencies: [425], cadenceMs: [1000, 4000] } } }));
  write('transfer.xml', '<Response><BlindTransfer RingbackTone="office">2000</BlindTransfer></Response>');
  write('transfer.scenario.yaml', [
    'script: transfer.xml', 'config: ozml.config.json', 'call: { hangupAfterSeconds: 30 }', 'parties:', '  "2000": { ringSeconds: 4 }',
    'expect:', '  ordered:',
    '    - event: { type: media.started, media: tone, source: office }',
    '    - transfer: blind', '      target: "2000"', '      cause: completed', '',
  ].join('\n'));
}

describe('a tone of the config', () => {
  it('plays as RingbackTone in ozml run (the run used to build the call layer without the config tones)', async () => {
    toneWorkspace();
    const lint = await ozml(['lint', '--config', 'ozml.config.json', 'transfer.xml'], { cwd: dir.path });
    expect(lint.code).toBe(0);
    const run = await ozml(['run', '--scenario', 'transfer.scenario.yaml', '--format', 'ndjson'], { cwd: dir.path });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const events = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.filter((e) => e['type'] === 'media.started' || e['type'] === 'media.ended').map((e) => [e['t'], e['type'], e['legId'], e['source'], e['endedBy'] ?? null]))
      .toEqual([[0, 'media.started', 'in-1', 'office', null], [4, 'media.ended', 'in-1', 'office', 'interrupted']]);
    expect(events.find((e) => e['type'] === 'transfer.ended')).toMatchObject({ t: 4, legId: 'in-1', kind: 'blind', target: '2000', cause: 'completed' });
  });
});

describe('createPlatform', () => {
  it('assembled twice from one config gives identical runs', async () => {
    toneWorkspace();
    const scenario = await loadScenario(join(dir.path, 'transfer.scenario.yaml'));
    const first = await runScenario(scenario);
    const second = await runScenario(scenario);
    expect(first.events.length).toBeGreaterThan(10);
    expect(JSON.stringify(second.events)).toBe(JSON.stringify(first.events));
    expect(second.cause).toBe(first.cause);
  });

  it('reports engine-raised errors to the app\'s ErrorUrl in a dry run (a Call never answered)', async () => {
    write('ozml.config.json', JSON.stringify({ apps: { main: { errorUrl: 'https://app.example/errors' } } }));
    write('call.xml', '<Response><Call Url="https://app.example/connected" RingTime="5">+15550100777</Call><Delay Time="10"/></Response>');
    write('call.scenario.yaml', [
      'script: call.xml', 'config: ozml.config.json', 'parties:', '  "+15550100777": { response: no-answer }',
      'webhooks:', '  https://app.example/errors: ""', '',
    ].join('\n'));
    const result = await runScenario(await loadScenario(join(dir.path, 'call.scenario.yaml')));
    const errors = result.events.filter((e) => e.type === 'notification.requested' && e.name === 'Error');
    expect(errors.map((e) => e.type === 'notification.requested' && [e.t, e.url, e.params['ErrorCode'], e.params['Detail']])).toEqual([
      [5, 'https://app.example/errors', 'call-failed', '+15550100777: no-answer'],
    ]);
  });
});

describe('the call registry', () => {
  it('finds a call and its legs by call id and lists active calls with ring and talk time', async () => {
    const clock = new VirtualClock({ startTime: Date.UTC(2026, 0, 1) });
    const sim = new SimSwitch({ clock, directory: { '2000': { ringSeconds: 3 } } });
    const registry = new InMemoryCallRegistry({ ids: sequentialIds() });
    const source = new LocalScriptSource({ routes: { 'https://app.example/in': { ozml: '<Response><Delay Time="2"/><BlindTransfer>2000</BlindTransfer></Response>' } }, sleep: (ms, signal) => clock.sleep(ms, signal) });
    const platform = createPlatform({ config: parseConfig('{}'), switch: sim, clock, registry, source: () => source, sourceUsesClock: true });
    const callId = platform.ids.next('call');
    const ticket = platform.assign(callId, { context: 'api-extension', url: 'https://app.example/in', notification: 'IncomingCall', params: {} });
    sim.placeInboundCall({ legId: callId, from: '+15550100001', to: '9000', behaviour: { hangupAfterSeconds: 20 } });
    expect(registry.find('in-1')).toMatchObject<Partial<ActiveCall>>({ callId: 'in-1', state: 'Ringing', ozekiState: 'Ringing', source: 'Inbound', caller: '+15550100001', destination: '9000', talkSeconds: 0 });
    const seen: ActiveCall[][] = [];
    clock.setTimer(3000, () => seen.push(registry.active()));
    await ticket.cause;
    const during = seen[0]!;
    expect(during).toHaveLength(1);
    expect(during[0]).toMatchObject({ callId: 'in-1', state: 'Established', ozekiState: 'InCall', ringSeconds: 0, talkSeconds: 3 });
    expect(during[0]!.legs.map((leg) => [leg.legId, leg.state, leg.to])).toEqual([['in-1', 'Established', '9000'], ['leg-1', 'Dialing', '2000']]);
    expect(registry.callOf('leg-1')).toBeUndefined(); // transferred: the call left the platform
    await platform.close();
    expect(registry.active()).toEqual([]);
  });
});

describe('id sources', () => {
  it('count per kind in the dry run', () => {
    const ids = sequentialIds();
    expect([ids.next('call'), ids.next('leg'), ids.next('session'), ids.next('call')]).toEqual(['in-1', 'leg-1', 's1', 'in-2']);
  });

  it('differ between two sources that servers create', () => {
    const a = uniqueIds();
    const b = uniqueIds();
    const first = a.next('call');
    expect(first).toMatch(/^[0-9a-z]+-in-1$/);
    expect(b.next('call')).not.toBe(first);
    expect(a.next('call')).toBe(`${first.slice(0, -1)}2`);
  });
});
