// The console's only way to the platform: the gateway's public API, authenticated by the session
// cookie the browser sends by itself. Changes carry the session's CSRF token; nothing is stored
// in localStorage or sessionStorage.
const REQUEST_TIMEOUT_MS = 60000;
let csrfToken = null;
let onSessionEnded = () => {};

export function useSession(session, ended) {
  csrfToken = session ? session.csrfToken : null;
  if (ended) onSessionEnded = ended;
}

/** A problem+json answer (or any non-2xx) as an Error a page can show. */
export class ApiError extends Error {
  constructor(status, problem) {
    const p = problem && typeof problem === 'object' ? problem : {};
    super(p.detail || p.title || `HTTP ${status}`);
    this.status = status;
    this.code = p.code || `http_${status}`;
    this.problem = p;
  }
}

function parse(text) {
  if (!text) return null;
  try { return JSON.parse(text); } catch { return text; }
}

/**
 * One call. body: an object (sent as JSON), a string or Blob (sent with contentType); timeoutMs:
 * how long to wait for the answer (60 s unless a page knows the call takes longer).
 * Resolves {status, data, headers}; rejects with ApiError.
 */
export async function call(method, path, { body, contentType, headers = {}, timeoutMs = REQUEST_TIMEOUT_MS } = {}) {
  const h = { Accept: 'application/json', ...headers };
  if (!['GET', 'HEAD'].includes(method) && csrfToken) h['X-CSRF-Token'] = csrfToken;
  let payload = body;
  if (body !== undefined && body !== null && typeof body === 'object' && !(body instanceof Blob)) {
    payload = JSON.stringify(body);
    h['Content-Type'] = 'application/json';
  } else if (contentType) {
    h['Content-Type'] = contentType;
  }
  let res;
  try {
    // A platform under a drill may not answer: say so instead of waiting for ever.
    res = await fetch(path, { method, headers: h, body: payload, credentials: 'same-origin', signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new ApiError(0, { title: 'No answer', detail: err.name === 'TimeoutError'
      ? `Hotpass did not answer within ${timeoutMs / 1000} s; try again in a moment.`
      : 'Hotpass could not be reached; check your connection and try again.', code: 'no_answer' });
  }
  const data = parse(await res.text());
  if (!res.ok) {
    const err = new ApiError(res.status, data);
    if (res.status === 401 && !path.startsWith('/console/')) onSessionEnded(err);
    throw err;
  }
  return { status: res.status, data, headers: res.headers };
}

export const get = async (path, opts = {}) => (await call('GET', path, opts)).data;
export const post = (path, body, opts = {}) => call('POST', path, { body, ...opts });
export const patch = (path, body, opts = {}) => call('PATCH', path, { body, ...opts });
export const put = (path, body, opts = {}) => call('PUT', path, { body, ...opts });

export function csrf() {
  return csrfToken;
}

export const enc = encodeURIComponent;

/** An Idempotency-Key (crypto.randomUUID exists only in secure contexts; getRandomValues everywhere). */
export function uuid() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const x = [...b].map((v) => v.toString(16).padStart(2, '0')).join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
