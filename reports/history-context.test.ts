import { excerptsAround, linesBySeq, type HistoryFile } from './history-context';

function historyOf(lines: string[]): HistoryFile {
  return { path: 'h', lines, ops: lines.map((l) => { try { return JSON.parse(l); } catch { return null; } }) };
}

describe('history context', () => {
  const lines = Array.from({ length: 40 }, (_, i) => JSON.stringify({ index: i, timeMs: i, process: 'p1', type: 'invoke', f: 'send', value: { seq: i } }));
  lines[30] = JSON.stringify({ index: 30, timeMs: 30, process: 'p1', type: 'ok', f: 'send', value: { seq: 5, partition: 0, offset: 0 } });
  lines[31] = 'not json';
  const file = historyOf(lines);

  it('indexes the send ops of the wanted seqs, skipping broken lines', () => {
    expect(linesBySeq(file, new Set([5, 99]))).toEqual(new Map([[5, [5, 30]]]));
  });

  it('gives ±3 lines around each op, separate excerpts when far apart, merged when close', () => {
    const far = excerptsAround(file, [5, 30]);
    expect(far.map((e) => e.lines.map((l) => l.lineNo))).toEqual([[3, 4, 5, 6, 7, 8, 9], [28, 29, 30, 31, 32, 33, 34]]);
    const near = excerptsAround(file, [10, 15]);
    expect(near.map((e) => [e.lines[0].lineNo, e.lines.at(-1)!.lineNo])).toEqual([[8, 19]]);
    expect(excerptsAround(file, [39])[0].lines.map((l) => l.lineNo)).toEqual([37, 38, 39, 40]);
  });
});
