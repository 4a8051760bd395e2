// @ts-check
/**
 * All of IndexedDB: open and migrate by version, read everything as one batch, and commit
 * changes in one transaction that resolves only when the browser says it is on disk.
 * Used by the page (captures) and by the engine worker (commands); the record shapes are
 * owned by Python (docs/engine-api.md).
 */

export const DB_NAME = "followthrough";

/** Stores whose records are keyed by `id`, in the order the engine loads them. */
export const RECORD_STORES = [
  "people", "events", "introductions", "interactions", "opportunities", "meta",
];
/** Every store the engine reads; `decisions` is keyed by follow-up key. */
export const ENGINE_STORES = [...RECORD_STORES, "decisions"];

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

/**
 * Write `put` and `delete` (both `{store: [...]}`) in one transaction; resolves on
 * `oncomplete` with strict durability, so "saved" means on disk.
 * @param {{put?: Record<string, any[]>, delete?: Record<string, string[]>}} change
 * @param {IDBDatabase} [db]
 */
export async function commit(change, db) {
  db = db ?? (await database());
  const put = change.put ?? {};
  const del = change.delete ?? {};
  const names = [...new Set([...Object.keys(put), ...Object.keys(del)])];
  if (names.length === 0) return;
  await new Promise((resolve, reject) => {
    const tx = db.transaction(names, "readwrite", { durability: "strict" });
    tx.oncomplete = () => resolve(undefined);
    tx.onabort = () => reject(explain(tx.error));
    try {
      for (const [name, records] of Object.entries(put)) {
        const store = tx.objectStore(name);
        for (const record of records) store.put(record);
      }
      for (const [name, ids] of Object.entries(del)) {
        const store = tx.objectStore(name);
        for (const id of ids) store.delete(id);
      }
    } catch (error) {
      // A bad record throws before the transaction knows: abort, so nothing is half-written.
      tx.abort();
      reject(new Error(`Could not save: ${error instanceof Error ? error.message : error}.`));
    }
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
