/** One bar of a chart. */
export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly color?: string;
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/**
 * A horizontal bar chart as inline SVG. Generated here rather than by a charting library: the report must be
 * one file that works offline from file://, a few bar charts are ~40 lines of SVG, and a bundled library
 * (tens of KB of script) would be the largest part of a small report. Each bar has a text label and value
 * (readable without colour) and the SVG has a title for screen readers.
 */
export function barChart(title: string, bars: readonly Bar[], id: string): string {
  const shown = bars.slice(0, 12);
  const max = Math.max(1, ...shown.map((b) => b.value));
  const row = 22;
  const labelW = 210;
  const barW = 220;
  const height = shown.length * row + 8;
  const items = shown
    .map((b, i) => {
      const w = Math.max(b.value > 0 ? 2 : 0, Math.round((b.value / max) * barW));
      const y = i * row + 4;
      return (
        `<text x="${labelW - 6}" y="${y + 14}" text-anchor="end">${esc(b.label.length > 30 ? `${b.label.slice(0, 29)}…` : b.label)}</text>` +
        `<rect x="${labelW}" y="${y + 3}" width="${w}" height="14" rx="2" fill="${b.color ?? '#3b5bdb'}"></rect>` +
        `<text x="${labelW + w + 6}" y="${y + 14}" data-chart-value="${esc(b.label)}">${b.value}</text>`
      );
    })
    .join('');
  const more = bars.length > shown.length ? `<p class="more">and ${bars.length - shown.length} more</p>` : '';
  return (
    `<figure class="chart" id="${id}"><figcaption>${esc(title)}</figcaption>` +
    `<svg role="img" aria-labelledby="${id}-t" width="${labelW + barW + 60}" height="${height}" viewBox="0 0 ${labelW + barW + 60} ${height}">` +
    `<title id="${id}-t">${esc(title)}: ${esc(shown.map((b) => `${b.label} ${b.value}`).join(', '))}</title>${items}</svg>${more}</figure>`
  );
}

export { esc as escapeHtml };
