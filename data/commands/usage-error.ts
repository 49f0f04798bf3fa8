// The error type for bad command-line input: the CLI prints its message as one `error: ...` line and exits 2.

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Exit status for bad usage, as BSD sysexits and most CLIs use. */
export const USAGE_EXIT_CODE = 2;
