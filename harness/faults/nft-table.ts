import { expectOk, isNoSuchObject, NftRunner, NftSyncRunner, runNft, runNftSync } from './nft-command';

/** Every table the harness creates is named kchaos_<owner pid>_<n>; nothing else is ever touched. */
export const TABLE_PREFIX = 'kchaos_';
/** inet: one table holds IPv4 and IPv6 rules. */
export const TABLE_FAMILY = 'inet';
/** Requests leave through output; answers (from the proxy, local or remote) arrive through input. */
export type NftChain = 'output' | 'input';
const CHAINS: readonly NftChain[] = ['output', 'input'];

/** A table name owned by `ownerPid`: kchaos_<pid>_<suffix>. */
export function tableName(ownerPid: number, suffix: string | number): string {
  return `${TABLE_PREFIX}${ownerPid}_${suffix}`;
}

/** The owner pid a harness table name carries, or undefined for any other table. */
export function tableOwnerPid(name: string): number | undefined {
  const match = /^kchaos_(\d+)_\w+$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** Table names (family inet) in `nft list tables` output. */
export function inetTableNames(listOutput: string): string[] {
  return listOutput.split('\n').map((line) => /^table inet (\S+)$/.exec(line.trim())?.[1]).filter((name): name is string => name !== undefined);
}

/**
 * One nftables table with a base chain on the output hook and one on the input hook, both
 * accepting by default: rules are added (and removed by their handle) by packet faults.
 */
export class NftTable {
  constructor(
    readonly name: string,
    private readonly run: NftRunner = runNft,
  ) {}

  async create(): Promise<void> {
    await this.must(['add', 'table', TABLE_FAMILY, this.name], 'creating the packet-fault table');
    for (const chain of CHAINS) {
      await this.must(['add', 'chain', TABLE_FAMILY, this.name, chain, '{', 'type', 'filter', 'hook', chain, 'priority', '0', ';', 'policy', 'accept', ';', '}'], `creating its ${chain} chain`);
    }
  }

  /** Adds `rule` (match and verdict words) to `chain`; resolves with the rule's handle. */
  async addRule(chain: NftChain, rule: string[]): Promise<number> {
    const output = await this.must(['--echo', '--handle', 'add', 'rule', TABLE_FAMILY, this.name, chain, ...rule], 'adding a packet-fault rule');
    const handle = /# handle (\d+)/.exec(output)?.[1];
    if (handle === undefined) throw new Error(`nft gave no handle for the rule ${rule.join(' ')} (output: ${output.trim()})`);
    return Number(handle);
  }

  /** Removes one rule; a rule already gone is fine. */
  async deleteRule(chain: NftChain, handle: number): Promise<void> {
    const args = ['delete', 'rule', TABLE_FAMILY, this.name, chain, 'handle', String(handle)];
    const result = await this.run(args);
    if (!result.ok && !isNoSuchObject(result)) expectOk(result, args, 'removing a packet-fault rule');
  }

  /** Removes the table and every rule in it; a table already gone is fine. */
  async delete(): Promise<void> {
    const args = ['delete', 'table', TABLE_FAMILY, this.name];
    const result = await this.run(args);
    if (!result.ok && !isNoSuchObject(result)) expectOk(result, args, 'removing the packet-fault table');
  }

  private async must(args: string[], what: string): Promise<string> {
    return expectOk(await this.run(args), args, what);
  }
}

/** Deletes a table synchronously (exit hook, reaper); true when it is gone (or was never there). */
export function deleteTableSync(name: string, run: NftSyncRunner = runNftSync): boolean {
  const result = run(['delete', 'table', TABLE_FAMILY, name]);
  return result.ok || isNoSuchObject(result);
}
