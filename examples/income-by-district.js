// @ts-check
// Income distribution by district and age band, over the population dataset (人口基础信息库).
//
// Reads region_code, birth_date (masked to the month, "1985-03") and annual_income. Emits, per person with an income,
// the keys district and age_band and the measure income; the platform computes counts, means and quantiles per
// (district, age band) and suppresses small cells. Nothing is summed here: a model only describes rows.
//
// params: { bands?: number[] }  lower bounds of the age bands in years, ascending; default [18, 30, 45, 60]
// (younger people are left out).
//
// Run it (add --dry-run first to try it on synthetic data without spending anything; --license may be left out when
// one licence grants the dataset). The release is differentially private: incomes are clamped into the declared
// bounds, the age bands are declared (every band is shown); districts are not, so a (district, band) cell shows only
// when enough people share it. Each value comes with its 95 % interval, and the chart draws it as an error bar.
//   npm run -s operator -- submit examples/income-by-district.js --license <licence id> \
//     --dataset population:region_code,birth_date,annual_income --params '{"bands":[18,30,45,60]}' \
//     --output count:age_band --output mean:income:age_band --output p50:income:age_band \
//     --output mean:income:district,age_band --bounds income=0..500000 --domain age_band=18-29,30-44,45-59,60+ \
//     --chart income-by-age-band.svg

/** @typedef {import('../sandbox/execution/model-api').StringColumn} StringColumn */

const DEFAULT_BANDS = [18, 30, 45, 60];

/** @type {import('../sandbox/execution/model-api').MapFunction} */
export function map(columns, params, info) {
  const district = /** @type {StringColumn} */ (columns.region_code);
  const birth = /** @type {StringColumn} */ (columns.birth_date);
  const income = /** @type {Float64Array} */ (columns.annual_income);
  const bands = Array.isArray(params.bands) ? params.bands.map(Number) : DEFAULT_BANDS;
  const labels = bands.map((from, b) => (b + 1 < bands.length ? `${from}-${bands[b + 1] - 1}` : `${from}+`));

  // Age is worked out once per distinct birth month (a few hundred dictionary entries), not once per row.
  const asOf = new Date(info.asOf); // the job's as-of date: Date.now() inside the sandbox returns it too
  const year = asOf.getUTCFullYear();
  const month = asOf.getUTCMonth() + 1;
  const bandOfBirth = new Int32Array(birth.dictionary.length).fill(-1);
  birth.dictionary.forEach((text, code) => {
    const age = year - Number(text.slice(0, 4)) - (month < Number(text.slice(5, 7)) ? 1 : 0);
    for (let b = 0; b < bands.length; b++) if (age >= bands[b]) bandOfBirth[code] = b;
  });

  // Keep people with an income and an age band; describe only those rows.
  const n = info.rowCount;
  const rows = new Int32Array(n);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const c = birth.codes[i];
    if (c >= 0 && bandOfBirth[c] >= 0 && !Number.isNaN(income[i])) rows[kept++] = i;
  }
  const districtCodes = new Int32Array(kept);
  const bandCodes = new Int32Array(kept);
  const incomes = new Float64Array(kept);
  for (let j = 0; j < kept; j++) {
    const i = rows[j];
    districtCodes[j] = district.codes[i];
    bandCodes[j] = bandOfBirth[birth.codes[i]];
    incomes[j] = income[i];
  }
  return {
    rows: rows.subarray(0, kept),
    keys: {
      district: { codes: districtCodes, dictionary: district.dictionary },
      age_band: { codes: bandCodes, dictionary: labels },
    },
    measures: { income: incomes },
  };
}
