import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { HarnessError } from '../errors';

/**
 * What the offline Kafka image is made of, found on this machine: a JDK that has jlink and its
 * jmods (to cut a small JRE), the shared libraries that JRE loads (named by ldd), and a static
 * busybox (the image's shell and sed). Each missing piece is one error naming the package.
 */

export interface HostJdk {
  home: string;
  jlink: string;
  /** "17.0.15" etc., from the JDK's release file. */
  release: string;
}

/** JAVA_HOME, else the JDK behind `java` on PATH; it must hold bin/jlink and jmods/. */
export function findJdk(env: NodeJS.ProcessEnv = process.env): HostJdk {
  const candidates: string[] = [];
  if (env.JAVA_HOME) candidates.push(env.JAVA_HOME);
  const which = spawnSync('sh', ['-c', 'command -v java'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) {
    const real = fs.realpathSync(which.stdout.trim());
    candidates.push(path.dirname(path.dirname(real)));
  }
  for (const home of candidates) {
    const jlink = path.join(home, 'bin', 'jlink');
    if (fs.existsSync(jlink) && fs.existsSync(path.join(home, 'jmods', 'java.base.jmod'))) {
      return { home, jlink, release: javaRelease(home) };
    }
  }
  throw new HarnessError(`no JDK with jlink and jmods found (looked in ${candidates.join(', ') || 'JAVA_HOME and java on PATH: neither set'})`, {
    hint: 'install a full JDK 17+ (Debian: apt-get install -y openjdk-17-jdk-headless) or point JAVA_HOME at one; the image\'s JRE is cut from it with jlink',
  });
}

function javaRelease(home: string): string {
  try {
    return /JAVA_VERSION="([^"]+)"/.exec(fs.readFileSync(path.join(home, 'release'), 'utf8'))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** A busybox that needs no shared library (the image has no libc for it beyond the JRE's). */
export function findStaticBusybox(): string {
  for (const candidate of ['/bin/busybox', '/usr/bin/busybox']) {
    if (!fs.existsSync(candidate)) continue;
    const ldd = spawnSync('ldd', [candidate], { encoding: 'utf8' });
    if (/not a dynamic executable|statically linked/.test(`${ldd.stdout}${ldd.stderr}`)) return candidate;
  }
  throw new HarnessError('no static busybox found (/bin/busybox that ldd calls "not a dynamic executable")', {
    hint: 'install it: apt-get install -y busybox-static (the image\'s shell; Debian\'s plain busybox package is dynamic)',
  });
}

/** Shared libraries the given ELF files load from outside `ownDir`, as absolute paths on this machine (ldd's answer). */
export function sharedLibraries(files: string[], ownDir: string): string[] {
  const found = new Set<string>();
  for (const file of files) {
    const ldd = spawnSync('ldd', [file], { encoding: 'utf8' });
    for (const line of ldd.stdout.split('\n')) {
      const resolved = /=>\s+(\/\S+)/.exec(line)?.[1] ?? /^\s*(\/\S+)\s+\(/.exec(line)?.[1];
      if (resolved && !path.resolve(resolved).startsWith(`${path.resolve(ownDir)}/`)) found.add(resolved);
    }
  }
  return [...found].sort();
}

/** Every .so under a folder, and its executables under bin/: what ldd must be asked about. */
export function elfFilesOf(jreHome: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.so')) out.push(full);
    }
  };
  walk(path.join(jreHome, 'lib'));
  out.push(...fs.readdirSync(path.join(jreHome, 'bin')).map((name) => path.join(jreHome, 'bin', name)));
  return out;
}
