// The metadata quality score of a catalog entry (0–100): completeness 40, timeliness 25, open format 15, working
// downloads 20. Pure: the same row and day give the same score. The formula is documented in docs/open-data.md.
import type { UpdateCycle } from '../../store/index.ts';
import type { CatalogRow } from './catalog-row.ts';
import { DOWNLOAD_FORMATS, type QualityScore } from './types.ts';

const DAY_MS = 86_400_000;

/** How long after a load the next one is due, by update cycle (with a day's grace); irregular has no cycle. */
const CYCLE_DAYS: Readonly<Record<UpdateCycle, number | null>> = {
  realtime: 2,
  daily: 2,
  weekly: 8,
  monthly: 32,
  quarterly: 93,
  yearly: 367,
  irregular: null,
};

/** Formats that are machine-readable and open (non-proprietary); xlsx is machine-readable but not open. */
const OPEN_FORMATS = DOWNLOAD_FORMATS.filter((f) => f !== 'xlsx');

/** The recommended metadata and whether the row has it; `openConditions` only counts for conditional data. */
function checks(row: CatalogRow): [string, boolean][] {
  const list: [string, boolean][] = [
    ['catalogEntry', row.described],
    ['summary', row.summary.trim().length >= 20],
    ['classification', row.classification !== null && row.classification.category.trim().length > 0],
    ['theme', row.described && row.theme.trim().length > 0],
    ['keywords', row.keywords.length >= 2],
    ['license', row.license.trim().length > 0],
    ['nextUpdateDue', row.nextUpdateDue !== null || row.updateCycle === 'realtime'],
    ['temporal', row.temporalStart !== null],
    ['spatial', row.spatial !== null && row.spatial.trim().length > 0],
    ['fieldDescriptions', row.fields.every((f) => f.description.trim().length > 0)],
  ];
  if (row.openType === 'conditional') list.push(['openConditions', (row.openConditions ?? '').trim().length > 0]);
  return list;
}

/** Whether the next update is past due: after nextUpdateDue, or longer since the last load than the cycle allows. */
export function isOverdue(row: CatalogRow, now: Date): boolean {
  const today = now.toISOString().slice(0, 10);
  if (row.nextUpdateDue !== null && row.nextUpdateDue < today) return true;
  const days = CYCLE_DAYS[row.updateCycle];
  if (row.current === null) return false;
  return days !== null && now.getTime() - row.current.loadedAt.getTime() > days * DAY_MS;
}

export function qualityScore(row: CatalogRow, now: Date = new Date()): QualityScore {
  const list = checks(row);
  const filled = list.filter(([, ok]) => ok).length;
  const completeness = Math.round((40 * filled) / list.length);
  const overdue = isOverdue(row, now);
  // without any load there is nothing timely; an irregular dataset without a due date cannot be judged: half marks
  const judgeable = row.nextUpdateDue !== null || CYCLE_DAYS[row.updateCycle] !== null;
  const timeliness = row.current === null || overdue ? 0 : judgeable ? 25 : 13;
  // every distribution offers all open formats (csv, ndjson, json) besides xlsx, so this is all or nothing today
  const openFormat = row.hasFormats ? Math.round((15 * OPEN_FORMATS.length) / 3) : 0;
  const workingDownloads = row.hasFormats && (row.current?.rowCount ?? 0) > 0 ? 20 : 0;
  return {
    score: completeness + timeliness + openFormat + workingDownloads,
    parts: { completeness, timeliness, openFormat, workingDownloads },
    missing: list.filter(([, ok]) => !ok).map(([name]) => name),
    overdue,
  };
}
