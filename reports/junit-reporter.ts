import type { Reporter } from './reporter';
import type { RunResults, ScenarioResult } from './results-types';
import { escapeXml } from './escape';
import { describeExpectation } from './expectation-text';
import { fileReporter, writeRunFile } from './file-reporter';
import { consumerCountsLine, failedConsumerExpectations, transactionCountsLine } from './section-counts';

/** File name inside the run folder (DESIGN.md, Contracts). */
export const JUNIT_FILE = 'junit.xml';

/**
 * JUnit XML for CI test tabs: one testsuite for the run, one testcase per scenario.
 * classname is `client.strategy`, so CI tools group scenarios by client, then strategy.
 * verdict fail → <failure> listing each violated expectation (expected and actual);
 * verdict unknown → <error> (the checker could not decide: not a finding, a broken test).
 */
export function renderJunitXml(results: RunResults): string {
  const scenarios = results.scenarios;
  const failures = scenarios.filter((s) => s.verdict === 'fail').length;
  const errors = scenarios.filter((s) => s.verdict === 'unknown').length;
  const seconds = totalSeconds(results);
  const suiteName = `kchaos ${results.run.suite ?? 'run'} ${results.run.id}`;
  const counts = `tests="${scenarios.length}" failures="${failures}" errors="${errors}"`;

  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="kchaos" ${counts} time="${seconds}">`,
    `  <testsuite name="${escapeXml(suiteName)}" ${counts} skipped="0" time="${seconds}" timestamp="${escapeXml(results.run.startedAt)}">`,
    '    <properties>',
    ...runProperties(results).map(([k, v]) => `      <property name="${escapeXml(k)}" value="${escapeXml(v)}"/>`),
    '    </properties>',
    ...scenarios.map(renderTestcase),
    '  </testsuite>',
    '</testsuites>',
  ];
  return `${lines.join('\n')}\n`;
}

function runProperties(results: RunResults): Array<[string, string]> {
  const run = results.run;
  return [
    ['runId', run.id],
    ['backend', run.backend],
    ['kafkaVersion', run.kafkaVersion],
    // An interrupted run lists fewer testcases; say so where CI shows it.
    ['complete', String(run.complete)],
  ];
}

function renderTestcase(s: ScenarioResult): string {
  const open = `    <testcase name="${escapeXml(s.name)}" classname="${escapeXml(`${s.client}.${s.strategy}`)}" time="${seconds(s.durationMs)}">`;
  const body: string[] = [];
  if (s.verdict === 'unknown') {
    const message = `verdict unknown: ${s.error ?? 'the checker gave no verdict'}`;
    body.push(`      <error type="VerdictUnknown" message="${escapeXml(message)}">${escapeXml(message)}</error>`);
  } else if (s.verdict === 'fail') {
    // A consumer scenario's verdict also rests on the consumer's own expectations (processedLost …).
    const violated = [...s.expectations.filter((e) => !e.pass).map(describeExpectation), ...failedConsumerExpectations(s)];
    const lines = [...violated];
    if (s.error) lines.push(`error: ${s.error}`);
    if (lines.length === 0) lines.push('verdict fail with no failing expectation recorded');
    const message = violated.length > 0 ? `${violated.length} expectation(s) failed: ${violated.join('; ')}` : lines[0];
    const counts = [consumerCountsLine(s), transactionCountsLine(s)].filter((l): l is string => l !== null);
    body.push(`      <failure type="ExpectationFailed" message="${escapeXml(message)}">${escapeXml([...lines, ...counts].join('\n'))}</failure>`);
  }
  // The consumer's and the transactions' counts, then the artifact paths (the history behind a failure).
  const out = [consumerCountsLine(s), transactionCountsLine(s), ...Object.entries(s.artifacts ?? {}).map(([k, v]) => `${k}: ${v}`)].filter((l): l is string => l !== null);
  if (out.length > 0) body.push(`      <system-out>${escapeXml(out.join('\n'))}</system-out>`);
  return body.length === 0 ? `${open}</testcase>` : [open, ...body, '    </testcase>'].join('\n');
}

function seconds(ms: number | undefined): string {
  return Number.isFinite(ms) ? ((ms as number) / 1000).toFixed(3) : '0.000';
}

function totalSeconds(results: RunResults): string {
  const wall = Date.parse(results.run.finishedAt) - Date.parse(results.run.startedAt);
  if (Number.isFinite(wall) && wall >= 0) return seconds(wall);
  return seconds(results.scenarios.reduce((sum, s) => sum + (s.durationMs || 0), 0));
}

/** Writes `<runDir>/junit.xml` atomically; returns the path written. */
export function writeJunitXml(results: RunResults, runDir: string): string {
  return writeRunFile(runDir, JUNIT_FILE, renderJunitXml(results));
}

/** Reporter writing junit.xml at the end of the run. */
export function createJunitReporter(): Reporter {
  return fileReporter('junit', writeJunitXml);
}
