/**
 * The fault catalogue (DESIGN.md, faults[].kind), by layer: link faults through Toxiproxy (L4),
 * packet faults through the kernel's packet filter (nftables, L3/L4 by port), process faults
 * through signals. What each one really does is said once, in reports/fault-explanations.ts.
 */

/** Link faults: injected on one broker's Toxiproxy proxy. */
export const LINK_FAULT_KINDS = [
  'refuse', 'blackhole', 'ack-loss', 'latency', 'bandwidth', 'reset-peer', 'slow-close', 'slicer', 'limit-data', 'flap',
] as const;
export type LinkFaultKind = (typeof LINK_FAULT_KINDS)[number];

/** Process faults: signals to one broker's JVM (local backend). */
export const PROCESS_FAULT_KINDS = ['kill', 'stop', 'pause', 'restart'] as const;
export type ProcessFaultKind = (typeof PROCESS_FAULT_KINDS)[number];

/**
 * Packet faults: nftables rules on the packets between the producer and one broker's proxy, by its
 * address and port (harness/faults/packet-fault.ts). Named apart from Toxiproxy's kinds: `tcp-reset`
 * is the kernel answering every packet with a TCP RST, `reset-peer` a Toxiproxy toxic.
 */
export const PACKET_FAULT_KINDS = ['partition', 'partition-oneway', 'tcp-reset'] as const;
export type PacketFaultKind = (typeof PACKET_FAULT_KINDS)[number];

export const FAULT_KINDS = [...LINK_FAULT_KINDS, ...PACKET_FAULT_KINDS, ...PROCESS_FAULT_KINDS] as const;
export type FaultKind = LinkFaultKind | PacketFaultKind | ProcessFaultKind;

/**
 * What healing a packet fault does to the connections that lived through it. 'resume': the rules
 * go, the sockets stay, and the kernel's retransmissions deliver what was held (late).
 * 'drop-connections': those connections are destroyed first (`ss -K`, the peer gets a RST), so
 * nothing held is ever delivered, as after a partition longer than TCP's patience.
 */
export const HEAL_MODES = ['resume', 'drop-connections'] as const;
export type HealMode = (typeof HEAL_MODES)[number];

/** Heal modes a packet fault accepts, first = default; empty: the fault takes no onHeal (tcp-reset resets every connection itself). */
export const HEAL_RULES: Readonly<Record<PacketFaultKind, readonly HealMode[]>> = {
  partition: HEAL_MODES,
  'partition-oneway': HEAL_MODES,
  'tcp-reset': [],
};

/**
 * Which way a toxic acts, in Toxiproxy's terms: 'upstream' = client → broker (requests, or a
 * follower's fetch requests on the replication link), 'downstream' = broker → client (responses).
 */
