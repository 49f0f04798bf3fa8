// Server-side SVG charts for the dashboard: stacked bars by day and horizontal bars, with the numbers written on
// them (readable without hovering) and a legend. No script, no external library.
const PALETTE = ['#0b5cad', '#b42318', '#067647', '#b54708', '#6941c6', '#5b6570', '#0e9384', '#c11574'];
const esc = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

export interface Series {
  key: string;
  label: string;
}

/** Stacked columns: one per category (e.g. day), stacked by series; totals above each column. */
export function StackedColumns(props: {
  title: string;
  categories: string[];
  series: Series[];
  value: (category: string, series: string) => number;
  empty: string;
  /** the text under each column; default: a date's MM-DD */
  categoryLabel?: (category: string) => string;
}) {
  const labelOf = props.categoryLabel ?? ((cat: string) => cat.slice(5));
  const { categories, series } = props;
  const totals = categories.map((cat) => series.reduce((sum, s) => sum + props.value(cat, s.key), 0));
  const max = Math.max(1, ...totals);
  const width = 640;
  const height = 260;
  const left = 36;
  const bottom = 40;
  const top = 20;
  const plot = height - bottom - top;
  const slot = categories.length > 0 ? (width - left - 8) / categories.length : 0;
  const bar = Math.max(4, Math.min(40, slot * 0.7));
  return (
    <figure>
      <figcaption>{props.title}</figcaption>
      {categories.length === 0 ? (
        <p class="muted">{props.empty}</p>
      ) : (
        <svg viewBox={`0 0 ${width} ${height + 24}`} role="img" aria-label={props.title}>
          <line x1={left} y1={top + plot} x2={width - 4} y2={top + plot} stroke="#9aa4ae" />
          <text x={left - 6} y={top + 4} text-anchor="end" font-size="11" fill="#5b6570">
            {esc(max)}
          </text>
          <text x={left - 6} y={top + plot} text-anchor="end" font-size="11" fill="#5b6570">
            0
          </text>
          {categories.map((cat, i) => {
            let y = top + plot;
            const x = left + i * slot + (slot - bar) / 2;
            return (
              <g>
                {series.map((s, j) => {
                  const v = props.value(cat, s.key);
                  const h = (v / max) * plot;
                  y -= h;
                  return v > 0 ? <rect x={x} y={y} width={bar} height={h} fill={PALETTE[j % PALETTE.length]}><title>{`${cat} ${s.label}: ${esc(v)}`}</title></rect> : null;
                })}
                <text x={x + bar / 2} y={y - 4} text-anchor="middle" font-size="11">
                  {esc(totals[i] ?? 0)}
                </text>
                <text x={x + bar / 2} y={top + plot + 14} text-anchor="middle" font-size="10" fill="#5b6570">
                  {labelOf(cat).length > 8 ? `${labelOf(cat).slice(0, 7)}…` : labelOf(cat)}
                </text>
              </g>
            );
          })}
          {series.map((s, j) => (
            <g>
              <rect x={left + j * 110} y={height + 4} width="10" height="10" fill={PALETTE[j % PALETTE.length]} />
              <text x={left + j * 110 + 14} y={height + 13} font-size="11">
                {s.label}
              </text>
            </g>
          ))}
        </svg>
      )}
    </figure>
  );
}

/** Horizontal bars with the value and an optional "of total" at the end of each bar. */
export function Bars(props: { title: string; rows: { label: string; value: number; total?: number }[]; empty: string; unit?: string }) {
  const rows = props.rows;
  const max = Math.max(1, ...rows.map((r) => r.total ?? r.value));
  const width = 640;
  const labelWidth = 220;
  const rowHeight = 22;
  return (
    <figure>
      <figcaption>{props.title}</figcaption>
      {rows.length === 0 ? (
        <p class="muted">{props.empty}</p>
      ) : (
        <svg viewBox={`0 0 ${width} ${rows.length * rowHeight + 8}`} role="img" aria-label={props.title}>
          {rows.map((r, i) => {
            const y = 4 + i * rowHeight;
            const plot = width - labelWidth - 90;
            return (
              <g>
                <text x={labelWidth - 6} y={y + 14} text-anchor="end" font-size="11">
                  {r.label.length > 28 ? `${r.label.slice(0, 27)}…` : r.label}
                </text>
                {r.total !== undefined && <rect x={labelWidth} y={y + 3} width={(r.total / max) * plot} height={14} fill="#eef1f4" />}
                <rect x={labelWidth} y={y + 3} width={Math.max(1, (r.value / max) * plot)} height={14} fill={PALETTE[0]} />
                <text x={labelWidth + ((r.total ?? r.value) / max) * plot + 6} y={y + 14} font-size="11">
                  {esc(r.value)}
                  {r.total !== undefined ? ` / ${esc(r.total)}` : ''}
                  {props.unit ?? ''}
                </text>
              </g>
            );
          })}
        </svg>
      )}
    </figure>
  );
}
