// @ts-check
/**
 * The sync stores' side of IndexedDB (store.js's sibling; together they are every transaction
 * the app makes): a local write stamped by the engine (op `stamp`) and queued for sync (inside
 * store.js `commit`'s transaction), and the sync loop's bookkeeping: its meta
 * records, the outbox batch, acknowledgements, a reset cursor, set-aside records, and a pulled
 * page merged and written in one transaction. Each function takes the open database; the
 * engine worker calls them (sync's `sync_store` and `sync_apply` ops), never a screen.
 */

/** This worker's node id: 64 random bits, so two writers never share a timestamp. */
export const NODE = Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, "0")).join("");
/** No clock yet: the engine starts one (followup/hlc.py); any real clock sorts after it. */
export const NO_CLOCK = "";

/**
 * Sync's own stores: each record's merged field map with clocks (`sync_records`, keyed
 * `store/key`), the edits not yet acknowledged by the server (`sync_outbox`), the clock, cursor,
 * account and batch in flight (`sync_meta`), and records that could not be read (`sync_rejects`).
 */
export const SYNC_STORES = ["sync_records", "sync_outbox", "sync_meta"];
/**
 * Key field of each synced store; in `meta` only SYNCED_META ids travel. The shell's IndexedDB
 * schema: a write must open the sync stores before the engine stamps it. It is held to
 * followup/sync.py's KEY_OF and SYNCED_META by tests/build/test_shell_tables.py.
 */
export const SYNC_KEY_OF = {
  people: "id", events: "id", introductions: "id", interactions: "id", opportunities: "id",
  decisions: "key", meta: "id",
};
const SYNCED_META = new Set(["settings", "profile", "push_devices"]);

/**
 * Whether a record of this store and key travels between devices.
 * @param {string} store @param {unknown} key
 */
export function isSynced(store, key) {
  return store in SYNC_KEY_OF && typeof key === "string" && key !== ""
    && (store !== "meta" || SYNCED_META.has(key));
}

/**
 * The engine's `stamp` op (followup/sync_ops.py), called synchronously.
 * @typedef {(request: {now: string, node: string, clock: string, known: Record<string, {f: any, pending: Record<string, string>}>, writes: Array<{store: string, key: string, record: any, erase?: boolean}>}) => any} Stamper
 */

/**
 * Stamp and queue synced writes inside the caller's transaction: read the clock and each
 * record's sync state, have the engine stamp them (`stamp`, followup/sync_ops.py), then write
 * them back (all on IndexedDB callbacks, so the transaction stays open). There is no other
 * stamper: the engine's sync rules exist only in the engine.
 * @param {IDBTransaction} tx @param {Array<{store: string, key: string, record: any, erase?: boolean}>} writes
 * @param {Stamper} stamp @param {(error: unknown) => void} [fail] called when `stamp` refuses
 */
export function stampWrites(tx, writes, stamp, fail = () => tx.abort()) {
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
  const inEngine = () => {
    const offset = clockRecord?.offset_ms ?? 0;
    /** @type {Record<string, {f: any, pending: Record<string, string>}>} */
    const known = {};
    for (const key of keys) {
      if (found.has(key) || queued.has(key)) known[key] = { f: found.get(key)?.f ?? null, pending: queued.get(key)?.pending ?? {} };
    }
    const answer = stamp({
      now: new Date(Date.now() + offset).toISOString(), node: NODE, clock: clockRecord?.last ?? NO_CLOCK, known, writes,
    });
    if (!answer.ok) throw new Error(answer.message);
    for (const entry of answer.stamped) {
      replicas.put({ key: entry.key, store: entry.store, id: entry.id, f: entry.f, rev: (found.get(entry.key)?.rev ?? 0) + 1 });
      outbox.put({ key: entry.key, pending: entry.pending });
    }
    meta.put({ ...(clockRecord ?? { offset_ms: 0 }), id: "clock", last: answer.clock });
  };
  const done = () => {
    if (--waiting > 0) return;
    try {
      inEngine();
    } catch (error) {
      fail(error);
    }
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

// --- Sync bookkeeping ---------------------------------------------------------------------------

/** @param {IDBRequest} request @returns {Promise<any>} */
function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** What the Sync screen says when sync's own write meets a full disk. */
export const DEVICE_FULL = "The device is out of storage space, so sync could not save what it received. Free some space; nothing on this device was lost, and sync will try again.";

/** @param {IDBTransaction} tx */
export function finished(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve(undefined);
    tx.onabort = () => {
      const error = tx.error;
      // Nothing of the transaction was written; the words say why, plainly.
      reject(error?.name === "QuotaExceededError" ? Object.assign(new Error(DEVICE_FULL), { code: "device-full" }) : error ?? new Error("aborted"));
    };
    tx.onerror = () => {};
  });
}

