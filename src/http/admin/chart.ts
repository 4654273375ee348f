/** A small grouped bar chart as inline SVG, rendered on the server (no chart library, no script). */
import { escapeHtml, trusted, type Html } from './html.js';

export interface Series {
  label: string;
  /** CSS class giving the colour (defined in admin.css). */
  className: string;
  values: number[];
}

/** How one rendering of the chart is laid out: the desktop one, or the phone one (narrow, bigger type). */
interface Layout {
  className: string;
  width: number;
  plotHeight: number;
  fontSize: number;
  /** Label every n-th category on the axis. */
  labelEvery: number;
  /** Legend entries one under the other (phone) or side by side. */
  legendStacked: boolean;
}

const desktop: Layout = { className: 'wide', width: 640, plotHeight: 188, fontSize: 13, labelEvery: 1, legendStacked: false };
/** Drawn at about 1:1 on a 390 px phone: 12 weeks, every second one labelled, the legend in rows. */
const phone: Layout = { className: 'narrow', width: 360, plotHeight: 160, fontSize: 13, labelEvery: 2, legendStacked: true };

/**
 * Bars per category for each series, with a legend and a text alternative for screen readers. Two renderings, one
 * shown by CSS (admin.css: .chart .wide / .narrow), so a phone gets readable text without sideways scrolling.
 */
export function barChart(categories: string[], series: Series[], title: string): Html {
  const summary = series.map((s) => `${s.label}: ${categories.map((c, i) => `${c} ${s.values[i] ?? 0}`).join(', ')}`).join('. ');
  return trusted(
    `<figure class="chart">${svg(categories, series, title, desktop)}${svg(categories, series, title, phone)}<figcaption class="sr-only">${escapeHtml(summary)}</figcaption></figure>`,
  );
}

function svg(categories: string[], series: Series[], title: string, l: Layout): string {
  const pad = { left: 32, right: 8, top: 12, bottom: 28 };
  const legendRow = l.fontSize + 8;
  const legendHeight = l.legendStacked ? series.length * legendRow + 4 : legendRow + 4;
  const width = l.width;
  const height = pad.top + l.plotHeight + pad.bottom + legendHeight;
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const plotW = width - pad.left - pad.right;
  const plotH = l.plotHeight;
  const groupW = plotW / Math.max(1, categories.length);
  const barW = Math.max(2, (groupW * 0.8) / Math.max(1, series.length));
  const y = (v: number) => pad.top + plotH - (v / top) * plotH;
  const font = `font-size="${l.fontSize}"`;
  const parts: string[] = [];
  for (let t = 0; t <= top; t += step) {
    parts.push(`<line class="grid" x1="${pad.left}" x2="${width - pad.right}" y1="${y(t)}" y2="${y(t)}"/>`);
    parts.push(`<text class="axis" ${font} x="${pad.left - 4}" y="${y(t) + 4}" text-anchor="end">${t}</text>`);
  }
  const every = Math.max(l.labelEvery, categories.length > 12 ? 2 : 1);
  categories.forEach((c, i) => {
    const gx = pad.left + i * groupW + groupW * 0.1;
    series.forEach((s, j) => {
      const v = s.values[i] ?? 0;
      parts.push(`<rect class="${escapeHtml(s.className)}" x="${(gx + j * barW).toFixed(1)}" y="${y(v).toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${(plotH + pad.top - y(v)).toFixed(1)}"><title>${escapeHtml(`${s.label} ${c}: ${v}`)}</title></rect>`);
    });
    // Label from the newest week backwards, so "this week" always has its date.
    if ((categories.length - 1 - i) % every === 0) {
      parts.push(`<text class="axis" ${font} x="${(pad.left + i * groupW + groupW / 2).toFixed(1)}" y="${pad.top + plotH + 18}" text-anchor="middle">${escapeHtml(c)}</text>`);
    }
  });
  const legendTop = pad.top + plotH + pad.bottom;
  const legend = series
    .map((s, j) => {
      const x = l.legendStacked ? pad.left : pad.left + j * 150;
      const ly = l.legendStacked ? legendTop + j * legendRow : legendTop;
      return `<rect class="${escapeHtml(s.className)}" x="${x}" y="${ly}" width="12" height="12"/><text class="axis" ${font} x="${x + 16}" y="${ly + 11}">${escapeHtml(s.label)}</text>`;
    })
    .join('');
  return `<svg class="${l.className}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}" preserveAspectRatio="xMidYMid meet">${parts.join('')}${legend}</svg>`;
}

function niceStep(max: number): number {
  const raw = max / 4;
  const mag = 10 ** Math.floor(Math.log10(raw || 1));
  for (const m of [1, 2, 5, 10]) if (raw <= m * mag) return Math.max(1, m * mag);
  return Math.max(1, 10 * mag);
}
