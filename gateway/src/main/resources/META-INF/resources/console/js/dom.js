// Tiny DOM helpers: build elements without innerHTML, so no value from the API is ever parsed as HTML.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

export function append(el, ...children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function announce(message) {
  const s = document.getElementById('status');
  s.textContent = '';
  setTimeout(() => { s.textContent = message; }, 30);
}

export const num = (n) => (n === null || n === undefined ? '—' : Number(n).toLocaleString('en'));
export const pct = (f) => (f === null || f === undefined ? '—' : `${(f * 100).toFixed(f < 0.001 && f > 0 ? 3 : 1)}%`);
export const when = (t) => (t ? new Date(t).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : '—');
export const short = (id) => (id ? String(id).slice(0, 8) : '—');

export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** A labelled statistic tile. */
export function stat(label, value, id) {
  return h('div', { class: 'stat' }, h('span', { class: 'label' }, label), h('span', { class: 'value', id }, value));
}

/** A table from rows; columns: [{label, value: row => node|string, num?: bool}]. */
export function table(caption, columns, rows, empty = 'Nothing to show.') {
  if (!rows || rows.length === 0) return h('p', { class: 'hint' }, empty);
  return h('div', { class: 'scroll' }, h('table', {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.label)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, columns.map((c) => h('td', { class: c.num ? 'num' : null }, c.value(r))))))));
}

/** The message of an error as a person should read it. */
export function errorBox(err, extra) {
  const p = err && err.problem ? err.problem : {};
  const items = Array.isArray(p.errors) ? p.errors : [];
  return h('div', { class: 'panel', role: 'alert' },
    h('p', { class: 'error' }, `${p.title || 'Error'}: ${err.message}`),
    p.code ? h('p', { class: 'hint' }, `code ${p.code}${p.traceId ? `, trace ${p.traceId}` : ''}`) : null,
    items.length ? h('ul', { class: 'inline-errors' }, items.map((e) => h('li', {}, `${e.field || e.path || ''}: ${e.message || e.detail || ''}`))) : null,
    extra || null);
}

export function badge(text, kind) {
  return h('span', { class: `badge ${kind}` }, text);
}

export function field(labelText, control, hint) {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  const hintEl = hint ? h('span', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', `${id}-hint`);
  return h('div', { class: 'field' }, h('label', { for: id }, labelText), control, hintEl);
}
