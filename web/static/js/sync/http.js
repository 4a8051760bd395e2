// @ts-check
/**
 * Talking to the sync server: one request (errors become SyncErrors with the protocol's
 * codes), quick retries with backoff, and the server's clock compared with this device's.
 * A server past its bound answers `503 server-busy` with `Retry-After` (docs/sync-protocol.md
 * §5): the loop is told (it shows "Server busy, retrying…", not an error) and the same request
 * goes again after the server's hint (`retry_after_ms`, else Retry-After), spread with jitter so
 * refused devices do not return together. A refused request did nothing on the server: a push goes again with its batch id.
 * The server's clock advises, never commands: a skew only produces a warning (after several
 * answers agree), and no offset is applied to this device's clock.
 */
import { RETRY_IN_LOCK_MAX_S, retryAfterSeconds, unknownRefusal } from "./bounds.js";
import { MESSAGES, SyncError } from "./errors.js";

const QUICK_RETRIES = 3;
const SKEW_WARNING_MS = 5 * 60_000;
/** Answers in a row that must agree (within SKEW_AGREE_MS) before a skew is told. */
const SKEW_ANSWERS = 3;
const SKEW_AGREE_MS = 2 * 60_000;
/** The last few offsets between the server's clock and this device's. @type {number[]} */
const offsets = [];

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @typedef {{
 *   onReachable: () => void,
 *   onUnreachable?: () => void,
 *   onBusy?: (busy: boolean) => void,
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
  const code = typeof data.error === "string" ? data.error : response.status >= 500 ? "server-error" : `http-${response.status}`;
  hooks.onBusy?.(code === "server-busy");
  if (response.ok) return data;
  const retry = response.status >= 500 || response.status === 429;
  // A busy server's own hint, under a second mostly (its backlog at its pace), wins over the
  // whole seconds of Retry-After, so refused devices come back as soon as there is room.
  const hint = code === "server-busy" && typeof data.retry_after_ms === "number" && data.retry_after_ms > 0
    ? Math.min(data.retry_after_ms / 1000, RETRY_IN_LOCK_MAX_S) : null;
  const retryAfter = hint ?? retryAfterSeconds(response.headers.get("retry-after"));
  const known = MESSAGES[/** @type {keyof typeof MESSAGES} */ (code)];
  // The server's words stay out of the app: an unknown code gets a fixed sentence of ours.
  const error = new SyncError(code, known ?? unknownRefusal(code, response.status, data.message), { retry, retryAfter, status: response.status });
  if (code === "key-epoch-mismatch") Object.assign(error, { keyEpoch: data.key_epoch });
  throw error;
}

/**
 * Warn (never fail, never correct) when this device's clock is far from the server's: only
 * once several answers in a row agree, so one odd answer says nothing. New stamps always use
 * this device's own clock (the offset passed on is always 0).
 * @param {HttpHooks} hooks @param {string | null | undefined} serverTime @param {number} sent
 */
export function checkSkew(hooks, serverTime, sent) {
  const server = typeof serverTime === "string" ? Date.parse(serverTime) : NaN;
  if (Number.isNaN(server)) return;
  offsets.push(server - (sent + Date.now()) / 2);
  if (offsets.length > SKEW_ANSWERS) offsets.shift();
  const agree = offsets.length === SKEW_ANSWERS && Math.max(...offsets) - Math.min(...offsets) <= SKEW_AGREE_MS;
  const offset = offsets[offsets.length - 1];
  const skewed = agree && Math.abs(offset) > SKEW_WARNING_MS;
  if (!skewed && offsets.length < SKEW_ANSWERS) return;
  hooks.onSkew(0, skewed
    ? `This device's clock and the sync server's differ by ${sizeOf(Math.abs(offset))} (the server's is ${offset > 0 ? "ahead" : "behind"}). Sync uses this device's clock; if it is wrong, set the date and time right.`
    : null);
}

/** @param {number} ms */
function sizeOf(ms) {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `about ${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `about ${hours} hours`;
  return `about ${Math.round(hours / 24).toLocaleString("en")} days`;
}

/**
 * A request retried on network errors, 5xx and 429 with backoff (1 s, 2 s, 4 s, with jitter,
 * never under Retry-After); for server-busy, the server's hint doubling per refusal in a row,
 * each wait spread between once and twice that.
 * @param {() => Promise<any>} send
 */
export async function retrying(send) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (!(error instanceof SyncError) || !error.retry || attempt + 1 >= QUICK_RETRIES) throw error;
      // A long wait is not slept holding the sync lock: the run ends and is scheduled again.
      if (error.retryAfter > RETRY_IN_LOCK_MAX_S) throw error;
      if (error.code === "server-busy") {
        await sleep(error.retryAfter * 1000 * 2 ** attempt * (1 + Math.random()));
        continue;
      }
      const wait = Math.max(error.retryAfter * 1000, 1000 * 2 ** attempt);
      await sleep(wait * (0.8 + Math.random() * 0.4));
    }
  }
}
