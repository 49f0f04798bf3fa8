// Server-side SVG: horizontal stacked bars (one per category, e.g. department), the number written on each segment
// and the total at the end, so the chart reads without hovering; a legend below. No script.
const PALETTE = ['#0b5cad', '#b54708', '#067647', '#b42318', '#6941c6', '#5b6570'];
const TEXT_ON = ['#fff', '#fff', '#fff', '#fff', '#fff', '#fff'];

export interface Segment {
  key: string;
  label: string;
}

export function StackedBars(props: { title: string; categories: string[]; series: Segment[]; value: (category: string, series: string) => number; empty: string }) {
  const { categories, series } = props;
  const totals = categories.map((cat) => series.reduce((sum, s) => sum + props.value(cat, s.key), 0));
  const max = Math.max(1, ...totals);
  const width = 720;
  const labelWidth = 200;
  const rowHeight = 30;
  const plot = width - labelWidth - 60;
  const legendY = categories.length * rowHeight + 12;
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      {categories.length === 0 ? (
        <p class="muted">{props.empty}</p>
      ) : (
        <svg viewBox={`0 0 ${width} ${legendY + 24}`} role="img" aria-label={props.title}>
          {categories.map((cat, i) => {
            const y = 4 + i * rowHeight;
            let x = labelWidth;
            return (
              <g data-category={cat}>
                <text x={labelWidth - 8} y={y + 17} text-anchor="end" font-size="13">
                  {cat.length > 14 ? `${cat.slice(0, 13)}…` : cat}
                </text>
                {series.map((s, j) => {
                  const v = props.value(cat, s.key);
                  if (v <= 0) return null;
                  const w = (v / max) * plot;
                  const at = x;
                  x += w;
                  return (
                    <g data-series={s.key}>
                      <rect x={at} y={y} width={w} height={22} fill={PALETTE[j % PALETTE.length]}>
                        <title>{`${cat} ${s.label}: ${v}`}</title>
                      </rect>
                      {/* the number sits on its segment; a segment too narrow for it gets it just above */}
                      <text x={at + w / 2} y={w >= 18 ? y + 16 : y - 2} text-anchor="middle" font-size="12" fill={w >= 18 ? TEXT_ON[j % TEXT_ON.length] : '#1b1f24'} class="value">
                        {v}
                      </text>
                    </g>
                  );
                })}
                <text x={x + 6} y={y + 16} font-size="12" class="total">
                  {totals[i]}
                </text>
              </g>
            );
          })}
          {series.map((s, j) => (
            <g>
              <rect x={labelWidth + j * 140} y={legendY} width="12" height="12" fill={PALETTE[j % PALETTE.length]} />
              <text x={labelWidth + j * 140 + 18} y={legendY + 11} font-size="12">
                {s.label}
              </text>
            </g>
          ))}
        </svg>
      )}
    </figure>
  );
}
