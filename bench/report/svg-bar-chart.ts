/**
 * A hand-built horizontal bar chart in SVG: one bar per figure (the median), a whisker for
 * min–max over the runs, and optional reference lines (the raw limit, a target). No
 * dependencies, so the bench draws its own charts wherever it runs.
 */

export interface Bar { label: string; median: number; min: number; max: number; color?: string }
export interface RefLine { value: number; label: string; color?: string }

export interface ChartSpec {
  title: string;
  unit: string;
  bars: Bar[];
  lines?: RefLine[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return '—';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 100) return Math.round(x).toLocaleString('en-US');
  if (a >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

export function barChart(spec: ChartSpec): string {
  const labelW = 300;
  const plotW = 460;
  const rowH = 26;
  const top = 40;
  const bottom = 36;
  const width = labelW + plotW + 110;
  const height = top + spec.bars.length * rowH + bottom;
  const finite = spec.bars.flatMap((b) => [b.max, b.median]).concat((spec.lines ?? []).map((l) => l.value)).filter(Number.isFinite);
  const maxV = Math.max(1e-9, ...finite) * 1.08;
  const x = (v: number) => labelW + (Math.max(0, v) / maxV) * plotW;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  out.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  out.push(`<text x="12" y="22" font-size="15" font-weight="bold">${esc(spec.title)}</text>`);
  // grid: 5 ticks
  for (let i = 0; i <= 5; i++) {
    const v = (maxV / 1.08) * (i / 5);
    const gx = x(v);
    out.push(`<line x1="${gx}" y1="${top - 4}" x2="${gx}" y2="${height - bottom + 4}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${gx}" y="${height - bottom + 18}" text-anchor="middle" fill="#666">${esc(formatNumber(v))}</text>`);
  }
  out.push(`<text x="${labelW + plotW / 2}" y="${height - 4}" text-anchor="middle" fill="#444">${esc(spec.unit)} (bar: median; whisker: min–max over runs)</text>`);
  spec.bars.forEach((b, i) => {
    const y = top + i * rowH;
    const color = b.color ?? '#4c78a8';
    out.push(`<text x="${labelW - 8}" y="${y + rowH / 2 + 4}" text-anchor="end">${esc(b.label)}</text>`);
    if (Number.isFinite(b.median)) {
      out.push(`<rect x="${labelW}" y="${y + 4}" width="${Math.max(1, x(b.median) - labelW)}" height="${rowH - 8}" fill="${color}"/>`);
      if (Number.isFinite(b.min) && Number.isFinite(b.max) && b.max > b.min) {
        const cy = y + rowH / 2;
        out.push(`<line x1="${x(b.min)}" y1="${cy}" x2="${x(b.max)}" y2="${cy}" stroke="#222" stroke-width="1.5"/>`);
        out.push(`<line x1="${x(b.min)}" y1="${cy - 5}" x2="${x(b.min)}" y2="${cy + 5}" stroke="#222" stroke-width="1.5"/>`);
        out.push(`<line x1="${x(b.max)}" y1="${cy - 5}" x2="${x(b.max)}" y2="${cy + 5}" stroke="#222" stroke-width="1.5"/>`);
      }
      out.push(`<text x="${Math.max(x(b.median), Number.isFinite(b.max) ? x(b.max) : 0) + 6}" y="${y + rowH / 2 + 4}" fill="#222">${esc(formatNumber(b.median))}</text>`);
    } else {
      out.push(`<text x="${labelW + 6}" y="${y + rowH / 2 + 4}" fill="#b00">no result</text>`);
    }
  });
  for (const l of spec.lines ?? []) {
    const lx = x(l.value);
    const color = l.color ?? '#d62728';
    out.push(`<line x1="${lx}" y1="${top - 8}" x2="${lx}" y2="${height - bottom}" stroke="${color}" stroke-width="1.5" stroke-dasharray="5,3"/>`);
    out.push(`<text x="${lx + 3}" y="${top - 10}" fill="${color}">${esc(l.label)}</text>`);
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}
