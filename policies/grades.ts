// Classification levels: data grade per GB/T 43697-2024 with the four sub-levels of general data, PI flags per PIPL.

import type { Grade, Sensitivity } from '../store/index.ts';

export type { Grade, Sensitivity };

/**
 * A field's grade as policy files write it: `core`, `important`, or general data with its sub-level `general-1`
 * (public, negligible harm) to `general-4` (serious harm to a person or organisation if disclosed).
 * Policy files rely on these strings.
 */
export const GRADE_LABELS = ['general-1', 'general-2', 'general-3', 'general-4', 'important', 'core'] as const;
export type GradeLabel = (typeof GRADE_LABELS)[number];

/** The two uses a policy rules on: masked inputs of sandbox jobs, and desensitized open-data downloads. */
export const POLICY_USES = ['sandbox', 'open_download'] as const;
export type PolicyUse = (typeof POLICY_USES)[number];

/** Strictness of a grade label: general-1 = 1 ... general-4 = 4, important = 5, core = 6. */
export function gradeRank(label: GradeLabel): number {
  return GRADE_LABELS.indexOf(label) + 1;
}

/** The registry's three-way grade of a label: `general-3` → `general`. */
export function gradeOf(label: GradeLabel): Grade {
  return label === 'core' || label === 'important' ? label : 'general';
}

/** The stricter of two labels. */
export function stricterGrade(a: GradeLabel, b: GradeLabel): GradeLabel {
  return gradeRank(a) >= gradeRank(b) ? a : b;
}

/** Rank of the registry grade (general < important < core), for comparing a field with its dataset. */
export function coarseGradeRank(grade: Grade): number {
  return grade === 'core' ? 3 : grade === 'important' ? 2 : 1;
}

/** Ordering of PI flags: none < personal < sensitive_personal. */
export function sensitivityRank(s: Sensitivity): number {
  return s === 'sensitive_personal' ? 2 : s === 'personal' ? 1 : 0;
}

/**
 * Lowest grade a field with this PI flag may carry: personal information is at least general-2, sensitive personal
 * information (PIPL art. 28: harm to dignity, person or property if leaked) at least general-4.
 */
export function minimumGradeFor(s: Sensitivity): GradeLabel {
  return s === 'sensitive_personal' ? 'general-4' : s === 'personal' ? 'general-2' : 'general-1';
}
