// @ts-check
/**
 * All of IndexedDB: open and migrate by version, read everything as one batch, and commit
 * changes in one transaction that resolves only when the browser says it is on disk.
 * Used by the page (captures) and by the engine worker (commands); the record shapes are
 * owned by Python (docs/engine-api.md).
 *
 * Every write of a synced record also stamps the fields it changed with a hybrid logical
 * clock and queues the record in the sync outbox, in the same transaction (SYNC-DESIGN §6.2):
 * an edit is never on disk without being on its way to the other devices.
 */

export const DB_NAME = "followthrough";

/** Stores whose records are keyed by `id`, in the order the engine loads them. */
export const RECORD_STORES = [
  "people", "events", "introductions", "interactions", "opportunities", "meta",
];
/** Every store the engine reads; `decisions` is keyed by follow-up key. */
export const ENGINE_STORES = [...RECORD_STORES, "decisions"];
/**
 * Sync's own stores: each record's merged field map with clocks (`sync_records`, keyed
 * `store/key`), the edits not yet acknowledged by the server (`sync_outbox`), the clock, cursor,
 * account and batch in flight (`sync_meta`), and records that could not be read (`sync_rejects`).
 */
export const SYNC_STORES = ["sync_records", "sync_outbox", "sync_meta"];
/** Key field of each synced store; in `meta` only SYNCED_META ids travel. */
export const SYNC_KEY_OF = {
  people: "id", events: "id", introductions: "id", interactions: "id", opportunities: "id",
  decisions: "key", meta: "id",
};
const SYNCED_META = new Set(["settings", "profile"]);

/**
 * Migrations, one per schema version: MIGRATIONS[v - 1] upgrades a database at version v - 1
 * to version v. Never edit a released one; append the next.
 * @type {Array<(db: IDBDatabase, tx: IDBTransaction) => void>}
 */
export const MIGRATIONS = [
  // v1: the first schema.
  (db) => {
    for (const name of RECORD_STORES) db.createObjectStore(name, { keyPath: "id" });
    db.createObjectStore("decisions", { keyPath: "key" });
    // Kept for sync (#6) and drafts of half-typed forms: nothing is ever lost on reload.
    db.createObjectStore("drafts", { keyPath: "id" });
    for (const name of ["sync_records", "sync_outbox", "sync_rejects"]) {
      db.createObjectStore(name, { keyPath: "key" });
    }
    db.createObjectStore("sync_meta", { keyPath: "id" });
  },
  // v2: commands made before the engine was up, in the order they were made; the worker
  // replays them once it is (each is deleted in the transaction that saves its result).
  (db) => {
    db.createObjectStore("inbox", { keyPath: "seq", autoIncrement: true });
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Open (creating or upgrading) the database.
 * @param {{name?: string, migrations?: typeof MIGRATIONS}} [options]
 * @returns {Promise<IDBDatabase>}
 */
export function openDatabase({ name = DB_NAME, migrations = MIGRATIONS } = {}) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, migrations.length);
    request.onupgradeneeded = (event) => {
      const db = request.result;
      const tx = /** @type {IDBTransaction} */ (request.transaction);
      for (let v = event.oldVersion; v < migrations.length; v++) migrations[v](db, tx);
    };
    request.onsuccess = () => {
      const db = request.result;
      // Another tab opened a newer version: let it upgrade, this tab reloads into it.
      db.onversionchange = () => {
        db.close();
        self.dispatchEvent?.(new CustomEvent("followthrough:db-upgraded"));
      };
      resolve(db);
    };
    request.onerror = () => reject(request.error);
    request.onblocked = () =>
      reject(new Error("Another tab is holding an older version of the app open. Close it and try again."));
  });
}

/** @type {Promise<IDBDatabase> | null} */
let shared = null;

/** The shared connection of this page or worker. */
export function database() {
  if (!shared) {
    shared = openDatabase();
    shared.catch(() => { shared = null; });
  }
  return shared;
}

/**
 * Read every record the engine needs, one getAll per store, in one read transaction.
 * @param {IDBDatabase} [db]
 * @returns {Promise<Record<string, any[]>>}
 */
