// @ts-check
// Features for a social-insurance arrears risk model (logistic regression fitted by the platform), over the social
// insurance contributions dataset (社会保险缴费信息).
//
// Reads contribution_base, employer_amount, personal_amount, arrears_amount, insurance_type and period ("2023-11").
// Emits one feature row per contribution month and the label 1 when the month is in arrears. The platform fits the
// model on these rows and releases only its coefficients after its own checks; a model never sees another job's data.
//
// params: { insuranceTypes?: string[] }  insurance types that get an indicator feature; default 养老, 医疗, 失业
// (the others form the baseline).
//
// Run it (the licence must grant the operation `model` on social_insurance). The declared output asks the platform to
// fit a logistic regression on the emitted features and label, under differential privacy: every feature has declared
// bounds (values are clamped into them), each person adds at most 5 months (--max-rows), and the coefficients come
// with standard errors and 95 % intervals that include the noise (docs/operator-models.md, "Platform-fitted models");
// --dry-run fits it on synthetic data and prints the unchecked coefficients.
//   npm run -s operator -- submit examples/arrears-risk.js --license <licence id> \
//     --dataset social_insurance:contribution_base,employer_amount,personal_amount,arrears_amount,insurance_type,period \
//     --params '{"insuranceTypes":["养老","医疗","失业"]}' --max-rows 5 \
//     --outputs '[{"name":"arrears","kind":"logistic","features":["log_base","personal_share","year_end","is_pension","is_medical","is_unemployment"]}]' \
//     --bounds log_base=6..12 --bounds personal_share=0..1 --bounds year_end=0..1 --bounds is_pension=0..1 \
//     --bounds is_medical=0..1 --bounds is_unemployment=0..1 [--dry-run]

/** @typedef {import('../sandbox/execution/model-api').StringColumn} StringColumn */

const DEFAULT_TYPES = ['养老', '医疗', '失业'];
const FEATURE_NAMES = { 养老: 'is_pension', 医疗: 'is_medical', 失业: 'is_unemployment', 工伤: 'is_work_injury', 生育: 'is_maternity' };

/** @type {import('../sandbox/execution/model-api').MapFunction} */
export function map(columns, params, info) {
  const base = /** @type {Float64Array} */ (columns.contribution_base);
  const employer = /** @type {Float64Array} */ (columns.employer_amount);
  const personal = /** @type {Float64Array} */ (columns.personal_amount);
  const arrears = /** @type {Float64Array} */ (columns.arrears_amount);
  const type = /** @type {StringColumn} */ (columns.insurance_type);
  const period = /** @type {StringColumn} */ (columns.period);
  const types = Array.isArray(params.insuranceTypes) ? params.insuranceTypes.map(String) : DEFAULT_TYPES;

  // usable rows: a positive base and a positive total due
  const n = info.rowCount;
  const rows = [];
  for (let i = 0; i < n; i++) {
    if (base[i] > 0 && employer[i] + personal[i] > 0 && type.codes[i] >= 0 && period.codes[i] >= 0) rows.push(i);
  }
  const m = rows.length;
  const logBase = new Float64Array(m);
  const personalShare = new Float64Array(m);
  const yearEnd = new Float64Array(m);
  const label = new Float64Array(m);
  const indicators = types.map(() => new Float64Array(m));
  const monthOf = period.dictionary.map((p) => Number(p.slice(5, 7)));
  const typeIndex = type.dictionary.map((t) => types.indexOf(t));

  for (let j = 0; j < m; j++) {
    const i = rows[j];
    logBase[j] = Math.log(base[i]);
    personalShare[j] = personal[i] / (employer[i] + personal[i]);
    yearEnd[j] = monthOf[period.codes[i]] >= 10 ? 1 : 0; // Q4: year-end cash pressure
    const t = typeIndex[type.codes[i]];
    if (t >= 0) indicators[t][j] = 1;
    label[j] = arrears[i] > 0 ? 1 : 0;
  }
  /** @type {Record<string, Float64Array>} */
  const features = { log_base: logBase, personal_share: personalShare, year_end: yearEnd };
  types.forEach((t, k) => {
    features[FEATURE_NAMES[/** @type {keyof typeof FEATURE_NAMES} */ (t)] ?? `type_${k}`] = indicators[k];
  });
  return { rows, features, label };
}
