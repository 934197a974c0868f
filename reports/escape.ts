/**
 * Escaping for every place a report embeds text it did not write: scenario names, errors and
 * configs come from users and brokers, and may hold markup (`<img src=x onerror=…>`).
 */

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
};

/** Text → HTML text or attribute value (quoted). Safe in both, so callers need not choose. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]);
}

// XML 1.0 forbids these code points even as character references, so they are replaced by a
// visible `\uXXXX` rather than escaped: a JUnit parser would reject the whole file otherwise.
// Lone surrogates are included: they cannot be encoded in UTF-8.
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text → XML text or attribute value (quoted), with forbidden characters made visible. */
export function escapeXml(value: unknown): string {
  return String(value)
    .replace(XML_FORBIDDEN, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/[&<>"']/g, (c) => (c === "'" ? '&apos;' : HTML_ENTITIES[c]));
}

/**
 * Value → JSON that is safe inside `<script type="application/json">`: with `<` as `\u003c` no
 * string can close the tag or open a comment; `>` and `&` likewise for good measure; U+2028/9
 * so the text also stays valid if someone pastes it into JavaScript. JSON.parse reads it back
 * unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * A script's source → text safe between `<script>` and `</script>`. Inline libraries are code,
 * not data, so only the sequences the HTML parser reacts to (`</script`, `<!--`) are rewritten,
 * with `<` as `\x3C`: that means `<` in JavaScript strings, templates and regular expressions
 * (even with the u flag), which is the only place such sequences occur in real code.
 */
export function scriptText(source: string): string {
  return source.replace(/<(\/script|!--)/gi, '\\x3C$1');
}
