import { CONFLUENT_PACKAGE } from './confluent-producer';

/**
 * Clients whose library is an optional dependency: npm leaves it out when its native build fails
 * (Confluent's client needs CKJS_LINKING=dynamic where its prebuilt binary cannot be downloaded).
 */
const OPTIONAL_CLIENT_PACKAGES: Record<string, string> = { confluent: CONFLUENT_PACKAGE };

/** Whether a client's library can be loaded here; the required clients always can. */
export function isClientInstalled(client: string | undefined, resolve: (id: string) => string = require.resolve): boolean {
  const pkg = client === undefined ? undefined : OPTIONAL_CLIENT_PACKAGES[client];
  if (pkg === undefined) return true;
  try {
    resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

/** The package to install for an optional client that is missing, with how. */
export function installHint(client: string): string {
  return `CKJS_LINKING=dynamic npm install ${OPTIONAL_CLIENT_PACKAGES[client] ?? client}`;
}
