import { PassThrough } from 'node:stream';
import { onJsonLines } from './json-lines';

test('onJsonLines: objects to onMessage, in order, across chunk boundaries and CRLF; other lines to onOther; blank lines skipped', async () => {
  const stream = new PassThrough();
  const messages: object[] = [];
  const others: string[] = [];
  const lines = onJsonLines(stream, (m) => messages.push(m), (l) => others.push(l));
  const closed = new Promise((resolve) => lines.once('close', resolve));
  stream.write('{"e":"ready"}\n{"e":"op",');
  stream.write('"n":1}\r\n\n   \nnot json\n[1,2]\nnull\n42\n');
  stream.end('{"e":"last"}');
  await closed;
  expect(messages).toEqual([{ e: 'ready' }, { e: 'op', n: 1 }, { e: 'last' }]);
  expect(others).toEqual(['not json', '[1,2]', 'null', '42']);
});