export async function loadAll(db) {
  db = db ?? (await database());
  const tx = db.transaction(ENGINE_STORES, "readonly");
  /** @type {Record<string, any[]>} */
  const data = {};
  await Promise.all(ENGINE_STORES.map((name) => new Promise((resolve, reject) => {
    const request = tx.objectStore(name).getAll();
    request.onsuccess = () => { data[name] = request.result; resolve(undefined); };
    request.onerror = () => reject(request.error);
  })));
  return data;
}

/** Thrown by `commit` when the inbox entry it was to settle is gone: another tab replayed it. */
export class AlreadyReplayed extends Error {}

/**
 * Write `put` and `delete` (both `{store: [...]}`) in one transaction; resolves on
 * `oncomplete` with strict durability, so "saved" means on disk. Synced records are stamped
 * and queued for sync in the same transaction. With `inbox`, the inbox entry of that `seq` is
 * deleted in the same transaction, which fails with `AlreadyReplayed` if it is already gone.
 * @param {{put?: Record<string, any[]>, delete?: Record<string, string[]>}} change
 * @param {IDBDatabase} [db]
 * @param {{inbox?: number}} [options]
 */
export async function commit(change, db, { inbox } = {}) {
  db = db ?? (await database());
  const put = change.put ?? {};
  const del = change.delete ?? {};
  const names = [...new Set([...Object.keys(put), ...Object.keys(del)])];
  if (names.length === 0 && inbox === undefined) return;
  const synced = names.some((name) => name in SYNC_KEY_OF);
  const scope = [...new Set([...names, ...(synced ? SYNC_STORES : []), ...(inbox === undefined ? [] : ["inbox"])])];
  await new Promise((resolve, reject) => {
    const tx = db.transaction(scope, "readwrite", { durability: "strict" });
    let gone = false;
    tx.oncomplete = () => resolve(undefined);
    tx.onabort = () => reject(gone ? new AlreadyReplayed("Another tab saved this change.") : explain(tx.error));
    try {
      if (inbox !== undefined) {
        const entries = tx.objectStore("inbox");
        const found = entries.get(inbox);
        found.onsuccess = () => {
          if (found.result) entries.delete(inbox);
          else { gone = true; tx.abort(); }
        };
      }
      /** @type {Array<{store: string, key: string, record: any}>} */
      const writes = [];
      for (const [name, records] of Object.entries(put)) {
        const store = tx.objectStore(name);
        for (const record of records) {
          store.put(record);
          const key = record?.[SYNC_KEY_OF[/** @type {keyof typeof SYNC_KEY_OF} */ (name)]];
          if (isSynced(name, key)) writes.push({ store: name, key, record });
        }
      }
      for (const [name, ids] of Object.entries(del)) {
        const store = tx.objectStore(name);
        for (const id of ids) {
          store.delete(id);
          if (isSynced(name, id)) writes.push({ store: name, key: id, record: null });
        }
      }
      if (writes.length) stampWrites(tx, writes);
    } catch (error) {
      // A bad record throws before the transaction knows: abort, so nothing is half-written.
      tx.abort();
      reject(new Error(`Could not save: ${error instanceof Error ? error.message : error}.`));
    }
  });
  if (synced) announce({ type: "outbox" });
}

/**
 * Whether a record of this store and key travels between devices.
 * @param {string} store @param {unknown} key
 */
export function isSynced(store, key) {
  return store in SYNC_KEY_OF && typeof key === "string" && key !== ""
    && (store !== "meta" || SYNCED_META.has(key));
}

/** @type {BroadcastChannel | null} */
let channel = null;
/** Tell sync (in any tab, page or worker) that something changed. @param {any} message */
export function announce(message) {
  try {
    channel ??= new BroadcastChannel("followthrough-sync");
    channel.postMessage(message);
  } catch {
    // No BroadcastChannel: the next scheduled sync picks the change up.
  }
}

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

/**
 * Stamp and queue synced writes inside the caller's transaction: read the clock and each
 * record's sync state, then write them back (all on IndexedDB callbacks, so the transaction
 * stays open).
 * @param {IDBTransaction} tx @param {Array<{store: string, key: string, record: any}>} writes
 */
