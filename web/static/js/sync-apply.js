// @ts-check
/**
 * A pulled page merged and written (sync's `sync_apply`, run by the engine worker): the local
 * states read, the engine's `merge` called, and what it answers written with the page's cursor,
 * all in one IndexedDB transaction, so that a pull cut off anywhere (tab closed, crash) resumes
 * from the last page written and never merges a page twice.
 */
import { NODE, NO_CLOCK, SYNC_STORES, canonical, fieldsOf, finished } from "./sync-store.js";

/** An outbox this small is read in one request when a page is merged (applyPage). */
const OUTBOX_READ_WHOLE = 1000;

/**
 * A page with at least this many records finds which of them this device holds from the keys of
 * `sync_records` kept here (`KNOWN`), not by one read per record (27,000 on a first pull).
 */
const KEYS_FROM_MEMORY = 50;

/**
 * The keys of `sync_records` as last read or written by applyPage, per database, valid while the
 * clock record still holds what applyPage wrote with them (its `keys_token` and `last`). Entries
 * of that store are never deleted, and every other writer of them moves the clock (a stamped
 * write always advances `last`), except the heads (`heads/…`, sync-store.js putHead), which are
 * always read. Otherwise the keys are read again, in one request.
 * @type {WeakMap<IDBDatabase, {token: string, last: string | null, keys: Set<string>}>}
 */
const KNOWN = new WeakMap();

