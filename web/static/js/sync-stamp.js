// @ts-check
/**
 * The JS copy of the engine's stamping rules (followup/hlc.py and followup/sync.py `stamp`,
 * `flatten`, `canonical`): pure functions, no storage. Only a page-side write uses it (a capture
 * saved before the engine is up, until captures are engine commands); the engine worker stamps
 * through the engine. tests/e2e/test_sync.py checks both agree on generated cases.
 */
import { SYNC_KEY_OF } from "./sync-store.js";

// --- Hybrid logical clocks (the same rules as followup/hlc.py) ----------------------------------

export const HLC_ZERO = "1970-01-01T00:00:00.000Z-0000-0000000000000000";
const HLC_PATTERN = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)-([0-9a-f]{4})-([0-9a-f]{16})$/i;
const HLC_MAX_MS = 253_402_300_799_999;
/** This tab's (or worker's) node id: 64 random bits, so two writers never share a timestamp. */
export const NODE = Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, "0")).join("");

/** @typedef {{millis: number, counter: number, node: string}} Clock */

/** @param {string} stamp @returns {Clock | null} */
export function parseClock(stamp) {
  const match = typeof stamp === "string" ? HLC_PATTERN.exec(stamp) : null;
  if (!match) return null;
  const millis = Date.parse(match[1]);
  if (Number.isNaN(millis) || new Date(millis).toISOString() !== match[1]) return null;
  return { millis, counter: parseInt(match[2], 16), node: match[3].toLowerCase() };
}

/** @param {Clock} clock */
export function formatClock(clock) {
  return `${new Date(clock.millis).toISOString()}-${clock.counter.toString(16).padStart(4, "0")}-${clock.node}`;
}

/** @param {number} millis @param {number} counter @param {string} node @returns {Clock} */
function carry(millis, counter, node) {
  // 65,536 edits in one millisecond (or under a frozen clock) move time on: never an error.
  if (counter > 0xffff) {
    millis += Math.floor(counter / 0x10000);
    counter %= 0x10000;
  }
  return { millis: Math.min(millis, HLC_MAX_MS), counter, node };
}

/** The clock of a local event. @param {Clock} last @param {number} nowMs */
export function sendClock(last, nowMs) {
  const millis = Math.max(last.millis, nowMs);
  return carry(millis, millis === last.millis ? last.counter + 1 : 0, last.node);
}

/** Object keys sorted, so equal values compare equal. @param {any} value @returns {string} */
export function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * A record as sync fields: every field but its key, people's tags one field per tag
 * (followup/sync.py `flatten`).
 * @param {string} store @param {any} record
 */
export function flatten(store, record) {
  const keyField = SYNC_KEY_OF[/** @type {keyof typeof SYNC_KEY_OF} */ (store)];
  /** @type {Record<string, any>} */
  const out = {};
  for (const [name, value] of Object.entries(record)) {
    if (name === keyField || name === "_deleted" || value === undefined) continue;
    if (store === "people" && name === "tags" && Array.isArray(value)) {
      for (const tag of value) if (typeof tag === "string") out[`tags:${tag}`] = true;
      continue;
    }
    out[name] = value;
  }
  return out;
}

/**
 * A `sync_records` entry's field map. It is stored as canonical JSON text: IndexedDB writes a
 * string about twice as fast as the nested arrays, and the text is the plaintext's `f` as is.
 * @param {{f?: string | Record<string, [any, string]>} | undefined} replica
 * @returns {Record<string, [any, string]>}
 */
export function fieldsOf(replica) {
  const f = replica?.f;
  if (typeof f === "string") return JSON.parse(f);
  return { ...(f ?? {}) };
}

/**
 * Fields a write changed, with fresh clocks (followup/sync.py `stamp`). Fields the record does
 * not carry are left alone: absence is not deletion.
 * @param {{store: string, key: string, f: string | Record<string, [any, string]>, rev?: number} | undefined} replica
 * @param {{pending: Record<string, string>} | undefined} queued
 * @param {{store: string, key: string, record: any}} write
 * @param {{clock: Clock, now: number}} time
 */
export function stampWrite(replica, queued, write, time) {
  const fields = fieldsOf(replica);
  /** @type {Record<string, string>} */
  const pending = { ...(queued?.pending ?? {}) };
  let changed = false;
  const set = (/** @type {string} */ name, /** @type {any} */ value) => {
    const old = fields[name];
    if (old && canonical(old[0]) === canonical(value)) return;
    time.clock = sendClock(time.clock, time.now);
    if (!(name in pending)) pending[name] = old ? old[1] : HLC_ZERO;
    fields[name] = [value, formatClock(time.clock)];
    changed = true;
  };
  if (write.record === null) {
    set("_deleted", true);
  } else {
    const flat = flatten(write.store, write.record);
    if (fields._deleted?.[0] === true) set("_deleted", false);
    for (const name of Object.keys(flat).sort()) set(name, flat[name]);
    if (write.store === "people" && Array.isArray(write.record.tags)) {
      for (const name of Object.keys(fields).sort()) {
        if (name.startsWith("tags:") && fields[name][0] === true && !(name in flat)) set(name, false);
      }
    }
  }
  const key = `${write.store}/${write.key}`;
  return {
    changed,
    replica: { key, store: write.store, id: write.key, f: canonical(fields), rev: (replica?.rev ?? 0) + (changed ? 1 : 0) },
    queued: { key, pending },
  };
}