function stampWrites(tx, writes) {
  const meta = tx.objectStore("sync_meta");
  const replicas = tx.objectStore("sync_records");
  const outbox = tx.objectStore("sync_outbox");
  const keys = [...new Set(writes.map((w) => `${w.store}/${w.key}`))];
  /** @type {Map<string, any>} */
  const found = new Map();
  /** @type {Map<string, any>} */
  const queued = new Map();
  let clockRecord = /** @type {any} */ (null);
  let waiting = 1 + 2 * keys.length;
  const done = () => {
    if (--waiting > 0) return;
    const saved = parseClock(clockRecord?.last) ?? { millis: 0, counter: 0, node: NODE };
    const time = { clock: { ...saved, node: NODE }, now: Date.now() + (clockRecord?.offset_ms ?? 0) };
    for (const write of writes) {
      const key = `${write.store}/${write.key}`;
      const result = stampWrite(found.get(key), queued.get(key), write, time);
      if (!result.changed) continue;
      found.set(key, result.replica);
      queued.set(key, result.queued);
      replicas.put(result.replica);
      outbox.put(result.queued);
    }
    meta.put({ ...(clockRecord ?? { offset_ms: 0 }), id: "clock", last: formatClock(time.clock) });
  };
  const read = (/** @type {IDBObjectStore} */ store, /** @type {string} */ key, /** @type {(v: any) => void} */ keep) => {
    const request = store.get(key);
    request.onsuccess = () => { keep(request.result); done(); };
  };
  read(meta, "clock", (value) => { clockRecord = value; });
  for (const key of keys) {
    read(replicas, key, (value) => { if (value) found.set(key, value); });
    read(outbox, key, (value) => { if (value) queued.set(key, value); });
  }
}

// --- The inbox: commands made before the engine was up ---------------------------------------

/**
 * @typedef {import("./types.js").InboxEntry} InboxEntry
 */

/**
 * Keep a command for the engine, on disk (strict durability) when this resolves. The page's one
 * write of user data: everything else is written by the engine worker.
 * @param {Omit<InboxEntry, "seq">} entry
 */
export async function enqueue(entry) {
  const db = await database();
  await new Promise((resolve, reject) => {
    const tx = db.transaction("inbox", "readwrite", { durability: "strict" });
    tx.oncomplete = () => resolve(undefined);
    tx.onabort = () => reject(explain(tx.error));
    tx.objectStore("inbox").add(entry);
  });
}

/**
 * Every inbox entry, oldest first.
 * @returns {Promise<InboxEntry[]>}
 */
export function readInbox() {
  return getAll("inbox");
}

/**
 * Set an entry the engine refused aside, with its reason, so it is neither lost nor replayed.
 * @param {number} seq @param {{error: string, message: string}} reason
 */
export async function refuse(seq, reason) {
  const db = await database();
  await new Promise((resolve, reject) => {
    const tx = db.transaction("inbox", "readwrite", { durability: "strict" });
    tx.oncomplete = () => resolve(undefined);
    tx.onabort = () => reject(explain(tx.error));
    const entries = tx.objectStore("inbox");
    const found = entries.get(seq);
    found.onsuccess = () => {
      if (found.result) entries.put({ ...found.result, refused: reason });
    };
  });
}

/**
 * Read one record.
 * @param {string} name
 * @param {string} key
 */
export async function get(name, key) {
  const db = await database();
  return new Promise((resolve, reject) => {
    const request = db.transaction(name, "readonly").objectStore(name).get(key);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * Read all records of one store.
 * @param {string} name
 * @returns {Promise<any[]>}
 */
export async function getAll(name) {
  const db = await database();
  return new Promise((resolve, reject) => {
    const request = db.transaction(name, "readonly").objectStore(name).getAll();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** @param {DOMException | null} error */
function explain(error) {
  if (error?.name === "QuotaExceededError") {
    return new Error("The device is out of storage space, so nothing was saved. Free some space and try again.");
  }
  return new Error(`Could not save: ${error?.message ?? "the browser refused the write"}.`);
}
