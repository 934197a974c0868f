/** The one error type the harness throws on purpose: what failed, and what to do about it. */
export class HarnessError extends Error {
  readonly hint?: string;
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(options.hint ? `${message}\n  fix: ${options.hint}` : message, { cause: options.cause });
    this.name = 'HarnessError';
    this.hint = options.hint;
  }
}

/** Usage and set-up errors end the CLI with exit code 2 (DESIGN.md, CLI contract). */
export const EXIT_PASS = 0;
export const EXIT_EXPECTATION_FAILED = 1;
export const EXIT_USAGE_OR_SETUP = 2;
