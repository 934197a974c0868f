/** Longest text errorText returns, so one chatty error cannot flood a message. @default 2000 */
const MAX_ERROR_TEXT_CHARS = 2_000;
/** How deep errorText follows causes and aggregated errors. @default 5 */
const MAX_DEPTH = 5;

/**
 * One line (or a few) saying what an error was, for a message a person reads: its name and message,
 * the members of an aggregate (kafkajs' "Topic creation errors" names its reasons only there), and
 * its causes, each once. Anything thrown is accepted (strings, objects, undefined).
 */
export function errorText(error: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number) => {
    if (value === undefined || value === null || seen.has(value) || depth > MAX_DEPTH) return;
    seen.add(value);
    const message = (value instanceof Error ? value.message : '') || describeOne(value);
    if (message && !parts.some((part) => part.includes(message))) parts.push(describeOne(value)); // a wrapper often repeats its cause
    if (typeof value !== 'object') return;
    const { errors, cause } = value as { errors?: unknown; cause?: unknown };
    if (Array.isArray(errors)) for (const member of errors) visit(member, depth + 1);
    visit(cause, depth + 1);
  };
  visit(error, 0);
  const text = parts.length > 0 ? parts.join('; caused by: ') : String(error);
  return text.length > MAX_ERROR_TEXT_CHARS ? `${text.slice(0, MAX_ERROR_TEXT_CHARS)}…` : text;
}

function describeOne(value: unknown): string {
  if (value instanceof Error) {
    const type = (value as { type?: unknown }).type; // kafkajs protocol errors carry the Kafka error code name
    const name = value.name && value.name !== 'Error' ? `${value.name}: ` : '';
    const code = typeof type === 'string' && !value.message.includes(type) ? ` (${type})` : '';
    return `${name}${value.message}${code}`.trim();
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'object') {
    const message = (value as { message?: unknown }).message;
    return typeof message === 'string' ? message : JSON.stringify(value);
  }
  return String(value);
}
