import { DEFAULT_KAFKA_VERSION } from '../provision/kafka-jars';
import { TOXIPROXY_VERSION } from '../provision/toxiproxy-binary';

/**
 * Tags of the images `kchaos docker build-images` builds offline. They are not the public names
 * (apache/kafka, ghcr.io/shopify/toxiproxy): a stand-in built on this machine must never pass for
 * the image its name promises. Use them with --kafka-image / --toxiproxy-image or the variables.
 */
export const LOCAL_IMAGE_REPOSITORY = 'kchaos';
export const localKafkaImage = (kafkaVersion: string = DEFAULT_KAFKA_VERSION) => `${LOCAL_IMAGE_REPOSITORY}/kafka:${kafkaVersion}`;
export const localToxiproxyImage = () => `${LOCAL_IMAGE_REPOSITORY}/toxiproxy:${TOXIPROXY_VERSION.replace(/^v/, '')}`;

/** Environment variables naming the images (the flags win). */
export const KAFKA_IMAGE_ENV = 'KCHAOS_KAFKA_IMAGE';
export const TOXIPROXY_IMAGE_ENV = 'KCHAOS_TOXIPROXY_IMAGE';

/** The command that builds the stand-ins, as an error message names it. */
export const BUILD_IMAGES_COMMAND = 'kchaos docker build-images';

/** The flags that select the locally built images, for messages. */
export function useLocalImagesFlags(kafkaVersion: string = DEFAULT_KAFKA_VERSION): string {
  return `--kafka-image ${localKafkaImage(kafkaVersion)} --toxiproxy-image ${localToxiproxyImage()}`;
}
