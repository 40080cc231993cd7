// Upload: choose a file, see the inferred mapping and sample normalised rows, adjust the mapping,
// start, and follow the run live (Server-Sent Events from ingest's run stream) until it ends.
import { get, post, csrf, enc, ApiError } from '../api.js';
import { h, append, clear, table, field, errorBox, num, duration, stat, announce } from '../dom.js';

const PREVIEW_BYTES = 256 * 1024;
const FINAL = ['stored', 'failed'];

export async function render(main, { id }, ctx) {
  const ds = await get(`/api/v1/ingest/datasets/${enc(id)}`);
  append(main, h('p', {}, h('a', { href: `#/datasets/${ds.id}` }, `← ${ds.name}`)), h('h1', {}, `Upload to ${ds.name}`));
  const file = h('input', { type: 'file', id: 'upload-file', accept: '.csv,.txt,.tsv,.ndjson,.jsonl' });
  const previewArea = h('div', { id: 'preview-area' });
  const progressArea = h('div', { id: 'progress-area' });
  const state = { ds, file: null, preview: null, selects: new Map(), tenant: ctx.session.tenant };
  const previewButton = h('button', { type: 'button', id: 'preview', disabled: true }, 'Preview mapping');
  file.addEventListener('change', () => {
    state.file = file.files[0] || null;
    previewButton.disabled = !state.file;
  });
  previewButton.addEventListener('click', () => preview(state, previewArea, progressArea));
  append(main, h('div', { class: 'panel' },
    field('File (CSV or NDJSON)', file, 'Nothing is stored until you start the upload; the preview reads the first records only.'),
    previewButton), previewArea, progressArea);
}

function contentType(name) {
  return /\.(ndjson|jsonl)$/i.test(name) ? 'application/x-ndjson' : 'text/csv';
}

/** The first records of the file, cut at a line end. */
async function head(fileObj) {
  if (fileObj.size <= PREVIEW_BYTES) return fileObj;
  const bytes = new Uint8Array(await fileObj.slice(0, PREVIEW_BYTES).arrayBuffer());
  const end = bytes.lastIndexOf(10);
  return new Blob([bytes.slice(0, end > 0 ? end + 1 : bytes.length)]);
}

function mappingParam(state) {
  const m = {};
  for (const [source, select] of state.selects) m[source] = select.value || null;
  return JSON.stringify(m);
}

async function preview(state, area, progressArea, withMapping = false) {
  clear(area);
  clear(progressArea);
  append(area, h('p', {}, 'Reading the first records…'));
  const query = withMapping ? `&mapping=${enc(mappingParam(state))}` : '';
  let p;
  try {
    p = (await post(`/api/v1/ingest/datasets/${state.ds.id}/uploads?preview=true${query}`, await head(state.file),
      { contentType: contentType(state.file.name) })).data;
  } catch (err) {
    clear(area);
    append(area, errorBox(err));
    return;
  }
  state.preview = p;
  clear(area);
  const fields = [...new Set([...(p.mapping || []).map((m) => m.field), ...(p.unmappedFields || [])])].sort();
  // The mapping lists every column (unmapped ones with no field); unmappedColumns repeats those.
  const columns = (p.mapping || []).map((m) => ({ source: m.source, field: m.field, score: m.field ? m.score : null, method: m.method || 'not mapped' }));
  for (const c of p.unmappedColumns || []) {
    if (!columns.some((x) => x.source === c)) columns.push({ source: c, field: null, score: null, method: 'not mapped' });
  }
  state.selects = new Map();
  const rows = columns.map((c) => {
    const select = h('select', { 'aria-label': `Field for column ${c.source}`, 'data-source': c.source },
      h('option', { value: '' }, '(not imported)'),
      fields.map((f) => h('option', { value: f, selected: f === c.field }, f)));
    state.selects.set(c.source, select);
    return { ...c, select };
  });
  append(area,
    h('h2', { id: 'mapping-heading' }, 'Column mapping'),
    h('p', { class: 'hint' }, `Profile ${p.profile}; encoding ${p.encoding}; delimiter ${JSON.stringify(p.delimiter)}; ${num(p.rowsRead)} records read for the preview.`),
    table('Source columns and the profile field each fills', [
      { label: 'Source column', value: (r) => r.source },
      { label: 'Profile field', value: (r) => r.select },
      { label: 'Score', num: true, value: (r) => (r.score === null ? '—' : Number(r.score).toFixed(2)) },
      { label: 'How', value: (r) => r.method },
    ], rows),
    (p.unmappedFields || []).length ? h('p', { class: 'hint' }, `Profile fields without a column: ${p.unmappedFields.join(', ')}`) : null,
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', id: 'preview-again', onclick: () => preview(state, area, progressArea, true) }, 'Preview with this mapping'),
      h('button', { type: 'button', id: 'start-upload', onclick: (e) => start(state, progressArea, e.target) }, 'Start upload')),
    h('h2', {}, 'Sample rows, normalised'),
    sampleTable(p.sample || []));
  announce('Mapping inferred; review it and start the upload');
}

