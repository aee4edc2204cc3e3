/**
 * What every subcommand implements, and the error that means "bad input": the dispatcher prints its message
 * as one line on stderr and exits with code 2 (no stack trace).
 */

export interface Command {
  /** the word after `sage-explorer` */
  name: string;
  /** one line for the top-level help */
  summary: string;
  /** the full `--help` text of the subcommand */
  usage: string;
  /** runs with the arguments after the subcommand word; resolves to the exit code */
  run(args: string[]): Promise<number>;
}

/** Bad user input (missing file, invalid bundle, unknown flag, value out of range): exit code 2. */
export class CliInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliInputError';
  }
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;
