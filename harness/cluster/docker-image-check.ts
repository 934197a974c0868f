import { HarnessError } from '../errors';
import { BUILD_IMAGES_COMMAND, KAFKA_IMAGE_ENV, TOXIPROXY_IMAGE_ENV, useLocalImagesFlags } from '../docker-images/image-names';

/** What the check needs of an engine (testcontainers' image client fits; a unit test passes a fake). */
export interface ImageStore {
  exists(image: string): Promise<boolean>;
  pull(image: string): Promise<void>;
}

/**
 * Every image is on the engine, or is pulled now; an image that is neither stops the start at once,
 * before any container or network exists, with one error naming the way out: the offline build or
 * the local backend. (Without this, an engine that cannot reach a registry fails inside the first
 * container's start with the registry's DNS error, which names neither.)
 */
export async function ensureImages(images: string[], store: ImageStore, kafkaVersion: string, log: (line: string) => void): Promise<void> {
  const missing: Array<{ image: string; reason: string }> = [];
  for (const image of [...new Set(images)]) {
    if (await store.exists(image)) continue;
    log(`cluster: pulling ${image}`);
    try {
      await store.pull(image);
    } catch (error) {
      missing.push({ image, reason: firstLine(error) });
    }
  }
  if (missing.length === 0) return;
  throw new HarnessError(
    `--backend docker: ${missing.map((m) => m.image).join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not on this Docker engine and cannot be pulled (${missing[0].reason})`,
    { hint: `use --backend local (JVMs on this machine), or build the images offline with \`${BUILD_IMAGES_COMMAND}\` and run with ${useLocalImagesFlags(kafkaVersion)} (or set ${KAFKA_IMAGE_ENV} and ${TOXIPROXY_IMAGE_ENV})` },
  );
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0].slice(0, 300);
}
