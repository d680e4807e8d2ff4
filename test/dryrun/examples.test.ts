/**
 * Every example under examples/ runs with its scenario and passes, and every event it produces is
 * one that schemas/events.schema.json documents. The Mermaid diagram of each is well formed.
 */
import { glob } from 'tinyglobby';
import { describe, expect, it } from 'vitest';
import { checkScenarioFile } from '../../src/dryrun/check.js';
import { formatMermaid } from '../../src/dryrun/format/mermaid.js';
import { eventSchemaErrors, ROOT } from './helpers.js';

const scenarios = (await glob('examples/**/*.scenario.{json,yaml,yml}', { cwd: ROOT })).sort();

describe('examples', () => {
  it('cover the flows of the dry-run guide', () => {
    expect(scenarios).toEqual([
      'examples/appointment-reminder/confirm.scenario.yaml',
      'examples/attended-transfer-by-id/by-id.scenario.yaml',
      'examples/attended-transfer/accepted.scenario.yaml',
      'examples/attended-transfer/declined.scenario.yaml',
      'examples/blind-transfer/answered.scenario.yaml',
      'examples/blind-transfer/busy.scenario.yaml',
      'examples/ivr-menu/billing.scenario.yaml',
      'examples/ivr-menu/ivr.scenario.yaml',
      'examples/pin-entry/pin.scenario.yaml',
      'examples/routing/routing.scenario.yaml',
      'examples/third-party/third-party.scenario.yaml',
      'examples/voicemail/recorder.scenario.yaml',
      'examples/voicemail/voicemail.scenario.yaml',
    ]);
  });

  it.each(scenarios)('%s passes, with documented events only', async (file) => {
    const report = await checkScenarioFile(`${ROOT}${file}`, { cwd: ROOT });
    const failed = report.results.filter((r) => !r.passed).map((r) => [r.description, ...r.explanation].join('\n'));
    expect(report.error).toBeUndefined();
    expect(failed).toEqual([]);
    expect(report.passed).toBe(true);
    const events = report.run!.events;
    expect(events.filter((e) => eventSchemaErrors(e) !== '').map((e) => `${JSON.stringify(e)}: ${eventSchemaErrors(e)}`)).toEqual([]);
    const diagram = formatMermaid(events).trimEnd().split('\n');
    expect(diagram[0]).toBe('sequenceDiagram');
    // Message text never holds a raw ";" (statement end) or "#" (entity start) — only entities like #35;.
    const text = '(?:[^;#\\n]|#\\d+;)*';
    const statement = new RegExp(`^ {4}(participant \\w+( as ${text})?|\\w+(->>|-->>)\\w+: ${text}|Note over \\w+(,\\w+)?: ${text})$`);
    for (const line of diagram.slice(1)) expect(line).toMatch(statement);
  });
});
