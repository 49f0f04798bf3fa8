// Group commit for audit events not tied to another write (requests, refused sign-ins): many appends, one commit.
import { auditAppendDuration, auditAppendFailures } from '../../telemetry/index.ts';
import type { Database } from '../database.ts';
import { appendAuditEntries } from './append-audit.ts';
import { normalizeAuditEvent, type NormalizedEvent } from './entry.ts';
import type { AuditEntry, AuditEvent } from './types.ts';

export interface AuditLogOptions {
  /** most entries written by one transaction (default 500); 1 turns group commit off */
  maxBatch?: number;
  /**
   * how long the first event of a batch waits for company, in ms (default 0: a batch is whatever arrived while the
   * previous commit was in flight, so an idle log adds no latency)
   */
  maxWaitMs?: number;
}

interface Pending {
  event: NormalizedEvent;
  resolve(entry: AuditEntry): void;
  reject(err: unknown): void;
}

/**
 * Appends events in their own transactions, batching concurrent appends into one transaction (group commit).
 * Each `append` resolves only once the transaction holding its entry has committed: respond after awaiting it and
 * no response leaves before its audit entry is durable. A failed commit rejects every append in that batch.
 */
export class AuditLog {
  readonly #database: Database;
  readonly #maxBatch: number;
  readonly #maxWaitMs: number;
  #queue: Pending[] = [];
  #running: Promise<void> | undefined;
  #closed = false;

  constructor(database: Database, options: AuditLogOptions = {}) {
    this.#database = database;
    this.#maxBatch = options.maxBatch ?? 500;
    this.#maxWaitMs = options.maxWaitMs ?? 0;
    if (!Number.isInteger(this.#maxBatch) || this.#maxBatch < 1) throw new TypeError('maxBatch must be a positive integer');
    if (!(this.#maxWaitMs >= 0)) throw new TypeError('maxWaitMs must be zero or more');
  }

  /**
   * Resolves with the committed entry. Rejects with TypeError for a malformed event (only that append fails),
   * AUDIT_UNAVAILABLE when the batch could not be committed, TypeError after `close`.
   */
  append(event: AuditEvent): Promise<AuditEntry> {
    let normalized: NormalizedEvent;
    try {
      if (this.#closed) throw new TypeError('the audit log is closed');
      normalized = normalizeAuditEvent(event);
    } catch (err) {
      return Promise.reject(err);
    }
    const started = performance.now();
    return new Promise<AuditEntry>((resolve, reject) => {
      this.#queue.push({
        event: normalized,
        resolve: (entry) => {
          auditAppendDuration.observe((performance.now() - started) / 1000);
          resolve(entry);
        },
        reject: (err) => {
          auditAppendFailures.inc();
          reject(err);
        },
      });
      this.#running ??= this.#drain();
    });
  }

  /** Resolves when every append made so far has settled. */
  async flush(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /** Refuses further appends and waits for the pending ones. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
  }

  async #drain(): Promise<void> {
    // let the appends of this turn of the event loop (or of the wait window) join the first batch
    await new Promise((resolve) => (this.#maxWaitMs > 0 ? setTimeout(resolve, this.#maxWaitMs) : setImmediate(resolve)));
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, this.#maxBatch);
        try {
          const entries = await this.#database.db.transaction((tx) =>
            appendAuditEntries(
              tx,
              batch.map((p) => p.event),
            ),
          );
          batch.forEach((p, i) => p.resolve(entries[i]!));
        } catch (err) {
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      this.#running = undefined;
    }
  }
}
