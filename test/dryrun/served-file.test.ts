/** Scripts next to the scenario: relative URLs are files of the script's folder, and nothing outside it. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../src/dryrun/runner.js';
import { parseScenario } from '../../src/dryrun/scenario/load.js';
import { tempDir } from './helpers.js';

let dir: { path: string; remove: () => void };
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => dir.remove());

async function verbsAfterGoTo(target: string): Promise<string[]> {
  writeFileSync(join(dir.path, 'main.xml'), `<Response><GoTo>${target}</GoTo></Response>`);
  const result = await runScenario(parseScenario('script: main.xml\n', { baseDir: dir.path }));
  return result.events.flatMap((e) => (e.type === 'verb.started' ? [e.verb] : e.type === 'webhook.failure' ? [`failure ${e.code}: ${e.detail}`] : []));
}

describe('files served from the script folder', () => {
  it('serves a file whose name starts with two dots (it is inside the folder)', async () => {
    writeFileSync(join(dir.path, '..next.xml'), '<Response><Beep/><Hangup/></Response>');
    expect(await verbsAfterGoTo('..next.xml')).toEqual(['GoTo', 'Beep', 'Hangup']);
  });

  it('refuses a path that climbs out of the folder', async () => {
    expect(await verbsAfterGoTo('%2E%2E%2Foutside.xml')).toEqual([
      'GoTo', "failure 11200: HTTP 404: https://app.invalid/%2E%2E%2Foutside.xml is outside the script's folder",
    ]);
  });
});
