// The streams a command talks to, passed in so commands can be run in-process (tests) or from the real process.

import type { Writable } from 'node:stream';

export interface CommandIo {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
}

export interface Command {
  /** one line for the top-level help */
  readonly summary: string;
  readonly usage: string;
  /** resolves to the exit code; throws UsageError for bad input */
  run(argv: readonly string[], io: CommandIo): Promise<number>;
}
