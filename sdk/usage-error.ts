/** A bad command line (or a job id that is not the operator's): the CLI prints one `error:` line and exits 2. */
export class UsageError extends Error {}
