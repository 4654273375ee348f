/** A small grouped bar chart as inline SVG, rendered on the server (no chart library, no script). */
import { escapeHtml, trusted, type Html } from './html.js';

export interface Series {
  label: string;
  /** CSS class giving the colour (defined in admin.css). */
  className: string;
  values: number[];
}

/** Bars per category for each series, with a legend and a text alternative for screen readers. */
export function barChart(categories: string[], series: Series[], title: string): Html {
  const width = 640;
  const height = 240;
  const pad = { left: 36, right: 8, top: 12, bottom: 40 };
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const groupW = plotW / Math.max(1, categories.length);
  const barW = Math.max(2, (groupW * 0.8) / Math.max(1, series.length));
  const y = (v: number) => pad.top + plotH - (v / top) * plotH;
  const parts: string[] = [];
  for (let t = 0; t <= top; t += step) {
    parts.push(`<line class="grid" x1="${pad.left}" x2="${width - pad.right}" y1="${y(t)}" y2="${y(t)}"/>`);
    parts.push(`<text class="axis" x="${pad.left - 4}" y="${y(t) + 4}" text-anchor="end">${t}</text>`);
  }
  categories.forEach((c, i) => {
    const gx = pad.left + i * groupW + groupW * 0.1;
    series.forEach((s, j) => {
      const v = s.values[i] ?? 0;
      parts.push(`<rect class="${escapeHtml(s.className)}" x="${(gx + j * barW).toFixed(1)}" y="${y(v).toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${(plotH + pad.top - y(v)).toFixed(1)}"><title>${escapeHtml(`${s.label} ${c}: ${v}`)}</title></rect>`);
    });
    if (categories.length <= 12 || i % 2 === 0) {
      parts.push(`<text class="axis" x="${(pad.left + i * groupW + groupW / 2).toFixed(1)}" y="${height - pad.bottom + 16}" text-anchor="middle">${escapeHtml(c)}</text>`);
    }
  });
  const legend = series
    .map((s, j) => `<rect class="${escapeHtml(s.className)}" x="${pad.left + j * 150}" y="${height - 14}" width="12" height="12"/><text class="axis" x="${pad.left + j * 150 + 16}" y="${height - 4}">${escapeHtml(s.label)}</text>`)
    .join('');
  const summary = series.map((s) => `${s.label}: ${categories.map((c, i) => `${c} ${s.values[i] ?? 0}`).join(', ')}`).join('. ');
  return trusted(
    `<figure class="chart"><svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}" preserveAspectRatio="xMidYMid meet">${parts.join('')}${legend}</svg><figcaption class="sr-only">${escapeHtml(summary)}</figcaption></figure>`,
  );
}

function niceStep(max: number): number {
  const raw = max / 4;
  const mag = 10 ** Math.floor(Math.log10(raw || 1));
  for (const m of [1, 2, 5, 10]) if (raw <= m * mag) return Math.max(1, m * mag);
  return Math.max(1, 10 * mag);
}
