/**
 * Platform limits against call fan-out: a script whose every call places two `<Call Url="self">`
 * stops at the limits with `limit-exceeded`, a `call.refused` event per refusal and an Error
 * notification, instead of growing without bound.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { loadScenario } from '../../src/dryrun/index.js';
import type { DryRunEvent } from '../../src/dryrun/index.js';
import { runScenario } from '../../src/dryrun/runner.js';
import { DEFAULT_PLATFORM_LIMITS } from '../../src/platform/index.js';
import { tempDir } from '../dryrun/helpers.js';

let dir: { path: string; remove: () => void };
beforeEach(() => { dir = tempDir(); });
afterEach(() => dir.remove());

const FORK = '<Response><Call Url="https://app.invalid/fork.xml">+15550100900</Call><Call Url="https://app.invalid/fork.xml">+15550100900</Call><Delay Time="30"/></Response>';

async function fork(limits: Record<string, number> | undefined, maxSeconds = 120): Promise<DryRunEvent[]> {
  writeFileSync(join(dir.path, 'fork.xml'), FORK);
  const config = { apps: { main: { errorUrl: 'https://app.example/errors' } }, ...(limits ? { limits } : {}) };
  writeFileSync(join(dir.path, 'ozml.config.json'), JSON.stringify(config));
  writeFileSync(join(dir.path, 'fork.scenario.yaml'), [
    'script: fork.xml', 'config: ozml.config.json', 'call: { hangupAfterSeconds: 5 }',
    'parties:', '  "+15550100900": { ringSeconds: 1, hangupAfterSeconds: 5 }',
    'webhooks:', '  https://app.example/errors: ""', `clock: { maxSeconds: ${maxSeconds} }`, '',
  ].join('\n'));
  return (await runScenario(await loadScenario(join(dir.path, 'fork.scenario.yaml')))).events;
}

/** Outbound legs created per second of the run. */
function perSecond(events: readonly DryRunEvent[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const e of events) if (e.type === 'leg.created' && e.direction === 'outbound') counts.set(Math.floor(e.t), (counts.get(Math.floor(e.t)) ?? 0) + 1);
  return counts;
}

/** The most outbound legs alive at one time. */
function mostAtOnce(events: readonly DryRunEvent[]): number {
  let live = 0;
  let most = 0;
  for (const e of events) {
    if (e.type === 'leg.created' && e.direction === 'outbound') most = Math.max(most, ++live);
    if (e.type === 'leg.state' && e.state === 'Released' && e.callType === 'Outbound') live--;
  }
  return most;
}

const refusals = (events: readonly DryRunEvent[]) => events.flatMap((e) => (e.type === 'call.refused' ? [[e.t, e.sessionId, e.limit, e.detail]] : []));

describe('platform limits', () => {
  it('have documented defaults', () => {
    expect(DEFAULT_PLATFORM_LIMITS).toEqual({ outboundCallsPerSession: 10, concurrentCallsPerApp: 100, callsPerSecondPerApp: 10 });
  });

  it('refuse the calls of a fork bomb beyond calls per second, with an event, an error and an Error notification', async () => {
    const events = await fork({ callsPerSecondPerApp: 3 });
    // s1 places 2 at 0 s; at 1 s s2 places 2 and s3 one more, its second is refused; at 2 s …
    expect(refusals(events).slice(0, 4)).toEqual([
      [1, 's3', 'callsPerSecondPerApp', '3 calls placed in the last second (limit 3 per second)'],
      [2, 's5', 'callsPerSecondPerApp', '3 calls placed in the last second (limit 3 per second)'],
      [2, 's6', 'callsPerSecondPerApp', '3 calls placed in the last second (limit 3 per second)'],
      [2, 's6', 'callsPerSecondPerApp', '3 calls placed in the last second (limit 3 per second)'],
    ]);
    expect(events.find((e) => e.type === 'error' && e.message.includes('limit-exceeded'))).toMatchObject({
      t: 1, sessionId: 's3', code: 'call-failed', message: 'Call to +15550100900: limit-exceeded', verb: 'Call',
    });
    expect(events.find((e) => e.type === 'notification.requested' && e.name === 'Error')).toMatchObject({
      t: 1, sessionId: 's3', url: 'https://app.example/errors', params: { ErrorCode: 'call-failed', Detail: '+15550100900: limit-exceeded' },
    });
    // Never more than three new calls in any second of the two minutes the run lasts.
    expect(Math.max(...perSecond(events).values())).toBe(3);
    expect(events.filter((e) => e.type === 'session.started')).toHaveLength(1 + 3 * 119 + 2);
  });

  it('bound the calls up at once and the calls one session places', async () => {
    const concurrent = await fork({ concurrentCallsPerApp: 4, callsPerSecondPerApp: 1000 });
    expect(refusals(concurrent).slice(0, 2)).toEqual([
      [1, 's3', 'concurrentCallsPerApp', '4 calls of the app are up (limit 4 at once)'],
      [1, 's3', 'concurrentCallsPerApp', '4 calls of the app are up (limit 4 at once)'],
    ]);
    expect(new Set(refusals(concurrent).map((r) => r[2]))).toEqual(new Set(['concurrentCallsPerApp']));
    expect(mostAtOnce(concurrent)).toBe(4);

    writeFileSync(join(dir.path, 'many.xml'), `<Response>${'<Call Url="">+15550100900</Call>'.repeat(4)}</Response>`);
    writeFileSync(join(dir.path, 'many.scenario.yaml'), 'script: many.xml\nconfig: ozml.config.json\nparties:\n  "+15550100900": { response: no-answer }\n');
    writeFileSync(join(dir.path, 'ozml.config.json'), JSON.stringify({ limits: { outboundCallsPerSession: 2 } }));
    const many = (await runScenario(await loadScenario(join(dir.path, 'many.scenario.yaml')))).events;
    expect(refusals(many)).toEqual([
      [0, 's1', 'outboundCallsPerSession', 'session s1 already placed 2 calls (limit 2 per session)'],
      [0, 's1', 'outboundCallsPerSession', 'session s1 already placed 2 calls (limit 2 per session)'],
    ]);
  });

  it('by default hold a fork bomb to ten new calls a second, with no MaxListenersExceededWarning at 50 calls up', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => { warnings.push(warning.name); };
    process.on('warning', onWarning);
    let events: DryRunEvent[];
    try {
      events = await fork(undefined, 15);
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(Math.max(...perSecond(events).values())).toBe(10);
    expect(mostAtOnce(events)).toBeGreaterThan(50);
    expect(warnings).toEqual([]);
  });

  it('are validated in the config', () => {
    expect(() => parseConfig(JSON.stringify({ limits: { outboundCallsPerSession: -1, perMinute: 3 } }))).toThrow(/limits/);
  });
});
