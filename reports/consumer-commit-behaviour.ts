/**
 * What a processing mode asks of the client, and what each client was measured to do with it
 * (README "Consumers", docs/measured/consumers-repeat.md): the words the report shows beside a
 * consumer scenario's counts, so a reader sees why at most once lost or at least once duplicated.
 * A mode or client not listed here (a team's own consumer, a new mode) gets the generic words.
 */

const MODE_WORDS: Readonly<Record<string, string>> = {
  'auto-commit': 'auto-commit: the library commits on its own timer (or record threshold) what it considers consumed; the application never commits',
  'store-after-processing': 'store after processing: auto-commit on, and the application marks each record processed itself (librdkafka offsetsStore, kafkajs resolveOffset)',
  'commit-before-processing': 'commit before processing (at most once): the application commits a batch\'s next offsets, then processes it',
  'commit-after-processing': 'commit after processing (at least once): the application processes a record, then commits the offset after it',
  'commit-per-batch': 'commit per batch: the application processes a whole batch, then commits its next offsets',
};

/** Measured client facts per mode ("*" = every application-commit mode). */
const CLIENT_WORDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  kafkajs: {
    'auto-commit': 'kafkajs commits offsets resolved after eachMessage / eachBatch returned, every autoCommitInterval ms or autoCommitThreshold records, and on close',
  },
  'node-rdkafka': {
    'auto-commit': 'librdkafka (enable.auto.offset.store=true) stores an offset when it hands the message to the application, so its timer can commit records not processed yet',
    '*': 'node-rdkafka commits through librdkafka; an application commit waits for the broker\'s answer',
  },
  confluent: {
    'auto-commit': "Confluent's KafkaJS-compatible API stores an offset only after eachMessage returned",
    '*': "Confluent's commitOffsets() resolves when librdkafka has queued the commit, not when the broker accepted it: an \"ok\" commit can still be lost by a crash or a coordinator outage",
  },
  java: {
    'auto-commit': 'the Java KafkaConsumer commits, inside poll(), the positions of records earlier polls returned; failed auto commits are not visible to the application',
    '*': 'the Java driver commits with commitSync (it waits for the broker); after a failed commit it seeks back to the unprocessed records',
  },
};

const AUTO_MODES = new Set(['auto-commit', 'store-after-processing']);

/** One or two sentences: the mode's meaning, then what this client does with it when measured. */
export function commitBehaviour(client: string, mode: string): string {
  const modeText = MODE_WORDS[mode] ?? `processing mode "${mode}" (no description recorded in this report version)`;
  const byClient = Object.hasOwn(CLIENT_WORDS, client) ? CLIENT_WORDS[client] : undefined;
  const clientText = byClient ? (byClient[mode] ?? (AUTO_MODES.has(mode) ? undefined : byClient['*'])) : undefined;
  return clientText ? `${modeText}. ${clientText}.` : `${modeText}.${byClient ? '' : ` No measured note for client "${client}".`}`;
}
