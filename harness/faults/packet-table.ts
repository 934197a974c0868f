import { onShutdown } from '../process/child-processes';
import { removeTableRecord, writeTableRecord } from '../process/table-record';
import type { NftRunner } from './nft-command';
import { deleteTableSync, NftChain, NftTable, tableName } from './nft-table';

export interface PacketRule {
  chain: NftChain;
  /** Match and verdict words, e.g. ['ip', 'daddr', '127.0.0.1', 'tcp', 'dport', '4242', 'drop']. */
  rule: string[];
}

export interface InstalledRule {
  chain: NftChain;
  handle: number;
}

/** Tables this process has created and not yet removed: the 'exit' hook removes them. */
const live = new Set<PacketTable>();
let hooksInstalled = false;

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // Ctrl-C / SIGTERM: the graceful stop removes them; any exit (those included) removes the rest at once.
  onShutdown(async () => void (await Promise.allSettled([...live].map((t) => t.remove()))));
  process.on('exit', () => {
    for (const table of live) table.removeSync();
  });
}

/**
 * The packet-fault table of one cluster handle in this process (kchaos_<pid>_<n>). It exists only
 * while a packet fault is on: created (record first, then table) by the first rule, removed with
 * its record when the last rule goes, and removed on exit, on Ctrl-C, and by the reaper at the next
 * start after a crash. Calls are serialised: faults may be injected and healed concurrently.
 */
export class PacketTable {
  private readonly table: NftTable;
  private rules = 0;
  private created = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly name: string,
    run?: NftRunner,
  ) {
    this.table = new NftTable(name, run);
  }

  /** Adds the rules of one fault (the table is created first if needed); resolves with their handles. */
  add(rules: readonly PacketRule[]): Promise<InstalledRule[]> {
    return this.serial(async () => {
      if (!this.created) await this.create();
      const installed: InstalledRule[] = [];
      for (const { chain, rule } of rules) {
        installed.push({ chain, handle: await this.table.addRule(chain, rule) });
        this.rules++;
      }
      return installed;
    });
  }

  /** Removes rules added by `add`; the table goes with the last one. */
  delete(installed: readonly InstalledRule[]): Promise<void> {
    return this.serial(async () => {
      if (!this.created) return;
      for (const { chain, handle } of installed) {
        await this.table.deleteRule(chain, handle);
        this.rules--;
      }
      if (this.rules <= 0) await this.drop();
    });
  }

  /** Removes the table whatever it holds (rules a failed scenario left, a shutdown). */
  remove(): Promise<void> {
    return this.serial(() => this.drop());
  }

  /** The 'exit' hook's version: synchronous. */
  removeSync(): void {
    if (!this.created) return;
    if (deleteTableSync(this.name)) this.forget();
  }

  get exists(): boolean {
    return this.created;
  }

  private async create(): Promise<void> {
    installExitHooks();
    writeTableRecord(this.name); // before the table: a crash in between leaves a record, never a table without one
    live.add(this);
    this.created = true;
    await this.table.create();
  }

  private async drop(): Promise<void> {
    if (!this.created) return;
    await this.table.delete();
    this.forget();
  }

  private forget(): void {
    this.created = false;
    this.rules = 0;
    live.delete(this);
    removeTableRecord(this.name);
  }

  private serial<T>(action: () => Promise<T>): Promise<T> {
    const next = this.queue.then(action, action);
    this.queue = next.catch(() => {});
    return next;
  }
}

const perCluster = new WeakMap<object, PacketTable>();
let tablesMade = 0;

/** The packet-fault table for a cluster handle: one per handle and process, named kchaos_<pid>_<n>. */
export function packetTableFor(cluster: object, run?: NftRunner): PacketTable {
  let table = perCluster.get(cluster);
  if (!table) {
    table = new PacketTable(tableName(process.pid, ++tablesMade), run);
    perCluster.set(cluster, table);
  }
  return table;
}
