// The console shell: who is signed in, the navigation and a hash router over the pages.
import { call, useSession, ApiError } from './api.js';
import { h, clear, append, announce, field, errorBox } from './dom.js';
import * as datasets from './pages/datasets.js';
import * as dataset from './pages/dataset.js';
import * as upload from './pages/upload.js';
import * as validation from './pages/validation.js';
import * as contracts from './pages/contracts.js';
import * as plans from './pages/plans.js';
import * as lineage from './pages/lineage.js';
import * as audit from './pages/audit.js';

const main = document.getElementById('main');
export const ctx = { session: null };

const routes = [
  [/^#\/datasets\/([^/]+)\/upload$/, upload, (m) => ({ id: m[1] })],
  [/^#\/datasets\/([^/]+)$/, dataset, (m) => ({ id: m[1] })],
  [/^#\/datasets$/, datasets, () => ({})],
  [/^#\/validations\/([^/]+)$/, validation, (m) => ({ id: m[1] })],
  [/^#\/contracts(?:\/([^/]+))?$/, contracts, (m) => ({ name: m[1] && decodeURIComponent(m[1]) })],
  [/^#\/plans\/([^/]+)$/, plans, (m) => ({ id: m[1] })],
  [/^#\/plans(?:\?.*)?$/, plans, () => ({})],
  [/^#\/lineage(?:\/([^/]+))?$/, lineage, (m) => ({ dataset: m[1] && decodeURIComponent(m[1]) })],
  [/^#\/audit$/, audit, () => ({})],
];

let renderCount = 0;

async function route() {
  if (!ctx.session) return;
  const hash = location.hash || '#/datasets';
  const found = routes.map(([re, page, params]) => [hash.match(re), page, params]).find(([m]) => m);
  for (const a of document.querySelectorAll('#nav a')) {
    const section = a.getAttribute('href').split('/')[1];
    const here = hash.split(/[/?]/)[1];
    if (here === section || (section === 'datasets' && hash.startsWith('#/validations'))) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const mine = ++renderCount;
  clear(main);
  if (!found) {
    append(main, h('h1', {}, 'Page not found'), h('p', {}, h('a', { href: '#/datasets' }, 'Go to the datasets')));
    return;
  }
  const [m, page, params] = found;
  try {
    main.setAttribute('aria-busy', 'true');
    await page.render(main, params(m), { ...ctx, stale: () => mine !== renderCount });
  } catch (err) {
    if (mine === renderCount) append(main, errorBox(err));
  } finally {
    main.removeAttribute('aria-busy');
  }
  const heading = main.querySelector('h1');
  document.title = heading ? `${heading.textContent} · Hotpass` : 'Hotpass console';
  main.focus();
}

function signedIn(session) {
  ctx.session = session;
  useSession(session, () => showSignIn('Your session ended. Sign in again.'));
  document.getElementById('nav').hidden = false;
  document.getElementById('who').hidden = false;
  const who = document.getElementById('who-name');
  who.textContent = `${session.displayName || session.subject} · ${session.tenant}`;
  who.title = session.subject;
}

async function showSignIn(message) {
  ctx.session = null;
  useSession(null);
  document.getElementById('nav').hidden = true;
  document.getElementById('who').hidden = true;
  document.title = 'Sign in · Hotpass';
  clear(main);
  let methods = { apiKey: true, oidc: false };
  try {
    methods = (await call('GET', '/console/sign-in-methods')).data;
  } catch { /* API-key sign-in is always offered */ }
  const key = h('input', { type: 'password', name: 'apiKey', autocomplete: 'off', required: true, size: 48, id: 'api-key' });
  const feedback = h('div', { id: 'sign-in-feedback' });
  const form = h('form', { class: 'sign-in', novalidate: true },
    field('API key', key, 'A tenant API key (hp_…). It is checked once; the browser then keeps only a session cookie.'),
    h('button', { type: 'submit', id: 'sign-in' }, 'Sign in with API key'),
    feedback);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear(feedback);
    try {
      const res = await call('POST', '/console/session', { body: { apiKey: key.value.trim() } });
      key.value = '';
      signedIn(res.data);
      announce(`Signed in as ${res.data.subject}`);
      if (!location.hash || location.hash === '#/sign-in') location.hash = '#/datasets';
      else route();
    } catch (err) {
      append(feedback, errorBox(err));
      key.setAttribute('aria-invalid', 'true');
      key.focus();
    }
  });
  append(main, h('h1', {}, 'Sign in'),
    message ? h('p', { class: 'warn', role: 'alert' }, message) : null,
    methods.oidc ? h('p', {}, h('a', { class: 'button', href: `/console/oidc/login?returnTo=${encodeURIComponent(location.hash || '#/datasets')}`, id: 'sign-in-oidc' }, 'Sign in with your organisation account (Keycloak)')) : null,
    methods.oidc ? h('p', { class: 'hint' }, 'Or, for local use:') : null,
    form);
  key.focus();
}

document.getElementById('sign-out').addEventListener('click', async () => {
  try {
    await call('DELETE', '/console/session');
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
  }
  await showSignIn('You are signed out.');
});

window.addEventListener('hashchange', route);

(async function start() {
  try {
    const res = await call('GET', '/console/session');
    signedIn(res.data);
    route();
  } catch {
    showSignIn();
  }
})();

/** Navigate to a page and render it (also when the hash is already there). */
export function go(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}
