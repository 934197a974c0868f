/**
 * The compose tool on this machine and what a compose project left on the engine, for the
 * docker-compose.yml test. Compose v2 (`docker compose`) is preferred; Debian's docker-compose 1.29
 * reads the same file (it has no top-level `name:`, so the project name is always passed with -p).
 */
import { spawnSync } from 'node:child_process';

export interface ComposeTool {
  /** argv before the compose subcommand, e.g. ['docker', 'compose'] or ['docker-compose']. */
  argv: string[];
  version: string;
}

const run = (argv: string[], timeoutMs = 20_000) => spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: timeoutMs });

/** The first compose tool that answers `version`, or undefined. */
export function findComposeTool(): ComposeTool | undefined {
  for (const argv of [['docker', 'compose'], ['docker-compose']]) {
    const result = run([...argv, 'version', '--short']);
    if (result.status === 0 && result.stdout.trim() !== '') return { argv, version: result.stdout.trim() };
  }
  return undefined;
}

/** The label both Compose 1.29 and v2 put on a project's containers, networks and volumes. */
export const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';

const ids = (argv: string[]) => run(argv).stdout.split('\n').filter(Boolean);

/** Containers, networks and labelled volumes of a compose project still on the engine. */
export function projectObjects(project: string): { containers: string[]; networks: string[]; volumes: string[] } {
  const filter = `label=${COMPOSE_PROJECT_LABEL}=${project}`;
  return {
    containers: ids(['docker', 'ps', '-a', '-q', '--filter', filter]),
    networks: ids(['docker', 'network', 'ls', '-q', '--filter', filter]),
    volumes: ids(['docker', 'volume', 'ls', '-q', '--filter', filter]),
  };
}

/** Named and anonymous volumes mounted by these containers (an image's VOLUME gives unlabelled ones). */
export function mountedVolumes(containers: string[]): string[] {
  if (containers.length === 0) return [];
  const out = run(['docker', 'inspect', '--format', '{{range .Mounts}}{{if eq .Type "volume"}}{{.Name}} {{end}}{{end}}', ...containers]).stdout;
  return out.split(/\s+/).filter(Boolean);
}

/** Which of these volumes still exist. */
export function existingVolumes(names: string[]): string[] {
  const all = new Set(ids(['docker', 'volume', 'ls', '-q']));
  return names.filter((n) => all.has(n));
}

/** Compose projects this test made in processes that are gone (a SIGKILLed jest): their names end in the dead pid. */
export function orphanTestProjects(prefix: string, alive: (pid: number) => boolean): string[] {
  const labels = run(['docker', 'ps', '-a', '--filter', `label=${COMPOSE_PROJECT_LABEL}`, '--format', `{{.Label "${COMPOSE_PROJECT_LABEL}"}}`]).stdout.split('\n');
  const projects = [...new Set(labels.filter((l) => l.startsWith(prefix)))];
  return projects.filter((p) => !alive(Number(p.slice(prefix.length))));
}
