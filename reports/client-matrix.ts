import type { ScenarioResult } from './results-types';

/** Delivered / lost / duplicated summed over the scenarios of one client × strategy × mode. */
export interface MatrixCell {
  scenarios: number;
  /** attempted − undelivered: seqs the app sent that reached the topic. */
  delivered: number;
  undelivered: number;
  lostAcked: number;
  duplicates: number;
}

export interface ClientMatrix {
  clients: string[];
  /** Column keys, `strategy / mode`, sorted. */
  columns: Array<{ strategy: string; mode: string }>;
  /** cells[client][`${strategy} / ${mode}`]; absent when no scenario ran that combination. */
  cells: Record<string, Record<string, MatrixCell>>;
}

/** Key of a column in `cells`. */
export function columnKey(c: { strategy: string; mode: string }): string {
  return `${c.strategy} / ${c.mode}`;
}

/**
 * The comparison a team asks for first ("which client and strategy loses least?"). Null with
 * fewer than two clients: the per-scenario table already says everything then.
 */
export function clientMatrix(scenarios: readonly ScenarioResult[]): ClientMatrix | null {
  const clients = [...new Set(scenarios.map((s) => s.client))].sort();
  if (clients.length < 2) return null;
  const columnsByKey = new Map<string, { strategy: string; mode: string }>();
  const cells: ClientMatrix['cells'] = {};
  for (const s of scenarios) {
    const column = { strategy: s.strategy, mode: s.mode };
    const key = columnKey(column);
    columnsByKey.set(key, column);
    const row = (cells[s.client] ??= {});
    const cell = (row[key] ??= { scenarios: 0, delivered: 0, undelivered: 0, lostAcked: 0, duplicates: 0 });
    cell.scenarios += 1;
    cell.delivered += Math.max(0, (s.counts?.attempted ?? 0) - (s.counts?.undelivered ?? 0));
    cell.undelivered += s.counts?.undelivered ?? 0;
    cell.lostAcked += s.counts?.lostAcked ?? 0;
    cell.duplicates += s.counts?.duplicates ?? 0;
  }
  const columns = [...columnsByKey.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, c]) => c);
  return { clients, columns, cells };
}
