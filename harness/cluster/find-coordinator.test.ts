import net from 'node:net';
import { decodeFindCoordinator, encodeFindCoordinator, findCoordinator } from './find-coordinator';

/** A broker that answers FindCoordinator with the scripted error codes, then node 2. */
async function fakeBroker(errors: number[]): Promise<{ address: string; requests: Array<{ key: string; keyType: number }>; close: () => void }> {
  const requests: Array<{ key: string; keyType: number }> = [];
  const server = net.createServer((socket) => {
    socket.on('data', (data: Buffer) => {
      // size, api key, version, correlation id, client id, key, key type
      const clientIdLength = data.readInt16BE(12);
      const keyAt = 14 + clientIdLength;
      const keyLength = data.readInt16BE(keyAt);
      requests.push({ key: data.toString('utf8', keyAt + 2, keyAt + 2 + keyLength), keyType: data.readInt8(keyAt + 2 + keyLength) });
      const error = errors.shift() ?? 0;
      const host = Buffer.from('127.0.0.1');
      const body = Buffer.alloc(4 + 4 + 2 + 2 + 4 + 2 + host.length + 4);
      let at = body.writeInt32BE(data.readInt32BE(8), 0); // correlation id
      at = body.writeInt32BE(0, at); // throttle
      at = body.writeInt16BE(error, at);
      at = body.writeInt16BE(-1, at); // error message: null
      at = body.writeInt32BE(error === 0 ? 2 : -1, at);
      at = body.writeInt16BE(host.length, at);
      at += host.copy(body, at);
      body.writeInt32BE(9092, at);
      const size = Buffer.alloc(4);
      size.writeInt32BE(body.length);
      socket.end(Buffer.concat([size, body]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { address: `127.0.0.1:${(server.address() as net.AddressInfo).port}`, requests, close: () => server.close() };
}

test('the request is FindCoordinator v1 with key and key type; the answer decodes', () => {
  const request = encodeFindCoordinator(7, 'transaction', 'tx-1');
  expect(request.readInt32BE(0)).toBe(request.length - 4);
  expect([request.readInt16BE(4), request.readInt16BE(6), request.readInt32BE(8)]).toEqual([10, 1, 7]);
  expect(request.subarray(-7).toString('hex')).toBe(`0004${Buffer.from('tx-1').toString('hex')}01`);
  const answer = Buffer.from('00000007' + '00000000' + '0000' + 'ffff' + '00000003' + '0001' + '68' + '00002384', 'hex');
  expect(decodeFindCoordinator(answer)).toEqual({ correlationId: 7, errorCode: 0, errorMessage: null, nodeId: 3, host: 'h', port: 9092 });
});

test('asks again while the coordinator is being set up (COORDINATOR_NOT_AVAILABLE), then answers its node id', async () => {
  const broker = await fakeBroker([15, 15]);
  try {
    expect(await findCoordinator(broker.address, 'group', 'orders', 10_000)).toBe(2);
    expect(broker.requests).toEqual([{ key: 'orders', keyType: 0 }, { key: 'orders', keyType: 0 }, { key: 'orders', keyType: 0 }]);
  } finally {
    broker.close();
  }
});

test('a non-retriable error ends the lookup at once, naming the key and the Kafka error', async () => {
  const broker = await fakeBroker([53]);
  try {
    await expect(findCoordinator(broker.address, 'transaction', 'tx-1', 10_000)).rejects.toThrow(/the transaction coordinator of "tx-1" .*Kafka error 53/);
    expect(broker.requests).toHaveLength(1);
  } finally {
    broker.close();
  }
});
