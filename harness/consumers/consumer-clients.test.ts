import fs from 'node:fs';
import { COMMAND_CONSUMER_CLIENTS, CONSUMER_CLIENTS, LIBRARY_CONSUMER_CLIENTS } from './consumer-clients';
import { CONSUMERS } from './consumers';
import { JAVA_CONSUMER_DRIVER_SOURCE } from './java-consumer-driver';

test('every library client has an adapter in the child; a command client has none (it is its own process)', () => {
  expect(Object.keys(CONSUMERS).sort()).toEqual([...LIBRARY_CONSUMER_CLIENTS].sort());
  for (const client of COMMAND_CONSUMER_CLIENTS) expect(Object.keys(CONSUMERS)).not.toContain(client);
  expect(new Set(CONSUMER_CLIENTS).size).toBe(LIBRARY_CONSUMER_CLIENTS.length + COMMAND_CONSUMER_CLIENTS.length);
});

test('the Java consumer driver speaks the protocol\'s events and answers close (docs/consumer-protocol.md)', () => {
  const source = fs.readFileSync(JAVA_CONSUMER_DRIVER_SOURCE, 'utf8');
  for (const event of ['ready', 'assigned', 'revoked', 'poll', 'process', 'commit', 'error', 'closed']) expect(source).toContain(`"${event}"`);
  expect(source).toContain('"close".equals(command.path("cmd")');
});
