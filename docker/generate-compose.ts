/**
 * Writes docker-compose.yml and docker/toxiproxy.json from harness/cluster/docker-definitions.ts,
 * the definitions the docker backend starts, so the two cannot drift apart (a unit test compares
 * the committed files with what this writes). Run after changing the definitions:
 *
 *   npx tsx docker/generate-compose.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { COMPOSE_PORTS, COMPOSE_TOXIPROXY_CONFIG, composeYaml, toxiproxyConfigJson } from '../harness/cluster/docker-definitions';

const root = path.resolve(__dirname, '..');
fs.writeFileSync(path.join(root, 'docker-compose.yml'), composeYaml());
fs.writeFileSync(path.join(root, COMPOSE_TOXIPROXY_CONFIG), toxiproxyConfigJson(COMPOSE_PORTS));
process.stdout.write(`wrote docker-compose.yml and ${COMPOSE_TOXIPROXY_CONFIG}\n`);
