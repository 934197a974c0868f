import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lookupChromium } from './find-chromium';

let dir: string;
const executable = (name: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, '#!/bin/sh\n', { mode: 0o755 });
  return file;
};
const missingDebian = () => path.join(dir, 'no-such-chromium');

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-chromium-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('CHROME_PATH wins over PATH and the Debian path', () => {
  const chrome = executable('my-chrome');
  executable('chromium');
  expect(lookupChromium({ CHROME_PATH: chrome, PATH: dir }, executable('debian'))).toEqual({ found: chrome, via: 'CHROME_PATH' });
});

test('a CHROME_PATH that is not an executable is an error naming it, not a silent fallback', () => {
  const notExecutable = path.join(dir, 'chrome.txt');
  fs.writeFileSync(notExecutable, '', { mode: 0o644 });
  expect(lookupChromium({ CHROME_PATH: notExecutable, PATH: dir })).toEqual({ found: undefined, error: expect.stringMatching(/^CHROME_PATH=.*chrome\.txt is not an executable file; fix:/) });
});

test('then chromium, chromium-browser, google-chrome on PATH, in that order', () => {
  const other = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-chromium-path-'));
  try {
    const chrome = executable('google-chrome');
    fs.writeFileSync(path.join(other, 'chromium-browser'), '#!/bin/sh\n', { mode: 0o755 });
    expect(lookupChromium({ PATH: `${dir}${path.delimiter}${other}` }, missingDebian())).toEqual({ found: path.join(other, 'chromium-browser'), via: 'PATH' });
    expect(lookupChromium({ PATH: dir }, missingDebian())).toEqual({ found: chrome, via: 'PATH' });
  } finally {
    fs.rmSync(other, { recursive: true, force: true });
  }
});

test('then the Debian path; a directory or plain file named chromium does not count', () => {
  fs.mkdirSync(path.join(dir, 'chromium'));
  const debian = executable('debian-chromium');
  expect(lookupChromium({ PATH: dir }, debian)).toEqual({ found: debian, via: 'Debian path' });
});

test('nothing found: one error naming what was tried and the command to run', () => {
  const lookup = lookupChromium({ PATH: dir }, missingDebian());
  expect(lookup.found).toBeUndefined();
  expect(lookup).toEqual({ found: undefined, error: expect.stringMatching(/^Chromium not found \(CHROME_PATH unset; none of chromium, chromium-browser, google-chrome, google-chrome-stable on PATH; no .*\); fix: run `sudo apt-get install -y chromium`/) });
});
