// @ts-check
/**
 * All of IndexedDB: open and migrate by version, read everything as one batch, and commit
 * changes in one transaction that resolves only when the browser says it is on disk.
 * Records are written by the engine worker (an answer's changes); the page writes only the
 * shell's own stores (drafts, the inbox, meta `backup`). The record shapes are owned by Python
 * (docs/engine-api.md).
 *
 * Every write of a synced record also stamps the fields it changed with a hybrid logical
 * clock, by the engine (op `stamp`), and queues the record in the sync outbox, in the same
 * transaction (SYNC-DESIGN §6.2): an edit is never on disk without being on its way to the
 * other devices. A synced write without the engine's stamper is refused, never written unstamped.
 */

import { SYNC_KEY_OF, isSynced, stampWrites } from "./sync-store.js";

export * from "./sync-store.js";
export * from "./sync-apply.js";

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
 * @returns {Promise<Record<string, StoredRecord[]>>}
 */
export async function loadAll(db) {
  db = db ?? (await database());
  const tx = db.transaction(ENGINE_STORES, "readonly");
  /** @type {Record<string, StoredRecord[]>} */
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
 * The engine worker passes `stamp` (the engine's `stamp` op, called synchronously inside the
 * transaction); a write of synced records without it is refused (`NotStamped`). `relaxed`
 * durability is for the shell's own notes (a half-typed form): done sooner, so a reload right
 * after a keystroke still finds it; records always wait until they are on disk.
 * @param {import("./types.js").Change} change
 * @param {IDBDatabase} [db]
 * @param {{inbox?: number, stamp?: import("./sync-store.js").Stamper, durability?: IDBTransactionDurability}} [options]
 */
export async function commit(change, db, { inbox, stamp, durability = "strict" } = {}) {
  db = db ?? (await database());
  const put = change.put ?? {};
  const del = change.delete ?? {};
  const names = [...new Set([...Object.keys(put), ...Object.keys(del)])];
  if (names.length === 0 && inbox === undefined) return;
  const synced = names.some((name) => name in SYNC_KEY_OF);
  const writes = syncedWrites(put, del, change.erase ?? {});
  if (writes.length && !stamp) {
    throw new NotStamped("Records are saved by the engine, which stamps them for sync: this write has no stamper.");
  }
  const scope = [...new Set([...names, ...(synced ? SYNC_STORES : []), ...(inbox === undefined ? [] : ["inbox"])])];
  await new Promise((resolve, reject) => {
    const tx = db.transaction(scope, "readwrite", { durability: synced ? "strict" : durability });
    let gone = false;
    /** @type {unknown} */
    let stampError = null;
    tx.oncomplete = () => resolve(undefined);
    tx.onabort = () => {
      if (gone) reject(new AlreadyReplayed("Another tab saved this change."));
      else if (stampError) reject(new Error(`Could not save: ${stampError instanceof Error ? stampError.message : stampError}.`));
      else reject(explain(tx.error));
    };
    try {
      if (inbox !== undefined) {
        const entries = tx.objectStore("inbox");
        const found = entries.get(inbox);
        found.onsuccess = () => {
          if (found.result) entries.delete(inbox);
          else { gone = true; tx.abort(); }
        };
      }
      for (const [name, records] of Object.entries(put)) {
        const store = tx.objectStore(name);
        for (const record of records) store.put(record);
      }
      for (const [name, ids] of Object.entries(del)) {
        const store = tx.objectStore(name);
        for (const id of ids) store.delete(id);
      }
      if (writes.length && stamp) stampWrites(tx, writes, stamp, (error) => { stampError = error; tx.abort(); });
    } catch (error) {
      // A bad record throws before the transaction knows: abort, so nothing is half-written.
      tx.abort();
      reject(new Error(`Could not save: ${error instanceof Error ? error.message : error}.`));
    }
  });
  if (synced) announce({ type: "outbox" });
}

/** A write of synced records without the engine's stamper: refused, nothing written. */
export class NotStamped extends Error {}

/**
 * The synced records a change writes or deletes (the ones stamped and queued for sync).
 * @param {NonNullable<import("./types.js").Change["put"]>} put
 * @param {NonNullable<import("./types.js").Change["delete"]>} del
 * @param {NonNullable<import("./types.js").Change["erase"]>} erase deletes that wipe the record everywhere
 * @returns {Array<{store: string, key: string, record: StoredRecord | null, erase?: boolean}>}
 */
function syncedWrites(put, del, erase) {
  const writes = [];
  for (const [name, records] of Object.entries(put)) {
    for (const record of records) {
      const key = record?.[SYNC_KEY_OF[/** @type {keyof typeof SYNC_KEY_OF} */ (name)]];
      // isSynced passes only a non-empty string key.
      if (isSynced(name, key)) writes.push({ store: name, key: /** @type {string} */ (key), record });
    }
  }
  for (const [name, ids] of Object.entries(del)) {
    const wiped = new Set(erase[name] ?? []);
    for (const id of ids) {
      if (isSynced(name, id)) writes.push({ store: name, key: id, record: null, ...(wiped.has(id) ? { erase: true } : {}) });
    }
  }
  return writes;
}

/** @type {BroadcastChannel | null} */
let channel = null;
/** Tell sync (in any tab, page or worker) that something changed. @param {{type: string}} message */
export function announce(message) {
  try {
    channel ??= new BroadcastChannel("followthrough-sync");
    channel.postMessage(message);
  } catch {
    // No BroadcastChannel: the next scheduled sync picks the change up.
  }
}

// --- The morning digest's schedule and this device's id (meta records, never synced) ------

/**
 * This device's id, made once and kept in meta `device` (never synced): reminder settings name
 * the devices that stay quiet by it.
 * @returns {Promise<string>}
 */
export async function deviceId() {
  const db = await database();
  return new Promise((resolve, reject) => {
    const tx = db.transaction("meta", "readwrite");
    const meta = tx.objectStore("meta");
    const found = meta.get("device");
    /** @type {string} */
    let id = "";
    found.onsuccess = () => {
      id = typeof found.result?.device === "string" ? found.result.device : "";
      if (!id) {
        id = crypto.randomUUID();
        meta.put({ id: "device", device: id });
      }
    };
    tx.oncomplete = () => resolve(id);
    tx.onabort = () => reject(explain(tx.error));
  });
}

/**
 * Keep the engine's `schedule` answer as meta `schedule` (never synced), for the service worker
 * to show each morning's digest without the engine (sw/reminders.worker.js).
 * @param {Record<string, unknown>} schedule
 */
export async function putSchedule(schedule) {
  const db = await database();
  // Its own transaction, not `commit`: a shell record needs no sync stores, and must not wake sync.
  await new Promise((resolve, reject) => {
    const tx = db.transaction("meta", "readwrite", { durability: "relaxed" });
    tx.oncomplete = () => resolve(undefined);
    tx.onabort = () => reject(explain(tx.error));
    tx.objectStore("meta").put({ ...schedule, id: "schedule" });
  });
}

// --- The inbox: commands made before the engine was up ---------------------------------------

/**
 * @typedef {import("./types.js").InboxEntry} InboxEntry
 * @typedef {import("./types.js").StoredRecord} StoredRecord
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
 * Read one record (undefined when there is none).
 * @param {string} name
 * @param {string} key
 * @returns {Promise<unknown>}
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
 * Read all records of one store. `T`: that store's record (the caller names it).
 * @template [T=StoredRecord]
 * @param {string} name
 * @returns {Promise<T[]>}
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
