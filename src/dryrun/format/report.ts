/**
 * Test results as text: a line per scenario, the failing expectations under it with what was
 * expected and the nearest actual events, and the summary line `N passed, N failed`.
 */
import pc from 'picocolors';
import type { ScenarioReport } from '../check.js';
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

/** One scenario: `✓ path (n expectations, 12.400s of call)` or `✗ path: …` with the reasons. */
export function formatReport(report: ScenarioReport, options: ReportOptions = {}): string {
  const c = pc.createColors(options.color === true);
  if (report.error) return `${c.red('✗')} ${report.file}: cannot run this scenario\n${report.error.map((l) => `    ${l}`).join('\n')}\n`;
  const expectations = report.results.filter((r) => r.group !== 'run');
  const failed = report.results.filter((r) => !r.passed);
  const seconds = report.run ? `, ${report.run.seconds.toFixed(3)}s of call` : '';
  const golden = report.golden?.status === 'updated' ? `, updated ${report.golden.file}` : report.golden ? ', golden events match' : '';
  if (report.passed) return `${c.green('✓')} ${report.file} (${plural(expectations.length, 'expectation')}${golden}${seconds})\n`;
  const failedExpectations = failed.filter((r) => r.group !== 'run').length;
  const reasons = [
    ...(failedExpectations > 0 ? [`${failedExpectations} of ${plural(expectations.length, 'expectation')} failed`] : []),
    ...(failed.some((r) => r.group === 'run') ? [failed.find((r) => r.group === 'run')!.description.replace(/^the call runs without/, 'the call ended with').replace(/^the script compiles$/, 'the script does not compile')] : []),
    ...(report.golden && (report.golden.status === 'mismatch' || report.golden.status === 'missing') ? [`golden events ${report.golden.status === 'missing' ? 'missing' : 'differ'}`] : []),
  ];
  return `${c.red('✗')} ${report.file}: ${reasons.join('; ')}\n${failures(report).join('\n')}\n`;
}

export function formatSummary(reports: readonly ScenarioReport[], options: ReportOptions = {}): string {
  const c = pc.createColors(options.color === true);
  const passed = reports.filter((r) => r.passed).length;
  const failed = reports.length - passed;
  const text = `${passed} passed, ${failed} failed`;
  return `${failed > 0 ? c.red(text) : c.green(text)}\n`;
}
