// One dataset: versions, diff, quarantine, exports, restore, validations, the publish gate.
import { get, post, call, enc, uuid } from '../api.js';
import { h, append, clear, table, when, num, badge, field, errorBox, stat, announce } from '../dom.js';
import { gateBadge } from './datasets.js';

export async function render(main, { id }) {
  const res = await call('GET', `/api/v1/ingest/datasets/${enc(id)}`);
  const ds = res.data;
  const etag = res.headers.get('ETag');
  const versions = (await get(`/api/v1/ingest/datasets/${ds.id}/versions?limit=100`)).items || [];
  const current = versions.find((v) => v.number === ds.currentVersion);
  append(main,
    h('p', {}, h('a', { href: '#/datasets' }, '← Datasets')),
    h('h1', {}, ds.name),
    ds.description ? h('p', {}, ds.description) : null,
    h('div', { class: 'stats' },
      stat('Current version', ds.currentVersion ? `v${ds.currentVersion}` : 'none'),
      stat('Rows', current ? num(current.rowCount) : '—'),
      stat('Quarantined', current ? num(current.rowsQuarantined) : '—'),
      stat('Published', ds.publishedVersion ? `v${ds.publishedVersion}` : 'none'),
      stat('Profile', ds.profile)),
    actions(ds));
  const feedback = h('div', { id: 'dataset-feedback' });
  append(main, feedback);
  append(main, h('h2', {}, 'Version history'), table(`Versions of ${ds.name}, newest first`, [
    { label: 'Version', value: (v) => `v${v.number}` },
    { label: 'Status', value: (v) => v.status },
    { label: 'Source', value: (v) => source(v) },
    { label: 'Rows', num: true, value: (v) => num(v.rowCount) },
    { label: 'Added', num: true, value: (v) => num(v.rowsAdded) },
    { label: 'Removed', num: true, value: (v) => num(v.rowsRemoved) },
    { label: 'Changed', num: true, value: (v) => num(v.rowsChanged) },
    { label: 'Quarantined', num: true, value: (v) => num(v.rowsQuarantined) },
    { label: 'Who', value: (v) => v.createdBy },
    { label: 'When', value: (v) => when(v.createdAt) },
    { label: 'Export', value: (v) => h('span', {},
      h('a', { href: `/api/v1/ingest/datasets/${ds.id}/versions/${v.number}/export?format=csv`, download: '' , 'aria-label': `Export version ${v.number} as CSV` }, 'CSV'), ' · ',
      h('a', { href: `/api/v1/ingest/datasets/${ds.id}/versions/${v.number}/export?format=ndjson`, download: '', 'aria-label': `Export version ${v.number} as NDJSON` }, 'NDJSON'), ' · ',
      h('a', { href: `/api/v1/ingest/datasets/${ds.id}/versions/${v.number}/export?format=xlsx`, download: '', 'aria-label': `Export version ${v.number} as XLSX` }, 'XLSX')) },
    { label: 'Restore', value: (v) => (v.number === ds.currentVersion ? h('span', { class: 'hint' }, 'current')
      : h('button', { type: 'button', class: 'secondary', 'aria-label': `Restore version ${v.number}`, onclick: () => restore(ds, etag, v.number, feedback) }, 'Restore')) },
  ], versions, 'No versions yet: upload a file.'));
  if (versions.length) {
    append(main, diffSection(ds, versions), quarantineSection(ds, versions), await validationsSection(ds), await publishSection(ds, versions));
  }
}

function source(v) {
  if (v.kind === 'upload') return `upload ${v.source && v.source.fileName ? v.source.fileName : ''}`.trim();
  if (v.kind === 'changeset' && v.source && v.source.kind) return `${v.source.kind} ${String(v.source.ref || '').slice(0, 8)}`;
  if (v.kind === 'restore' && v.source) return `restore of v${v.source.version ?? v.source.restoredFrom ?? '?'}`;
  return v.kind;
}

