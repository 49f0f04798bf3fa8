// Structured JSON logs. Never log bodies, tokens or data values: only what identifies the event.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'gateway' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // belt and braces: these should never be passed to a log call in the first place
    redact: { paths: ['*.authorization', '*.password', '*.token', '*.access_token', '*.client_assertion'], censor: '[redacted]' },
  });
}
