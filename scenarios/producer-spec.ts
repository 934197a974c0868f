import fs from 'node:fs';
import path from 'node:path';
import { HarnessError } from '../harness/errors';
import type { ProducerSpec } from './scenario';

/** Extensions tried, in order, when a module path is given without one (as require does). */
const MODULE_EXTENSIONS = ['', '.ts', '.js', '.cjs', '.mjs', '.mts', '.cts', '/index.ts', '/index.js'];
const EXAMPLE = '{ module: "./test/my-producer.ts" } or { command: ["node", "producer.js"] }';

function fail(where: string, problem: string, fix: string): never {
  throw new HarnessError(`${where}: ${problem}`, { hint: fix });
}

/** A path ("./x", "../x", "/x", "C:\\x") rather than a package name ("@team/producer"). */
function isPathLike(specifier: string): boolean {
  return specifier.startsWith('.') || path.isAbsolute(specifier);
}

/**
 * The file a module path names, resolved against `baseDir` and with require's extensions tried;
 * undefined when there is none. Package names are left to require at run time.
 */
export function resolveModulePath(specifier: string, baseDir = process.cwd()): string | undefined {
  const absolute = path.resolve(baseDir, specifier);
  return MODULE_EXTENSIONS.map((ext) => absolute + ext).find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
}

/**
 * Checks a scenario's `producer` field (one error naming the first wrong part) and returns it with a
 * module path made absolute, so the scenario runs the same from any working directory.
 */
export function checkProducerSpec(where: string, value: unknown, baseDir = process.cwd()): ProducerSpec {
  if (!value || typeof value !== 'object' || Array.isArray(value)) fail(where, `${JSON.stringify(value)} is not an object`, `write ${EXAMPLE}`);
  const spec = value as Record<string, unknown>;
  const keys = Object.keys(spec);
  const hasModule = 'module' in spec;
  const hasCommand = 'command' in spec;
  if (hasModule && hasCommand) fail(where, 'has both module and command', 'give one: module (a factory in a Node module) or command (a child process speaking docs/producer-protocol.md)');
  if (!hasModule && !hasCommand) fail(where, 'has neither module nor command', `write ${EXAMPLE}`);

  if (hasCommand) {
    for (const key of keys) if (key !== 'command') fail(`${where}.${key}`, 'unknown field', 'a command producer has only: command');
    const command = spec.command;
    if (!Array.isArray(command) || command.length === 0) fail(`${where}.command`, `${JSON.stringify(command)} is not a non-empty list`, 'give the program and its arguments as a list, e.g. ["node", "producer.js"] (no shell string)');
    command.forEach((part, i) => {
      if (typeof part !== 'string' || (i === 0 && !part.trim())) fail(`${where}.command[${i}]`, `${JSON.stringify(part)} is not ${i === 0 ? 'a program name' : 'a string'}`, 'give strings only, e.g. ["node", "producer.js"]');
    });
    return { command: [...(command as string[])] };
  }

  for (const key of keys) if (key !== 'module' && key !== 'export') fail(`${where}.${key}`, 'unknown field', 'known fields: module, export');
  const specifier = spec.module;
  if (typeof specifier !== 'string' || !specifier.trim()) fail(`${where}.module`, `${JSON.stringify(specifier)} is not a module path`, 'give a path such as "./test/my-producer.ts" (relative to the working directory) or a package name');
  const exportName = spec.export;
  if (exportName !== undefined && (typeof exportName !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(exportName))) {
    fail(`${where}.export`, `${JSON.stringify(exportName)} is not an export name`, 'give the name of the exported factory function, e.g. "createProducer"');
  }
  let modulePath = specifier;
  if (isPathLike(specifier)) {
    const resolved = resolveModulePath(specifier, baseDir);
    if (!resolved) fail(`${where}.module`, `no file ${path.resolve(baseDir, specifier)} (tried ${MODULE_EXTENSIONS.filter(Boolean).join(', ')})`, `relative paths are resolved against the working directory ${baseDir}; use path.join(__dirname, "...") in a TypeScript scenario`);
    modulePath = resolved;
  }
  return exportName === undefined ? { module: modulePath } : { module: modulePath, export: exportName as string };
}
