import fs from 'node:fs';
import path from 'node:path';
import { EXIT_PASS, HarnessError } from '../errors';
import { parseCommandLine } from '../cli-usage';
import {
  BASELINE_FILE, CHAOS_DIR, chaosTest, CiBackend, JEST_CONFIG_FILE, jestConfig, ProducerChoice, RUNS_DIR, sampleProducer, scenarioFile, workflow, WORKFLOW_FILE,
} from './templates';

/**
 * `kchaos init`: scaffolds chaos tests in a team's repository (a scenario file for their producer,
 * a jest config with the preset and a test, a GitHub Actions workflow with a baseline gate) and adds
 * npm scripts and install-script approvals to their package.json. Never overwrites a file without --force.
 */

/** Install scripts the harness needs in the team's project (npm ≥ 11 allowScripts). */
export const REQUIRED_INSTALL_SCRIPTS = ['node-rdkafka', 'esbuild'] as const;
export const NPM_SCRIPTS = { chaos: `jest -c ${JEST_CONFIG_FILE}`, 'chaos:run': `kchaos run ${CHAOS_DIR}/producer.scenario.ts --out ${RUNS_DIR}` } as const;
const GITIGNORED = ['runs/', `${RUNS_DIR}/`];

export interface InitOptions {
  dir: string;
  producer: ProducerChoice;
  ci: CiBackend;
  force: boolean;
}

export function parseInitArgs(args: readonly string[], cwd = process.cwd()): InitOptions {
  const { values } = parseCommandLine('init', args, {
    dir: { type: 'string', default: '.' },
    'producer-module': { type: 'string' },
    'producer-command': { type: 'string' },
    ci: { type: 'string', default: 'local' },
    force: { type: 'boolean', default: false },
  });
  if (values['producer-module'] !== undefined && values['producer-command'] !== undefined) {
    throw new HarnessError('kchaos init: --producer-module and --producer-command exclude each other', { hint: 'give the module that exports createProducer, or the command of a producer speaking docs/producer-protocol.md' });
  }
  if (values.ci !== 'local' && values.ci !== 'docker') throw new HarnessError(`kchaos init: --ci ${values.ci} is not local or docker`, { hint: 'use --ci local (Java and Go on the runner) or --ci docker (the runner\'s Docker engine)' });
  const dir = path.resolve(cwd, values.dir);
  let producer: ProducerChoice = { kind: 'sample' };
  if (values['producer-module'] !== undefined) {
    const absolute = path.resolve(dir, values['producer-module']);
    if (!fs.existsSync(absolute)) throw new HarnessError(`kchaos init: --producer-module ${values['producer-module']}: no file ${absolute}`, { hint: 'give the path (from --dir) of the module that exports createProducer' });
    producer = { kind: 'module', file: path.relative(path.join(dir, CHAOS_DIR), absolute).split(path.sep).join('/') };
  } else if (values['producer-command'] !== undefined) {
    const argv = values['producer-command'].split(/\s+/).filter(Boolean);
    if (argv.length === 0) throw new HarnessError('kchaos init: --producer-command is empty', { hint: 'e.g. --producer-command "python3 producer.py" (words split at spaces, no shell)' });
    producer = { kind: 'command', argv };
  }
  return { dir, producer, ci: values.ci, force: values.force };
}

/** The files to write, relative to the repository root. */
export function scaffoldFiles(options: Pick<InitOptions, 'producer' | 'ci'>): Record<string, string> {
  return {
    ...(options.producer.kind === 'sample' ? { [`${CHAOS_DIR}/producer.ts`]: sampleProducer() } : {}),
    [`${CHAOS_DIR}/producer.scenario.ts`]: scenarioFile(options.producer),
    [`${CHAOS_DIR}/producer.chaos.test.ts`]: chaosTest(),
    [JEST_CONFIG_FILE]: jestConfig(),
    [WORKFLOW_FILE]: workflow(options.ci),
  };
}

/** package.json with the npm scripts and allowScripts entries added where missing (never changed). */
export function withChaosEntries(manifest: Record<string, unknown>): { manifest: Record<string, unknown>; added: string[] } {
  const added: string[] = [];
  const scripts = { ...((manifest.scripts as Record<string, string>) ?? {}) };
  for (const [name, command] of Object.entries(NPM_SCRIPTS)) {
    if (scripts[name] === undefined) {
      scripts[name] = command;
      added.push(`scripts.${name}`);
    }
  }
  const allowScripts = { ...((manifest.allowScripts as Record<string, boolean>) ?? {}) };
  for (const name of REQUIRED_INSTALL_SCRIPTS) {
    if (!Object.keys(allowScripts).some((key) => key === name || key.startsWith(`${name}@`))) {
      allowScripts[name] = true;
      added.push(`allowScripts.${name}`);
    }
  }
  return { manifest: { ...manifest, scripts, allowScripts }, added };
}

export function runInit(options: InitOptions, log: (line: string) => void): number {
  for (const [relative, content] of Object.entries(scaffoldFiles(options))) {
    const file = path.join(options.dir, relative);
    if (fs.existsSync(file) && !options.force) {
      log(`kept    ${relative} (exists; --force overwrites it)`);
      continue;
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    log(`wrote   ${relative}`);
  }
  const manifestFile = path.join(options.dir, 'package.json');
  if (fs.existsSync(manifestFile)) {
    const text = fs.readFileSync(manifestFile, 'utf8');
    let manifest: Record<string, unknown>;
    try {
      manifest = JSON.parse(text);
    } catch (error) {
      throw new HarnessError(`kchaos init: ${manifestFile} is not valid JSON (${(error as Error).message})`, { hint: 'fix package.json, then run kchaos init again (files already written are kept)' });
    }
    const { manifest: updated, added } = withChaosEntries(manifest);
    if (added.length > 0) {
      const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? '  ';
      fs.writeFileSync(manifestFile, `${JSON.stringify(updated, null, indent)}\n`);
      log(`updated package.json: ${added.join(', ')}`);
    }
  } else {
    log(`no package.json in ${options.dir}: add scripts ${JSON.stringify(NPM_SCRIPTS)} and allowScripts for ${REQUIRED_INSTALL_SCRIPTS.join(', ')} yourself`);
  }
  const gitignore = path.join(options.dir, '.gitignore');
  const present = fs.existsSync(gitignore) ? fs.readFileSync(gitignore, 'utf8') : '';
  const missing = GITIGNORED.filter((line) => !present.split('\n').includes(line));
  if (missing.length > 0) {
    fs.writeFileSync(gitignore, `${present}${present && !present.endsWith('\n') ? '\n' : ''}${missing.join('\n')}\n`);
    log(`updated .gitignore: ${missing.join(', ')}`);
  }
  log(`next: npm run chaos (jest, one cluster), npm run chaos:run (report in ${RUNS_DIR}/latest/), then npx kchaos baseline save ${RUNS_DIR}/latest/results.json --out ${BASELINE_FILE} and commit it for the CI gate`);
  return EXIT_PASS;
}
