/** Colours (NO_COLOR, FORCE_COLOR) and code frames on a terminal, on the spawned process. */
import { describe, expect, it } from 'vitest';
import { hasScript, onTerminal, ozml } from './helpers.js';

const ESC = '\u001b[';

describe('colours', () => {
  it('are off on a pipe by default', () => {
    expect(ozml(['lint', 'errors.xml']).stdout).not.toContain(ESC);
  });

  it('are on with FORCE_COLOR, even on a pipe', () => {
    const run = ozml(['lint', 'errors.xml'], { env: { FORCE_COLOR: '1' } });
    expect(run.stdout.split('\n')[0]).toBe(
      `errors.xml:2:3  ${ESC}31merror${ESC}39m  Unknown verb <Speek>; did you mean <Speak>?  ${ESC}2munknown-verb${ESC}22m`,
    );
    expect(run.stdout).toContain(`${ESC}33mwarning${ESC}39m`);
    expect(run.stdout).toContain(`${ESC}1m${ESC}31m✖ 3 problems (2 errors, 1 warning)${ESC}39m${ESC}22m`);
  });

  it('are off with NO_COLOR, which wins over FORCE_COLOR', () => {
    const run = ozml(['lint', 'errors.xml'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(run.stdout).not.toContain(ESC);
    expect(run.stdout.split('\n')[0]).toBe('errors.xml:2:3  error  Unknown verb <Speek>; did you mean <Speak>?  unknown-verb');
    expect(ozml(['lint', 'errors.xml'], { env: { FORCE_COLOR: '0' } }).stdout).not.toContain(ESC);
  });

  it('never reach the json output', () => {
    const run = ozml(['lint', '--format', 'json', 'errors.xml'], { env: { FORCE_COLOR: '1' } });
    expect(run.stdout).not.toContain(ESC);
  });
});

describe.skipIf(!hasScript)('code frames on a terminal', () => {
  it('show the source line and a caret underline (tabs kept, CRLF and non-ASCII before the finding)', () => {
    expect(onTerminal(['lint', 'escapes.xml', 'errors.xml'])).toBe([
      "escapes.xml:3:10  error  <Hangup> does not take text content; found '50% off,\\n  now: call'.  unexpected-text",
      '  3 | \t<Hangup>50% off,',
      '    | \t        ^^^^^^^^',
      '',
      'errors.xml:2:3  error  Unknown verb <Speek>; did you mean <Speak>?  unknown-verb',
      '  2 |   <Speek>Hello</Speek>',
      '    |   ^^^^^^^',
      '',
      "errors.xml:3:47  error  <Play> has no attribute 'Repat'; did you mean 'Repeat'?  unknown-attribute",
      '  3 |   <Play AudioFile="https://example.com/a.mp3" Repat="true"/>',
      '    |                                               ^^^^^',
      '',
      'errors.xml:5:3  warning  <Speak> can never run: it follows <Hangup> on line 4.  unreachable-verb',
      '  5 |   <Speak>Never heard</Speak>',
      '    |   ^^^^^^^',
      '',
      '✖ 4 problems (3 errors, 1 warning)',
      '',
    ].join('\n'));
  });

  it('are not printed on a pipe', () => {
    expect(ozml(['lint', 'errors.xml']).stdout).not.toContain(' | ');
  });
});
