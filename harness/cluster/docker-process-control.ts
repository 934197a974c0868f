import fs from 'node:fs';
import type Dockerode from 'dockerode';
import { HarnessError } from '../errors';
import type { BrokerStopSignal, StartedCluster } from './started-cluster';
import { waitUntil } from './wait-until';
import { liveBrokerIdsSeenBy } from './live-broker-ids';

/** @default 30000 — `docker stop`'s grace (SIGTERM, controlled shutdown) before the engine's SIGKILL. */
const DEFAULT_BROKER_STOP_GRACE_MS = 30_000;
/** @default 90000 — a restarted container re-runs its start script (KafkaDockerWrapper, then the broker replaying its logs). */
const BROKER_RESTART_TIMEOUT_MS = 90_000;

export interface BrokerContainer {
  id: number;
  container: Dockerode.Container;
  /** 127.0.0.1:<published DIRECT port>: the restarted broker is asked itself whether it is back. */
  direct: string;
  /** The container log file: a restarted container's output is appended to it. */
  logFile: string;
}

type ProcessControl = Required<Pick<StartedCluster, 'stopBroker' | 'startBroker' | 'pauseBroker' | 'resumeBroker'>>;

/**
 * Process faults on the docker backend, through the engine instead of signals to a pid:
 * kill = `docker kill` (SIGKILL to the broker, PID 1 of its container), stop = `docker stop`
 * (SIGTERM, SIGKILL after the grace), heal = `docker start` of the same container (same
 * configuration, same data: a stopped container keeps its filesystem), pause = `docker pause`
 * (the cgroup freezer: the JVM freezes with its sockets open, as SIGSTOP; where the engine has no
 * freezer, SIGSTOP to the broker through `docker kill --signal`), heal = `docker unpause` (or SIGCONT).
 */
export function dockerProcessControl(brokers: BrokerContainer[]): ProcessControl {
  const of = (id: number) => {
    const broker = brokers.find((b) => b.id === id);
    if (!broker) throw new HarnessError(`no broker with id ${id} in this cluster`, { hint: `brokers are ${brokers.map((b) => `k${b.id}`).join(', ')}` });
    return broker;
  };
  /** Brokers frozen with SIGSTOP because the engine could not pause them. */
  const stoppedBySignal = new Set<number>();
  const state = async (b: BrokerContainer) => (await b.container.inspect()).State;
  const unpauseIfPaused = async (b: BrokerContainer) => {
    if ((await state(b)).Paused) await b.container.unpause(); // a frozen JVM cannot act on SIGTERM, and the engine refuses to kill a paused container
    if (stoppedBySignal.delete(b.id)) await b.container.kill({ signal: 'SIGCONT' }).catch(() => {});
  };

  return {
    async stopBroker(id: number, signal: BrokerStopSignal, options: { graceMs?: number } = {}) {
      const b = of(id);
      if (!(await state(b)).Running) return;
      await unpauseIfPaused(b);
      if (signal === 'SIGKILL') await b.container.kill({ signal: 'SIGKILL' });
      else await b.container.stop({ t: Math.ceil((options.graceMs ?? DEFAULT_BROKER_STOP_GRACE_MS) / 1000) });
      await b.container.wait({ condition: 'not-running' }).catch(() => {});
    },
    async startBroker(id: number) {
      const b = of(id);
      if (!(await state(b)).Running) {
        const since = Math.floor(Date.now() / 1000);
        await b.container.start();
        void followLogs(b, since);
      }
      const ready = await waitUntil(`broker k${id} (container) registered and unfenced again`, async () => {
        const s = await state(b);
        if (!s.Running) return `broker k${id}'s container exited while restarting (exit ${s.ExitCode}); its log: ${b.logFile}`;
        return (await liveBrokerIdsSeenBy(b.direct)).includes(id) ? true : undefined;
      }, { timeoutMs: BROKER_RESTART_TIMEOUT_MS, intervalMs: 250, onTimeout: () => `its log: ${b.logFile}` });
      if (ready !== true) throw new HarnessError(ready);
    },
    async pauseBroker(id: number) {
      const b = of(id);
      const s = await state(b);
      if (!s.Running || s.Paused) return;
      try {
        await b.container.pause();
      } catch {
        // No cgroup freezer ("OCI runtime pause failed: unable to freeze", e.g. Docker inside a
        // container): SIGSTOP to the broker, PID 1 of its container, freezes it the same way.
        await b.container.kill({ signal: 'SIGSTOP' });
        stoppedBySignal.add(id);
      }
    },
    async resumeBroker(id: number) {
      const b = of(id);
      if (!(await state(b)).Running) return;
      if (stoppedBySignal.delete(id)) await b.container.kill({ signal: 'SIGCONT' });
      await unpauseIfPaused(b);
    },
  };
}

/** The restarted container's output, appended to its log file (testcontainers' stream ended with the old run). */
async function followLogs(b: BrokerContainer, sinceS: number): Promise<void> {
  try {
    const stream = (await b.container.logs({ follow: true, stdout: true, stderr: true, since: sinceS })) as unknown as NodeJS.ReadableStream;
    const out = fs.createWriteStream(b.logFile, { flags: 'a' });
    b.container.modem.demuxStream(stream, out, out);
    stream.on('end', () => out.end());
  } catch {
    /* the log is a convenience; readiness is decided by the broker answering */
  }
}

