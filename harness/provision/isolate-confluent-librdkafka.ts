import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { HarnessError } from '../errors';
import { CONFLUENT_PACKAGE } from '../clients/confluent-producer';
import { OWN_LIBRDKAFKA_FIX } from '../clients/own-librdkafka';

/**
 * A source-built @confluentinc/kafka-javascript (CKJS_LINKING=dynamic) links librdkafka.so.1 and
 * librdkafka++.so.1 from its build/deps, the same names node-rdkafka's build uses, so whichever
 * client a process loads first supplies the librdkafka of both (clients/own-librdkafka.ts). This
 * gives Confluent's copies names of their own and points its binding at them; node-rdkafka keeps
 * its files. Idempotent: a binding that no longer needs librdkafka.so.1 (already renamed, or a
 * prebuilt one that links librdkafka statically) is left as it is.
 */

/** The names Confluent's copies get. */
export const CONFLUENT_LIBRDKAFKA = 'librdkafka-confluent.so.1';
export const CONFLUENT_LIBRDKAFKA_CPP = 'librdkafka++-confluent.so.1';
const SHARED_NAMES = { 'librdkafka.so.1': CONFLUENT_LIBRDKAFKA, 'librdkafka++.so.1': CONFLUENT_LIBRDKAFKA_CPP } as const;

export type IsolationOutcome = 'not installed' | 'nothing shared' | 'renamed';

function patchelf(args: string[]): string {
  const run = spawnSync('patchelf', args, { encoding: 'utf8' });
  if (run.error || run.status !== 0) {
    const why = run.error ? run.error.message : run.stderr.trim();
    throw new HarnessError(`patchelf ${args.join(' ')} failed: ${why}`, { hint: OWN_LIBRDKAFKA_FIX });
  }
  return run.stdout;
}

/** The shared libraries a binary names (its DT_NEEDED entries). */
export const neededLibraries = (file: string): string[] => patchelf(['--print-needed', file]).split('\n').filter(Boolean);

/** The binding the harness loads (resolved as loadConfluent resolves it), or undefined when the optional client is not installed. */
function confluentBinding(): string | undefined {
  let packageJson: string;
  try {
    packageJson = require.resolve(`${CONFLUENT_PACKAGE}/package.json`);
  } catch {
    return undefined;
  }
  const binding = path.join(path.dirname(packageJson), 'build', 'Release', 'confluent-kafka-javascript.node');
  return fs.existsSync(binding) ? binding : undefined;
}

/**
 * Whether the binding loads librdkafka.so.1. A binding that does not even hold the name (a
 * prebuilt one links librdkafka statically) is answered without patchelf, so only the
 * source-built case needs the tool; patchelf gives the exact answer for the rest.
 */
function namesSharedLibrdkafka(binding: string): boolean {
  if (!fs.readFileSync(binding).includes('\0librdkafka.so.1\0')) return false;
  return neededLibraries(binding).includes('librdkafka.so.1');
}

/** Copies `from` to `to` under a temporary name first, so a failure leaves no half-written file. */
function patchedCopy(from: string, to: string, patches: string[][]): void {
  const temporary = `${to}.kchaos-tmp`;
  fs.copyFileSync(from, temporary);
  try {
    for (const args of patches) patchelf([...args, temporary]);
    fs.renameSync(temporary, to);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Renames Confluent's shared librdkafka (and librdkafka++) and points its binding at the new
 * names. The libraries are written before the binding, so an interrupted run leaves either the
 * old, working binding or the new one with its libraries in place.
 */
export function isolateConfluentLibrdkafka(): IsolationOutcome {
  const binding = confluentBinding();
  if (binding === undefined) return 'not installed';
  if (!namesSharedLibrdkafka(binding)) return 'nothing shared';
  const deps = path.join(path.dirname(binding), '..', 'deps');
  patchedCopy(path.join(deps, 'librdkafka.so.1'), path.join(deps, CONFLUENT_LIBRDKAFKA), [['--set-soname', CONFLUENT_LIBRDKAFKA]]);
  patchedCopy(path.join(deps, 'librdkafka++.so.1'), path.join(deps, CONFLUENT_LIBRDKAFKA_CPP), [
    ['--set-soname', CONFLUENT_LIBRDKAFKA_CPP],
    ['--replace-needed', 'librdkafka.so.1', CONFLUENT_LIBRDKAFKA],
  ]);
  patchedCopy(binding, binding, Object.entries(SHARED_NAMES).map(([old, renamed]) => ['--replace-needed', old, renamed]));
  return 'renamed';
}

/** The line `kchaos setup` prints. */
export function describeIsolation(outcome: IsolationOutcome): string {
  switch (outcome) {
    case 'not installed':
      return `${CONFLUENT_PACKAGE}: not installed (optional: the fourth client)`;
    case 'nothing shared':
      return `${CONFLUENT_PACKAGE}: runs on its own librdkafka (no shared file name with node-rdkafka's)`;
    case 'renamed':
      return `${CONFLUENT_PACKAGE}: its source-built librdkafka renamed to ${CONFLUENT_LIBRDKAFKA}, so it no longer runs on node-rdkafka's in one process`;
  }
}
