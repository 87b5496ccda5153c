// Maps QIHub's settings onto adapter-node's (used by start.js; plain JavaScript so that it runs
// before anything is built). Kept apart from start.js so that a unit test can read it.

const DEFAULT_WEB_PORT = 3000;
const DEFAULT_API_PORT = 3001;
const DEFAULT_UPLOAD_MAX_BYTES = 10 * 1024 * 1024;
/** Room for the multipart envelope and the other form fields beside the largest file. */
const FORM_OVERHEAD_BYTES = 1024 * 1024;

/**
 * @param {string} name
 * @param {string | undefined} raw
 * @param {number} fallback
 */
function port(name, raw, fallback) {
  if (raw === undefined || raw === '') return fallback;
  if (!/^[0-9]+$/.test(raw) || Number(raw) > 65535) throw new Error(`${name}: must be a port number, got "${raw}"`);
  return Number(raw);
}

/**
 * The environment adapter-node reads, from the product's own variables:
 * - WEB_HOST / WEB_PORT (default 127.0.0.1:3000) → HOST / PORT. Plain HOST and PORT are not read, so
 *   one `.env` can hold the API's API_HOST / API_PORT beside them.
 * - ORIGIN, or else the origin of PUBLIC_WEB_URL (default http://localhost:<WEB_PORT>) → ORIGIN.
 *   Without it adapter-node assumes https, and SvelteKit's form origin check then refuses every form
 *   posted over plain http. The loopback aliases of that origin are trusted too (see hooks.server.ts).
 * - API_URL, or else http://127.0.0.1:<API_PORT> → API_URL.
 * - BODY_SIZE_LIMIT, or else UPLOAD_MAX_BYTES plus room for the form → BODY_SIZE_LIMIT, so an upload
 *   the API accepts is not refused by the web first.
 * ADDRESS_HEADER and XFF_DEPTH (behind a reverse proxy) pass through untouched.
 * @param {Record<string, string | undefined>} env
 * @returns {Record<string, string>}
 */
export function adapterEnv(env) {
  const webPort = port('WEB_PORT', env.WEB_PORT, DEFAULT_WEB_PORT);
  const apiPort = port('API_PORT', env.API_PORT, DEFAULT_API_PORT);
  const publicUrl = env.ORIGIN || env.PUBLIC_WEB_URL || `http://localhost:${webPort}`;
  let origin;
  try {
    origin = new URL(publicUrl).origin;
  } catch {
    throw new Error(`${env.ORIGIN ? 'ORIGIN' : 'PUBLIC_WEB_URL'}: must be an absolute http(s) URL, got "${publicUrl}"`);
  }
  if (origin === 'null') throw new Error(`ORIGIN / PUBLIC_WEB_URL: must be an http(s) URL, got "${publicUrl}"`);
  const uploadRaw = env.UPLOAD_MAX_BYTES;
  const upload = uploadRaw && /^[0-9]+$/.test(uploadRaw) ? Number(uploadRaw) : DEFAULT_UPLOAD_MAX_BYTES;
  return {
    HOST: env.WEB_HOST || '127.0.0.1',
    PORT: String(webPort),
    ORIGIN: origin,
    API_URL: env.API_URL || `http://127.0.0.1:${apiPort}`,
    BODY_SIZE_LIMIT: env.BODY_SIZE_LIMIT || String(upload + FORM_OVERHEAD_BYTES),
  };
}