function sampleTable(sample) {
  // Each sample is {line, row: {field: normalised value}} or {line, quarantine: [{field, raw, reason}]}.
  const fields = [...new Set(sample.flatMap((r) => Object.keys(r.row || {})))];
  return table('The first rows as they would be stored, or why they would be quarantined', [
    { label: 'Line', num: true, value: (r) => r.line },
    ...fields.map((f) => ({ label: f, value: (r) => format(r.row ? r.row[f] : '') })),
    { label: 'Quarantined because', value: (r) => (r.quarantine || []).map((q) => `${q.reason}${q.field ? ` (${q.field})` : ''}`).join(', ') },
  ], sample, 'No sample rows.');
}

function format(v) {
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Starts the upload and follows its run until stored or failed. */
function start(state, area, button) {
  button.disabled = true;
  clear(area);
  const bar = h('progress', { id: 'upload-progress', max: 100, value: 0, 'aria-labelledby': 'progress-heading' });
  const percent = h('span', { id: 'upload-percent' }, '0%');
  const outcome = h('div', { id: 'upload-outcome', role: 'status', 'aria-live': 'polite' });
  append(area, h('h2', { id: 'progress-heading' }, 'Upload progress'), bar, h('p', {}, percent, ' ',
    h('span', { id: 'upload-state', class: 'hint' }, 'sending')),
    h('div', { class: 'stats' },
      stat('Rows read', '0', 'stat-rows'), stat('Rows per second', '—', 'stat-rate'), stat('Time left', '—', 'stat-eta'),
      stat('Quarantined', '0', 'stat-quarantined'), stat('Bytes sent', '0', 'stat-bytes')),
    outcome);
  const follow = { run: null, source: null, done: false, knownRuns: new Set(), sentBytes: 0, total: state.file.size };
  const show = (run) => showRun(follow, run, bar, percent, outcome, state);
  const jobRuns = `/marquez/api/v1/namespaces/${enc(state.tenant)}/jobs/${enc(`ingest.upload.${state.ds.name}`)}/runs?limit=20`;
  const discover = async () => {
    // The run's id is only in the upload's answer, which comes at the end; its START lineage event
    // names it as soon as the run begins, so the live stream can be opened while bytes still flow.
    while (!follow.done && !follow.source) {
      try {
        const runs = (await get(jobRuns)).runs || [];
        const fresh = runs.find((r) => !follow.knownRuns.has(r.id));
        if (fresh) {
          stream(follow, fresh.id, show);
          return;
        }
      } catch (err) {
        if (!(err instanceof ApiError) || err.status !== 404) return;
      }
      await new Promise((r) => setTimeout(r, 700));
    }
  };
  get(jobRuns).then((r) => (r.runs || []).forEach((x) => follow.knownRuns.add(x.id))).catch(() => {}).finally(() => {
    send(state, follow, show, outcome, bar, percent);
    discover();
  });
}

function send(state, follow, show, outcome, bar, percent) {
  const xhr = new XMLHttpRequest();
  const params = `mapping=${enc(mappingParam(state))}`;
  xhr.open('POST', `/api/v1/ingest/datasets/${state.ds.id}/uploads?${params}`);
  xhr.setRequestHeader('Content-Type', contentType(state.file.name));
  xhr.setRequestHeader('Accept', 'application/json');
  xhr.setRequestHeader('X-CSRF-Token', csrf());
  if (/^[\x20-\x7e]{1,200}$/.test(state.file.name)) xhr.setRequestHeader('X-File-Name', state.file.name);
  xhr.upload.addEventListener('progress', (e) => {
    follow.sentBytes = e.loaded;
    document.getElementById('stat-bytes').textContent = num(e.loaded);
    if (!follow.run) setPercent(bar, percent, e.lengthComputable ? (e.loaded / e.total) * 99 : 0);
  });
  xhr.addEventListener('load', async () => {
    let body = null;
    try { body = JSON.parse(xhr.responseText); } catch { /* empty */ }
    const runId = body && body.runId;
    if (follow.source) follow.source.close();
    if (runId) {
      try {
        show(await get(`/api/v1/ingest/runs/${runId}`));
      } catch (err) {
        append(outcome, errorBox(err));
      }
    }
    if (xhr.status >= 400 && !runId) {
      follow.done = true;
      append(outcome, errorBox(new ApiError(xhr.status, body)));
    } else if (body && body.deduplicated) {
      append(outcome, h('p', {}, 'This file is identical to the current version: nothing new was stored.'));
    }
    follow.done = true;
  });
  xhr.addEventListener('error', () => {
    follow.done = true;
    append(outcome, h('p', { class: 'error', role: 'alert' }, 'The connection broke while sending the file; nothing was stored. Start the upload again.'));
  });
  xhr.send(state.file);
}

function stream(follow, runId, show) {
  const source = new EventSource(`/api/v1/ingest/runs/${runId}/events`);
  follow.source = source;
  source.onmessage = (e) => {
    const run = JSON.parse(e.data);
    show(run);
    if (FINAL.includes(run.state)) source.close();
  };
  source.onerror = () => source.close();
}

function setPercent(bar, percent, p) {
  // Bytes sent run ahead of bytes the run has read; the bar never moves backwards.
  const v = Math.max(Number(bar.value) || 0, Math.min(100, p));
  bar.value = v;
  percent.textContent = `${Math.floor(v)}%`;
}

function showRun(follow, run, bar, percent, outcome, state) {
  if (follow.finished) return;
  follow.run = run;
  document.getElementById('upload-state').textContent = run.state;
  document.getElementById('stat-rows').textContent = num(run.rowsRead);
  document.getElementById('stat-rate').textContent = run.rowsPerSecond ? num(Math.round(run.rowsPerSecond)) : '—';
  document.getElementById('stat-eta').textContent = run.state === 'stored' ? 'done' : duration(run.etaSeconds);
  document.getElementById('stat-quarantined').textContent = num(run.rowsQuarantined);
  if (run.state === 'stored') {
    follow.finished = true;
    setPercent(bar, percent, 100);
    clear(outcome);
    append(outcome,
      h('p', { class: 'ok' }, `Stored as version ${run.version}: ${num(run.rowsStored)} rows stored, ${num(run.rowsQuarantined)} quarantined.`),
      h('p', { class: 'actions' },
        h('a', { class: 'button', href: `#/datasets/${state.ds.id}`, id: 'open-dataset' }, 'Open the dataset'),
        h('a', { class: 'button secondary', href: `#/lineage/${enc(state.ds.name)}` }, 'See its lineage')));
    announce(`Upload finished: version ${run.version} stored`);
  } else if (run.state === 'failed') {
    follow.finished = true;
    clear(outcome);
    append(outcome, h('div', { class: 'panel', role: 'alert' },
      h('p', { class: 'error' }, `The upload failed: ${run.errorDetail || run.errorCode}`),
      h('p', { class: 'hint' }, `code ${run.errorCode}. Nothing of this file was stored; fix the file and upload it again.`)));
    announce('Upload failed');
  } else if (run.totalBytes) {
    setPercent(bar, percent, (run.bytesRead / run.totalBytes) * 99);
  }
}
