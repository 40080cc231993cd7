// Contracts: view a dataset's contract versions, edit one as YAML with the errors shown inline,
// see the compatibility result before saving, download JSON Schema and Avro.
import { get, post, call, enc, uuid } from '../api.js';
import { h, append, clear, table, when, badge, field, errorBox, announce } from '../dom.js';
import { go } from '../app.js';

export async function render(main, { name }) {
  append(main, h('h1', {}, name ? `Contract ${name}` : 'Contracts'));
  const datasets = (await get('/api/v1/ingest/datasets?limit=200')).items || [];
  const select = h('select', { id: 'contract-name' }, datasets.map((d) => h('option', { value: d.name, selected: d.name === name }, d.name)));
  const pick = h('form', { class: 'row' }, field('Contract of dataset', select), h('button', { type: 'submit' }, 'Open'));
  pick.addEventListener('submit', (e) => { e.preventDefault(); go(`#/contracts/${enc(select.value)}`); });
  append(main, pick);
  if (!name) return;
  let versions = [];
  try {
    versions = await get(`/api/v1/contracts/contracts?name=${enc(name)}`);
  } catch (err) {
    if (err.status !== 404) throw err;
  }
  append(main, h('h2', {}, 'Versions'), table(`Versions of contract ${name}, newest first`, [
    { label: 'Version', value: (c) => c.version },
    { label: 'State', value: (c) => badge(c.state, c.state === 'active' ? 'ok' : c.state === 'deprecated' ? 'neutral' : 'warn') },
    { label: 'Owner', value: (c) => c.owner || '—' },
    { label: 'Created', value: (c) => `${when(c.createdAt)} by ${c.createdBy}` },
    { label: 'Downloads', value: (c) => h('span', {},
      h('a', { href: `/api/v1/contracts/contracts/${enc(c.name)}/versions/${enc(c.version)}/schema.json`, download: `${c.name}-${c.version}.schema.json` }, 'JSON Schema'), ' · ',
      h('a', { href: `/api/v1/contracts/contracts/${enc(c.name)}/versions/${enc(c.version)}/schema.avsc`, download: `${c.name}-${c.version}.avsc` }, 'Avro')) },
    { label: 'Actions', value: (c) => (c.state === 'draft' ? h('button', { type: 'button', class: 'secondary', 'aria-label': `Activate version ${c.version}`, onclick: () => activate(c) }, 'Activate') : '') },
  ], versions, 'No contract yet: write the first version below.'));
  const latest = versions[0];
  append(main, editor(name, latest));
}

async function activate(c) {
  try {
    const res = await call('GET', `/api/v1/contracts/contracts/${c.id}`);
    await post(`/api/v1/contracts/contracts/${c.id}/activate`, undefined, { headers: { 'If-Match': res.headers.get('ETag') } });
    announce(`Version ${c.version} is active`);
    location.reload();
  } catch (err) {
    document.getElementById('contract-feedback').append(errorBox(err));
  }
}

function starter(name) {
  return `name: ${name}\nversion: 1.0.0\ndataset: ${name}\nowner: data-stewards\nfields:\n  name:                {type: string, required: true, maxLength: 200}\n  email:               {type: string, format: email, mostly: 0.95}\n  registration_number: {type: string, required: true, unique: true}\nexpectations:\n  - {type: row_count, min: 1}\n`;
}

function toYaml(spec, indent = '') {
  // Contract documents are JSON-compatible; YAML is a superset of JSON, so JSON text is valid YAML.
  return `${JSON.stringify(spec, null, 2)}\n`;
}

function editor(name, latest) {
  const text = h('textarea', { id: 'contract-text', rows: 18, spellcheck: 'false' }, latest ? toYaml(latest.spec) : starter(name));
  const errors = h('div', { id: 'contract-errors' });
  const compat = h('div', { id: 'contract-compatibility' });
  const feedback = h('div', { id: 'contract-feedback', 'aria-live': 'polite' });
  const send = async (dryRun) => {
    clear(errors); clear(compat); clear(feedback);
    text.removeAttribute('aria-invalid');
    try {
      const res = await post(`/api/v1/contracts/contracts${dryRun ? '?dryRun=true' : ''}`, text.value,
        { contentType: 'application/yaml', headers: dryRun ? {} : { 'Idempotency-Key': uuid() } });
      if (dryRun) {
        showCompat(compat, res.data);
      } else {
        announce(`Saved ${res.data.name} ${res.data.version} as a draft`);
        append(feedback, h('p', { class: 'ok' }, `Saved ${res.data.name} ${res.data.version} as a draft. Activate it to validate against it.`));
        setTimeout(() => location.reload(), 600);
      }
    } catch (err) {
      text.setAttribute('aria-invalid', 'true');
      if (err.problem && Array.isArray(err.problem.breaks)) showCompat(compat, { accepted: false, breaks: err.problem.breaks });
      append(errors, errorBox(err));
    }
  };
  text.setAttribute('aria-describedby', 'contract-errors contract-hint');
  return h('section', { 'aria-labelledby': 'edit-heading' },
    h('h2', { id: 'edit-heading' }, latest ? 'Edit as a new version' : 'Write the contract'),
    h('p', { class: 'hint', id: 'contract-hint' }, 'YAML or JSON (docs/reference/contract-format.md). Raise the version: a breaking change needs a new major version.'),
    h('label', { for: 'contract-text' }, 'Contract document'), text, errors,
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', id: 'check-compatibility', onclick: () => send(true) }, 'Check compatibility'),
      h('button', { type: 'button', id: 'save-contract', onclick: () => send(false) }, 'Save as draft')),
    compat, feedback);
}

function showCompat(el, report) {
  append(el, h('div', { class: 'panel' },
    h('p', { class: report.accepted ? 'ok' : 'error' }, report.accepted
      ? `Compatible${report.comparedWith ? ` with active version ${report.comparedWith}` : ' (no active version to compare with)'}${report.majorBump ? ' (major version bump)' : ''}.`
      : `Not accepted${report.comparedWith ? ` against active version ${report.comparedWith}` : ''}: breaking changes need a major version bump.`),
    (report.breaks || []).length ? h('ul', {}, report.breaks.map((b) => h('li', {}, `${b.kind} ${b.field || ''}: ${b.detail || ''}`))) : null));
}
