// Proleptic Gregorian calendar arithmetic on day numbers, so generators can make dates without Date objects.

/** Days in each month of a common year. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (MONTH_DAYS[month - 1] ?? 0);
}

/** True when year/month/day name a real calendar day (integers, month 1-12, day within the month). */
export function isValidDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) && Number.isInteger(month) && Number.isInteger(day) &&
    month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
  );
}

/**
 * Day number (days since 1970-01-01) of a civil date. Howard Hinnant's days_from_civil: integer-only, so the same
 * on every machine and free of time-zone effects.
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Civil date of a day number, written into `out` as [year, month, day] to spare an allocation per call. */
export function civilFromDays(days: number, out: [number, number, number] = [0, 0, 0]): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  out[0] = yoe + era * 400 + (month <= 2 ? 1 : 0);
  out[1] = month;
  out[2] = day;
  return out;
}

const scratch: [number, number, number] = [0, 0, 0];
const PAD2: string[] = Array.from({ length: 32 }, (_, i) => (i < 10 ? `0${i}` : String(i)));

/** `YYYY-MM-DD` of a day number (years 1000-9999). */
export function formatDay(days: number): string {
  civilFromDays(days, scratch);
  return `${scratch[0]}-${PAD2[scratch[1]]}-${PAD2[scratch[2]]}`;
}

/** `YYYYMMDD` of a day number, the form used inside resident IDs. */
export function formatDayCompact(days: number): string {
  civilFromDays(days, scratch);
  return `${scratch[0]}${PAD2[scratch[1]]}${PAD2[scratch[2]]}`;
}

/** Day number of a `YYYY-MM-DD` string; NaN if it is not a real date. */
export function parseDay(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return Number.NaN;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return isValidDate(y, mo, d) ? daysFromCivil(y, mo, d) : Number.NaN;
}

/** Whole years between a birth day and a later day (the usual "age at last birthday"). */
export function ageOn(birthDays: number, onDays: number): number {
  const b = civilFromDays(birthDays, [0, 0, 0]);
  const o = civilFromDays(onDays, [0, 0, 0]);
  let age = o[0] - b[0];
  if (o[1] < b[1] || (o[1] === b[1] && o[2] < b[2])) age--;
  return age;
}

/** Weekday of a day number, 0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday). */
export function weekday(days: number): number {
  return (((days + 3) % 7) + 7) % 7;
}
