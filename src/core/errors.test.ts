import { describe, expect, it } from 'vitest';
import { ConfigError, errorMessage } from './errors';

describe('errorMessage', () => {
  it("gives an Error's message, subclasses included", () => {
    expect(errorMessage(new Error('disk full'))).toBe('disk full');
    expect(errorMessage(new ConfigError('k', 'expected 1..80, got 0'))).toBe('k: expected 1..80, got 0');
  });
  it("falls back to the error's name when its message is empty", () => {
    const error = new Error('');
    error.name = 'NotReadableError';
    expect(errorMessage(error)).toBe('NotReadableError');
  });
  it('turns anything else thrown into text', () => {
    expect(errorMessage('plain string')).toBe('plain string');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(undefined)).toBe('undefined');
  });
});
