import { HarnessError } from '../harness/errors';
import type { Reporter } from './reporter';
import { createConsoleReporter } from './console-reporter';
import { createHtmlReporter } from './html-reporter';
import { createJsonReporter } from './json-reporter';
import { createJunitReporter } from './junit-reporter';

/** Reporter factories by the name users type (`--reporter console,json`). */
export const REPORTERS = {
  console: (): Reporter => createConsoleReporter(),
  json: (): Reporter => createJsonReporter(),
  junit: (): Reporter => createJunitReporter(),
  html: (): Reporter => createHtmlReporter(),
} as const;

export type ReporterName = keyof typeof REPORTERS;

/** Every reporter, in the order they run at the end: files first, so the console's summary is the last thing printed. */
export const DEFAULT_REPORTERS: readonly ReporterName[] = ['json', 'junit', 'html', 'console'];

export function isReporterName(name: string): name is ReporterName {
  return Object.prototype.hasOwnProperty.call(REPORTERS, name);
}

/** `"console,json"` → ['console', 'json']; an unknown name is a usage error naming the valid ones. */
export function parseReporterNames(csv: string): ReporterName[] {
  const names = csv.split(',').map((n) => n.trim()).filter(Boolean);
  const unknown = names.filter((n) => !isReporterName(n));
  if (unknown.length > 0 || names.length === 0) {
    throw new HarnessError(`unknown reporter ${unknown.length > 0 ? unknown.map((n) => `"${n}"`).join(', ') : '(none given)'}`, {
      hint: `use a comma-separated list of ${Object.keys(REPORTERS).join(', ')}`,
    });
  }
  return [...new Set(names)] as ReporterName[];
}

/** Instances for the given names, in that order. @default DEFAULT_REPORTERS */
export function createReporters(names: readonly ReporterName[] = DEFAULT_REPORTERS): Reporter[] {
  return names.map((name) => REPORTERS[name]());
}
