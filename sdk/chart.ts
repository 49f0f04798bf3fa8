// Small dependency-free SVG charts for released distributions: horizontal bars for categories, lines over an ordered
// axis (years, bins). Every value is written next to its bar or point, so the chart reads without hovering.

export interface BarDatum {
  label: string;
  value: number;
}

export interface LineSeries {
  name: string;
  /** interval: a 95 % interval, drawn as an error bar */
  points: { x: number; y: number; interval?: readonly [number, number] }[];
}

export interface ChartText {
  title: string;
  /** what the numbers are, e.g. "mean of income" */
  valueLabel: string;
  /** what the categories or the x axis are, e.g. "district · age_band" */
  categoryLabel: string;
  /** a line under the title, e.g. "dry run on synthetic data — unchecked" */
  subtitle?: string;
}

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Noto Sans CJK SC, sans-serif"';
const COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d'];

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Short, readable numbers: 12345.678 → "12,346", 0.12345 → "0.1235". */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return '–';
  const abs = Math.abs(x);
  const digits = abs >= 100 ? 0 : abs >= 1 ? 2 : 4;
  return x.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** Tick values for [lo, hi]: about five round steps (1, 2 or 5 × 10^k). */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

function header(width: number, height: number, text: ChartText): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="600">${escapeXml(text.title)}</text>`,
    ...(text.subtitle ? [`<text x="${width / 2}" y="42" text-anchor="middle" fill="#6b7280">${escapeXml(text.subtitle)}</text>`] : []),
  ];
}

/**
 * Horizontal bars, one per category, with the value at the end of each bar and, when given, its 95 % interval as an
 * error bar. Missing values (null) show "–".
 */
export function barChartSvg(data: readonly { label: string; value: number | null; interval?: readonly [number, number] }[], text: ChartText): string {
  // room for the rotated category-axis title, then for the longest label (CJK characters are wider)
  const labelWidth = 40 + Math.min(260, 20 + 7 * Math.max(4, ...data.map((d) => [...d.label].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0))));
  const barHeight = 20;
  const top = text.subtitle ? 60 : 48;
  const plotWidth = 520;
  const width = labelWidth + plotWidth + 90;
  const height = top + data.length * (barHeight + 6) + 60;
  const values = data.flatMap((d) => (d.value === null ? [] : [d.value, ...(d.interval ?? [])])).filter((v) => Number.isFinite(v));
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values, lo + 1e-9);
  const axis = ticks(lo, hi);
  const max = Math.max(hi, axis[axis.length - 1]!);
  const min = Math.min(lo, axis[0]!);
  const x = (v: number) => labelWidth + ((v - min) / (max - min || 1)) * plotWidth;
  const out = header(width, height, text);
  const bottom = top + data.length * (barHeight + 6);
  for (const t of axis) {
    out.push(`<line x1="${x(t)}" y1="${top - 4}" x2="${x(t)}" y2="${bottom}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${x(t)}" y="${bottom + 16}" text-anchor="middle" fill="#374151">${escapeXml(formatNumber(t))}</text>`);
  }
  data.forEach((d, i) => {
    const y = top + i * (barHeight + 6);
    out.push(`<text x="${labelWidth - 8}" y="${y + barHeight / 2 + 4}" text-anchor="end">${escapeXml(d.label)}</text>`);
    if (d.value === null || !Number.isFinite(d.value)) {
      out.push(`<text x="${x(0) + 4}" y="${y + barHeight / 2 + 4}" fill="#6b7280">– (withheld)</text>`);
      return;
    }
    const x0 = x(Math.min(0, d.value));
    const w = Math.max(1, Math.abs(x(d.value) - x(0)));
    out.push(`<rect class="bar" x="${x0}" y="${y}" width="${w}" height="${barHeight}" fill="${COLOURS[0]}"><title>${escapeXml(`${d.label}: ${formatNumber(d.value)}`)}</title></rect>`);
    let end = x0 + w;
    if (d.interval) {
      const [a, b] = [x(d.interval[0]), x(d.interval[1])];
      const mid = y + barHeight / 2;
      out.push(`<g class="error-bar" stroke="#111827" stroke-width="1.5"><line x1="${a}" y1="${mid}" x2="${b}" y2="${mid}"/><line x1="${a}" y1="${mid - 5}" x2="${a}" y2="${mid + 5}"/><line x1="${b}" y1="${mid - 5}" x2="${b}" y2="${mid + 5}"/><title>${escapeXml(`95 % interval ${formatNumber(d.interval[0])} … ${formatNumber(d.interval[1])}`)}</title></g>`);
      end = Math.max(end, b);
    }
    out.push(`<text x="${end + 4}" y="${y + barHeight / 2 + 4}" fill="#111827">${escapeXml(formatNumber(d.value))}</text>`);
  });
  out.push(`<line x1="${x(0)}" y1="${top - 4}" x2="${x(0)}" y2="${bottom}" stroke="#6b7280"/>`);
  out.push(`<text x="${labelWidth + plotWidth / 2}" y="${bottom + 36}" text-anchor="middle" font-weight="600">${escapeXml(text.valueLabel)}</text>`);
  out.push(`<text x="16" y="${top + (bottom - top) / 2}" text-anchor="middle" font-weight="600" transform="rotate(-90 16 ${top + (bottom - top) / 2})">${escapeXml(text.categoryLabel)}</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** Lines over a numeric x axis (one per series, at most 10), a legend, and each point's value above it. */
