// GET /open/priority-lists/compare: how a department's list changed from one year to another.
import { AppError } from '../../errors/index.ts';
import type { Db } from '../../store/index.ts';
import type { PresentedItem } from './present.ts';
import { showPublicYear, type PublicList } from './read-public.ts';
import { ITEM_STATUSES, type ItemStatus } from './status.ts';

export interface YearCounts {
  items: number;
  byStatus: Record<ItemStatus, number>;
  byOpenType: Record<PresentedItem['openType'], number>;
}

export interface ItemRef {
  seq: number;
  name: string;
  datasetCode: string | null;
  status: ItemStatus;
}

export interface DepartmentComparison {
  departmentCode: string;
  department: string;
  from: YearCounts | null;
  to: YearCounts | null;
  added: ItemRef[];
  dropped: ItemRef[];
  carriedOver: { from: ItemRef; to: ItemRef }[];
}

function counts(list: PublicList | undefined): YearCounts | null {
  if (!list) return null;
  const byStatus = Object.fromEntries(ITEM_STATUSES.map((s) => [s, 0])) as Record<ItemStatus, number>;
  const byOpenType = { unconditional: 0, conditional: 0 };
  for (const i of list.items) {
    byStatus[i.status] += 1;
    byOpenType[i.openType] += 1;
  }
  return { items: list.items.length, byStatus, byOpenType };
}

const ref = (i: PresentedItem): ItemRef => ({ seq: i.seq, name: i.name, datasetCode: i.datasetCode ?? null, status: i.status });
const nameKey = (name: string) => name.normalize('NFKC').replace(/\s+/g, '');

/**
 * Pairs items of two years: first by linked dataset code, then by name (NFKC, whitespace ignored); each item pairs once.
 * Items left over in `to` were added, in `from` dropped.
 */
export function matchItems(from: readonly PresentedItem[], to: readonly PresentedItem[]): Pick<DepartmentComparison, 'added' | 'dropped' | 'carriedOver'> {
  const left = new Set(from);
  const carriedOver: DepartmentComparison['carriedOver'] = [];
  const added: ItemRef[] = [];
  const pairs: [PresentedItem, PresentedItem | undefined][] = [];
  for (const t of to) {
    const byCode = t.datasetCode ? [...left].find((f) => f.datasetCode === t.datasetCode) : undefined;
    pairs.push([t, byCode]);
    if (byCode) left.delete(byCode);
  }
  for (const pair of pairs) {
    if (!pair[1]) {
      const byName = [...left].find((f) => nameKey(f.name) === nameKey(pair[0].name));
      if (byName) {
        pair[1] = byName;
        left.delete(byName);
      }
    }
    if (pair[1]) carriedOver.push({ from: ref(pair[1]), to: ref(pair[0]) });
    else added.push(ref(pair[0]));
  }
  return { added, dropped: [...left].map(ref), carriedOver };
}

async function yearLists(db: Db, year: number, departmentCode: string | undefined, now: Date | undefined, parameter: 'from' | 'to') {
  try {
    return (await showPublicYear(db, { year, departmentCode, ...(now ? { now } : {}) })).departments;
  } catch (err) {
    // a year with no list is a valid year with nothing in it only if the other year names the department
    if (err instanceof AppError && err.code === 'NOT_FOUND' && departmentCode) return [];
    if (err instanceof AppError && err.code === 'NOT_FOUND') throw new AppError('NOT_FOUND', 'no published priority list for this year', { details: { parameter } });
    throw err;
  }
}

/** Throws NOT_FOUND when either year has no published list at all (or, for one department, neither year has one). */
export async function comparePriorityYears(
  db: Db,
  input: { from: number; to: number; departmentCode?: string | undefined; now?: Date },
): Promise<{ from: number; to: number; departments: DepartmentComparison[] }> {
  const fromLists = await yearLists(db, input.from, input.departmentCode, input.now, 'from');
  const toLists = await yearLists(db, input.to, input.departmentCode, input.now, 'to');
  if (fromLists.length === 0 && toLists.length === 0) {
    throw new AppError('NOT_FOUND', 'no published priority list of this department in either year', { details: { parameter: 'department' } });
  }
  const codes = [...new Set([...fromLists, ...toLists].map((l) => l.departmentCode))].sort();
  const departments = codes.map((code) => {
    const f = fromLists.find((l) => l.departmentCode === code);
    const t = toLists.find((l) => l.departmentCode === code);
    return {
      departmentCode: code,
      department: (t ?? f)!.department,
      from: counts(f),
      to: counts(t),
      ...matchItems(f?.items ?? [], t?.items ?? []),
    };
  });
  return { from: input.from, to: input.to, departments };
}
