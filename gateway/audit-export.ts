// The audit export as an HTTP download (JSONL or CSV), streamed: one implementation for the API and the console.
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import { stream } from 'hono/streaming';
import { exportAudit, type AuditExportFormat, type AuditFilters, type Db } from '../store/index.ts';

export function auditExportResponse(c: Context, db: Db, filters: AuditFilters, format: AuditExportFormat): Response {
  c.header('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="audit.${format === 'csv' ? 'csv' : 'jsonl'}"`);
  return stream(c, async (out) => {
    const lines = Readable.from(exportAudit(db, filters, format));
    // a client that goes away stops the database read
    out.onAbort(() => {
      lines.destroy();
    });
    for await (const chunk of lines) await out.write(chunk as string);
  });
}