/** One `sync_meta` record (account, status, cursor, clock, batch). @param {IDBDatabase} db @param {string} id */
export function readMeta(db, id) {
  return done(db.transaction("sync_meta").objectStore("sync_meta").get(id));
}

/**
 * Change one `sync_meta` record in one read-modify-write transaction: `fields` over what is
 * there (`null` deletes it). Resolves with the record written.
 * @param {IDBDatabase} db @param {string} id @param {Record<string, any> | null} fields
 * @param {{ifExists?: boolean}} [options] change nothing when the record is absent
 */
export async function updateMeta(db, id, fields, { ifExists = false } = {}) {
  const tx = db.transaction("sync_meta", "readwrite", { durability: "strict" });
  const result = finished(tx);
  const meta = tx.objectStore("sync_meta");
  const current = await done(meta.get(id));
  let written = null;
  if (fields === null) meta.delete(id);
  else if (current || !ifExists) {
    written = { ...current, ...fields, id };
    meta.put(written);
  }
  await result;
  return written;
}

/**
 * Everything the status line shows, read at once.
 * @param {IDBDatabase} db
 */
export async function readStatus(db) {
  const tx = db.transaction(["sync_meta", "sync_outbox", "sync_rejects"]);
  const meta = tx.objectStore("sync_meta");
  const [account, status, waiting, rejected, heads] = await Promise.all([
    done(meta.get("account")), done(meta.get("status")), done(tx.objectStore("sync_outbox").count()),
    done(tx.objectStore("sync_rejects").count()), done(meta.get("heads")),
  ]);
  return { account: account ?? null, status: status ?? null, waiting, rejected, heads: heads ?? null };
}

/**
 * Correct new clocks' physical time by the server's (only when it is far off, §6.2).
 * @param {IDBDatabase} db @param {number} offset 0 when this device's clock is right
 */
export async function setClockOffset(db, offset) {
  const tx = db.transaction("sync_meta", "readwrite", { durability: "strict" });
  const result = finished(tx);
  const meta = tx.objectStore("sync_meta");
  const clock = await done(meta.get("clock"));
  if ((clock?.offset_ms ?? 0) !== offset && (offset || clock?.offset_ms)) {
    meta.put({ last: NO_CLOCK, ...clock, id: "clock", offset_ms: offset });
  }
  await result;
}

/**
 * The server's log is not the one the cursor came from: start over at 0 and queue every
 * local record again. Nothing local is deleted (absence is not deletion).
 * @param {IDBDatabase} db @param {string | null} logId
 */
export async function resetCursor(db, logId) {
  const tx = db.transaction(SYNC_STORES, "readwrite", { durability: "strict" });
  const result = finished(tx);
  const all = await done(tx.objectStore("sync_records").getAllKeys());
  const outbox = tx.objectStore("sync_outbox");
  const queued = new Set(await done(outbox.getAllKeys()));
  // Heads are pushed by their own device only, each new one with its next batch (sync/heads.js).
  for (const key of all) if (!queued.has(key) && !String(key).startsWith("heads/")) outbox.put({ key, pending: {} });
  tx.objectStore("sync_meta").put({ id: "cursor", since: 0, log_id: logId });
  tx.objectStore("sync_meta").delete("batch");
  await result;
}

