/**
 * Loads a team's module (a scenario file, a producer module) by path. A TypeScript file loads
 * through tsx, registered on first need: the compiled package never loads tsx for JavaScript, and
 * where TypeScript is already handled (tsx's own CLI, ts-node, jest's transform) nothing is added.
 */

const TYPESCRIPT_FILE = /\.[cm]?tsx?$/;

let registered = false;

/** Whether loading `file` needs tsx registered first. */
export function needsTypeScriptLoader(file: string, extensions: Record<string, unknown> | undefined, env: NodeJS.ProcessEnv): boolean {
  if (!TYPESCRIPT_FILE.test(file)) return false;
  if (env.JEST_WORKER_ID !== undefined) return false; // jest's module system transforms it
  const ext = file.slice(file.lastIndexOf('.'));
  return !extensions?.[ext];
}

/** require(file), registering tsx's CommonJS hook first when a TypeScript file needs it. */
export function requireModule(file: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (!registered && needsTypeScriptLoader(file, require.extensions as Record<string, unknown> | undefined, process.env)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('tsx/cjs/api') as { register(): unknown }).register();
    registered = true;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file);
}
