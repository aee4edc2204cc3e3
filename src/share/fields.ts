/**
 * Field validators for untrusted JSON (share links, reports). Each names the offending field in its
 * message (`classes[2]: empty class string`). They throw FieldError, which the public decoders catch
 * and turn into `{ ok: false, error }`: the public API never throws. FieldError is the core's, so a
 * core validator's error reads the same.
 */
import { FieldError } from '../core/errors';

export { FieldError };

export function fail(field: string, problem: string): never {
  throw new FieldError(field, problem);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short description of a value for messages: never the whole (possibly huge) value. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  switch (typeof value) {
    case 'string':
      return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
    case 'number':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

export function expectRecord(value: unknown, field: string): Record<string, unknown> {
  if (!isRecord(value)) fail(field, `expected an object, got ${describe(value)}`);
  return value;
}

export function expectArray(value: unknown, field: string, maxLength: number): unknown[] {
  if (!Array.isArray(value)) fail(field, `expected an array, got ${describe(value)}`);
  if (value.length > maxLength) fail(field, `too many entries (${value.length}; at most ${maxLength})`);
  return value;
}

export function expectLength(value: unknown[], field: string, length: number, what: string): void {
  if (value.length !== length) fail(field, `expected ${length} entries (${what}), got ${value.length}`);
}

export interface StringRules {
  maxLength: number;
  /** message when empty after trimming; omit to allow empty strings */
  nonEmpty?: string;
  /** reject C0 control characters and DEL (they have no place in a class name or template) */
  noControl?: boolean;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export function expectString(value: unknown, field: string, rules: StringRules): string {
  if (typeof value !== 'string') fail(field, `expected a string, got ${describe(value)}`);
  if (value.length > rules.maxLength) fail(field, `too long (${value.length} characters; at most ${rules.maxLength})`);
  if (rules.nonEmpty !== undefined && value.trim() === '') fail(field, rules.nonEmpty);
  if (rules.noControl) {
    const match = CONTROL.exec(value);
    if (match) {
      const code = match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
      fail(field, `contains a control character (U+${code}) at position ${match.index}`);
    }
  }
  return value;
}

export function expectInteger(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in ${min} … ${max}`;
    fail(field, `expected an integer ${range}, got ${describe(value)}`);
  }
  return value;
}

export function expectFiniteNumber(value: unknown, field: string, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    fail(field, `expected a finite number, got ${describe(value)}`);
  if (value < min || value > max) fail(field, `expected a number in ${min} … ${max}, got ${value}`);
  return value;
}

/**
 * A number that may legitimately be NaN (e.g. the accuracy of an empty group). JSON has no NaN:
 * JSON.stringify writes it as null, so null reads back as NaN here (NaN itself is accepted for values
 * checked before serialising).
 */
export function expectNumberOrNaN(value: unknown, field: string, min: number, max: number): number {
  if (value === null || Number.isNaN(value)) return Number.NaN;
  return expectFiniteNumber(value, field, min, max);
}

export function expectBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') fail(field, `expected true or false, got ${describe(value)}`);
  return value;
}

export function expectOneOf<T extends string>(value: unknown, field: string, options: readonly T[]): T {
  if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
    fail(field, `expected one of ${options.map((o) => JSON.stringify(o)).join(', ')}, got ${describe(value)}`);
  }
  return value as T;
}

/** Fails on the first duplicate, naming both positions. */
export function expectUnique(values: readonly string[], field: string, what: string): void {
  const seen = new Map<string, number>();
  values.forEach((value, index) => {
    const first = seen.get(value);
    if (first !== undefined)
      fail(`${field}[${index}]`, `duplicate ${what} ${describe(value)} (same as ${field}[${first}])`);
    seen.set(value, index);
  });
}

/** Converts whatever a validator threw into a message; non-FieldErrors are bugs, labelled as such. */
export function messageOf(e: unknown): string {
  if (e instanceof FieldError) return e.message;
  if (e instanceof Error) return `internal error while validating: ${e.message}`;
  return `internal error while validating: ${String(e)}`;
}
