import { spawnSync } from 'node:child_process';
import { HarnessError } from '../errors';

const INSTALL_HINTS: Record<string, string> = {
  java: 'install a JDK 17+ (Debian: apt-get install -y openjdk-17-jdk-headless) or set KAFKA_HOME and JAVA on PATH',
  mvn: 'install Maven (Debian: apt-get install -y maven), or set KAFKA_HOME to an unpacked Kafka distribution',
  go: 'install Go 1.22+ (https://go.dev/dl), or put a toxiproxy-server binary on PATH',
};

/** Throws one actionable line when `command` is not on PATH. */
export function requireTool(command: keyof typeof INSTALL_HINTS, versionFlag = '-version'): void {
  const probe = spawnSync(command, [versionFlag], { stdio: 'ignore' });
  if (probe.error) {
    throw new HarnessError(`${command} not found on PATH; it is needed to set up the local cluster`, {
      hint: INSTALL_HINTS[command],
    });
  }
}
