/**
 * The `sage-explorer` dispatcher. Adding a subcommand = one import + one entry in COMMANDS.
 * Bad input (CliInputError, or a core FieldError from user-given values) → one line on stderr, exit 2.
 */
import { FieldError, errorMessage } from '../src/core';
import { analyzeCommand } from './analyze';
import { type Command, CliInputError, EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK } from './command';
import { compareCommand } from './compare';
import { discoverCommand } from './discover';
import { embedCommand } from './embed';
import { finetuneCommand } from './finetune';
import { importCommand } from './import';
import { mergeCommand } from './merge';

const COMMANDS: readonly Command[] = [
  analyzeCommand,
  compareCommand,
  discoverCommand,
  embedCommand,
  finetuneCommand,
  importCommand,
  mergeCommand,
];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: sage-explorer <command> [options]   (npm run cli -- <command> …)',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `sage-explorer <command> --help` for its options.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) throw new CliInputError('missing command; run `sage-explorer --help` for the list');
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return EXIT_OK;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    throw new CliInputError(`unknown command "${name}"; commands: ${COMMANDS.map((c) => c.name).join(', ')}`);
  }
  return command.run(rest);
}

/** Runs the CLI and sets the exit code; only unexpected failures print more than one line. */
export async function runCli(argv: string[]): Promise<void> {
  try {
    process.exitCode = await main(argv);
  } catch (error) {
    if (error instanceof CliInputError || error instanceof FieldError) {
      process.stderr.write(`sage-explorer: ${error.message}\n`);
      process.exitCode = EXIT_BAD_INPUT;
      return;
    }
    const detail =
      process.env.SAGE_DEBUG && error instanceof Error ? (error.stack ?? error.message) : errorMessage(error);
    process.stderr.write(`sage-explorer: internal error: ${detail} (set SAGE_DEBUG=1 for a stack trace)\n`);
    process.exitCode = EXIT_FAILURE;
  }
}
