import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJunitReporter, renderJunitXml } from './junit-reporter';
import { expectation, runResults, scenarioResult } from './testing/results-builder';

/** A tiny well-formedness check: every tag closes in order; no raw `<` or `&` in text. */
function assertWellFormed(xml: string): void {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w-]*)((?:\s+[\w-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  let m: RegExpExecArray | null;
  while ((m = tag.exec(body)) !== null) {
    const [, closing, name, , selfClosing, text, stray] = m;
    if (stray) throw new Error(`stray "<" at ${m.index}: ${body.slice(m.index, m.index + 40)}`);
    if (text !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(text)) throw new Error(`unescaped & in ${text}`);
      continue;
    }
    if (selfClosing) continue;
    if (closing) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
    } else {
      stack.push(name);
    }
  }
  expect(stack).toEqual([]);
}

const failing = scenarioResult({
  name: 'seed/kafkajs/round-robin/library-only/blackhole-k1 <b>&"x"</b>',
  verdict: 'fail',
  expectations: [expectation('undelivered', 'eq', 0, 12), expectation('lostAcked', 'eq', 0, 0), expectation('duplicates', 'lte', 1, 3)],
});
const unknown = scenarioResult({ name: 'seed/java/manual/resilient/kill-k2', client: 'java', strategy: 'manual', verdict: 'unknown', error: 'checker threw: <oops> & more' });
const passing = scenarioResult({ name: 'seed/node-rdkafka/hashing/workaround/refuse-k1', client: 'node-rdkafka', strategy: 'hashing' });
const results = runResults([failing, unknown, passing]);

describe('renderJunitXml', () => {
  const xml = renderJunitXml(results);

  it('is well-formed XML with one testsuite and one testcase per scenario', () => {
    assertWellFormed(xml);
    expect(xml.match(/<testsuite\b/g)).toHaveLength(1);
    expect(xml.match(/<testcase\b/g)).toHaveLength(3);
    expect(xml).toMatch(/<testsuite [^>]*tests="3" failures="1" errors="1"/);
  });

  it('uses client.strategy as classname and escapes names', () => {
    expect(xml).toContain('classname="kafkajs.round-robin"');
    expect(xml).toContain('classname="node-rdkafka.hashing"');
    expect(xml).toContain('name="seed/kafkajs/round-robin/library-only/blackhole-k1 &lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;"');
  });

  it('lists each violated expectation with expected and actual numbers, and only those', () => {
    const failure = /<failure [^>]*>([^<]*)<\/failure>/.exec(xml);
    expect(failure).not.toBeNull();
    expect(failure![1].split('\n')).toEqual(['undelivered: expected = 0, actual 12', 'duplicates: expected ≤ 1, actual 3']);
    expect(failure![0]).not.toContain('lostAcked');
  });

  it('gives an unknown verdict an error element, escaped', () => {
    expect(xml).toMatch(/<error type="VerdictUnknown" message="verdict unknown: checker threw: &lt;oops&gt; &amp; more">/);
    expect(xml.match(/<error\b/g)).toHaveLength(1);
  });
});

describe('createJunitReporter', () => {
  it('writes junit.xml into the run folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kchaos-junit-'));
    try {
      await createJunitReporter().onRunEnd!(results, dir);
      expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toBe(renderJunitXml(results));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
