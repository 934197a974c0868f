import fs from 'node:fs';
import path from 'node:path';
import { installHint, isClientInstalled } from '../harness/clients/installed-clients';
import { HarnessError } from '../harness/errors';
import { requireModule } from '../harness/load-module';
import { defineScenario } from './define-scenario';
import type { Scenario, ScenarioInput } from './scenario';
import { isSuiteName, SUITES } from './suites';

/** A scenario file: TypeScript (*.scenario.ts, default export) or JSON; one scenario or a list. */
export function loadScenarioFile(file: string): Scenario[] {
  const absolute = path.resolve(file);
  if (!fs.existsSync(absolute)) throw new HarnessError(`scenario file ${file} does not exist`, { hint: 'check the path' });
  let loaded: unknown;
  if (absolute.endsWith('.json')) {
    try {
      loaded = JSON.parse(fs.readFileSync(absolute, 'utf8'));
    } catch (error) {
      throw new HarnessError(`${file}: not valid JSON (${(error as Error).message})`, { hint: 'fix the JSON syntax' });
    }
  } else {
    const module = requireModule(absolute) as { default?: unknown; scenarios?: unknown }; // .ts through tsx, registered only now
    loaded = module.default ?? module.scenarios;
    if (loaded === undefined) throw new HarnessError(`${file}: exports no scenario`, { hint: 'export default a scenario or a list of scenarios' });
  }
  const inputs = Array.isArray(loaded) ? loaded : [loaded];
  return inputs.map((input, i) => {
    try {
      return isResolved(input) ? input : defineScenario(input as ScenarioInput);
    } catch (error) {
      throw new HarnessError(`${file}${inputs.length > 1 ? ` [${i}]` : ''}: ${(error as Error).message}`);
    }
  });
}

/** A scenario already passed through defineScenario (every default present). */
function isResolved(input: unknown): input is Scenario {
  const s = input as Scenario;
  return Boolean(s && s.workload && s.workaround && s.config && typeof s.settleMs === 'number');
}

/** `kchaos run` arguments: suite names, scenario names from any suite (or a prefix ending in /), files. */
export function resolveScenarios(args: string[]): Scenario[] {
  if (args.length === 0) throw new HarnessError('kchaos run needs a suite, a scenario name or a scenario file', { hint: `try: kchaos run seed (suites: ${Object.keys(SUITES).join(', ')})` });
  const all = () => Object.values(SUITES).flatMap((suite) => suite());
  const picked: Scenario[] = [];
  for (const arg of args) {
    if (isSuiteName(arg)) picked.push(...SUITES[arg]());
    else if (/\.(json|ts|js)$/.test(arg)) picked.push(...loadScenarioFile(arg));
    else {
      const matches = all().filter((s) => s.name === arg || (arg.endsWith('/') && s.name.startsWith(arg)));
      if (matches.length === 0) throw new HarnessError(`no suite, scenario or file named ${JSON.stringify(arg)}`, { hint: `suites: ${Object.keys(SUITES).join(', ')}; or a scenario name such as seed/kafkajs/round-robin/library-only/blackhole-k1` });
      picked.push(...matches);
    }
  }
  const seen = new Set<string>();
  return withInstalledClients(picked.filter((s) => !seen.has(s.name) && seen.add(s.name)));
}

/**
 * A suite's rows for an optional client whose library is not installed are left out, saying so
 * once; when nothing is left, one error says what to install.
 */
function withInstalledClients(scenarios: Scenario[], log = (line: string) => process.stderr.write(`${line}\n`)): Scenario[] {
  const missing = scenarios.filter((s) => !isClientInstalled(s.client));
  if (missing.length === 0) return scenarios;
  const clients = [...new Set(missing.map((s) => s.client!))];
  const hint = clients.map(installHint).join('; ');
  if (missing.length === scenarios.length) throw new HarnessError(`client ${clients.join(', ')} is not installed`, { hint });
  log(`kchaos: ${missing.length} scenario(s) of client ${clients.join(', ')} left out: not installed (${hint})`);
  return scenarios.filter((s) => isClientInstalled(s.client));
}
