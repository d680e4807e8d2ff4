/**
 * JUnit XML for CI test reporters: one testsuite per scenario, one testcase per expectation (plus
 * the run's own check and the golden file). Failures carry what was expected and the nearest
 * actual events. `time` is the call time the scenario took on the virtual clock, so the report is
 * the same on every run.
 */
import type { ScenarioReport } from '../check.js';

function escapeXml(text: string): string {
  return text
    // Characters XML 1.0 cannot carry at all.
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

interface Case {
  name: string;
  failure?: { message: string; body: string[] };
  error?: { message: string; body: string[] };
}

function casesOf(report: ScenarioReport): Case[] {
  if (report.error) return [{ name: 'the scenario is valid', error: { message: report.error[0] ?? 'invalid scenario', body: report.error } }];
  const cases: Case[] = report.results.map((r) => (r.passed
    ? { name: r.description }
    : { name: r.description, failure: { message: r.explanation[0] ?? r.description, body: r.explanation } }));
  if (report.golden) {
    const ok = report.golden.status === 'match' || report.golden.status === 'updated';
    cases.push(ok
      ? { name: `events match ${report.golden.file}` }
      : { name: `events match ${report.golden.file}`, failure: { message: report.golden.explanation[0] ?? 'golden mismatch', body: report.golden.explanation } });
  }
  return cases;
}

export function formatJunit(reports: readonly ScenarioReport[]): string {
  const suites = reports.map((report) => ({ report, cases: casesOf(report) }));
  const count = (pick: (c: Case) => boolean): number => suites.reduce((n, s) => n + s.cases.filter(pick).length, 0);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites name="ozml" tests="${count(() => true)}" failures="${count((c) => !!c.failure)}" errors="${count((c) => !!c.error)}">`);
  for (const { report, cases } of suites) {
    const time = report.run ? report.run.seconds.toFixed(3) : '0.000';
    out.push(`  <testsuite name="${escapeXml(report.name)}" file="${escapeXml(report.file)}" tests="${cases.length}" failures="${cases.filter((c) => c.failure).length}" errors="${cases.filter((c) => c.error).length}" time="${time}">`);
    for (const c of cases) {
      const head = `    <testcase name="${escapeXml(c.name)}" classname="${escapeXml(report.file)}"`;
      const problem = c.failure ? ['failure', c.failure] as const : c.error ? ['error', c.error] as const : undefined;
      if (!problem) {
        out.push(`${head}/>`);
        continue;
      }
      const [tag, detail] = problem;
      out.push(`${head}>`);
      out.push(`      <${tag} message="${escapeXml(detail.message)}" type="${tag === 'failure' ? 'expectation' : 'invalid-scenario'}">${escapeXml(detail.body.join('\n'))}</${tag}>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
