import type { MeasuredSummary } from '../reports/measured-table';

/**
 * The summary without merged runs that no row comes from any more: a later merge re-measured every
 * row an earlier one had (seed/confluent/ on its own librdkafka replaced the 10 runs of one of its
 * rows), and a README line "0 of 0 scenario runs passed" would name a run the table no longer shows.
 * A row belongs to the latest merged run that names it (or, without names, whose prefix it has), as
 * reports/measured-table.ts reads it.
 */
export function withoutEmptyMerges(summary: MeasuredSummary): MeasuredSummary {
  const merged = summary.merged ?? [];
  const owner = (name: string) => merged.map((m) => (m.names ? m.names.includes(name) : name.startsWith(m.prefix))).lastIndexOf(true);
  const owning = new Set(summary.scenarios.map((s) => owner(s.name)));
  return { ...summary, merged: merged.filter((_, i) => owning.has(i)) };
}