/**
 * Queue every synced record to be sent again, keeping the cursor: after a data-key rotation
 * each record is re-encrypted with the new key, and the server's older copies are replaced.
 * @param {IDBDatabase} db
 */
export async function requeueAll(db) {
  const tx = db.transaction(SYNC_STORES, "readwrite", { durability: "strict" });
  const result = finished(tx);
  const all = await done(tx.objectStore("sync_records").getAllKeys());
  const outbox = tx.objectStore("sync_outbox");
  const queued = new Set(await done(outbox.getAllKeys()));
  for (const key of all) if (!queued.has(key)) outbox.put({ key, pending: {} });
  await result;
  return all.length;
}

/**
 * The next records to push: up to `limit` outbox entries with their merged states, and the
 * cursor they are based on.
 * @param {IDBDatabase} db @param {number} limit
 */
export async function readOutbox(db, limit) {
  const tx = db.transaction(SYNC_STORES, "readonly");
  const entries = await done(tx.objectStore("sync_outbox").getAll(null, limit));
  const [cursor, replicas] = await Promise.all([
    done(tx.objectStore("sync_meta").get("cursor")),
    Promise.all(entries.map((/** @type {any} */ e) => done(tx.objectStore("sync_records").get(e.key)))),
  ]);
  // `f` as canonical JSON text, the plaintext's `f` as is (older entries hold an object).
  const texts = replicas.map((r) => (r ? { ...r, f: typeof r.f === "string" ? r.f : canonical(r.f) } : null));
  return { entries, replicas: texts, cursor: cursor ?? null };
}

/**
 * Store a batch (before anything is sent, so a retry resends it as is) and drop outbox keys
 * that have no record state.
 * @param {IDBDatabase} db @param {Record<string, any> | null} batch @param {string[]} orphans
 */
export async function saveBatch(db, batch, orphans) {
  const tx = db.transaction(["sync_meta", "sync_outbox"], "readwrite", { durability: "strict" });
  const result = finished(tx);
  for (const key of orphans) tx.objectStore("sync_outbox").delete(key);
  if (batch) tx.objectStore("sync_meta").put(batch);
  await result;
}

/**
 * A 2xx for a batch: fields sent unchanged since are no longer pending; records edited again
 * stay queued. Resolves whether the cursor could skip our own new rows.
 * @param {IDBDatabase} db @param {any} batch @param {{first_seq: number, last_seq: number, replayed?: boolean}} answer
 */
export async function acknowledge(db, batch, answer) {
  const tx = db.transaction(SYNC_STORES, "readwrite", { durability: "strict" });
  const result = finished(tx);
  const outbox = tx.objectStore("sync_outbox");
  const meta = tx.objectStore("sync_meta");
  let fastForward = false;
  for (const [key, fields] of Object.entries(/** @type {Record<string, Record<string, string>>} */ (batch.sent))) {
    const [entry, replica] = await Promise.all([done(outbox.get(key)), done(tx.objectStore("sync_records").get(key))]);
    if (!entry) continue;
    const current = fieldsOf(replica);
    /** @type {Record<string, string>} */
    const pending = {};
    for (const [field, base] of Object.entries(/** @type {Record<string, string>} */ (entry.pending ?? {}))) {
      if (current[field]?.[1] !== fields[field]) pending[field] = fields[field] ?? base;
    }
    // Fields edited again since they were encrypted stay pending, based on what was sent.
    if (Object.keys(pending).length) outbox.put({ key, pending });
    else outbox.delete(key);
  }
  const cursor = await done(meta.get("cursor"));
  if (!answer.replayed && cursor && cursor.since === batch.since && answer.first_seq === cursor.since + 1) {
    // Nothing came between our cursor and our batch: our own rows need not be pulled back.
    meta.put({ ...cursor, since: answer.last_seq });
    fastForward = true;
  }
  meta.delete("batch");
  await result;
  return fastForward;
}

