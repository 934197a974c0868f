import path from 'node:path';
import { HarnessError } from '../harness/errors';
import { summarizeRepeats } from '../harness/repeat-summary';
import type { MergedRun, RunResults, ScenarioResult } from './results-types';

/** One run folder handed to `kchaos merge`, read. */
export interface MergeInput {
  /** The folder as given (results.json and the scenarios' artifacts are inside it). */
  dir: string;
  results: RunResults;
}

/** An artifact to bring into the merged folder: `from` is absolute, `to` relative to the merged folder. */
export interface ArtifactCopy {
  from: string;
  to: string;
}

export interface MergedRunResults {
  results: RunResults;
  copies: ArtifactCopy[];
  /** Problems that do not stop the merge but leave it incomplete (a shard missing, an interrupted shard). */
  warnings: string[];
}

const MERGE_FIX = 'merge the run folders of ONE sharded run: the same suite and --repeat, on the same Kafka version (kchaos run … --shard i/n on each machine)';

/** Every input agrees on `field`, or one error naming the field, each folder's value and the fix. */
function requireSame(inputs: readonly MergeInput[], field: string, value: (r: RunResults) => unknown): void {
  const values = inputs.map((input) => value(input.results));
  if (values.every((v) => v === values[0])) return;
  const listed = inputs.map((input, i) => `${input.dir}: ${JSON.stringify(values[i] ?? null)}`).join(', ');
  throw new HarnessError(`cannot merge runs with different ${field} (${listed})`, { hint: MERGE_FIX });
}

/** The shards' numbers agree: same n, same plan, no shard twice. Returns the missing shards' numbers. */
function checkShards(inputs: readonly MergeInput[]): number[] {
  const sharded = inputs.filter((input) => input.results.run.shard);
  if (sharded.length === 0) return [];
  if (sharded.length !== inputs.length) {
    throw new HarnessError(`cannot merge sharded with unsharded runs (${inputs.filter((i) => !i.results.run.shard).map((i) => i.dir).join(', ')} ran without --shard)`, { hint: MERGE_FIX });
  }
  requireSame(inputs, 'shard counts (--shard i/n: n)', (r) => r.run.shard!.total);
  requireSame(inputs, 'scenario plans (the suites or scenarios given)', (r) => r.run.shard!.planDigest);
  const seen = new Map<number, string>();
  for (const input of inputs) {
    const index = input.results.run.shard!.index;
    const other = seen.get(index);
    if (other !== undefined) throw new HarnessError(`shard ${index}/${input.results.run.shard!.total} is given twice (${other} and ${input.dir})`, { hint: 'pass each shard\'s run folder once' });
    seen.set(index, input.dir);
  }
  const total = inputs[0].results.run.shard!.total;
  return Array.from({ length: total }, (_, i) => i + 1).filter((index) => !seen.has(index));
}

/** Artifact paths stay inside their run folder: a results.json cannot make merge copy /etc/passwd. */
function insideRunFolder(dir: string, artifact: string, scenario: string): string {
  const normal = path.posix.normalize(artifact.replace(/\\/g, '/'));
  if (path.isAbsolute(artifact) || normal.startsWith('../') || normal === '..') {
    throw new HarnessError(`${dir}: scenario "${scenario}" names an artifact outside its run folder (${artifact})`, { hint: 'merge run folders written by kchaos run; artifact paths are relative to the run folder' });
  }
  return normal;
}

/**
 * Several run folders (the shards of one run, as `kchaos run --shard i/n` wrote them) → one run:
 * scenarios in shard order (each shard holds a contiguous piece of the name-sorted plan, so the
 * merge restores the plan order), the shards' artifacts copied under the merged folder at the same
 * relative paths (so the merged report reads their histories), the repeat summary recomputed over
 * all of them. Refuses inputs that are not parts of one run: different Kafka version, suite,
 * repeat, shard count or plan, a shard given twice, or one scenario in two inputs.
 */
export function mergeRuns(inputs: readonly MergeInput[], runId: string): MergedRunResults {
  if (inputs.length === 0) throw new HarnessError('kchaos merge needs at least one run folder', { hint: 'usage: kchaos merge RUN_DIR… [--out DIR]' });
  requireSame(inputs, 'Kafka versions', (r) => r.run.kafkaVersion);
  requireSame(inputs, 'suites', (r) => r.run.suite);
  requireSame(inputs, '--repeat', (r) => r.run.repeat ?? 1);
  const missingShards = checkShards(inputs);
  const ordered = [...inputs].sort((a, b) => (a.results.run.shard?.index ?? 0) - (b.results.run.shard?.index ?? 0));

  const scenarios: ScenarioResult[] = [];
  const copies: ArtifactCopy[] = [];
  const owner = new Map<string, string>(); // scenario name or artifact path → the folder it came from
  const claim = (key: string, what: string, dir: string) => {
    const other = owner.get(key);
    if (other !== undefined) throw new HarnessError(`${what} is in both ${other} and ${dir}`, { hint: 'merge the shards of one run (each scenario runs on exactly one shard); pass each folder once' });
    owner.set(key, dir);
  };
  for (const { dir, results } of ordered) {
    for (const scenario of results.scenarios) {
      claim(`scenario:${scenario.name}`, `scenario "${scenario.name}"`, dir);
      for (const artifact of Object.values(scenario.artifacts ?? {})) {
        const to = insideRunFolder(dir, artifact, scenario.name);
        claim(`artifact:${to}`, `artifact ${to}`, dir);
        copies.push({ from: path.resolve(dir, to), to });
      }
      scenarios.push(scenario);
    }
  }

  const warnings: string[] = [];
  const total = inputs[0].results.run.shard?.total;
  if (missingShards.length > 0) warnings.push(`shard${missingShards.length > 1 ? 's' : ''} ${missingShards.map((i) => `${i}/${total}`).join(', ')} not given: the merged run is incomplete`);
  for (const { dir, results } of ordered) if (!results.run.complete) warnings.push(`${dir} was interrupted before all its scenarios ran: the merged run is incomplete`);

  const runs = ordered.map(({ results }) => results.run);
  const repeat = runs[0].repeat ?? 1;
  const backends = [...new Set(runs.map((r) => r.backend))];
  const mergedFrom: MergedRun[] = ordered.map(({ dir, results }) => ({
    id: results.run.id, dir, ...(results.run.shard ? { shard: results.run.shard } : {}), scenarios: results.scenarios.length, complete: results.run.complete,
  }));
  const merged: RunResults = {
    schemaVersion: 1,
    run: {
      id: runId,
      startedAt: runs.map((r) => r.startedAt).sort()[0],
      finishedAt: runs.map((r) => r.finishedAt).sort().at(-1)!,
      backend: backends.join(','),
      kafkaVersion: runs[0].kafkaVersion,
      complete: warnings.length === 0,
      ...(runs[0].suite !== undefined ? { suite: runs[0].suite } : {}),
      repeat,
      mergedFrom,
    },
    scenarios,
  };
  if (repeat > 1) merged.repeatSummary = summarizeRepeats(scenarios);
  return { results: merged, copies, warnings };
}
