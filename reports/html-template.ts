import { escapeHtml } from './escape';

/** Markup the report built itself; the only thing `html` inserts without escaping. */
export class SafeHtml {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

/**
 * Tagged template that escapes every interpolated value unless it is SafeHtml: escaping is the
 * default, so a forgotten call cannot let a scenario name become markup. Arrays are joined;
 * null, undefined and false render as nothing (for conditional parts).
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += renderValue(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** Trusted text (inline scripts already made safe, our own CSS). Never user data. */
export function trusted(text: string): SafeHtml {
  return new SafeHtml(text);
}

function renderValue(value: unknown): string {
  if (value instanceof SafeHtml) return value.html;
  if (Array.isArray(value)) return value.map(renderValue).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(value);
}