function actions(ds) {
  const feedback = h('div');
  const validate = h('button', { type: 'button', id: 'validate', disabled: !ds.currentVersion }, `Validate v${ds.currentVersion}`);
  validate.addEventListener('click', async () => {
    clear(feedback);
    validate.disabled = true;
    append(feedback, h('p', {}, 'Validating…'));
    try {
      const res = await post('/api/v1/contracts/validations', { datasetId: ds.id, version: ds.currentVersion });
      location.hash = `#/validations/${res.data.id}`;
    } catch (err) {
      clear(feedback);
      append(feedback, errorBox(err, err.code === 'no_contract' || err.code === 'contract_not_found'
        ? h('p', {}, h('a', { href: `#/contracts/${enc(ds.name)}` }, 'Write a contract for this dataset')) : null));
      validate.disabled = false;
    }
  });
  const dedupe = h('button', { type: 'button', id: 'find-duplicates', class: 'secondary', disabled: !ds.currentVersion }, 'Find duplicates');
  dedupe.addEventListener('click', async () => {
    clear(feedback);
    try {
      const res = await post('/api/v1/enrichment/merge-plans', { datasetId: ds.id, version: ds.currentVersion },
        { headers: { 'Idempotency-Key': uuid() } });
      location.hash = `#/plans/${res.data.id}`;
    } catch (err) {
      append(feedback, errorBox(err));
    }
  });
  return h('div', {}, h('div', { class: 'actions' },
    h('a', { class: 'button', href: `#/datasets/${ds.id}/upload`, id: 'upload-link' }, 'Upload a file'),
    validate, dedupe,
    h('a', { class: 'button secondary', href: `#/plans?dataset=${ds.id}` }, 'Plan enrichment'),
    h('a', { class: 'button secondary', href: `#/lineage/${enc(ds.name)}` }, 'Lineage'),
    h('a', { class: 'button secondary', href: `#/contracts/${enc(ds.name)}` }, 'Contract')), feedback);
}

async function restore(ds, etag, number, feedback) {
  clear(feedback);
  try {
    const res = await post(`/api/v1/ingest/datasets/${ds.id}/restore`, { version: number },
      { headers: { 'If-Match': etag, 'Idempotency-Key': uuid() } });
    announce(`Version ${number} restored as version ${res.data.number}`);
    location.reload();
  } catch (err) {
    append(feedback, errorBox(err, err.status === 412 ? h('p', {}, 'The dataset changed since this page was loaded; reload it and try again.') : null));
  }
}

function versionSelect(id, label, versions, selected, withZero) {
  const s = h('select', { id },
    withZero ? h('option', { value: 0 }, 'v0 (empty)') : null,
    versions.map((v) => h('option', { value: v.number, selected: v.number === selected }, `v${v.number}`)));
  return field(label, s);
}

function diffSection(ds, versions) {
  const out = h('div', { id: 'diff-result' });
  const to = versions[0].number;
  const from = versions[1] ? versions[1].number : 0;
  const form = h('form', { class: 'row' },
    versionSelect('diff-from', 'From', versions, from, true), versionSelect('diff-to', 'To', versions, to, false),
    h('button', { type: 'submit', id: 'show-diff' }, 'Show differences'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear(out);
    try {
      const d = await get(`/api/v1/ingest/datasets/${ds.id}/diff?from=${form.querySelector('#diff-from').value}&to=${form.querySelector('#diff-to').value}&limit=200`);
      append(out, h('p', {}, `${num(d.added)} added, ${num(d.removed)} removed, ${num(d.changed)} changed${d.truncated ? ' (first 200 shown)' : ''}.`),
        table('Rows that differ', [
          { label: 'Row', value: (i) => i.rowId },
          { label: 'Change', value: (i) => badge(i.change, i.change === 'removed' ? 'bad' : i.change === 'added' ? 'ok' : 'warn') },
          { label: 'Fields', value: (i) => (i.fields ? h('ul', {}, i.fields.map((f) => h('li', {}, `${f.field}: ${f.from ?? '∅'} → ${f.to ?? '∅'}`)))
            : JSON.stringify(i.row || {})) },
        ], d.items || [], 'No differences.'));
    } catch (err) {
      append(out, errorBox(err));
    }
  });
  return h('section', { 'aria-labelledby': 'diff-heading' }, h('h2', { id: 'diff-heading' }, 'Differences between two versions'), form, out);
}

