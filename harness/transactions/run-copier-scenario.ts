import fs from 'node:fs';
import path from 'node:path';
import { checkTransactions } from '../checker/transaction-checker';
import { checkCopy, type CopyCheck } from '../checker/transaction-copier-checker';
import { DEFAULT_PRODUCER_SETTINGS } from '../clients/producer-under-test';
import { createRdkafkaProducer } from '../clients/rdkafka-producer';
import { FaultSchedule } from '../faults/fault-schedule';
import { HistoryRecorder } from '../history/history-recorder';
import type { ObservedRecord } from '../history/history-types';
import { scenarioFolder } from '../run-folder';
import { producerBootstrap, type RunScenarioOptions } from '../run-scenario';
import { createStrategy } from '../strategies/strategies';
import { drainTopic, writeObserved } from '../verify/verifier';
import { runWorkload } from '../workload/workload';
import type { ScenarioResult } from '../../reports/results-types';
import type { Scenario } from '../../scenarios/scenario';
import { CopyProgress, HostedCopier } from './copier-host';
import { transactionScenarioResult } from './transaction-scenario-result';

/**
 * The input's fill: the harness's own producer over DIRECT, retried so every record lands, and
 * idempotent so a retry does not land it twice: a fill Produce that timed out under load was
 * written twice (seq 1 at offsets 0 and 6), and a run's input held 601 records for 600 acked.
 */
const FILL_SETTINGS = { ...DEFAULT_PRODUCER_SETTINGS, acks: 'all' as const, idempotent: true, retries: 5, requestTimeoutMs: 5_000, deliveryTimeoutMs: 30_000 };
/** Incarnation n numbers its transactions from n × this: keys of two incarnations never collide. */
const TXN_BASE_STEP = 100_000;
/** A resumed zombie gets this long to make its late calls (its own client bounds each) before it is killed. @default 30000 */
const ZOMBIE_WAIT_MS = 30_000;
/** The live copier's own close. @default 10000 */
const COPIER_CLOSE_TIMEOUT_MS = 10_000;
const PROGRESS_CHECK_MS = 100;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the SIGSTOPped copier did once resumed after its successor's InitProducerId (copy-check.json's `zombie`). */
export interface ZombieReport {
  copier: string;
  stoppedAtMs: number;
  /** When the successor was ready (its init done) and the zombie got SIGCONT; null if the successor never started. */
  resumedAtMs: number | null;
  /** txn-commit invokes the zombie made after it was resumed, and how many of those completed ok (must be 0: fenced). */
  lateCommits: number;
  lateCommitsAccepted: number;
  /**
   * Transactions the zombie began after it was resumed, and how many of those never committed: a zombie stopped between calls meets the fence at its next AddPartitionsToTxn,
   * before any commit. A commit in flight at SIGSTOP whose answer arrives after the resume is not
   * late: the coordinator had it before the successor's InitProducerId.
   */
  lateTransactions: number;
  lateTransactionsRejected: number;
  /** Its first failed call after the resume: the client's words for the fencing. */
  firstLateError: string | null;
  /** How the zombie ended: its own exit code, or 'killed' when it was still alive after ZOMBIE_WAIT_MS. */
  ended: string;
}

/** copy-check.json: the copier checker's result, the incarnations used, the zombie's report (zombie rows). */
export interface CopyCheckFile extends CopyCheck {
  copiers: number;
  copyComplete: boolean;
  zombie: ZombieReport | null;
}

/**
 * A consume-transform-produce scenario (scenario.transactions.copier): fresh input and output
 * topics; the harness fills the input (node-rdkafka over DIRECT, recorded as sends of p1, every
 * one acked); the copier runs in a child process under the faults (which target the OUTPUT
 * topic's leaders) and its process fault; then the output is read back read_committed and
 * read_uncommitted, the input read_committed. Checks: the producer checker on the output (the
 * fill's acked seqs: lostAcked = not copied, duplicates = copied twice), the transactions checker
 * (the copier's transactions) and checkCopy (output == input exactly once).
 */