export function lineChartSvg(series: readonly LineSeries[], text: ChartText & { seriesLabel?: string }): string {
  const shown = series.slice(0, COLOURS.length);
  const top = text.subtitle ? 64 : 52;
  const left = 80;
  const plotWidth = 600;
  const plotHeight = 320;
  const legendWidth = 180;
  const width = left + plotWidth + legendWidth;
  const height = top + plotHeight + 70;
  const xs = shown.flatMap((s) => s.points.map((p) => p.x));
  const ys = shown.flatMap((s) => s.points.flatMap((p) => [p.y, ...(p.interval ?? [])])).filter(Number.isFinite);
  const xTicks = ticks(Math.min(...xs), Math.max(...xs));
  const yTicks = ticks(Math.min(0, ...ys), Math.max(...ys, 1e-9));
  const [x0, x1] = [Math.min(...xs, xTicks[0]!), Math.max(...xs, xTicks[xTicks.length - 1]!)];
  const [y0, y1] = [yTicks[0]!, Math.max(yTicks[yTicks.length - 1]!, ...ys)];
  const px = (v: number) => left + ((v - x0) / (x1 - x0 || 1)) * plotWidth;
  const py = (v: number) => top + plotHeight - ((v - y0) / (y1 - y0 || 1)) * plotHeight;
  const out = header(width, height, text);
  for (const t of yTicks) {
    out.push(`<line x1="${left}" y1="${py(t)}" x2="${left + plotWidth}" y2="${py(t)}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${left - 6}" y="${py(t) + 4}" text-anchor="end" fill="#374151">${escapeXml(formatNumber(t))}</text>`);
  }
  for (const t of xTicks) out.push(`<text x="${px(t)}" y="${top + plotHeight + 18}" text-anchor="middle" fill="#374151">${escapeXml(formatNumber(t).replace(/,/g, ''))}</text>`);
  out.push(`<line x1="${left}" y1="${top + plotHeight}" x2="${left + plotWidth}" y2="${top + plotHeight}" stroke="#6b7280"/>`);
  out.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotHeight}" stroke="#6b7280"/>`);
  const labelValues = shown.reduce((n, s) => n + s.points.length, 0) <= 60;
  shown.forEach((s, k) => {
    const pts = [...s.points].filter((p) => Number.isFinite(p.y)).sort((a, b) => a.x - b.x);
    const colour = COLOURS[k]!;
    out.push(`<polyline class="line" fill="none" stroke="${colour}" stroke-width="2" points="${pts.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ')}"/>`);
    for (const p of pts) {
      if (p.interval) {
        const [a, b] = [py(p.interval[0]), py(p.interval[1])];
        out.push(`<line class="error-bar" x1="${px(p.x).toFixed(1)}" y1="${a.toFixed(1)}" x2="${px(p.x).toFixed(1)}" y2="${b.toFixed(1)}" stroke="${colour}" stroke-opacity="0.6" stroke-width="1.5"/>`);
      }
      out.push(`<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="3" fill="${colour}"><title>${escapeXml(`${s.name}, ${p.x}: ${formatNumber(p.y)}`)}</title></circle>`);
      if (labelValues) out.push(`<text x="${px(p.x).toFixed(1)}" y="${(py(p.y) - 6).toFixed(1)}" text-anchor="middle" font-size="10" fill="${colour}">${escapeXml(formatNumber(p.y))}</text>`);
    }
    const ly = top + 10 + k * 18;
    out.push(`<rect x="${left + plotWidth + 20}" y="${ly - 9}" width="12" height="12" fill="${colour}"/>`);
    out.push(`<text x="${left + plotWidth + 38}" y="${ly + 1}">${escapeXml(s.name)}</text>`);
  });
  if (text.seriesLabel) out.push(`<text x="${left + plotWidth + 20}" y="${top - 8}" font-weight="600">${escapeXml(text.seriesLabel)}</text>`);
  out.push(`<text x="${left + plotWidth / 2}" y="${top + plotHeight + 44}" text-anchor="middle" font-weight="600">${escapeXml(text.categoryLabel)}</text>`);
  out.push(`<text x="20" y="${top + plotHeight / 2}" text-anchor="middle" font-weight="600" transform="rotate(-90 20 ${top + plotHeight / 2})">${escapeXml(text.valueLabel)}</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