export const DIRECTIONS = ['both', 'upstream', 'downstream'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/**
 * Which proxy of the target broker a link fault acts on: 'client' (the producer under test ↔ the
 * broker) or 'replication' (followers fetching from the broker; local backend only).
 */
export const LINKS = ['client', 'replication'] as const;
export type LinkName = (typeof LINKS)[number];

/** Fault-specific parameters; which ones a kind takes, and their defaults, are in FAULT_PARAMETERS. */
export interface FaultParameters {
  /** latency: delay added to every chunk of data, in ms. @default 1000 */
  latencyMs?: number;
  /** latency: ± random variation of the delay, in ms. @default 0 */
  jitterMs?: number;
  /** bandwidth: cap in KB/s. @default 10 */
  rateKBps?: number;
  /** reset-peer: ms after which a connection is reset (0: when data arrives). @default 0 */
  timeoutMs?: number;
  /** slow-close: ms by which closing a connection is delayed. @default 1000 */
  delayMs?: number;
  /** slicer: average chunk size in bytes. @default 64 */
  averageSizeBytes?: number;
  /** slicer: ± variation of the chunk size in bytes (smaller than averageSizeBytes). @default 32 */
  sizeVariationBytes?: number;
  /** slicer: pause between chunks in microseconds. @default 1000 */
  delayUs?: number;
  /** limit-data: bytes a connection may carry before it is closed. @default 4096 */
  bytes?: number;
  /** flap: the proxy is disabled for periodMs, enabled for periodMs, and so on until healed. @default 1000 */
  periodMs?: number;
  /** stop, restart: ms between SIGTERM and SIGKILL when the controlled shutdown hangs. @default 30000 */
  graceMs?: number;
  /** restart: ms between the broker's exit and its start. @default 0 */
  downMs?: number;
}
export type FaultParameterName = keyof FaultParameters;

/** One fault of a scenario, as scenarios declare it and results.json shows it (defaults applied). */
export interface FaultSpec extends FaultParameters {
  kind: FaultKind;
  /** A broker ("k1") or a role resolved when the scenario starts ("leaderOf(0)"). */
  target: string;
  /** ms after the workload starts (the producer is connected); 0: before the producer connects. @default 0 */
  atMs: number;
  /** ms after the workload starts; null heals when the workload ends, before verification. @default null */
  healAtMs: number | null;
  /** Link faults with a direction (see DIRECTION_RULES). @default 'both' ('downstream' for ack-loss) */
  direction?: Direction;
  /** Link and packet faults only. @default 'client' */
  link?: LinkName;
  /** Packet faults with a heal mode (see HEAL_RULES). @default 'resume' */
  onHeal?: HealMode;
}

export interface ParameterRule {
  default: number;
  /** Smallest allowed value; every parameter is an integer. */
  min: number;
}

/** The parameters each kind takes, with defaults (documented on FaultParameters) and bounds. */
export const FAULT_PARAMETERS: Readonly<Record<FaultKind, Partial<Record<FaultParameterName, ParameterRule>>>> = {
  refuse: {},
  blackhole: {},
  'ack-loss': {},
  latency: { latencyMs: { default: 1000, min: 0 }, jitterMs: { default: 0, min: 0 } },
  bandwidth: { rateKBps: { default: 10, min: 1 } },
  'reset-peer': { timeoutMs: { default: 0, min: 0 } },
  'slow-close': { delayMs: { default: 1000, min: 0 } },
  slicer: { averageSizeBytes: { default: 64, min: 1 }, sizeVariationBytes: { default: 32, min: 0 }, delayUs: { default: 1000, min: 0 } },
  'limit-data': { bytes: { default: 4096, min: 1 } },
  flap: { periodMs: { default: 1000, min: 100 } },
  partition: {},
  'partition-oneway': {},
  'tcp-reset': {},
  kill: {},
  stop: { graceMs: { default: 30_000, min: 0 } },
  pause: {},
  restart: { graceMs: { default: 30_000, min: 0 }, downMs: { default: 0, min: 0 } },
};

/**
 * Directions a link fault accepts, first = default; empty = the fault acts on the whole proxy
 * (refuse, flap disable it) and takes no direction.
 */
export const DIRECTION_RULES: Readonly<Record<LinkFaultKind, readonly Direction[]>> = {
  refuse: [],
  flap: [],
  // Requests reach the broker, responses never come back: downstream only, by definition.
  'ack-loss': ['downstream'],
  blackhole: DIRECTIONS,
  latency: DIRECTIONS,
  bandwidth: DIRECTIONS,
  'reset-peer': DIRECTIONS,
  'slow-close': DIRECTIONS,
  slicer: DIRECTIONS,
  'limit-data': DIRECTIONS,
};

export function isLinkFault(kind: FaultKind): kind is LinkFaultKind {
  return (LINK_FAULT_KINDS as readonly string[]).includes(kind);
}

export function isProcessFault(kind: FaultKind): kind is ProcessFaultKind {
  return (PROCESS_FAULT_KINDS as readonly string[]).includes(kind);
}

export function isPacketFault(kind: FaultKind): kind is PacketFaultKind {
  return (PACKET_FAULT_KINDS as readonly string[]).includes(kind);
}

/** Faults that act on a broker's link (client or replication): Toxiproxy's and the packet filter's. */
export function actsOnLink(kind: FaultKind): kind is LinkFaultKind | PacketFaultKind {
  return isLinkFault(kind) || isPacketFault(kind);
}

/** The fault's parameters with their values (for the history and the report). */
export function faultParameters(fault: FaultSpec): Partial<Record<FaultParameterName, number>> {
  const names = Object.keys(FAULT_PARAMETERS[fault.kind]) as FaultParameterName[];
  return Object.fromEntries(names.filter((n) => fault[n] !== undefined).map((n) => [n, fault[n]]));
}

/** Targets (a broker or a role) are parsed and resolved in fault-target.ts; re-exported for existing imports. */
export { isValidTarget, resolveTarget } from './fault-target';
