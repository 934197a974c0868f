import { HarnessError } from '../errors';

/**
 * Why a resilient send() rejected. `definite: true` means no attempt can have been written (the
 * message was never sent, or every attempt was refused); false means an attempt may still land.
 */
export class ResilientSendError extends HarnessError {
  readonly definite: boolean;
  readonly attempts: number;
  readonly lastError: string | null;

  constructor(message: string, details: { definite: boolean; attempts: number; lastError?: string | null; hint?: string; cause?: unknown }) {
    super(details.lastError ? `${message} (after ${details.attempts} attempt(s); last error: ${details.lastError})` : message, { hint: details.hint, cause: details.cause });
    this.name = 'ResilientSendError';
    this.definite = details.definite;
    this.attempts = details.attempts;
    this.lastError = details.lastError ?? null;
  }
}
