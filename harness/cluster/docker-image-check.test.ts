import { HarnessError } from '../errors';
import { ensureImages, ImageStore } from './docker-image-check';

const store = (present: string[], pullable: string[] = []): ImageStore & { pulled: string[] } => {
  const pulled: string[] = [];
  return {
    pulled,
    exists: async (image) => present.includes(image),
    pull: async (image) => {
      if (!pullable.includes(image)) throw new Error(`Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host\nmore`);
      pulled.push(image);
    },
  };
};

test('images on the engine: nothing pulled, no error', async () => {
  const s = store(['a:1', 'b:2']);
  await ensureImages(['a:1', 'b:2', 'a:1'], s, '4.3.1', () => {});
  expect(s.pulled).toEqual([]);
});

test('a missing image that can be pulled is pulled once', async () => {
  const s = store(['a:1'], ['b:2']);
  await ensureImages(['a:1', 'b:2', 'b:2'], s, '4.3.1', () => {});
  expect(s.pulled).toEqual(['b:2']);
});

test('a missing image that cannot be pulled: one error naming both images, the reason, --backend local and the build command', async () => {
  const error = await ensureImages(['apache/kafka:4.3.1', 'ghcr.io/shopify/toxiproxy:2.12.0'], store([]), '4.3.1', () => {}).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(HarnessError);
  const message = (error as Error).message;
  expect(message).toMatch(/^--backend docker: apache\/kafka:4\.3\.1 and ghcr\.io\/shopify\/toxiproxy:2\.12\.0 are not on this Docker engine and cannot be pulled \(Get "https:\/\/registry-1\.docker\.io\/v2\/": dial tcp: lookup registry-1\.docker\.io: no such host\)/);
  expect(message).toContain('--backend local');
  expect(message).toContain('kchaos docker build-images');
  expect(message).toContain('--kafka-image kchaos/kafka:4.3.1 --toxiproxy-image kchaos/toxiproxy:2.12.0');
  expect(message).toContain('KCHAOS_KAFKA_IMAGE');
});
