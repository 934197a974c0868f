/**
 * The child process a consumer under test runs in, so that a crash is a real SIGKILL (no close, no
 * commit, no LeaveGroup: the group waits for session.timeout.ms). Argument: one JSON object
 * { client, bootstrap, topic, settings, consumerId }. Writes ConsumerEvents as JSON lines on stdout
 * (docs/consumer-protocol.md); reads commands from stdin: {"cmd":"close","timeoutMs":N}. Exits when
 * closed, or when stdin ends (the harness went away).
 */
import readline from 'node:readline';
import { CONSUMERS } from './consumers';
import type { ConsumerEvent } from './consumer-events';
import type { ConsumerHooks, ConsumerSettings } from './consumer-under-test';
import { createApplication } from './processing-mode';

interface ChildConfig {
  client: string;
  bootstrap: string;
  topic: string;
  settings: ConsumerSettings;
  consumerId: string;
}

const emit = (event: ConsumerEvent) => process.stdout.write(`${JSON.stringify(event)}\n`);

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
  const factory = (CONSUMERS as Record<string, (typeof CONSUMERS)[keyof typeof CONSUMERS] | undefined>)[config.client];
  if (!factory) throw new Error(`no consumer for client ${JSON.stringify(config.client)}; known: ${Object.keys(CONSUMERS).join(', ')}`);
  const consumer = factory(config.bootstrap, config.topic, config.settings, config.consumerId);
  const handle = createApplication(config.settings.mode, config.settings.processingMs, emit);
  let autoCommitId = 0;
  const hooks: ConsumerHooks = {
    assigned: (partitions, generation) => emit({ e: 'assigned', partitions, generation }),
    revoked: (partitions, generation) => emit({ e: 'revoked', partitions, generation }),
    delivered: (records, offsets) => {
      emit({ e: 'poll', records });
      return handle(records, offsets);
    },
    autoCommitted: (offsets, error) => {
      const id = autoCommitId++;
      emit({ e: 'commit', phase: 'invoke', id, offsets, auto: true });
      emit({ e: 'commit', phase: error ? 'fail' : 'ok', id, offsets, auto: true, ...(error ? { error } : {}) });
    },
    error: (message) => emit({ e: 'error', message }),
  };
  let closing = false;
  const close = async (timeoutMs: number) => {
    if (closing) return;
    closing = true;
    await consumer.close(timeoutMs);
    emit({ e: 'closed' });
    process.exit(0);
  };
  const commands = readline.createInterface({ input: process.stdin });
  commands.on('line', (line) => {
    const command = JSON.parse(line) as { cmd: string; timeoutMs?: number };
    if (command.cmd === 'close') void close(command.timeoutMs ?? 10_000);
  });
  commands.on('close', () => void close(5_000));
  await consumer.start(hooks);
  emit({ e: 'ready' });
}

main().catch((error: unknown) => {
  emit({ e: 'error', message: `consumer child: ${error instanceof Error ? error.message : String(error)}` });
  process.exit(3);
});
