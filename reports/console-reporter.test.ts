import { createConsoleReporter, formatFailingExpectations, formatResultsTable } from './console-reporter';
import { counts, expectation, runResults, scenarioResult } from './testing/results-builder';

const ESC = '\u001b[';

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns: 200, write: (s: string) => chunks.push(s) } };
}

const lossy = scenarioResult({
  name: 'seed/kafkajs/round-robin/library-only/blackhole-k1',
  counts: counts({ undelivered: 12, observed: 88 }),
  expectations: [expectation('undelivered', 'eq', 0, 12)],
  verdict: 'fail',
});
const fine = scenarioResult({ name: 'seed/java/manual/resilient/none', latencyMs: { p50: 1, p95: 2, p99: 250.4, max: 300 } });
const results = runResults([lossy, fine]);

describe('formatResultsTable', () => {
  it('is one aligned row per scenario with the counts, marking failing counts without colour', () => {
    const lines = formatResultsTable(results.scenarios).split('\n');
    expect(lines[0].split(/\s+/)).toEqual(['scenario', 'verdict', 'attempted', 'acked', 'observed', 'undelivered', 'lostAcked', 'duplicates', 'reordered', 'p99', 'ms']);
    expect(lines[1].split(/\s+/)).toEqual([lossy.name, 'fail', '100', '100', '88', '12*', '0', '0', '0', '40.5']);
    expect(lines[2].split(/\s+/)).toEqual([fine.name, 'pass', '100', '100', '100', '0', '0', '0', '0', '250']);
    expect(lines[3]).toBe('* an expectation on this count failed');
    expect(lines[1].length).toBe(lines[2].length);
    expect(formatResultsTable(results.scenarios)).not.toContain(ESC);
  });

  it('colours only when asked, and stays the same text underneath', () => {
    const coloured = formatResultsTable(results.scenarios, { color: true });
    expect(coloured).toContain(ESC);
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(formatResultsTable(results.scenarios));
  });
});

describe('formatFailingExpectations', () => {
  it('lists expected vs actual', () => {
    expect(formatFailingExpectations(results.scenarios)).toBe(
      `failing expectations (expected vs actual):\n  ${lossy.name}: undelivered: expected = 0, actual 12`);
    expect(formatFailingExpectations([fine])).toBe('');
  });
});

describe('createConsoleReporter', () => {
  it('prints plain progress lines when not a TTY (CI)', async () => {
    const { chunks, stream } = fakeStream(false);
    const reporter = createConsoleReporter({ stream, env: {} });
    reporter.onRunStart!({ runId: 'r1', runDir: 'runs/r1', total: 17 });
    reporter.onScenarioStart!(3, 17, lossy.name);
    reporter.onScenarioPhase!(lossy.name, 'producing');
    reporter.onScenarioEnd!(lossy, 3, 17);
    await reporter.onRunEnd!(results, 'runs/r1');
    const text = chunks.join('');
    expect(text).not.toContain(ESC);
    expect(text).not.toContain('\r');
    expect(text).toContain(`scenario 3/17 ${lossy.name} : producing\n`);
    expect(text).toContain(`scenario 3/17 ${lossy.name} : fail (10.0s)\n`);
    expect(text).toContain('undelivered: expected = 0, actual 12');
    expect(text).toContain('2 scenarios: 1 pass, 1 fail, 0 unknown');
  });

  it('rewrites progress in place and colours on a TTY', () => {
    const { chunks, stream } = fakeStream(true);
    const reporter = createConsoleReporter({ stream, env: {} });
    reporter.onScenarioStart!(1, 2, lossy.name);
    reporter.onScenarioPhase!(lossy.name, 'producing');
    expect(chunks[1]).toBe(`\r${ESC}2Kscenario 1/2 ${lossy.name} : producing`);
    reporter.onScenarioEnd!(lossy, 1, 2);
    expect(chunks[2]).toMatch(/^\r\u001b\[2K.*\u001b\[\d+m.*\n$/);
  });

  it('never colours when NO_COLOR is set, even on a TTY', async () => {
    const { chunks, stream } = fakeStream(true);
    const reporter = createConsoleReporter({ stream, env: { NO_COLOR: '1' } });
    reporter.onScenarioEnd!(lossy, 1, 2);
    await reporter.onRunEnd!(results, 'runs/r1');
    expect(chunks.join('').replace(/\r\u001b\[2K/g, '')).not.toContain(ESC);
  });
});
