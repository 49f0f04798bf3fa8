// Dispatch of the data CLI on its first argument; each subcommand lives in its own module.

import { generateCommand } from './generate.ts';
import { loadCommand } from './load.ts';
import type { Command, CommandIo } from './io.ts';
import { USAGE_EXIT_CODE, UsageError } from './usage-error.ts';

/** Subcommands by name. Add new ones (e.g. `load`) here. */
export const COMMANDS: Readonly<Record<string, Command>> = {
  generate: generateCommand,
  load: loadCommand,
};

function usage(): string {
  const lines = Object.values(COMMANDS).map((c) => `  ${c.summary}`);
  return `Usage: data <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun "data <command> --help" for the options of a command.\n`;
}

/** Runs the CLI on `argv` (without node and script) and resolves to the exit code. */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === '--help' || name === '-h' || name === 'help') {
      io.stdout.write(usage());
      return 0;
    }
    if (name === undefined) throw new UsageError('missing command (try --help)');
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!command) {
      throw new UsageError(name.startsWith('-') ? `unknown option ${name}` : `unknown command ${JSON.stringify(name)} (try --help)`);
    }
    return await command.run(rest, io);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    // One line, whatever the message holds.
    io.stderr.write(`error: ${err.message.replace(/\s*[\r\n]+\s*/g, ' ')}\n`);
    return USAGE_EXIT_CODE;
  }
}
