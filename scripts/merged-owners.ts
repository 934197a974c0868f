import { mergedRunOwner, type MeasuredSummary } from '../reports/measured-table';

/**
 * The summary without merged runs that no row comes from any more: a later merge re-measured every
 * row an earlier one had (seed/confluent/ on its own librdkafka replaced the 10 runs of one of its
 * rows), and a README line "0 of 0 scenario runs passed" would name a run the table no longer shows.
 * A row belongs to its merged run as reports/measured-table.ts reads it (mergedRunOwner).
 */
export function withoutEmptyMerges(summary: MeasuredSummary): MeasuredSummary {
  const merged = summary.merged ?? [];
  const owner = mergedRunOwner(merged);
  const owning = new Set(summary.scenarios.map((s) => owner(s.name)));
  return { ...summary, merged: merged.filter((_, i) => owning.has(i)) };
}

/**
 * The transactions tables' header clause for rows re-measured later and merged in (--merge), one
 * "; then `kchaos run …`" per merged run; `kafkaVersion`: name each run's Kafka too.
 */
export function laterRunsClause(summary: MeasuredSummary, options: { kafkaVersion: boolean }): string {
  return (summary.merged ?? [])
    .map(
      (m) =>
        `; then \`kchaos run ${m.names?.join(' ') ?? m.prefix} --repeat ${m.repeat} --parallel 1\` finished ${m.measuredAt.slice(0, 16)} UTC, ` +
        `${options.kafkaVersion ? `Kafka ${m.kafkaVersion}, ` : ''}${Math.round(m.durationMs / 60_000)} min (its rows replace any of the first run's)`,
    )
    .join('');
}
