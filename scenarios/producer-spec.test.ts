import path from 'node:path';
import { defineScenario } from './define-scenario';
import { checkProducerSpec, resolveModulePath } from './producer-spec';

const thisFile = __filename;
const base = { name: 'team/outbox/k1-down' };

test('a module producer makes the client "custom" and its path absolute', () => {
  const relative = path.relative(process.cwd(), thisFile);
  const s = defineScenario({ ...base, producer: { module: `./${relative}` } });
  expect(s.client).toBe('custom');
  expect(s.producer).toEqual({ module: thisFile });
});

test('a module path may leave out the extension, as with require', () => {
  const withoutExt = thisFile.replace(/\.ts$/, '');
  expect(defineScenario({ ...base, producer: { module: withoutExt, export: 'makeIt' } }).producer).toEqual({ module: thisFile, export: 'makeIt' });
  expect(resolveModulePath(withoutExt)).toBe(thisFile);
});

test('a package name is kept as given, for require to find at run time', () => {
  expect(defineScenario({ ...base, producer: { module: '@team/kafka-producer' } }).producer).toEqual({ module: '@team/kafka-producer' });
});

test('a command producer keeps its argument list', () => {
  const s = defineScenario({ ...base, producer: { command: ['python3', 'producer.py', '--acks', 'all'] } });
  expect(s).toMatchObject({ client: 'custom', producer: { command: ['python3', 'producer.py', '--acks', 'all'] } });
});

test('client "custom" with a producer is accepted (a resolved scenario defines to itself)', () => {
  const once = defineScenario({ ...base, producer: { command: ['node', 'p.js'] } });
  expect(defineScenario(once)).toEqual(once);
});

test('a scenario without producer is unchanged: no producer field', () => {
  expect(defineScenario({ ...base, client: 'kafkajs' })).not.toHaveProperty('producer');
});

test.each([
  [{ ...base, client: 'kafkajs', producer: { module: thisFile } }, /\.producer: cannot be combined with client "kafkajs"[\s\S]*either client .* or producer/],
  [{ ...base }, /\.client: is missing[\s\S]*or your own producer: \{ module/],
  [{ ...base, client: 'custom' }, /\.client: "custom" needs a producer field/],
  [{ ...base, producer: 'python3 producer.py' }, /\.producer: "python3 producer.py" is not an object/],
  [{ ...base, producer: {} }, /\.producer: has neither module nor command/],
  [{ ...base, producer: { module: thisFile, command: ['node'] } }, /\.producer: has both module and command/],
  [{ ...base, producer: { command: 'python3 producer.py' } }, /\.producer\.command: "python3 producer.py" is not a non-empty list[\s\S]*no shell string/],
  [{ ...base, producer: { command: [] } }, /\.producer\.command: \[\] is not a non-empty list/],
  [{ ...base, producer: { command: ['', 'x'] } }, /\.producer\.command\[0\]: "" is not a program name/],
  [{ ...base, producer: { command: ['node', 3] } }, /\.producer\.command\[1\]: 3 is not a string/],
  [{ ...base, producer: { command: ['node'], cwd: '/tmp' } }, /\.producer\.cwd: unknown field/],
  [{ ...base, producer: { module: '' } }, /\.producer\.module: "" is not a module path/],
  [{ ...base, producer: { module: './no/such/producer.ts' } }, /\.producer\.module: no file .*no\/such\/producer\.ts[\s\S]*resolved against the working directory/],
  [{ ...base, producer: { module: thisFile, export: 'create-producer' } }, /\.producer\.export: "create-producer" is not an export name/],
  [{ ...base, producer: { module: thisFile, exports: 'createProducer' } }, /\.producer\.exports: unknown field[\s\S]*module, export/],
])('rejects %j with one error naming the field', (input, message) => {
  expect(() => defineScenario(input as never)).toThrow(message);
});

test('checkProducerSpec resolves relative module paths against the base folder it is given', () => {
  expect(checkProducerSpec('p', { module: `./${path.basename(thisFile)}` }, __dirname)).toEqual({ module: thisFile });
});
