/**
 * Test results as text: a line per scenario, the failing expectations under it with what was
 * expected and the nearest actual events, and the summary line `N passed, N failed`.
 */
import pc from 'picocolors';
import type { ScenarioReport } from '../check.js';
import type { DryRunEvent } from '../events.js';
import { shorten } from './describe.js';
import { plural } from './text.js';

export interface ReportOptions {
  color?: boolean;
}

function failures(report: ScenarioReport): string[] {
  const out: string[] = [];
  for (const r of report.results) {
    if (r.passed) continue;
    out.push(`    ✗ ${r.description}`);
    for (const line of r.explanation) out.push(`      ${line}`);
  }
  if (report.golden && (report.golden.status === 'mismatch' || report.golden.status === 'missing')) {
    out.push(`    ✗ events match ${report.golden.file}`);
    for (const line of report.golden.explanation) out.push(`      ${line}`);
  }
  return out;
}

/**
 * Why a caller that gives up (`giveUp`, the default caller of a plain `ozml run`) hung up, when it
 * did: the call would not have ended otherwise, and the user should know it was not the script.
 */
export function giveUpNote(report: ScenarioReport): string | undefined {
  const giveUp = report.scenario?.call.behaviour.giveUp;
  const events = report.run?.events;
  if (!giveUp || !events) return undefined;
  const leg = events.find((e): e is Extract<DryRunEvent, { type: 'run.started' }> => e.type === 'run.started')?.leg;
  const end = events.findIndex((e) => e.type === 'leg.state' && e.legId === leg && e.state === 'Released' && e.cause === 'remote-hangup');
  if (leg === null || leg === undefined || end < 0) return undefined;
  const who = report.scenario?.path === undefined ? 'the default caller' : 'the caller';
  const after = events.slice(end).find((e) => e.type === 'recording.ended' && e.legId === leg && e.endedBy === 'hangup');
  if (after && giveUp.recordingSeconds !== undefined && !report.scenario?.call.behaviour.speaks) {
    return `${who} hung up after ${giveUp.recordingSeconds}s of silence in a recording that only a key could end (describe the caller in a scenario to change this)`;
  }
  for (let i = end; i >= 0; i--) {
    const e = events[i]!;
    if (e.type === 'media.started' && e.legId === leg && giveUp.promptRepeats !== undefined) {
      const times = giveUp.promptRepeats === 2 ? 'twice' : `${giveUp.promptRepeats} times`;
      return `${who} hung up after hearing ${e.media} "${shorten(e.source)}" ${times} (describe the caller in a scenario to change this)`;
    }
  }
  return undefined;
}

/** One scenario: `✓ path (n expectations, 12.400s of call)` or `✗ path: …` with the reasons. */
export function formatReport(report: ScenarioReport, options: ReportOptions = {}): string {
  const c = pc.createColors(options.color === true);
  if (report.error) return `${c.red('✗')} ${report.file}: cannot run this scenario\n${report.error.map((l) => `    ${l}`).join('\n')}\n`;
  const expectations = report.results.filter((r) => r.group !== 'run');
  const failed = report.results.filter((r) => !r.passed);
  const seconds = report.run ? `, ${report.run.seconds.toFixed(3)}s of call` : '';
  const golden = report.golden?.status === 'updated' ? `, updated ${report.golden.file}` : report.golden ? ', golden events match' : '';
  const note = giveUpNote(report);
  const noteLine = note === undefined ? '' : `    ${c.dim(note)}\n`;
  if (report.passed) return `${c.green('✓')} ${report.file} (${plural(expectations.length, 'expectation')}${golden}${seconds})\n${noteLine}`;
  const failedExpectations = failed.filter((r) => r.group !== 'run').length;
  const reasons = [
    ...(failedExpectations > 0 ? [`${failedExpectations} of ${plural(expectations.length, 'expectation')} failed`] : []),
    ...(failed.some((r) => r.group === 'run') ? [failed.find((r) => r.group === 'run')!.description.replace(/^the call runs without/, 'the call ended with').replace(/^the script compiles$/, 'the script does not compile')] : []),
    ...(report.golden && (report.golden.status === 'mismatch' || report.golden.status === 'missing') ? [`golden events ${report.golden.status === 'missing' ? 'missing' : 'differ'}`] : []),
  ];
  return `${c.red('✗')} ${report.file}: ${reasons.join('; ')}\n${noteLine}${failures(report).join('\n')}\n`;
}

export function formatSummary(reports: readonly ScenarioReport[], options: ReportOptions = {}): string {
  const c = pc.createColors(options.color === true);
  const passed = reports.filter((r) => r.passed).length;
  const failed = reports.length - passed;
  const text = `${passed} passed, ${failed} failed`;
  return `${failed > 0 ? c.red(text) : c.green(text)}\n`;
}
