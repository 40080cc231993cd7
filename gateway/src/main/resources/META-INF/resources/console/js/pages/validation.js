// Validation report: summary, each expectation with its observed value and failing samples, the
// column profiles with small charts, and drift alerts.
import { get, enc } from '../api.js';
import { h, append, table, when, num, pct, badge, stat } from '../dom.js';
import { fractionBar, bars, quantileStrip } from '../charts.js';

export async function render(main, { id }) {
  const v = await get(`/api/v1/contracts/validations/${enc(id)}`);
  const s = v.summary || { expectations: 0, passed: 0, failedErrors: 0, failedWarnings: 0 };
  append(main,
    h('p', {}, h('a', { href: `#/datasets/${v.datasetId}` }, `← ${v.datasetName || 'dataset'}`)),
    h('h1', {}, `Validation of ${v.datasetName || 'dataset'} v${v.version}`),
    h('p', {}, 'Result: ', badge(v.status, v.status === 'passed' ? 'ok' : v.status === 'failed' ? 'bad' : 'warn'),
      v.contract ? ` against contract ${v.contract.name} ${v.contract.version}` : '', ` · ${when(v.finishedAt || v.startedAt)}`),
    h('div', { class: 'stats', id: 'validation-summary' },
      stat('Rows', num(v.rowCount)), stat('Expectations', num(s.expectations)), stat('Passed', num(s.passed)),
      stat('Failed (error)', num(s.failedErrors)), stat('Failed (warning)', num(s.failedWarnings)),
      stat('Took', v.durationMs !== null && v.durationMs !== undefined ? `${num(v.durationMs)} ms` : '—')),
    v.error ? h('p', { class: 'error', role: 'alert' }, v.error) : null,
    h('p', {}, h('a', { href: `/api/v1/contracts/validations/${v.id}/report.html` }, 'Open the printable HTML report')),
    h('h2', {}, 'Expectations'),
    table('Each expectation, what was observed and the rows that failed it', [
      { label: 'Expectation', value: (e) => h('span', {}, h('strong', {}, e.kind), h('br'), h('span', { class: 'hint' }, e.id)) },
      { label: 'Columns', value: (e) => (e.columns || []).join(', ') },
      { label: 'Severity', value: (e) => e.severity },
      { label: 'Result', value: (e) => badge(e.success ? 'passed' : 'failed', e.success ? 'ok' : e.severity === 'warn' ? 'warn' : 'bad') },
      { label: 'Observed', value: (e) => observed(e) },
      { label: 'Failing', num: true, value: (e) => `${num(e.failingCount)} of ${num(e.evaluated)} (${pct(e.failingFraction)})` },
      { label: 'Failing samples', value: (e) => samples(e) },
    ], v.expectations || []));
  const [profile, alerts] = await Promise.all([
    get(`/api/v1/contracts/profiles/${v.datasetId}/${v.version}`).catch(() => null),
    get(`/api/v1/contracts/alerts?datasetId=${v.datasetId}&limit=50`).catch(() => []),
  ]);
  append(main, h('h2', {}, 'Column profiles'), profile ? profiles(profile) : h('p', { class: 'hint' }, 'No profile was recorded for this version.'));
  append(main, h('h2', {}, 'Drift alerts'), table('Columns whose distribution moved past the contract threshold', [
    { label: 'Column', value: (a) => a.column },
    { label: 'Measure', value: (a) => a.kind },
    { label: 'Value', num: true, value: (a) => Number(a.value).toFixed(3) },
    { label: 'Threshold', num: true, value: (a) => Number(a.threshold).toFixed(3) },
    { label: 'Versions', value: (a) => `v${a.baselineVersion} → v${a.version}` },
    { label: 'When', value: (a) => when(a.createdAt) },
  ], Array.isArray(alerts) ? alerts : [], 'No drift alerts for this dataset.'));
}

const COUNT_KINDS = new Set(['row_count', 'distinct', 'distinct_count', 'unique_count']);

/** What was measured: a share of passing rows for row checks, a count for counting checks. */
export function observed(e) {
  const o = e.observed;
  if (o === null || o === undefined) return '—';
  if (typeof o === 'number') return !COUNT_KINDS.has(e.kind) && o >= 0 && o <= 1 ? pct(o) : num(o);
  return typeof o === 'object' ? JSON.stringify(o) : String(o);
}

/** The failing sample rows of an expectation, folded (also used by the plan page's what-if). */
export function samples(e) {
  const rows = e.failingSamples || [];
  if (!rows.length) return e.detail ? h('span', { class: 'hint' }, e.detail) : '—';
  return h('details', {}, h('summary', {}, `${rows.length} sample${rows.length === 1 ? '' : 's'}`),
    h('ul', {}, rows.map((r) => h('li', {}, h('strong', {}, r.rowId), ': ',
      Object.entries(r.values || {}).map(([k, val]) => `${k}=${val === null ? '∅' : val}`).join(', ')))));
}

function profiles(p) {
  return h('div', { class: 'cards', id: 'profiles' }, (p.columns || []).map((c) => {
    const nullFraction = c.count ? c.nulls / c.count : 0;
    const top = (c.topValues || []).slice(0, 6).map((t) => ({ label: t.value === null ? '∅' : String(t.value), value: t.count }));
    const strip = c.quantiles && c.min !== null && c.max !== null ? quantileStrip(c.quantiles, c.min, c.max, `Distribution of ${c.name}`) : null;
    return h('div', { class: 'card' },
      h('h3', {}, c.name, ' ', h('span', { class: 'hint' }, c.type)),
      h('p', {}, `${num(c.count)} values, ${num(c.distinct)} distinct`),
      h('p', {}, `Nulls ${pct(nullFraction)}`), fractionBar(nullFraction, `Null fraction of ${c.name}`),
      c.mean !== null && c.mean !== undefined ? h('p', {}, `mean ${Number(c.mean).toFixed(2)}`) : null,
      strip,
      top.length ? h('div', {}, h('p', { class: 'hint' }, 'Most frequent values'), bars(top, `Most frequent values of ${c.name}`)) : null);
  }));
}
