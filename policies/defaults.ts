// Default masking derived from a field's grade and PI flag, per use: the floor a policy meets unless it says why
// not, and the absolute minimum it can never go below, even with a justification.

import type { Sensitivity } from '../store/index.ts';
import type { GradeLabel, PolicyUse } from './grades.ts';
import { STRENGTH_NAMES, type MaskRule, type MaskStrength } from './mask-rules.ts';

export interface DefaultRule {
  /** stable id, shown in policy errors, the catalog and the docs */
  readonly id: string;
  readonly use: PolicyUse;
  readonly applies: (grade: GradeLabel, pi: Sensitivity) => boolean;
  /** the default: a weaker rule needs a justification */
  readonly floor: MaskStrength;
  /** the hard limit: a weaker rule is refused whatever the justification */
  readonly absolute: MaskStrength;
  readonly text: string;
}

/** The default rules, one line each in docs/policies.md. Strengths: 0 raw, 1 partial mask, 2 pseudonym, 3 drop. */
export const DEFAULT_RULES: readonly DefaultRule[] = [
  {
    id: 'sandbox.core',
    use: 'sandbox',
    applies: (g) => g === 'core',
    floor: 3,
    absolute: 1,
    text: 'core data is not delivered to jobs; a justified policy may deliver it masked, never raw',
  },
  {
    id: 'sandbox.sensitive_personal',
    use: 'sandbox',
    applies: (_g, pi) => pi === 'sensitive_personal',
    floor: 1,
    absolute: 1,
    text: 'sensitive personal information (PIPL art. 28) is never delivered raw',
  },
  {
    id: 'sandbox.important_personal',
    use: 'sandbox',
    applies: (g, pi) => g === 'important' && pi === 'personal',
    floor: 1,
    absolute: 0,
    text: 'personal information graded important is masked unless justified',
  },
  {
    id: 'open_download.core',
    use: 'open_download',
    applies: (g) => g === 'core',
    floor: 3,
    absolute: 3,
    text: 'core data never enters an open download',
  },
  {
    id: 'open_download.important',
    use: 'open_download',
    applies: (g) => g === 'important',
    floor: 3,
    absolute: 1,
    text: 'important data is left out of open downloads; a justified policy may publish it masked, never raw',
  },
  {
    id: 'open_download.sensitive_personal',
    use: 'open_download',
    applies: (_g, pi) => pi === 'sensitive_personal',
    floor: 3,
    absolute: 1,
    text: 'sensitive personal information is left out of open downloads; if justified, masked, never raw',
  },
  {
    id: 'open_download.personal',
    use: 'open_download',
    applies: (_g, pi) => pi === 'personal',
    floor: 3,
    absolute: 0,
    text: 'personal information is left out of open downloads unless a justified policy (e.g. a legal duty to publish) says otherwise',
  },
  {
    id: 'open_download.general_4',
    use: 'open_download',
    applies: (g) => g === 'general-4',
    floor: 1,
    absolute: 0,
    text: 'general-4 data is published masked unless justified',
  },
];

export interface UseDefault {
  readonly floor: MaskStrength;
  readonly absolute: MaskStrength;
  /** the default rules that apply, strictest first; empty when the field may be delivered raw */
  readonly rules: readonly DefaultRule[];
}

/** The default for one field and use: the strictest floor and absolute minimum of the rules that apply. */
export function defaultFor(grade: GradeLabel, pi: Sensitivity, use: PolicyUse): UseDefault {
  const rules = DEFAULT_RULES.filter((r) => r.use === use && r.applies(grade, pi)).sort((a, b) => b.floor - a.floor);
  let floor: MaskStrength = 0;
  let absolute: MaskStrength = 0;
  for (const r of rules) {
    if (r.floor > floor) floor = r.floor;
    if (r.absolute > absolute) absolute = r.absolute;
  }
  return { floor, absolute, rules };
}

/**
 * The rule a field gets for a use its policy does not mention: raw when nothing applies, else dropped (the one
 * rule that meets every floor without knowing what kind of value the field holds).
 */
export function defaultRule(d: UseDefault): MaskRule {
  return d.floor === 0 ? { mask: 'raw' } : { mask: 'drop' };
}

export function strengthName(s: MaskStrength): string {
  return STRENGTH_NAMES[s];
}
