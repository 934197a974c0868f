/**
 * The copier's process (so the harness can SIGKILL or SIGSTOP it). Argument: one JSON object
 * CopierChildConfig. Speaks harness/transactions/copier-events.ts on stdout / stdin.
 */
import readline from 'node:readline';
import { loadConfluent } from '../clients/confluent-producer';
import { createJavaCopier } from './copier-java';
import { createKafkajsCopier } from './copier-kafkajs';
import { createLibrdkafkaCopier, type CopierClientConfig } from './copier-librdkafka';
import { CopierStopped, runCopyLoop, type CopierClient, type CopyLoopOptions } from './copier-loop';
import { STOPPED_EXIT_CODE, type CopierEvent } from './copier-events';

export interface CopierChildConfig {
  client: string;
  config: CopierClientConfig;
  loop: CopyLoopOptions;
}

/** The copier clients: librdkafka twice (node-rdkafka, and Confluent's client through its node-rdkafka API), kafkajs, Java (a JVM in the copier's process group). */
export const COPIER_CLIENTS: Record<string, (config: CopierClientConfig) => CopierClient> = {
  'node-rdkafka': (config) => createLibrdkafkaCopier(require('node-rdkafka'), 'node-rdkafka', config),
  confluent: (config) => createLibrdkafkaCopier(loadConfluent() as never, 'confluent', config),
  kafkajs: createKafkajsCopier,
  java: createJavaCopier,
};

const emit = (event: CopierEvent) => process.stdout.write(`${JSON.stringify(event)}\n`);

async function main(): Promise<void> {
  const { client: name, config, loop } = JSON.parse(process.argv[2] ?? '{}') as CopierChildConfig;
  const factory = COPIER_CLIENTS[name];
  if (!factory) throw new Error(`no copier for client ${JSON.stringify(name)}; known: ${Object.keys(COPIER_CLIENTS).join(', ')}`);
  const client = factory(config);
  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    await client.close(5_000);
    emit({ e: 'closed' });
    process.exit(0);
  };
  const commands = readline.createInterface({ input: process.stdin });
  commands.on('line', (line) => {
    if ((JSON.parse(line) as { cmd?: string }).cmd === 'close') void close();
  });
  commands.on('close', () => void close());
  await runCopyLoop(client, loop, (type, f, value) => emit({ e: 'op', type, f, value }), () => emit({ e: 'ready' }));
}

main().catch((error: unknown) => {
  emit({ e: 'error', message: `copier ${error instanceof CopierStopped ? 'stopped' : 'failed'}: ${error instanceof Error ? error.message : String(error)}` });
  process.exit(STOPPED_EXIT_CODE);
});
