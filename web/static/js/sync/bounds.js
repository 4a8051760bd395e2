// @ts-check
/**
 * Bounds the client keeps whatever the sync server says (issue #19): every number the server
 * sends is checked before it is used, pages and envelopes have a size, waits have a cap, log
 * resets and unreadable records have a budget per run, and the server's own words never reach
 * the screen. A server that breaks a bound gets a SyncError with our words; nothing is written.
 */
import { SyncError } from "./errors.js";

/** Items per pulled page (the server's own cap). */
export const PAGE_ITEMS = 500;
/** An envelope is at most 65,536 bytes: its base64 is at most this long. */
export const ENVELOPE_CHARS = Math.ceil(65_536 / 3) * 4;
/** All envelopes of one page together (the server sends at most 2 MiB). */
export const PAGE_CHARS = 4 * 1024 * 1024;
/** Records that failed their integrity check in one run before sync stops. */
export const TAMPER_THRESHOLD = 20;
/** Set-aside records kept at most (each only its key, seq and error). */
export const REJECTS_KEPT = 200;
/** Log resets (a new `log_id`, `cursor-ahead`) believed in one run. */
export const RESETS_PER_RUN = 2;
/** The longest wait a `Retry-After` can ask for, in seconds. */
export const RETRY_AFTER_MAX_S = 300;
/** Waits longer than this are not slept inside the sync lock: the run ends, the loop reschedules. */
export const RETRY_IN_LOCK_MAX_S = 10;
/** The most PBKDF2 rounds a server may ask this device to spend (the server's minimum × 4). */
export const KDF_ITERATIONS_MAX = 2_400_000;

const UNTRUSTED = "The sync server sent an answer this app cannot trust";

/** @param {unknown} n */
const isSeq = (n) => typeof n === "number" && Number.isSafeInteger(n) && n >= 0;

/** @param {string} what */
function bad(what) {
  return new SyncError("bad-answer", `${UNTRUSTED} (${what}). Nothing was changed on this device; sync will try again later.`);
}

/**
 * A pulled page, checked before anything in it is used: at most 500 items, each envelope at
 * most 64 KiB, a few MiB in all; seqs integers above `since`, increasing; `next_since` the last
 * item's seq (or `since`); `more` only with items.
 * @param {any} page @param {number} since
 * @returns {{items: Array<{seq: number, record_id: string, envelope: string}>, next_since: number, more: boolean, log_id: string | null}}
 */
export function checkPage(page, since) {
  if (!page || typeof page !== "object" || !Array.isArray(page.items)) throw bad("a page without items");
  const items = page.items;
  if (items.length > PAGE_ITEMS) throw bad(`${items.length} items in one page`);
  let last = since;
  let chars = 0;
  for (const item of items) {
    if (!item || !isSeq(item.seq) || item.seq <= last) throw bad("record numbers out of order");
    if (typeof item.record_id !== "string" || !/^[0-9a-f]{32}$/.test(item.record_id)) throw bad("a malformed record id");
    if (typeof item.envelope !== "string" || item.envelope.length > ENVELOPE_CHARS) throw bad("a record larger than 64 KiB");
    chars += item.envelope.length;
    last = item.seq;
  }
  if (chars > PAGE_CHARS) throw bad("a page larger than 4 MiB");
  if (!isSeq(page.next_since) || page.next_since !== last) throw bad("a cursor that does not match its records");
  if (page.more && !items.length) throw bad("an empty page that says more follow");
  const logId = typeof page.log_id === "string" && /^[0-9a-f]{32}$/.test(page.log_id) ? page.log_id : null;
  if (page.log_id != null && !logId) throw bad("a malformed log id");
  return { items, next_since: page.next_since, more: Boolean(page.more), log_id: logId };
}

/**
 * A push's answer: the seq range of exactly the items sent.
 * @param {any} answer @param {number} count
 * @returns {{first_seq: number, last_seq: number, replayed: boolean}}
 */
export function checkPushAnswer(answer, count) {
  const first = answer?.first_seq;
  const last = answer?.last_seq;
  if (!isSeq(first) || !isSeq(last) || first < 1 || last - first + 1 !== count) throw bad("a push receipt for other records");
  return { first_seq: first, last_seq: last, replayed: answer.replayed === true };
}

/**
 * Seconds a `Retry-After` header asks for: a number of seconds or an HTTP date, capped at 5
 * minutes; anything else is no wait.
 * @param {string | null} header @param {number} [now]
 */
export function retryAfterSeconds(header, now = Date.now()) {
  if (!header) return 0;
  const text = header.trim();
  let seconds = /^\d{1,12}$/.test(text) ? Number(text) : (Date.parse(text) - now) / 1000;
  if (!Number.isFinite(seconds) || seconds < 0) seconds = 0;
  return Math.min(RETRY_AFTER_MAX_S, Math.ceil(seconds));
}

/**
 * What the user reads for an error code this app does not know: our words, with the code (if
 * it looks like one) and the HTTP status. The server's own message goes to the console only.
 * @param {unknown} code @param {number} status @param {unknown} message
 */
export function unknownRefusal(code, status, message) {
  if (typeof message === "string" && message) console.warn(`Sync server (${status}):`, message.slice(0, 500));
  const shown = typeof code === "string" && /^[a-z0-9-]{1,40}$/.test(code) ? `"${code}", ` : "";
  return `The sync server refused the request (${shown}HTTP ${status}). Your changes are kept on this device.`;
}

/**
 * A key list from the server must keep every key id this device holds (a list that drops one
 * would leave records unreadable), and name at most 8 integer ids.
 * @param {unknown} keys the server's `account.keys` @param {Iterable<number>} held key ids held here
 */
export function checkKeyList(keys, held) {
  const ids = Array.isArray(keys) ? keys.map((k) => k?.key_id) : [];
  const valid = Array.isArray(keys) && keys.length >= 1 && keys.length <= 8
    && ids.every((id) => Number.isSafeInteger(id) && id >= 1);
  const lost = [...held].filter((id) => !ids.includes(id));
  if (!valid || lost.length) {
    throw new SyncError("keys-missing", "The sync server sent a list of data keys that lacks one this device holds, so nothing was changed: the server may be tampering. Sync stays as it was.");
  }
}

/** The KDF cost a server asks for, capped (a huge count would freeze the device). @param {any} kdf */
export function checkKdfCost(kdf) {
  if (!Number.isSafeInteger(kdf?.iterations) || kdf.iterations > KDF_ITERATIONS_MAX) throw new SyncError("weak-kdf", "The sync server asked for key settings outside what this app accepts, so sync stopped to protect this device.");
}

/** What one run has used of its budgets: log resets and records that failed their check. */
export class RunBudget {
  constructor() {
    this.resets = 0;
    this.failed = 0;
  }

  /** One more log reset; too many in one run is an answer not to trust. */
  reset() {
    if (++this.resets > RESETS_PER_RUN) throw bad("a new log on every page");
  }

  /**
   * Records of a page that failed their integrity check (a key this device lacks does not
   * count); past the threshold the run stops and says why.
   * @param {Array<{error: string}>} rejected
   */
  failures(rejected) {
    this.failed += rejected.filter((r) => r.error !== "unknown-key").length;
    if (this.failed >= TAMPER_THRESHOLD) {
      throw new SyncError("tampering", `The sync server sent ${this.failed} records that failed their integrity check in one sync, so sync stopped: the server may be tampering with your data. Nothing on this device was changed; see the list below.`);
    }
  }
}
