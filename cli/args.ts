/** Flag parsing on node:util parseArgs (strict), with its errors rewritten as one short line. */
import { parseArgs } from 'node:util';
import { CliInputError } from './command';

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

export interface ParsedArgs {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
}

interface NodeError {
  code?: string;
  message: string;
}

export function parseFlags(args: string[], flags: FlagSpec, command: string): ParsedArgs {
  try {
    const { positionals, values } = parseArgs({ args, options: flags, allowPositionals: true, strict: true });
    return { positionals, values: values as Record<string, string | boolean | undefined> };
  } catch (error) {
    const { code, message } = error as NodeError;
    const option = /'(-[^']*)'/.exec(message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      throw new CliInputError(`${command}: unknown option ${option} (see ${command} --help)`);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      throw new CliInputError(`${command}: option ${option.split(' ')[0] || '(unknown)'} needs a value`);
    }
    throw new CliInputError(`${command}: ${message.split('\n')[0]}`);
  }
}

/** A string flag, or its default. */
export function stringFlag(parsed: ParsedArgs, name: string, fallback: string): string {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : fallback;
}

/** An integer flag within [min, max] (max optional), or undefined when absent. */
export function integerFlag(parsed: ParsedArgs, name: string, min: number, max?: number): number | undefined {
  const value = parsed.values[name];
  if (typeof value !== 'string') return undefined;
  const n = Number(value);
  const range = max === undefined ? `≥ ${min}` : `in ${min}..${max}`;
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || (max !== undefined && n > max)) {
    throw new CliInputError(`--${name}: expected an integer ${range}, got "${value}"`);
  }
  return n;
}

/** Checks an enumerated flag. */
export function choiceFlag<T extends string>(parsed: ParsedArgs, name: string, choices: readonly T[], fallback: T): T {
  const value = stringFlag(parsed, name, fallback);
  const found = choices.find((choice) => choice === value);
  if (found === undefined) throw new CliInputError(`--${name}: expected one of ${choices.join(', ')}, got "${value}"`);
  return found;
}
