// @ts-check
// Enterprise survival by industry and year of establishment, over the legal-persons dataset (法人单位基础信息库).
//
// Reads industry_code (GB/T 4754-2017, e.g. "I65"), established_date ("2016-04-12") and status (存续/在业/吊销/注销/
// 迁出). Emits the keys industry (the section letter, e.g. "I") and year, and the measure survived: 1 while the entity
// is still registered (存续, 在业), 0 once revoked or deregistered (吊销, 注销). Entities that moved out (迁出) left
// the observed population, so they are filtered out rather than counted as failures. The platform's mean of
// `survived` per (industry, year) is the survival rate.
//
// params: { fromYear?: number, toYear?: number }  establishment years to include (default: all)
//
// Run it (--dry-run first on synthetic data; the chart draws one survival line per industry section over the years):
//   npm run -s operator -- submit examples/enterprise-survival.js --license <licence id> \
//     --dataset legal_persons:industry_code,established_date,status --params '{"fromYear":2010}' \
//     --output count:industry,year --output mean:survived:industry,year --bounds survived=0..1 --chart survival.svg
// (a differentially private release: survived is 0 or 1, so its bounds are 0..1; an (industry, year) cell shows only
// when enough firms share it, with its 95 % interval.)

/** @typedef {import('../sandbox/execution/model-api').StringColumn} StringColumn */

const SURVIVING = new Set(['存续', '在业']);
const ENDED = new Set(['吊销', '注销']);

/** @type {import('../sandbox/execution/model-api').MapFunction} */
export function map(columns, params, info) {
  const industry = /** @type {StringColumn} */ (columns.industry_code);
  const established = /** @type {StringColumn} */ (columns.established_date);
  const status = /** @type {StringColumn} */ (columns.status);
  const fromYear = typeof params.fromYear === 'number' ? params.fromYear : -Infinity;
  const toYear = typeof params.toYear === 'number' ? params.toYear : Infinity;

  // Work per dictionary entry: industry code → section, date → year, status → 1 / 0 / -1 (left the population).
  const sections = [];
  const sectionOf = industry.dictionary.map((code) => {
    const letter = code.slice(0, 1);
    let s = sections.indexOf(letter);
    if (s < 0) s = sections.push(letter) - 1;
    return s;
  });
  const yearOf = established.dictionary.map((date) => Number(date.slice(0, 4)));
  const outcomeOf = status.dictionary.map((s) => (SURVIVING.has(s) ? 1 : ENDED.has(s) ? 0 : -1));

  const n = info.rowCount;
  const rows = [];
  for (let i = 0; i < n; i++) {
    const ind = industry.codes[i];
    const est = established.codes[i];
    const st = status.codes[i];
    if (ind < 0 || est < 0 || st < 0 || outcomeOf[st] < 0) continue;
    const year = yearOf[est];
    if (year >= fromYear && year <= toYear) rows.push(i);
  }
  const sectionCodes = new Int32Array(rows.length);
  const years = new Int32Array(rows.length);
  const survived = new Float64Array(rows.length);
  rows.forEach((i, j) => {
    sectionCodes[j] = sectionOf[industry.codes[i]];
    years[j] = yearOf[established.codes[i]];
    survived[j] = outcomeOf[status.codes[i]];
  });
  return {
    rows,
    keys: { industry: { codes: sectionCodes, dictionary: sections }, year: years },
    measures: { survived },
  };
}
