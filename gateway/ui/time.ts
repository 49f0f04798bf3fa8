// The platform shows every time in one zone, China Standard Time (UTC+8, no daylight saving), and says so: portal and
// console alike. Calendar days (plan dates, "today") are days in China too. Storage and the API stay in UTC (ISO 8601).

const OFFSET_MS = 8 * 3_600_000;

/** The zone's label, shown beside times. */
export const ZONE_LABEL = { zh: '北京时间', en: 'China Standard Time (UTC+8)' } as const;
export type UiLang = keyof typeof ZONE_LABEL;

const parse = (iso: string): number => (/^\d{4}-\d{2}-\d{2}$/.test(iso) ? Number.NaN : Date.parse(iso));
const shifted = (t: number) => new Date(t + OFFSET_MS).toISOString();

/** YYYY-MM-DD of an instant in China; a bare date is returned as it is; '—' for none. */
export function chinaDay(iso: string | null | undefined): string {
  if (!iso) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const t = parse(iso);
  return Number.isNaN(t) ? iso : shifted(t).slice(0, 10);
}

/** `YYYY-MM-DD HH:mm` in China, without the label (for tables whose header carries it). */
export function chinaMinute(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = parse(iso);
  return Number.isNaN(t) ? iso : shifted(t).slice(0, 16).replace('T', ' ');
}

/** `YYYY-MM-DD HH:mm:ss` in China, without the label. */
export function chinaSecond(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = parse(iso);
  return Number.isNaN(t) ? iso : shifted(t).slice(0, 19).replace('T', ' ');
}

/** `2027-01-31 00:00（北京时间）` / `2027-01-31 00:00 (China Standard Time (UTC+8))`: a time that stands alone. */
export function chinaTime(iso: string | null | undefined, lang: UiLang): string {
  if (!iso) return '—';
  return lang === 'zh' ? `${chinaMinute(iso)}（${ZONE_LABEL.zh}）` : `${chinaMinute(iso)} (${ZONE_LABEL.en})`;
}

/** The datetime-local value (China wall clock) of an instant, for a form field labelled with the zone. */
export function chinaLocalInput(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '' : shifted(t).slice(0, 16);
}

/** "2026-11-22T10:00" typed in a datetime-local field labelled China Standard Time → ISO 8601 with its offset. */
export function fromChinaLocalInput(text: string | undefined): string | undefined {
  if (!text) return undefined;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(text) ? `${text}:00+08:00` : text;
}

/** The calendar day in China now (what plan dates and "this year" are compared with). */
export function chinaToday(now: Date = new Date()): string {
  return shifted(now.getTime()).slice(0, 10);
}
