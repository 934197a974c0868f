import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findMessages } from './message-findings';
import { anomalies, scenarioResult } from './testing/results-builder';
import { writeRunFolder } from './testing/run-folder-fixture';

describe('findMessages', () => {
  let runDir: string;
  beforeAll(() => { runDir = mkdtempSync(join(tmpdir(), 'kchaos-findings-')); });
  afterAll(() => rmSync(runDir, { recursive: true, force: true }));

  it('names partition, leader, error and the history lines around each message', () => {
    const [scenario] = writeRunFolder(runDir).scenarios;
    const { findings, total, historyProblem } = findMessages(scenario, runDir);
    expect(historyProblem).toBeNull();
    expect(total).toBe(2);
    const [lost, duplicated] = findings;
    expect(lost).toMatchObject({
      seq: 1, kinds: ['lostAcked', 'undelivered'], partition: 1, leader: 2, leaderSource: 'at start',
      error: null, outcome: 'acked at partition 1, offset 0', attempts: 1, copies: null,
    });
    // Lines 3 and 4 are seq 1's invoke and ok; ±3 lines, clipped at the start of the file.
    expect(lost.context).toHaveLength(1);
    expect(lost.context![0].lines.map((l) => l.lineNo)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(lost.context![0].lines.filter((l) => l.own).map((l) => l.lineNo)).toEqual([3, 4]);

    expect(duplicated).toMatchObject({
      seq: 2, kinds: ['duplicate'], partition: 0, leader: 1, leaderSource: 'fail op',
      error: expect.stringContaining('KafkaJSRequestTimeoutError'), outcome: 'failed (the client said not written)',
      copies: [{ partition: 0, offset: 1 }, { partition: 0, offset: 2 }],
    });
  });

  it('lists the most serious first and caps the list', () => {
    const [scenario] = writeRunFolder(runDir).scenarios;
    const many = scenarioResult({ ...scenario, anomalies: anomalies({ undelivered: [0, 1, 2, 3, 4, 5] }) });
    const { findings, total } = findMessages(many, runDir, 2);
    expect(total).toBe(6);
    expect(findings.map((f) => f.seq)).toEqual([0, 1]);
  });

  it('says the history is missing instead of failing', () => {
    const scenario = scenarioResult({ anomalies: anomalies({ undelivered: [7] }), artifacts: { history: 'nope/history.jsonl', observed: 'nope/observed.jsonl' } });
    const { findings, historyProblem } = findMessages(scenario, runDir);
    expect(historyProblem).toMatch(/history not available at .*nope\/history\.jsonl: file not found/);
    expect(findings).toEqual([expect.objectContaining({ seq: 7, context: null, outcome: 'unknown (history unavailable)' })]);
  });
});
