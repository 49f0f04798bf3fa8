// A year's published lists as a table with Chinese column headers, for the CSV and XLSX downloads.
// Wire format: the column names and labels are what spreadsheets and portals that re-publish the list rely on.
import type { UpdateCycle } from '../../store/index.ts';
import { collectBytes, writeRows, type OutputColumn, type OutputRow } from '../formats/index.ts';
import type { PresentedItem } from './present.ts';
import type { ItemStatus } from './status.ts';

export const EXPORT_COLUMNS: readonly OutputColumn[] = [
  { name: '序号', type: 'integer' },
  { name: '数据领域' },
  { name: '数据名称' },
  { name: '提供部门' },
  { name: '数据摘要/主要数据项' },
  { name: '开放属性' },
  { name: '开放方式' },
  { name: '数据格式' },
  { name: '更新频率' },
  { name: '计划开放时间', type: 'date' },
  { name: '需求来源' },
  { name: '状态' },
  { name: '备注' },
  { name: '链接', type: 'url' },
];

export const OPEN_TYPE_LABELS: Readonly<Record<PresentedItem['openType'], string>> = { unconditional: '无条件开放', conditional: '有条件开放' };
export const ACCESS_LABELS: Readonly<Record<PresentedItem['accessMethods'][number], string>> = { download: '下载', api: '接口' };
export const STATUS_LABELS: Readonly<Record<ItemStatus, string>> = { planned: '计划开放', opened: '已开放', overdue: '逾期未开放' };
export const CYCLE_LABELS: Readonly<Record<UpdateCycle, string>> = {
  realtime: '实时',
  daily: '每日',
  weekly: '每周',
  monthly: '每月',
  quarterly: '每季度',
  yearly: '每年',
  irregular: '不定期',
};

/**
 * One row per item, in EXPORT_COLUMNS order. 链接 is the portal page of an opened item (a person follows it from a
 * spreadsheet), absolute when a base URL is known. 序号 numbers the exported
 * list 1..n (a year's file holds several departments' lists, each numbered from 1 on its own).
 */
export function exportRows(items: readonly PresentedItem[], baseUrl = ''): OutputRow[] {
  return items.map((i, k) => [
    k + 1,
    i.theme,
    i.name,
    i.department,
    i.summary,
    OPEN_TYPE_LABELS[i.openType] ?? i.openType,
    i.accessMethods.map((m) => ACCESS_LABELS[m] ?? m).join('、'),
    i.formats.join('、'),
    CYCLE_LABELS[i.updateCycle as UpdateCycle] ?? i.updateCycle,
    i.plannedDate,
    i.demandSource,
    STATUS_LABELS[i.status],
    i.note ?? '',
    i.link && i.datasetCode ? `${baseUrl}/portal/datasets/${encodeURIComponent(i.datasetCode)}` : '',
  ]);
}

/** The whole file in memory: a year's lists are at most a few thousand rows. */
export function exportFile(format: 'csv' | 'xlsx', items: readonly PresentedItem[], options: { baseUrl?: string; sheetName?: string } = {}): Promise<Uint8Array> {
  const rows = exportRows(items, options.baseUrl);
  return collectBytes(writeRows(format, EXPORT_COLUMNS, [rows], { sheetName: options.sheetName ?? '重点清单' }));
}
