// Small SVG pictures drawn here, with no chart library: bars, a fraction bar and a quantile strip.
// Each picture has role="img" and a text alternative that says what it shows.
const NS = 'http://www.w3.org/2000/svg';

export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, v);
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

function picture(width, height, label, ...children) {
  return svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label }, svg('title', {}, label), ...children);
}

/** Share of a whole as one bar (e.g. the null fraction of a column). */
export function fractionBar(fraction, label, colour = '#b3261e') {
  const w = 220;
  const f = Math.max(0, Math.min(1, fraction || 0));
  return picture(w, 18, `${label}: ${(f * 100).toFixed(1)}%`,
    svg('rect', { x: 0, y: 2, width: w, height: 14, fill: '#e6e9ee', rx: 3 }),
    svg('rect', { x: 0, y: 2, width: Math.max(f > 0 ? 2 : 0, w * f), height: 14, fill: colour, rx: 3 }));
}

/** Horizontal bars, one per {label, value}: a histogram of top values. */
export function bars(items, label) {
  const rowH = 18;
  const labelW = 110;
  const barW = 150;
  const max = Math.max(1, ...items.map((i) => i.value));
  const height = items.length * rowH + 4;
  const parts = items.map((it, i) => {
    const y = i * rowH + 2;
    const text = it.label.length > 16 ? `${it.label.slice(0, 15)}…` : it.label;
    return svg('g', {},
      svg('text', { x: 0, y: y + 12, 'font-size': 11, fill: '#1b1f24' }, text),
      svg('rect', { x: labelW, y: y + 2, width: Math.max(1, (barW * it.value) / max), height: rowH - 6, fill: '#0b57a4' }),
      svg('text', { x: labelW + barW + 6, y: y + 12, 'font-size': 11, fill: '#1b1f24' }, String(it.value)));
  });
  const alt = `${label}: ${items.map((i) => `${i.label} ${i.value}`).join(', ')}`;
  return picture(labelW + barW + 60, height, alt, ...parts);
}

/** Quantiles of a numeric column on one axis: min, quartiles as a box, median, max. */
export function quantileStrip(q, min, max, label) {
  const w = 260;
  const lo = Number(min);
  const hi = Number(max);
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi <= lo) return null;
  const x = (v) => 8 + ((Number(v) - lo) / (hi - lo)) * (w - 16);
  const get = (k) => q && q[k] !== undefined ? q[k] : null;
  const q1 = get('0.25') ?? get('p25');
  const q2 = get('0.5') ?? get('p50');
  const q3 = get('0.75') ?? get('p75');
  const parts = [svg('line', { x1: x(lo), x2: x(hi), y1: 14, y2: 14, stroke: '#4a5360' })];
  if (q1 !== null && q3 !== null) parts.push(svg('rect', { x: x(q1), y: 6, width: Math.max(1, x(q3) - x(q1)), height: 16, fill: '#cfe0f3', stroke: '#0b57a4' }));
  if (q2 !== null) parts.push(svg('line', { x1: x(q2), x2: x(q2), y1: 4, y2: 24, stroke: '#0b57a4', 'stroke-width': 2 }));
  parts.push(svg('text', { x: 2, y: 38, 'font-size': 11, fill: '#1b1f24' }, String(min)));
  parts.push(svg('text', { x: w - 2, y: 38, 'font-size': 11, fill: '#1b1f24', 'text-anchor': 'end' }, String(max)));
  const alt = `${label}: min ${min}, ${q1 !== null ? `lower quartile ${q1}, ` : ''}${q2 !== null ? `median ${q2}, ` : ''}${q3 !== null ? `upper quartile ${q3}, ` : ''}max ${max}`;
  return picture(w, 42, alt, ...parts);
}

/** Confidence as a short bar with its value. */
export function confidence(value) {
  const v = Math.max(0, Math.min(1, Number(value) || 0));
  const colour = v >= 0.9 ? '#176b2c' : v >= 0.6 ? '#8a5300' : '#b3261e';
  return picture(90, 14, `confidence ${v.toFixed(3)}`,
    svg('rect', { x: 0, y: 2, width: 50, height: 10, fill: '#e6e9ee' }),
    svg('rect', { x: 0, y: 2, width: 50 * v, height: 10, fill: colour }),
    svg('text', { x: 56, y: 11, 'font-size': 11, fill: '#1b1f24' }, v.toFixed(2)));
}
