// @ts-check
/**
 * Talking to the sync server: one request (errors become SyncErrors with the protocol's
 * codes), quick retries with backoff, and the server's clock compared with this device's.
 */
import { MESSAGES, SyncError } from "./errors.js";

const QUICK_RETRIES = 3;
const SKEW_WARNING_MS = 5 * 60_000;

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @typedef {{
 *   onReachable: () => void,
 *   onUnreachable?: () => void,
 *   onSkew: (offsetMs: number, warning: string | null) => void,
 * }} HttpHooks
 */

/**
 * One request to the sync server.
 * @param {HttpHooks} hooks what the loop learns from each answer (the server is reachable; its clock)
 * @param {string} server @param {string} method @param {string} path
 * @param {{body?: any, token?: string | null}} [options]
 */
export async function request(hooks, server, method, path, { body, token } = {}) {
  /** @type {Record<string, string>} */
  const headers = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (token) headers.authorization = `Bearer ${token}`;
  const sent = Date.now();
  let response;
  try {
    response = await fetch(new URL(`v1/${path}`, server), {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store",
    });
  } catch {
    hooks.onUnreachable?.();
    throw new SyncError("offline", undefined, { retry: true });
  }
  hooks.onReachable();
  const data = response.status === 204 ? {} : await response.json().catch(() => ({}));
  checkSkew(hooks, data.server_time ?? response.headers.get("date"), sent);
  if (response.ok) return data;
  const code = typeof data.error === "string" ? data.error : response.status >= 500 ? "server-error" : `http-${response.status}`;
  const retry = response.status >= 500 || response.status === 429;
  const retryAfter = Number(response.headers.get("retry-after")) || 0;
  const known = MESSAGES[/** @type {keyof typeof MESSAGES} */ (code)];
  const error = new SyncError(code, known ?? data.message ?? `The sync server refused the request (${response.status}).`, { retry, retryAfter, status: response.status });
  if (code === "key-epoch-mismatch") Object.assign(error, { keyEpoch: data.key_epoch });
  throw error;
}

/**
 * Warn (never fail) when this device's clock is far from the server's; the offset then
 * corrects new clocks' physical time (§6.2).
 * @param {HttpHooks} hooks @param {string | null | undefined} serverTime @param {number} sent
 */
function checkSkew(hooks, serverTime, sent) {
  const server = serverTime ? Date.parse(serverTime) : NaN;
  if (Number.isNaN(server)) return;
  const offset = server - (sent + Date.now()) / 2;
  const skewed = Math.abs(offset) > SKEW_WARNING_MS;
  const warning = skewed
    ? `This device's clock is about ${Math.round(Math.abs(offset) / 60_000)} minutes ${offset > 0 ? "behind" : "ahead"}. Sync still works; set the clock right when you can.`
    : null;
  hooks.onSkew(skewed ? Math.round(offset) : 0, warning);
}

/**
 * A request retried on network errors, 5xx and 429 with backoff (1 s, 2 s, 4 s, with jitter).
 * @param {() => Promise<any>} send
 */
export async function retrying(send) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (!(error instanceof SyncError) || !error.retry || attempt + 1 >= QUICK_RETRIES) throw error;
      await sleep(Math.max(error.retryAfter * 1000, 1000 * 2 ** attempt) * (0.8 + Math.random() * 0.4));
    }
  }
}
