import { HarnessError } from '../errors';

/**
 * node-rdkafka and Confluent's client each bundle a librdkafka. Built from source with shared
 * libraries (CKJS_LINKING=dynamic), both are named librdkafka.so.1, and the dynamic loader reuses a
 * library already loaded under that name: in one process the second client runs on the first one's
 * librdkafka (measured here: Confluent 1.10.1 reported 2.12.0, node-rdkafka's, instead of its own
 * 2.15.1). A number then belongs to another client than the one named, so a run refuses it.
 * `kchaos setup` renames Confluent's copies (provision/isolate-confluent-librdkafka.ts).
 */

/** The hint every mismatch error gives. */
export const OWN_LIBRDKAFKA_FIX =
  'run `npx kchaos setup`: it gives a source-built @confluentinc/kafka-javascript its own librdkafka file name (needs patchelf: apt-get install patchelf)';

/** The librdkafka a package declares it bundles (its package.json's `librdkafka`); undefined when it does not say. */
export function bundledLibrdkafka(pkg: string, require_: (id: string) => unknown = require): string | undefined {
  try {
    return (require_(`${pkg}/package.json`) as { librdkafka?: string }).librdkafka;
  } catch {
    return undefined;
  }
}

/** Undefined when `loaded` is the librdkafka the package was built with, else the reason it is not. */
export function librdkafkaMismatch(client: string, loaded: string | undefined, builtWith: string | undefined): string | undefined {
  if (loaded === undefined || builtWith === undefined || loaded === builtWith) return undefined;
  return `client "${client}" is running on librdkafka ${loaded}, not the ${builtWith} its package was built with: another client's librdkafka.so.1 was loaded first in this process`;
}

/** Throws one HarnessError naming the fix when a client runs on another client's librdkafka. */
export function assertOwnLibrdkafka(client: string, loaded: string | undefined, builtWith: string | undefined): void {
  const mismatch = librdkafkaMismatch(client, loaded, builtWith);
  if (mismatch) throw new HarnessError(mismatch, { hint: OWN_LIBRDKAFKA_FIX });
}
