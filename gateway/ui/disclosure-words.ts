// The disclosure-control checks and their verdicts in people's words, for the portal's provenance sections and the
// console's review page (one dictionary for both). A name not listed here is shown as it is.

export const CHECK_WORDS = {
  zh: {
    checks: {
      size_gate: '输出规模检查',
      aggregate_kinds: '统计类型检查',
      dp_preconditions: '差分隐私前提检查',
      dp_budget: '隐私预算检查',
      small_cells: '小单元格抑制',
      dominance: '优势规则（个别主体占比过大）',
      differencing: '差分攻击检查',
      secondary_suppression: '次级抑制（防止由合计推算）',
      dp_noise: '差分隐私加噪',
      partition_selection: '分组筛选（差分隐私）',
      row_locality: '行局部性检查',
      rounding: '取整',
      model_checks: '模型检查',
      human_review: '人工审查',
    } as Record<string, string>,
    outcomes: { pass: '通过', applied: '已处理', fail: '未通过', not_applicable: '不适用' } as Record<string, string>,
    suppressed: {
      small_cell: '人数过少，不公布',
      dominance: '个别主体占比过大，不公布',
      differencing: '可与已发布数据相减推算，不公布',
      secondary: '为防推算一并不公布',
      not_selected: '未通过分组筛选，不公布',
    } as Record<string, string>,
  },
  en: {
    checks: {
      size_gate: 'Output size',
      aggregate_kinds: 'Kinds of statistics',
      dp_preconditions: 'Differential privacy preconditions',
      dp_budget: 'Privacy budget',
      small_cells: 'Small-cell suppression',
      dominance: 'Dominance (one contributor too large)',
      differencing: 'Differencing against earlier releases',
      secondary_suppression: 'Secondary suppression (no recovery from totals)',
      dp_noise: 'Differential privacy noise',
      partition_selection: 'Partition selection (differential privacy)',
      row_locality: 'Row locality',
      rounding: 'Rounding',
      model_checks: 'Model checks',
      human_review: 'Human review',
    } as Record<string, string>,
    outcomes: { pass: 'passed', applied: 'applied', fail: 'failed', not_applicable: 'not applicable' } as Record<string, string>,
    suppressed: {
      small_cell: 'too few people: withheld',
      dominance: 'one contributor dominates: withheld',
      differencing: 'recoverable by subtraction from earlier releases: withheld',
      secondary: 'withheld so the others cannot be recovered',
      not_selected: 'group not selected: withheld',
    } as Record<string, string>,
  },
} as const;

export type CheckWords = (typeof CHECK_WORDS)['zh'];

/** A code's words, or the code itself when the dictionary has none (a new check the record gained). */
export const say = (dictionary: Record<string, string>, code: string): string => dictionary[code] ?? code;
