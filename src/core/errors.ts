/** Errors raised at the core's boundaries; each names the offending field (e.g. `k`, `images[3].embedding`). */

export class FieldError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'FieldError';
    this.field = field;
  }
}

/** An invalid method configuration or analysis option (K out of range, unknown template, …). */
export class ConfigError extends FieldError {
  constructor(field: string, message: string) {
    super(field, message);
    this.name = 'ConfigError';
  }
}

/**
 * The message of a caught value, for people to read: an Error's message (its name when the message is empty,
 * as some DOMExceptions from the file APIs are), else the value as text.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
