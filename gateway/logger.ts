// Structured JSON logs. Never log bodies, tokens or data values: only what identifies the event.
import { pino, type Logger } from 'pino';
import { activeTraceFields } from '../telemetry/index.ts';

export type { Logger };

/** `destination`: tests read the lines; default stdout. */
export function createLogger(level: string, destination?: { write(line: string): void }): Logger {
  const options = {
    level,
    base: { service: 'gateway' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // every line written inside a request or job carries its trace and span ids: logs and traces join
    mixin: activeTraceFields,
    // belt and braces: these should never be passed to a log call in the first place
    redact: { paths: ['*.authorization', '*.password', '*.token', '*.access_token', '*.client_assertion'], censor: '[redacted]' },
  } satisfies Parameters<typeof pino>[0];
  return destination ? pino(options, destination) : pino(options);
}
