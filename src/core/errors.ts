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
