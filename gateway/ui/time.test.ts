// One zone for people: the instants the API keeps in UTC, shown as China Standard Time with its label.
import { describe, expect, it } from 'vitest';
import { chinaDay, chinaLocalInput, chinaMinute, chinaTime, chinaToday, fromChinaLocalInput } from './time.ts';

describe('China Standard Time', () => {
  it('shows a licence valid until 2027-01-31 00:00 in China as exactly that, labelled', () => {
    const stored = fromChinaLocalInput('2027-01-31T00:00')!;
    expect(new Date(stored).toISOString()).toBe('2027-01-30T16:00:00.000Z');
    expect(chinaTime(new Date(stored).toISOString(), 'zh')).toBe('2027-01-31 00:00（北京时间）');
    expect(chinaTime('2027-01-30T16:00:00Z', 'en')).toBe('2027-01-31 00:00 (China Standard Time (UTC+8))');
    expect(chinaLocalInput('2027-01-30T16:00:00Z')).toBe('2027-01-31T00:00');
  });

  it('takes the calendar day in China, and leaves bare dates alone', () => {
    expect(chinaDay('2026-12-31T16:30:00Z')).toBe('2027-01-01');
    expect(chinaDay('2026-12-31')).toBe('2026-12-31');
    expect(chinaMinute(null)).toBe('—');
    expect(chinaToday(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
  });
});