export async function runCopierScenario(scenario: Scenario, options: RunScenarioOptions): Promise<ScenarioResult> {
  const { cluster, runDir } = options;
  const settings = scenario.transactions!;
  const copier = settings.copier!;
  const phase = options.onPhase ?? (() => {});
  const startedMs = Date.now();
  const { slug, file } = scenarioFolder(runDir, scenario.name);
  const artifacts = {
    history: file('history.jsonl'),
    observed: file('observed.jsonl'),
    observedUncommitted: file('observed-uncommitted.jsonl'),
    observedInput: file('observed-input.jsonl'),
    copierLog: file('copier.log'),
    copyCheck: file('copy-check.json'),
  };
  const recorder = new HistoryRecorder(path.join(runDir, artifacts.history));
  const stamp = Date.now().toString(36);
  const base = `kchaos-${slug.slice(0, 170)}-${stamp}`;
  const [inputTopic, outputTopic] = [`${base}-in`, `${base}-out`];
  let leaders: Record<number, number> = {};
  let committed: ObservedRecord[] = [];
  let uncommitted: ObservedRecord[] | null = null;
  let input: ObservedRecord[] = [];
  let error: string | undefined;
  const faultErrors: string[] = [];
  const copierErrors: string[] = [];
  const copiers: HostedCopier[] = [];
  const progress = new CopyProgress();
  let zombie: ZombieReport | null = null;
  let copyComplete = false;
  const filled = new Set<number>();

  try {
    phase('topic');
    await cluster.resetProxies();
    for (const topic of [inputTopic, outputTopic]) await cluster.createTopic(topic, { minInsyncReplicas: scenario.config.minInsyncReplicas });
    leaders = Object.fromEntries((await cluster.partitionState(outputTopic)).map((p) => [p.partition, p.leader]));
    const partitions = Object.keys(leaders).length;

    phase('pre-filling');
    recorder.restartClock();
    const filler = createRdkafkaProducer(cluster.directBootstrap, inputTopic, FILL_SETTINGS);
    await filler.connect();
    try {
      const strategy = createStrategy('manual', 'library-only', { partitions, leaderOf: (p: number) => leaders[p] }, scenario.workaround, () => recorder.now());
      await runWorkload(filler, strategy, recorder, { ...scenario.workload, messages: copier.records, ratePerSec: null }, scenario.workaround, { messagesPerSend: 1, leaderOf: (p: number) => leaders[p] });
    } finally {
      await filler.close(5_000);
    }
    for (const op of recorder.ops) if (op.f === 'send' && op.type === 'ok') filled.add((op.value as { seq: number }).seq);

    phase('faults');
    const faults = new FaultSchedule(scenario.faults, cluster, recorder, leaders, (e) => faultErrors.push(String(e)));
    await faults.start();
    const bootstrap = producerBootstrap(scenario, cluster, leaders, faults.coordinators());
    const groupId = `kchaos-copier-${stamp}`;
    const incarnation = (n: number) =>
      new HostedCopier(
        `copier-${n}`,
        {
          client: scenario.client,
          config: { bootstrap, inputTopic, outputTopic, partitions, groupId, transactionalId: settings.transactionalId, transactionTimeoutMs: settings.transactionTimeoutMs, producer: scenario.config },
          loop: { commitEvery: copier.commitEvery, pauseMs: copier.pauseMs, txnBase: n * TXN_BASE_STEP, transactionalId: settings.transactionalId },
        },
        recorder,
        progress,
        path.join(runDir, artifacts.copierLog),
      );
    /** Starts the next incarnation; a start that fails is noted and leaves it not alive (the loop tries another). */
    const startNext = async (): Promise<HostedCopier> => {
      const next = incarnation(copiers.length + 1);
      copiers.push(next);
      await next.start().catch((e: unknown) => copierErrors.push(String(e)));
      return next;
    };
    try {
      phase('copying');
      let current = await startNext();
      faults.scheduleFromWorkloadStart();
      const copyStartMs = recorder.now();
      let processFaultDone = copier.processFault === 'none';
      let zombieWatch: Promise<void> | undefined;
      while (recorder.now() - copyStartMs < copier.copyDeadlineMs) {
        copyComplete = [...filled].every((seq) => progress.committedSeqs.has(seq));
        if (copyComplete && processFaultDone) break;
        if (!processFaultDone && recorder.now() - copyStartMs >= copier.processFaultAtMs) {
          processFaultDone = true;
          const old = current;
          if (copier.processFault === 'kill') {
            old.signal('SIGKILL');
            await old.exited;
            current = await startNext();
          } else {
            old.signal('SIGSTOP');
            const report: ZombieReport = { copier: old.id, stoppedAtMs: recorder.now(), resumedAtMs: null, lateCommits: 0, lateCommitsAccepted: 0, lateTransactions: 0, lateTransactionsRejected: 0, firstLateError: null, ended: 'alive' };
            zombie = report;
            current = await startNext();
            if (current.alive) report.resumedAtMs = recorder.now();
            old.signal('SIGCONT');
            zombieWatch = (async () => {
              const code = await Promise.race([old.exited, sleep(ZOMBIE_WAIT_MS).then(() => 'timeout' as const)]);
              if (code === 'timeout') await old.kill();
              report.ended = code === 'timeout' ? 'killed' : String(code);
            })();
          }
        }
        if (!current.alive && !copyComplete) {
          if (copiers.length >= copier.maxIncarnations) {
            copierErrors.push(`the copier stopped ${copiers.length} times (maxIncarnations): copy left incomplete`);
            break;
          }
          current = await startNext();
        }
        await sleep(PROGRESS_CHECK_MS);
      }
      await zombieWatch;
      if (zombie) {
        const z = zombie as ZombieReport;
        const late = copiers.find((c) => c.id === z.copier)!.ops.filter((o) => z.resumedAtMs !== null && o.atMs >= z.resumedAtMs);
        const txnsWith = (f: string, types: string[]) => new Set(late.filter((o) => o.event.f === f && types.includes(o.event.type)).map((o) => o.event.value.txn));
        const lateTxns = txnsWith('txn-begin', ['invoke']);
        const lateCommitted = txnsWith('txn-commit', ['invoke']);
        z.lateCommits = lateCommitted.size;
        z.lateCommitsAccepted = [...txnsWith('txn-commit', ['ok'])].filter((t) => lateCommitted.has(t)).length;
        z.lateTransactions = lateTxns.size;
        const committedOk = txnsWith('txn-commit', ['ok']);
        z.lateTransactionsRejected = [...lateTxns].filter((t) => !committedOk.has(t)).length;
        z.firstLateError = late.find((o) => o.event.type === 'fail' || o.event.type === 'info')?.event.value.error ?? null;
      }
    } finally {
      phase('healing');
      await faults.healAll();
      for (const c of copiers) await (c === copiers.at(-1) ? c.close(COPIER_CLOSE_TIMEOUT_MS) : c.kill());
    }
    recorder.close();

    phase('verifying');
    await sleep(scenario.settleMs);
    committed = await drainTopic(cluster.directBootstrap, outputTopic, { isolation: 'read_committed' });
    await writeObserved(path.join(runDir, artifacts.observed), committed);
    uncommitted = await drainTopic(cluster.directBootstrap, outputTopic, { isolation: 'read_uncommitted' });
    await writeObserved(path.join(runDir, artifacts.observedUncommitted), uncommitted);
    input = await drainTopic(cluster.directBootstrap, inputTopic, { isolation: 'read_committed' });
    await writeObserved(path.join(runDir, artifacts.observedInput), input);
    for (const topic of [inputTopic, outputTopic]) await cluster.deleteTopic(topic).catch(() => {});
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  } finally {
    recorder.close();
    for (const c of copiers) await c.kill();
    await cluster.resetProxies().catch(() => {});
  }
  // A copy the harness could not finish (copier not started, not ready) is no verdict on the client.
  if (!copyComplete && copierErrors.length > 0) error = [error, ...copierErrors.map((e) => `copier: ${e}`)].filter(Boolean).join('; ');
  if (faultErrors.length > 0) error = [error, ...faultErrors.map((e) => `fault: ${e}`)].filter(Boolean).join('; ');
  phase('checking');
  const transactionCheck = checkTransactions(recorder.ops, committed, uncommitted);
  const copyCheck = checkCopy(new Set(input.map((r) => r.seq).filter((s): s is number => s !== null)), committed, transactionCheck.statuses);
  const copyFile: CopyCheckFile = { ...copyCheck, copiers: copiers.length, copyComplete, zombie };
  fs.writeFileSync(path.join(runDir, artifacts.copyCheck), JSON.stringify(copyFile, null, 1) + '\n');
  const checkError = !error && input.length !== filled.size ? `the input read back holds ${input.length} records, the fill acked ${filled.size}` : undefined;
  return transactionScenarioResult(scenario, { ops: recorder.ops, committed, uncommitted, error, checkError, startedMs, leaders, artifacts }, transactionCheck);
}