/** Forget the account on this device; its data and unsent changes stay. @param {IDBDatabase} db */
export async function forgetAccount(db) {
  const tx = db.transaction("sync_meta", "readwrite", { durability: "strict" });
  const result = finished(tx);
  for (const id of ["account", "cursor", "batch", "status"]) tx.objectStore("sync_meta").delete(id);
  await result;
}

/**
 * Records set aside with what a retry needs: an envelope (to decrypt again after a key change)
 * or opened states (to merge again after an app update).
 * @param {IDBDatabase} db
 */
export async function readRejects(db) {
  return (await done(db.transaction("sync_rejects").objectStore("sync_rejects").getAll())).filter((/** @type {any} */ r) => r.envelope || r.states);
}

/**
 * The records set aside, for the Sync screen: what each is and why, without its envelope.
 * @param {IDBDatabase} db
 * @returns {Promise<import("./types.js").SyncReject[]>}
 */
export async function listRejects(db) {
  const all = await done(db.transaction("sync_rejects").objectStore("sync_rejects").getAll());
  return all.map((/** @type {any} */ r) => ({
    key: String(r.key), seq: Number(r.seq ?? 0), error: String(r.error ?? "bad-record"),
    message: String(r.message ?? ""), retry: Boolean(r.envelope || r.states),
  }));
}

/** @param {IDBDatabase} db @param {string[]} keys */
export async function dropRejects(db, keys) {
  const tx = db.transaction("sync_rejects", "readwrite");
  const result = finished(tx);
  for (const key of keys) tx.objectStore("sync_rejects").delete(key);
  await result;
}

// --- Device heads (sync/heads.js, followup/heads.py) --------------------------------------------

/**
 * Every device's head held here (`sync_records` under `heads/`), and the local clock of each
 * field their recent edits name: what the engine's `heads_check` compares.
 * @param {IDBDatabase} db
 * @returns {Promise<{heads: Array<{i: string, f: any}>, stamps: Record<string, Record<string, string>>}>}
 */
export async function readHeads(db) {
  const tx = db.transaction("sync_records");
  const records = tx.objectStore("sync_records");
  const found = await done(records.getAll(IDBKeyRange.bound("heads/", "heads/\uffff")));
  const heads = found.map((/** @type {any} */ r) => ({ i: String(r.id), f: fieldsOf(r) }));
  const keys = new Set();
  for (const head of heads) {
    const recent = head.f.recent?.[0];
    if (Array.isArray(recent)) for (const entry of recent) if (Array.isArray(entry)) keys.add(String(entry[0]));
  }
  /** @type {Record<string, Record<string, string>>} */
  const stamps = {};
  await Promise.all([...keys].map(async (key) => {
    const replica = await done(records.get(key));
    if (replica) stamps[key] = Object.fromEntries(Object.entries(fieldsOf(replica)).map(([k, v]) => [k, v[1]]));
  }));
  return { heads, stamps };
}

/**
 * Keep this device's new head (before the batch carrying it is sent).
 * @param {IDBDatabase} db @param {{key: string, id: string, f: any}} head
 */
export async function putHead(db, head) {
  const tx = db.transaction("sync_records", "readwrite", { durability: "strict" });
  const result = finished(tx);
  const records = tx.objectStore("sync_records");
  const old = await done(records.get(head.key));
  records.put({ key: head.key, store: "heads", id: head.id, f: canonical(head.f), rev: (old?.rev ?? 0) + 1 });
  await result;
}

// --- Encoding ---------------------------------------------------------------------------------

/**
 * JSON text with object keys sorted, so equal values are equal text: how a `sync_records`
 * entry's field map is stored (the plaintext's `f` as is). Encoding only, no sync rule.
 * @param {any} value @returns {string}
 */
export function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * A `sync_records` entry's field map. It is stored as canonical JSON text: IndexedDB writes a
 * string about twice as fast as the nested arrays (older entries hold an object).
 * @param {{f?: string | Record<string, [any, string]>} | undefined} replica
 * @returns {Record<string, [any, string]>}
 */
export function fieldsOf(replica) {
  const f = replica?.f;
  if (typeof f === "string") return JSON.parse(f);
  return { ...(f ?? {}) };
}
