/**
 * One honest line per fault kind, shown in the report next to each fault: what the harness
 * really does, and how it differs from the failure it imitates (DESIGN.md, Topology). A reader
 * who sees "blackhole" must not conclude "real partition".
 */
export const FAULT_EXPLANATIONS: Readonly<Record<string, string>> = {
  refuse: 'proxy disabled: connections refused at once, like a closed port',
  blackhole: 'Toxiproxy timeout toxic with timeout 0: TCP accepted, nothing passes; clients wait for their request timeout; held data is delivered on heal; a real partition that drops SYNs behaves like neither',
  'ack-loss': 'Toxiproxy timeout toxic (timeout 0) on the downstream only: requests reach the broker, its responses are held back, so the broker writes batches the producer never hears about and the producer sees timeouts for writes that succeeded',
  latency: 'Toxiproxy latency toxic: every chunk is delayed (plus jitter); nothing is dropped, but requests slower than the client\'s timeout fail although the broker may still write them',
  bandwidth: 'Toxiproxy bandwidth toxic: throughput capped; large batches take longer and may exceed request timeouts; nothing is dropped',
  'reset-peer': 'Toxiproxy reset_peer toxic: connections are closed with a TCP RST; requests in flight fail with a connection error, their outcome unknown to the client',
  'slow-close': 'Toxiproxy slow_close toxic: the proxy delays closing connections; matters to clients that close and reconnect, not to data in flight',
  slicer: 'Toxiproxy slicer toxic: data is cut into small chunks with pauses between them; tests partial reads and framing, drops nothing',
  'limit-data': 'Toxiproxy limit_data toxic: a connection is closed after a number of bytes; requests in flight at that moment get no answer',
  partition: 'nftables drops every packet to and from the proxy\'s port (a real partition, not Toxiproxy): a new connection\'s SYN is lost, so connects hang until the client\'s connect timeout; open connections hang and the kernel retransmits, so with onHeal resume what was held still arrives after heal, with drop-connections it never does',
  'partition-oneway': 'nftables drops only the packets from the proxy\'s port: requests reach the broker and are written, responses (and SYN-ACKs) never come back, so the producer times out on writes that succeeded and cannot open new connections',
  'tcp-reset': 'nftables answers every packet to the proxy\'s port with a TCP RST from the kernel (not Toxiproxy\'s reset-peer, which accepts the connection and resets it later): connects are refused at once, an open connection is reset by its next segment',
  flap: 'the proxy is disabled and enabled again every periodMs: connections are refused, come back, and are refused again',
  kill: 'broker process killed with SIGKILL: no controlled shutdown, leadership moves once the controller notices; the host keeps running, so data in the OS page cache survives (unlike a power loss); healed by starting it again with its data',
  stop: 'broker stopped with SIGTERM: controlled shutdown, leadership moves away before the process exits',
  pause: 'broker process frozen with SIGSTOP (SIGCONT on heal): its sockets stay open and nothing answers, like a long GC pause; it may come back still believing it leads',
  restart: 'broker stopped with SIGTERM and started again with the same config and data: leadership moves away, then may return',
};

/** A link fault with link 'replication' acts on the proxy in front of the broker's INTERNAL listener. */
export const REPLICATION_LINK_EXPLANATION =
  'on the replication link: acts on the followers fetching from this broker (not on the producer); cut long enough, they leave the ISR after replica.lag.time.max.ms';

/** The explanation for a fault kind (and link), or a line saying there is none (never silence). */
export function explainFault(kind: string, link?: string): string {
  const line = Object.prototype.hasOwnProperty.call(FAULT_EXPLANATIONS, kind)
    ? FAULT_EXPLANATIONS[kind]
    : `no explanation recorded for fault kind "${kind}"; see the fault's definition`;
  return link === 'replication' ? `${REPLICATION_LINK_EXPLANATION}; ${line}` : line;
}