/** @returns {string} 64 random bits in hex */
function newToken() {
  return Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Merge a decrypted page into the local states and write the result, its cursor and its
 * set-aside records, all in one transaction: the local states are read, `merge` (the engine,
 * called synchronously, so the transaction stays open) merges them, and what it answers is
 * written. Nothing can change between the read and the write, so a page never merges twice.
 * @param {IDBDatabase} db
 * @param {{ok: Array<{seq: number, key: string, state: any, rid?: string}>, rejected: any[]}} page
 * @param {{id: string, since: number, log_id: string | null}} cursor
 * @param {(request: Record<string, any>) => any} merge the engine's `merge` op
 * @param {string[]} recordStores every store a merge may write
 * @returns {Promise<{timings: {read: number, merge: number, write: number}, changed: number, conflicts: number, drifting: boolean, rejected: string[], put: Record<string, any[]>, delete: Record<string, string[]>}>}
 */
export function applyPage(db, page, cursor, merge, recordStores) {
  /** @type {Map<string, any[]>} */
  const byKey = new Map();
  /** @type {Map<string, number>} */
  const seqOf = new Map();
  for (const { key, state, seq } of page.ok) {
    byKey.set(key, [...(byKey.get(key) ?? []), state]);
    seqOf.set(key, seq);
  }
  const keys = [...byKey.keys()];
  // Relaxed durability: a page lost to a power cut rolls back together with its cursor and is
  // simply pulled again, while user edits (store.js `commit`) keep strict durability.
  const tx = db.transaction([...SYNC_STORES, "sync_rejects", ...recordStores], "readwrite", { durability: "relaxed" });
  const result = finished(tx);
  const replicas = tx.objectStore("sync_records");
  const outbox = tx.objectStore("sync_outbox");
  const meta = tx.objectStore("sync_meta");
  /** @type {any} */
  let answer = { records: [], put: {}, delete: {}, rejected: [], drifting: false };
  /** @type {unknown} */
  let failure = null;
  const local = new Map();
  const queued = new Map();
  let clock = /** @type {any} */ (null);
  /** Keys of the records set aside now (a few hundred at most, bounds.js). */
  const setAside = new Set();
  let waiting = 0;
  /** The clock's `last` as this page writes it. @type {string | null} */
  let written = null;
  // Where a page's time goes (benchmarks): reading the local states, the engine's merge, and
  // the writes until the transaction commits.
  const t0 = performance.now();
  const timings = { read: 0, merge: 0, write: 0 };
  const write = () => {
    const t1 = performance.now();
    timings.read = t1 - t0;
    if (keys.length) {
      answer = merge({
        now: new Date(Date.now() + (clock?.offset_ms ?? 0)).toISOString(),
        node: NODE,
        clock: clock?.last ?? "",
        records: keys.map((key) => ({
          key,
          local: local.has(key) ? toState(local.get(key)) : null,
          pending: queued.get(key)?.pending ?? {},
          remote: byKey.get(key),
        })),
      });
      if (!answer.ok) {
        failure = answer;
        tx.abort();
        return;
      }
    }
    timings.merge = performance.now() - t1;
    for (const r of answer.records) {
      if (r.changed) {
        // A new record's state is the remote state itself (the engine does not echo it).
        const state = r.replica ?? byKey.get(r.key)?.[0];
        replicas.put({ key: r.key, store: state.t, id: state.i, f: canonical(state.f), rev: (local.get(r.key)?.rev ?? 0) + 1 });
      }
      // Merges never drop an outbox entry (only an acknowledged push does), but a conflict's
      // kept versions are a new edit to send.
      if (queued.has(r.key) || Object.keys(r.pending).length) outbox.put({ key: r.key, pending: r.pending });
    }
    for (const [name, records] of Object.entries(answer.put ?? {})) {
      for (const record of /** @type {any[]} */ (records)) tx.objectStore(name).put(record);
    }
    for (const [name, ids] of Object.entries(answer.delete ?? {})) {
      for (const id of /** @type {string[]} */ (ids)) tx.objectStore(name).delete(id);
    }
    // Set aside small: the key, the seq and why; an envelope only when a retry can use it
    // (one that could not be opened may open with a key learnt later).
    const rejects = tx.objectStore("sync_rejects");
    // A record that now opened is no longer set aside (a tampered copy was replaced).
    for (const item of page.ok) if (item.rid && setAside.has(item.rid)) rejects.delete(item.rid);
    for (const item of page.rejected) rejects.put(small(item));
    for (const r of answer.rejected ?? []) rejects.put(small({ ...r, seq: seqOf.get(r.key) ?? 0, merge: true, states: byKey.get(r.key) }));
    const last = [clock?.last ?? NO_CLOCK, answer.clock ?? NO_CLOCK].sort().at(-1);
    meta.put(known ? { offset_ms: 0, ...clock, id: "clock", last, keys_token: known.token } : { offset_ms: 0, ...clock, id: "clock", last });
    written = last;
    meta.put(cursor);
  };
  /** One read; the last one to answer runs `write`. @param {IDBRequest} request @param {(v: any) => void} keep */
  const ask = (request, keep) => {
    waiting += 1;
    request.onsuccess = () => {
      try {
        keep(request.result);
        if (--waiting > 0) return;
        write();
      } catch (error) {
        failure = error;
        tx.abort();
      }
    };
  };
  ask(tx.objectStore("sync_rejects").getAllKeys(), (found) => { for (const key of found) setAside.add(key); });
  /** @type {{token: string, last: string | null, keys: Set<string>} | null} */
  let known = null;
  /** Read the local state of each of the page's keys that `held` says may have one. @param {(key: string) => boolean} held */
  const readLocal = (held) => {
    for (const key of keys) if (held(key)) ask(replicas.get(key), (value) => { if (value) local.set(key, value); });
  };
  /** @param {string} key */
  const mayHold = (key) => key.startsWith("heads/") || Boolean(known?.keys.has(key));
  ask(meta.get("clock"), (value) => {
    clock = value ?? null;
    if (keys.length < KEYS_FROM_MEMORY) {
      // Later pulls are small: the keys are not kept in memory past a first pull.
      KNOWN.delete(db);
      readLocal(() => true);
      return;
    }
    const kept = KNOWN.get(db);
    if (kept && clock && clock.keys_token === kept.token && clock.last === kept.last) {
      known = kept;
      readLocal(mayHold);
    } else {
      ask(replicas.getAllKeys(), (found) => {
        known = { token: newToken(), last: null, keys: new Set(found.map(String)) };
        readLocal(mayHold);
      });
    }
  });
  // The outbox is read whole when it is small (nearly always: it empties at each push), in one
  // request instead of one per record of the page.
  ask(outbox.count(), (count) => {
    if (count <= OUTBOX_READ_WHOLE) {
      const wanted = new Set(keys);
      ask(outbox.getAll(), (entries) => { for (const e of entries) if (wanted.has(e.key)) queued.set(e.key, e); });
    } else {
      for (const key of keys) ask(outbox.get(key), (value) => { if (value) queued.set(key, value); });
    }
  });
  return result.then(
    () => {
      // Only once written: the keys kept must all be in the store.
      if (known) {
        for (const r of answer.records) if (r.changed) known.keys.add(String(r.key));
        KNOWN.set(db, { ...known, last: written });
      }
      return {
        timings: { ...timings, write: performance.now() - t0 - timings.read - timings.merge },
        changed: answer.records.filter((/** @type {any} */ r) => r.changed).length,
        conflicts: answer.records.filter((/** @type {any} */ r) => r.conflict).length,
        drifting: Boolean(answer.drifting),
        rejected: (answer.rejected ?? []).map((/** @type {any} */ r) => String(r.key)),
        put: answer.put ?? {},
        delete: answer.delete ?? {},
      };
    },
    (error) => { throw failure ?? error; },
  );
}

/** @param {any} replica a `sync_records` entry @returns the plaintext form followup/sync.py reads */
function toState(replica) {
  return { f: fieldsOf(replica), i: replica.id, t: replica.store, v: 1 };
}

/** The most a set-aside record keeps for a retry (an envelope is at most 64 KiB, in base64). */
const RETRY_LIMIT = 100_000;

/**
 * A set-aside record as stored: its key, seq, error code and a short message, and only what a
 * retry needs: the envelope of one that could not be opened (it may open with a key learnt
 * later), or the opened states of one the engine could not read (a newer app may).
 * @param {any} item
 */
function small(item) {
  const kept = {
    key: String(item.key), seq: Number(item.seq ?? 0), error: String(item.error ?? "bad-record"),
    message: String(item.message ?? "").slice(0, 300),
  };
  if (!item.merge) {
    // Only a record locked with a key this device lacks may open later: only its envelope is kept.
    const retryable = item.error === "unknown-key" && typeof item.envelope === "string" && item.envelope.length <= RETRY_LIMIT;
    return retryable ? { ...kept, envelope: item.envelope } : kept;
  }
  const states = Array.isArray(item.states) && JSON.stringify(item.states).length <= RETRY_LIMIT ? item.states : null;
  return states ? { ...kept, merge: true, states } : { ...kept, merge: true };
}
