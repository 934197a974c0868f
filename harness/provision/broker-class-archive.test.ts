import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { archiveKey, JdkIdentity, jdkOnPath } from './broker-class-archive';

const kafka = { version: '4.3.1', classpath: '/cache/kafka-4.3.1/libs/*' };
const jdk: JdkIdentity = { home: '/usr/lib/jvm/17', major: 17, fingerprint: 'JAVA_VERSION="17.0.15"' };
const jars = ['kafka_2.13-4.3.1.jar 100 1', 'kafka-clients-4.3.1.jar 200 2'];

describe('broker class archive key', () => {
  test('stable for the same install, JDK and jars', () => {
    expect(archiveKey(kafka, jdk, jars)).toBe(archiveKey(kafka, { ...jdk }, [...jars]));
  });

  test('changes with a jar (size or mtime), the JDK build, or the Kafka version', () => {
    const key = archiveKey(kafka, jdk, jars);
    expect(archiveKey(kafka, jdk, ['kafka_2.13-4.3.1.jar 100 9', jars[1]])).not.toBe(key);
    expect(archiveKey(kafka, { ...jdk, fingerprint: 'JAVA_VERSION="17.0.16"' }, jars)).not.toBe(key);
    expect(archiveKey({ ...kafka, version: '3.9.1' }, jdk, jars)).not.toBe(key);
  });
});

describe('jdkOnPath', () => {
  test('finds the JDK home and major version behind the first java on PATH', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-jdk-'));
    fs.mkdirSync(path.join(home, 'bin'));
    fs.writeFileSync(path.join(home, 'bin', 'java'), '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(path.join(home, 'release'), 'JAVA_VERSION="17.0.15"\n');
    const found = jdkOnPath({ PATH: `/nonexistent-dir${path.delimiter}${path.join(home, 'bin')}` });
    expect(found?.home).toBe(fs.realpathSync(home));
    expect(found?.major).toBe(17);
    fs.writeFileSync(path.join(home, 'release'), 'JAVA_VERSION="1.8.0_402"\n');
    expect(jdkOnPath({ PATH: path.join(home, 'bin') })?.major).toBe(8);
    fs.rmSync(home, { recursive: true, force: true });
    expect(jdkOnPath({ PATH: '/nonexistent-dir' })).toBeUndefined();
  });
});
