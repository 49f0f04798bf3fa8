import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ageOn, civilFromDays, daysFromCivil, formatDay, formatDayCompact, isValidDate, parseDay, weekday } from './calendar.ts';

describe('calendar', () => {
  it('agrees with Date.UTC on day numbers from 1800 to 2200', () => {
    fc.assert(
      fc.property(fc.integer({ min: daysFromCivil(1800, 1, 1), max: daysFromCivil(2200, 12, 31) }), (days) => {
        const d = new Date(days * 86_400_000);
        const [y, m, dd] = civilFromDays(days);
        return y === d.getUTCFullYear() && m === d.getUTCMonth() + 1 && dd === d.getUTCDate() && daysFromCivil(y, m, dd) === days &&
          weekday(days) === (d.getUTCDay() + 6) % 7 && formatDay(days) === d.toISOString().slice(0, 10);
      }),
    );
  });

  it('knows real dates, formats and ages', () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(isValidDate(2024, 2, 29)).toBe(true);
    expect(isValidDate(2023, 2, 29)).toBe(false);
    expect(isValidDate(2100, 2, 29)).toBe(false);
    expect(isValidDate(2024, 13, 1)).toBe(false);
    expect(formatDayCompact(daysFromCivil(1949, 10, 1))).toBe('19491001');
    expect(parseDay('2024-02-30')).toBeNaN();
    expect(parseDay('2024-12-31')).toBe(daysFromCivil(2024, 12, 31));
    expect(ageOn(daysFromCivil(2000, 6, 15), daysFromCivil(2024, 6, 14))).toBe(23);
    expect(ageOn(daysFromCivil(2000, 6, 15), daysFromCivil(2024, 6, 15))).toBe(24);
  });
});