function quarantineSection(ds, versions) {
  const out = h('div', { id: 'quarantine-result' });
  const form = h('form', { class: 'row' }, versionSelect('quarantine-version', 'Version', versions, versions[0].number, false),
    h('button', { type: 'submit' }, 'Show quarantined rows'));
  const load = async () => {
    clear(out);
    try {
      const q = await get(`/api/v1/ingest/datasets/${ds.id}/versions/${form.querySelector('#quarantine-version').value}/quarantine?limit=100`);
      append(out, table('Quarantined rows and why', [
        { label: 'Line', num: true, value: (i) => num(i.line) },
        { label: 'Field', value: (i) => i.field || '—' },
        { label: 'Reason', value: (i) => i.reason },
        { label: 'Value', value: (i) => i.rawValue ?? '' },
      ], q.items || [], 'No rows were quarantined in this version.'));
    } catch (err) {
      append(out, errorBox(err));
    }
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  load();
  return h('section', { 'aria-labelledby': 'quarantine-heading' }, h('h2', { id: 'quarantine-heading' }, 'Quarantined rows'), form, out);
}

async function validationsSection(ds) {
  let items = [];
  try {
    items = (await get(`/api/v1/contracts/validations?datasetId=${ds.id}&limit=20`)).items || [];
  } catch { /* shown as none */ }
  return h('section', { 'aria-labelledby': 'validations-heading' }, h('h2', { id: 'validations-heading' }, 'Validation runs'),
    table('Validations of this dataset, newest first', [
      { label: 'Report', value: (v) => h('a', { href: `#/validations/${v.id}` }, `v${v.version} · ${when(v.startedAt)}`) },
      { label: 'Contract', value: (v) => (v.contract ? `${v.contract.name} ${v.contract.version}` : '—') },
      { label: 'Status', value: (v) => badge(v.status, v.status === 'passed' ? 'ok' : v.status === 'failed' ? 'bad' : 'warn') },
      { label: 'Passed', num: true, value: (v) => (v.summary ? `${v.summary.passed}/${v.summary.expectations}` : '—') },
    ], items, 'Not validated yet.'));
}

async function publishSection(ds, versions) {
  const out = h('div', { id: 'publish-result', 'aria-live': 'polite' });
  const select = h('select', { id: 'publish-version' }, versions.map((v) => h('option', { value: v.number, selected: v.number === ds.currentVersion }, `v${v.number}`)));
  const gateNote = h('div', { id: 'publish-gate' });
  const showGate = async () => {
    clear(gateNote);
    const gate = await get(`/api/v1/contracts/gates/${ds.id}/${select.value}`).catch((err) => ({ error: err }));
    append(gateNote, h('p', {}, `Contract gate for v${select.value}: `, gateBadge(gate.error ? null : gate), ' ',
      gate.error ? h('span', { class: 'hint' }, gate.error.message) : h('span', { class: 'hint' }, (gate.reasons || []).map((r) => r.detail || r.code).join('; '))));
  };
  select.addEventListener('change', showGate);
  const button = h('button', { type: 'button', id: 'publish' }, 'Publish');
  button.addEventListener('click', async () => {
    clear(out);
    try {
      const res = await post(`/api/v1/ingest/datasets/${ds.id}/versions/${select.value}/publish`, undefined);
      announce(`Version ${res.data.version} published`);
      append(out, h('p', { class: 'ok' }, `Version ${res.data.version} is published${res.data.previous ? ` (was v${res.data.previous})` : ''}.`));
    } catch (err) {
      if (err.code === 'publish_blocked') {
        append(out, h('div', { class: 'panel', role: 'alert' },
          h('p', { class: 'error' }, `Version ${select.value} cannot be published yet:`),
          h('ul', { id: 'publish-blockers' }, (err.problem.reasons || []).map((r) => h('li', {}, h('strong', {}, r.gate), ` ${r.code}: ${r.detail || ''}`)))));
      } else {
        append(out, errorBox(err));
      }
    }
  });
  await showGate();
  return h('section', { 'aria-labelledby': 'publish-heading' }, h('h2', { id: 'publish-heading' }, 'Publish'),
    h('p', {}, `Published version: ${ds.publishedVersion ? `v${ds.publishedVersion}` : 'none'}. Publishing needs a version that passed its active contract (or an exemption) and whose run lineage has recorded; publishing an older version rolls back.`),
    h('div', { class: 'row' }, field('Version to publish', select), button), gateNote, out);
}
