import { escapeHtml, escapeXml, jsonForScript, scriptText } from './escape';
import { HOSTILE } from './testing/hostile-sections';
import { html, trusted } from './html-template';

describe('escapeHtml', () => {
  it('turns markup into text', () => {
    expect(escapeHtml('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(escapeHtml(`a & "b" 'c'`)).toBe('a &amp; &quot;b&quot; &#39;c&#39;');
  });
});

describe('html template', () => {
  it('escapes interpolations unless they are SafeHtml', () => {
    const name = '<script>alert(1)</script>';
    expect(html`<td title="${name}">${name}</td>${trusted('<br>')}`.html)
      .toBe('<td title="&lt;script&gt;alert(1)&lt;/script&gt;">&lt;script&gt;alert(1)&lt;/script&gt;</td><br>');
  });
  it('joins arrays and drops null, undefined and false', () => {
    expect(html`${['<a>', html`<b>`]}${null}${undefined}${false}${0}`.html).toBe('&lt;a&gt;<b>0');
  });
});

describe('escapeXml', () => {
  it('escapes the five XML characters', () => {
    expect(escapeXml(`<a b="c" d='e'>&</a>`)).toBe('&lt;a b=&quot;c&quot; d=&apos;e&apos;&gt;&amp;&lt;/a&gt;');
  });
  it('makes characters XML 1.0 forbids visible instead of emitting them', () => {
    expect(escapeXml('a\u0000b\u001bc\td\ne')).toBe('a\\u0000b\\u001bc\td\ne');
    expect(escapeXml('x\uD800y')).toBe('x\\ud800y');
    expect(escapeXml('😀')).toBe('😀');
  });
});

describe('jsonForScript', () => {
  it('cannot close a script tag and parses back to the same value', () => {
    const value = { name: '</script><img src=x onerror=alert(1)>', c: '<!-- & \u2028' };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('scriptText', () => {
  it('rewrites </script and <!-- so the HTML parser does not see them, keeping the JS meaning', () => {
    const source = 'var a = "</script>"; var b = /<!--/u; var c = "</SCRIPT";';
    const safe = scriptText(source);
    expect(safe).not.toMatch(/<\/script|<!--/i);
    // eslint-disable-next-line no-new-func
    const run = new Function(`${safe}; return [a, b.source, c];`) as () => [string, string, string];
    const [a, b, c] = run();
    expect(a).toBe('</script>');
    expect(new RegExp(b, 'u').test('<!--')).toBe(true);
    expect(c).toBe('</SCRIPT');
  });
});

describe('jsonForScript with the report sections’ hostile strings', () => {
  it('keeps markup in consumer and transaction fields inert and exact', () => {
    const value = { consumer: { group: HOSTILE, settings: [[HOSTILE, HOSTILE]] }, transactions: { spans: [[`p1${HOSTILE} tx0`, 0, 1, 'failed', HOSTILE]] } };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});
