// @ts-check
/**
 * The sync loop (SYNC-DESIGN §6.8, docs/sync-protocol.md): pull pages, decrypt them, merge them
 * through the engine (`{op: "merge"}`, followup/sync.py) and apply each page in one IndexedDB
 * transaction together with the cursor; then push the outbox in batches whose id is stored
 * before the first send and reused on every retry. One sync at a time across tabs (Web Locks);
 * runs on open, after edits (debounced), when the network returns, and on demand.
 */
import * as store from "./store.js";
import * as cc from "./crypto.js";

const LOCK = "followthrough-sync";
const CHANNEL = "followthrough-sync";
const EDIT_DEBOUNCE_MS = 1500;
const PERIODIC_MS = 5 * 60_000;
const PAGE_LIMIT = 500;
const PUSH_ITEMS = 500;
const PUSH_BYTES = 900_000; // under the server's 1 MiB body limit, with room for the JSON
const SKEW_WARNING_MS = 5 * 60_000;
const APPLY_TRIES = 5;
const QUICK_RETRIES = 3;

/** What the user reads for each error code; `retry` errors are tried again by themselves. */
const MESSAGES = {
  offline: "No connection to the sync server. Your changes are saved on this device and will sync when it is back.",
  "server-error": "The sync server is having trouble. Your changes are saved here; sync will try again.",
  "storage-unavailable": "The sync server's database is not answering. Your changes are saved here; sync will try again.",
  "rate-limited": "The sync server asked this device to slow down; sync will try again shortly.",
  "passphrase-changed": "Your passphrase was changed on another device. Enter the new passphrase to keep syncing; changes made here are kept.",
  "invalid-token": "This device was signed out of sync. Enter your passphrase to sign in again; changes made here are kept.",
  "bad-credentials": "That passphrase (or pairing code) is not right for this account.",
  "wrong-passphrase": "That is not the current passphrase.",
  "key-epoch-mismatch": "The passphrase was just changed on another device. Enter the new one to sign in, then change it again if you want.",
  "quota-exceeded": "Your sync space on the server is full, so new changes stay on this device.",
  "weak-kdf": "The sync server offered key settings weaker than this app accepts, so sync stopped to protect your passphrase.",
  tampered: "The sync server sent data that failed its integrity check. Nothing was changed on this device.",
  "engine-unavailable": "The follow-up engine is not running, so changes from other devices wait. Reopen the app to try again.",
  "engine-outdated": "This version of the app cannot merge synced changes yet. Update the app.",
  "account-exists": "That account id is taken; try again.",
  "record-too-large": "A record is larger than 64 KiB and cannot be synced. Shorten its notes.",
  "not-set-up": "Sync is not turned on on this device.",
};

/** A sync failure with a stable code and words for the user. */
export class SyncError extends Error {
  /** @param {string} code @param {string} [message] @param {{retry?: boolean, retryAfter?: number, status?: number}} [options] */
  constructor(code, message, { retry = false, retryAfter = 0, status = 0 } = {}) {
    super(message ?? MESSAGES[/** @type {keyof typeof MESSAGES} */ (code)] ?? `Sync failed (${code}).`);
    this.code = code;
    this.retry = retry;
    this.retryAfter = retryAfter;
    this.status = status;
  }
}

/** The default server: this origin's /api/. */
export function defaultServer() {
  return new URL("api/", location.href).href;
}

/** @param {string} server */
function normaliseServer(server) {
  const url = new URL(server.trim() || defaultServer(), location.href);
  if (!/^https?:$/.test(url.protocol)) throw new SyncError("bad-server", "The server address should start with https://.");
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url.href;
}

/**
 * The pairing text a second device needs: a link into this app that pre-fills the pairing form.
 * @param {{account_id: string, server: string}} account
 */
export async function pairingLink(account) {
  const code = await cc.toCode(cc.fromHex(account.account_id));
  const link = new URL(location.href);
  link.search = "";
  link.hash = `sync/pair/${encodeURIComponent(code)}/${encodeURIComponent(account.server)}`;
  return { code, link: link.href };
}

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @param {IDBRequest} request @returns {Promise<any>} */
function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** @param {IDBTransaction} tx */
function finished(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve(undefined);
    tx.onabort = () => reject(tx.error ?? new Error("aborted"));
    tx.onerror = () => {};
  });
}

export class Sync extends EventTarget {
  /** @param {{call: (request: any) => Promise<any>}} engine */
  constructor(engine) {
    super();
    this.engine = engine;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.timer = undefined;
    this.running = false;
    this.started = false;
    this.backoffMs = 0;
    /** @type {{code: string, message: string} | null} */
    this.error = null;
    /** @type {string | null} */
    this.warning = null;
    this.offline = typeof navigator !== "undefined" && navigator.onLine === false;
    /** Local fallback when Web Locks are missing: runs chain one after another in this tab. */
    this.chain = Promise.resolve();
    /** @type {BroadcastChannel | null} */
    this.channel = null;
    /** Records per pulled page (the server caps it at 500; tests use smaller pages). */
    this.pageLimit = PAGE_LIMIT;
    /** Milliseconds spent per stage in the current run (for benchmarks and the console). */
    /** @type {Record<string, number>} */
    this.timings = {};
  }

  /** @template T @param {string} stage @param {() => Promise<T>} fn @returns {Promise<T>} */
  async timed(stage, fn) {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      this.timings[stage] = (this.timings[stage] ?? 0) + performance.now() - t0;
    }
  }

  // --- Lifecycle -----------------------------------------------------------------------------------

  /** Sync now, whenever the network returns, after edits, and every few minutes. */
  start() {
    if (this.started) return;
    this.started = true;
    try {
      this.channel = new BroadcastChannel(CHANNEL);
      this.channel.onmessage = (event) => this.onMessage(event.data);
    } catch {
      this.channel = null;
    }
    addEventListener("online", () => { this.offline = false; this.backoffMs = 0; this.schedule(0); });
    addEventListener("offline", () => { this.offline = true; this.emit(); });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.schedule(0);
    });
    setInterval(() => { if (document.visibilityState === "visible") this.schedule(0); }, PERIODIC_MS);
    this.schedule(0);
  }

  /** @param {any} message */
  async onMessage(message) {
    if (message?.type === "outbox") {
      this.schedule(EDIT_DEBOUNCE_MS);
      this.emit();
    } else if (message?.type === "applied") {
      // Another tab wrote synced changes: this tab's engine rereads them.
      await this.engine.call({ op: "reload" });
      this.dispatchEvent(new CustomEvent("applied", { detail: message }));
      this.emit();
    } else if (message?.type === "account") {
      this.error = null;
      this.emit();
    }
  }

  /** Run a sync after `delay` ms (a pending one is replaced). @param {number} delay */
  schedule(delay) {
    clearTimeout(this.timer);
    // While the server is failing, edits do not bring the next try closer than the backoff.
    const wait = this.backoffMs ? Math.max(delay, this.backoffMs) : delay;
    this.timer = setTimeout(() => { this.syncNow({ reason: "scheduled" }).catch(() => {}); }, wait);
  }

  emit() {
    this.dispatchEvent(new CustomEvent("status"));
  }

  /** @template T @param {() => Promise<T>} fn @returns {Promise<T>} */
  withLock(fn) {
    if (typeof navigator !== "undefined" && navigator.locks?.request) {
      return navigator.locks.request(LOCK, fn);
    }
    const next = this.chain.then(fn, fn);
    this.chain = next.then(() => {}, () => {});
    return next;
  }

  // --- Status ----------------------------------------------------------------------------------------

  /** Everything the UI shows about sync. */
  async status() {
    const [account, meta, waiting] = await Promise.all([
      store.get("sync_meta", "account"), store.get("sync_meta", "status"), this.waiting(),
    ]);
    return {
      enabled: Boolean(account),
      state: account?.state ?? "off",
      server: account?.server ?? null,
      account_id: account?.account_id ?? null,
      can_show_kit: Boolean(account?.recovery_sealed),
      syncing: this.running,
      offline: this.offline,
      waiting,
      last_synced_at: meta?.last_synced_at ?? null,
      error: this.error ?? meta?.error ?? null,
      warning: this.warning,
    };
  }

  /** How many records wait to be sent. */
  async waiting() {
    const db = await store.database();
    return done(db.transaction("sync_outbox").objectStore("sync_outbox").count());
  }

  // --- Running -----------------------------------------------------------------------------------------

  /**
   * One full sync (pull, push, pull). Resolves with a summary; errors are kept in the status
   * and rethrown.
   * @param {{reason?: string}} [options]
   */
  async syncNow({ reason = "demand" } = {}) {
    clearTimeout(this.timer);
    const account = await store.get("sync_meta", "account");
    if (!account || account.state !== "ok") return { pulled: 0, pushed: 0, skipped: true };
    return this.withLock(async () => {
      this.running = true;
      this.timings = {};
      this.emit();
      const started = performance.now();
      try {
        const current = await store.get("sync_meta", "account");
        if (!current || current.state !== "ok") return { pulled: 0, pushed: 0, skipped: true };
        const keys = await this.keysOf(current);
        let pulled = await this.pullAll(current, keys);
        const { pushed, needPull } = await this.pushAll(current, keys);
        if (needPull) pulled += await this.pullAll(current, keys);
        this.error = null;
        this.backoffMs = 0;
        await this.saveStatus({ last_synced_at: new Date().toISOString(), error: null });
        const timings = Object.fromEntries(Object.entries(this.timings).map(([k, v]) => [k, Math.round(v)]));
        return { pulled, pushed, ms: performance.now() - started, reason, timings };
      } catch (error) {
        await this.fail(error);
        throw error;
      } finally {
        this.running = false;
        this.emit();
      }
    });
  }

  /** @param {unknown} error */
  async fail(error) {
    const problem = error instanceof SyncError ? error : new SyncError("internal", `Sync failed: ${error instanceof Error ? error.message : error}`);
    this.error = { code: problem.code, message: problem.message };
    if (problem.code === "offline") this.offline = true;
    if (problem.code === "passphrase-changed" || problem.code === "invalid-token") {
      const account = await store.get("sync_meta", "account");
      if (account) await store.commit({ put: { sync_meta: [{ ...account, state: problem.code, token: null }] } });
    }
    await this.saveStatus({ error: this.error });
    if (problem.retry) {
      this.backoffMs = Math.min(60_000, Math.max(1000, this.backoffMs * 2, problem.retryAfter * 1000));
      this.schedule(this.backoffMs * (0.8 + Math.random() * 0.4));
    }
  }

  /** @param {Record<string, any>} fields */
  async saveStatus(fields) {
    const current = (await store.get("sync_meta", "status")) ?? { id: "status" };
    await store.commit({ put: { sync_meta: [{ ...current, ...fields, id: "status" }] } });
  }

  /** @param {any} account */
  async keysOf(account) {
    /** @type {Map<number, CryptoKey>} */
    const deks = new Map();
    for (const entry of account.deks ?? []) deks.set(entry.key_id, entry.key);
    const keyId = Math.max(...deks.keys());
    const dek = deks.get(keyId);
    if (!dek) throw new SyncError("not-set-up", "This device has no data key; set sync up again.");
    return { deks, keyId, dek, accountId: cc.fromHex(account.account_id) };
  }

  // --- HTTP ----------------------------------------------------------------------------------------------

  /**
   * One request to the sync server; errors become SyncErrors with the protocol's codes.
   * @param {string} server @param {string} method @param {string} path
   * @param {{body?: any, token?: string | null}} [options]
   */
  async request(server, method, path, { body, token } = {}) {
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
      throw new SyncError("offline", undefined, { retry: true });
    }
    this.offline = false;
    const data = response.status === 204 ? {} : await response.json().catch(() => ({}));
    this.checkSkew(data.server_time ?? response.headers.get("date"), sent).catch(() => {});
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
   * @param {string | null | undefined} serverTime @param {number} sent
   */
  async checkSkew(serverTime, sent) {
    const server = serverTime ? Date.parse(serverTime) : NaN;
    if (Number.isNaN(server)) return;
    const offset = server - (sent + Date.now()) / 2;
    const skewed = Math.abs(offset) > SKEW_WARNING_MS;
    this.warning = skewed
      ? `This device's clock is about ${Math.round(Math.abs(offset) / 60_000)} minutes ${offset > 0 ? "behind" : "ahead"}. Sync still works; set the clock right when you can.`
      : null;
    const clock = await store.get("sync_meta", "clock");
    const wanted = skewed ? Math.round(offset) : 0;
    if ((clock?.offset_ms ?? 0) !== wanted && (skewed || clock?.offset_ms)) {
      await store.commit({ put: { sync_meta: [{ last: store.HLC_ZERO, ...clock, id: "clock", offset_ms: wanted }] } });
    }
  }

  /**
   * A request retried on network errors, 5xx and 429 with backoff (1 s, 2 s, 4 s, with jitter).
   * @param {() => Promise<any>} send
   */
  async retrying(send) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await send();
      } catch (error) {
        if (!(error instanceof SyncError) || !error.retry || attempt + 1 >= QUICK_RETRIES) throw error;
        await sleep(Math.max(error.retryAfter * 1000, 1000 * 2 ** attempt) * (0.8 + Math.random() * 0.4));
      }
    }
  }

  // --- Pull ------------------------------------------------------------------------------------------------

  /**
   * Pull every page after the cursor; each page is applied with its cursor in one transaction.
   * @param {any} account @param {Awaited<ReturnType<Sync["keysOf"]>>} keys
   */
  async pullAll(account, keys) {
    try {
      return await this.pullPages(account, keys);
    } catch (error) {
      // The engine may hold merges whose pages were not written: back to what is on disk.
      await this.engine.call({ op: "reload" });
      throw error;
    }
  }

  /** @param {any} account @param {Awaited<ReturnType<Sync["keysOf"]>>} keys */
  async pullPages(account, keys) {
    let total = 0;
    /** @type {Promise<unknown>} */
    let writing = Promise.resolve();
    /** @type {{merged: any, states: any, cursor: any} | null} */
    let previous = null;
    let cursor = (await store.get("sync_meta", "cursor")) ?? { id: "cursor", since: 0, log_id: null };
    let next = this.fetchPage(account, keys, cursor.since);
    for (;;) {
      let fetched;
      try {
        fetched = await next;
      } catch (error) {
        if (error instanceof SyncError && error.code === "cursor-ahead") {
          await writing;
          previous = await this.dropMerged(previous);
          await this.resetCursor(null);
          cursor = { id: "cursor", since: 0, log_id: null };
          next = this.fetchPage(account, keys, 0);
          continue;
        }
        throw error;
      }
      const { page, states } = fetched;
      if (cursor.log_id && page.log_id && page.log_id !== cursor.log_id) {
        // Another log (a reset or a new server): read it all and send everything again.
        await writing;
        previous = await this.dropMerged(previous);
        await this.resetCursor(page.log_id);
        cursor = { id: "cursor", since: 0, log_id: page.log_id };
        next = this.fetchPage(account, keys, 0);
        continue;
      }
      // A pipeline: while the previous page is written, this one is merged and the next one
      // fetched and decrypted. This page's local states are read before the previous write
      // starts (a read would wait for it); a record that write changed is noticed when this
      // page is written (its `rev` moved), and the page merges again.
      next = page.more ? this.fetchPage(account, keys, page.next_since) : Promise.resolve(null);
      next.catch(() => {});
      const pageCursor = { id: "cursor", since: page.next_since, log_id: page.log_id ?? cursor.log_id };
      cursor = pageCursor;
      const read = await this.readPage(states);
      if (previous) {
        const { merged, states: before, cursor: at } = previous;
        writing = this.commitPage(merged, before, at).then((applied) => applied ?? this.applyPage(before, at));
        writing.catch(() => {});
      }
      const merged = await this.mergePage(states, Promise.resolve(read));
      await writing;
      previous = { merged, states, cursor: pageCursor };
      total += states.ok.length;
      if (!page.more) {
        const applied = await this.commitPage(merged, states, pageCursor);
        if (!applied) await this.applyPage(states, pageCursor);
        return total;
      }
    }
  }

  /**
   * A merged page that will not be written (the log changed under it): the engine forgets it.
   * @param {unknown} previous @returns {Promise<null>}
   */
  async dropMerged(previous) {
    if (previous) await this.engine.call({ op: "reload" });
    return null;
  }

  /**
   * One page after `since`, fetched and decrypted (nothing is written).
   * @param {any} account @param {Awaited<ReturnType<Sync["keysOf"]>>} keys @param {number} since
   * @returns {Promise<any>}
   */
  async fetchPage(account, keys, since) {
    const page = await this.timed("fetch", () => this.retrying(() => this.request(
      account.server, "GET", `pull?since=${since}&limit=${this.pageLimit}`, { token: account.token },
    )));
    const states = await this.timed("decrypt", () => this.decryptPage(page.items ?? [], keys));
    return { page, states };
  }

  /**
   * The server's log is not the one the cursor came from: start over at 0 and queue every
   * local record again. Nothing local is deleted (absence is not deletion).
   * @param {string | null} logId
   */
  async resetCursor(logId) {
    const db = await store.database();
    const tx = db.transaction(["sync_records", "sync_outbox", "sync_meta"], "readwrite", { durability: "strict" });
    const all = await done(tx.objectStore("sync_records").getAllKeys());
    const outbox = tx.objectStore("sync_outbox");
    for (const key of all) {
      const existing = await done(outbox.get(key));
      if (!existing) outbox.put({ key, pending: {} });
    }
    tx.objectStore("sync_meta").put({ id: "cursor", since: 0, log_id: logId });
    tx.objectStore("sync_meta").delete("batch");
    await finished(tx);
  }

  /**
   * Decrypt and check a page; what fails is set aside, never applied.
   * @param {Array<{seq: number, record_id: string, envelope: string}>} items
   * @param {Awaited<ReturnType<Sync["keysOf"]>>} keys
   */
  async decryptPage(items, keys) {
    const decoder = new TextDecoder("utf-8", { fatal: true });
    /** @type {Array<{seq: number, key: string, state: any}>} */
    const ok = [];
    /** @type {Array<any>} */
    const rejected = [];
    await Promise.all(items.map(async (item) => {
      try {
        const recordId = cc.fromHex(item.record_id);
        const text = await cc.decryptRecord(keys.deks, keys.accountId, recordId, cc.fromBase64(item.envelope));
        const state = JSON.parse(decoder.decode(text));
        if (typeof state?.t !== "string" || typeof state?.i !== "string") throw new cc.CryptoError("bad-record", "A synced record lacks its type or id.");
        const expected = await cc.recordIdOf(keys.accountId, state.t, state.i);
        if (cc.toHex(expected) !== item.record_id) throw new cc.CryptoError("tampered", "A synced record was moved to another record's place.");
        ok.push({ seq: item.seq, key: `${state.t}/${state.i}`, state });
      } catch (error) {
        rejected.push({
          key: String(item.record_id), seq: item.seq, envelope: item.envelope,
          error: error instanceof cc.CryptoError ? error.code : "bad-record",
          message: error instanceof Error ? error.message : String(error),
        });
      }
    }));
    ok.sort((a, b) => a.seq - b.seq);
    return { ok, rejected };
  }

  /**
   * Merge a decrypted page through the engine and write the result, the cursor and the set-aside
   * records in one transaction. A local edit that slipped in between (its record's `rev`
   * moved) makes the page merge again.
   * @param {{ok: Array<{seq: number, key: string, state: any}>, rejected: any[]}} page
   * @param {{id: string, since: number, log_id: string | null}} cursor
   */
  async applyPage(page, cursor) {
    for (let attempt = 0; attempt < APPLY_TRIES; attempt++) {
      const applied = await this.commitPage(await this.mergePage(page), page, cursor);
      if (applied) return applied;
    }
    throw new SyncError("busy", "This device kept changing while sync was applying changes; sync will try again.", { retry: true });
  }

  /**
   * The local states of a page's records.
   * @param {{ok: Array<{seq: number, key: string, state: any}>, rejected: any[]}} page
   */
  async readPage(page) {
    /** @type {Map<string, any[]>} */
    const byKey = new Map();
    for (const { key, state } of page.ok) byKey.set(key, [...(byKey.get(key) ?? []), state]);
    const keys = [...byKey.keys()];
    const db = await store.database();
    const snapshot = await this.timed("read", () => this.readLocal(db, keys));
    return { db, snapshot, byKey, keys };
  }

  /**
   * Merge a page's remote states into the local ones (read by `readPage`) in the engine, which
   * takes the merged records at once. Nothing is written here.
   * @param {{ok: Array<{seq: number, key: string, state: any}>, rejected: any[]}} page
   * @param {ReturnType<Sync["readPage"]>} [read]
   */
  async mergePage(page, read = this.readPage(page)) {
    const { db, snapshot, byKey, keys } = await read;
    let answer = { records: [], put: {}, delete: {}, rejected: [], clock: snapshot.clock, conflicts: 0 };
    if (keys.length) {
      const response = await this.timed("merge", () => this.engine.call({
        op: "merge",
        now: new Date(Date.now() + (snapshot.offset ?? 0)).toISOString(),
        node: store.NODE,
        clock: snapshot.clock ?? "",
        records: keys.map((key) => ({
          key,
          local: snapshot.replicas.get(key) ? toState(snapshot.replicas.get(key)) : null,
          pending: snapshot.queued.get(key)?.pending ?? {},
          remote: byKey.get(key),
        })),
      }));
      if (!response.ok) {
        throw new SyncError(response.error === "unknown-op" ? "engine-outdated" : "engine-unavailable",
          response.error === "unknown-op" || response.error === "engine-unavailable" ? undefined : response.message);
      }
      answer = response;
    }
    return { db, snapshot, answer, byKey };
  }

  /**
   * Write a merged page with its cursor in one transaction. Resolves null when a local edit
   * came in since the page's states were read (the page must merge again).
   * @param {Awaited<ReturnType<Sync["mergePage"]>>} merged
   * @param {{ok: any[], rejected: any[]}} page
   * @param {{id: string, since: number, log_id: string | null}} cursor
   */
  async commitPage({ db, snapshot, answer, byKey }, page, cursor) {
    const applied = await this.timed("write", () => this.writePage(db, snapshot, answer, page.rejected, cursor, byKey)).catch(async (error) => {
      if (error?.name === "RetryError") return null;
      // The engine already holds the merge; put it back to what is on disk.
      await this.engine.call({ op: "reload" });
      throw error;
    });
    if (!applied) return null;
    if (applied.changed) {
      this.channel?.postMessage({ type: "applied", count: applied.changed });
      this.dispatchEvent(new CustomEvent("applied", { detail: { count: applied.changed } }));
    }
    if (answer.drifting) {
      this.warning = "Another device's clock (or this one's) is far ahead. Sync still works; check the clocks when you can.";
    }
    return applied;
  }

  /** @param {IDBDatabase} db @param {string[]} keys */
  async readLocal(db, keys) {
    const tx = db.transaction(["sync_records", "sync_outbox", "sync_meta"], "readonly");
    const replicas = new Map();
    const queued = new Map();
    // For a big page, one key listing per store and reads only for the records this device
    // has (on a first pull, almost none); for a small one, a read per key.
    const [clock, known, waiting] = await Promise.all([
      done(tx.objectStore("sync_meta").get("clock")),
      keyFilter(tx.objectStore("sync_records"), keys.length),
      keyFilter(tx.objectStore("sync_outbox"), keys.length),
    ]);
    await Promise.all(keys.map(async (key) => {
      const [replica, entry] = await Promise.all([
        known(key) ? done(tx.objectStore("sync_records").get(key)) : undefined,
        waiting(key) ? done(tx.objectStore("sync_outbox").get(key)) : undefined,
      ]);
      if (replica) replicas.set(key, replica);
      if (entry) queued.set(key, entry);
    }));
    return { replicas, queued, clock: clock?.last ?? null, offset: clock?.offset_ms ?? 0 };
  }

  /**
   * @param {IDBDatabase} db @param {Awaited<ReturnType<Sync["readLocal"]>>} snapshot
   * @param {any} answer @param {any[]} rejected @param {any} cursor
   * @param {Map<string, any[]>} remote the states sent to the merge, by key
   */
  async writePage(db, snapshot, answer, rejected, cursor, remote) {
    const recordStores = [...new Set([...Object.keys(answer.put ?? {}), ...Object.keys(answer.delete ?? {})])];
    // Relaxed durability: a page lost to a power cut rolls back together with its cursor and is
    // simply pulled again, while user edits (store.commit) keep strict durability.
    const tx = db.transaction([...store.SYNC_STORES, "sync_rejects", ...recordStores], "readwrite", { durability: "relaxed" });
    const result = finished(tx);
    const replicas = tx.objectStore("sync_records");
    const meta = tx.objectStore("sync_meta");
    let changed = 0;
    try {
      const known = await keyFilter(replicas, answer.records.length);
      const current = await Promise.all(answer.records.map((/** @type {any} */ r) =>
        (known(r.key) ? done(replicas.get(r.key)) : undefined)));
      const moved = answer.records.some((/** @type {any} */ r, /** @type {number} */ i) =>
        (current[i]?.rev ?? 0) !== (snapshot.replicas.get(r.key)?.rev ?? 0));
      if (moved) {
        tx.abort();
        await result.catch(() => {});
        const retry = new Error("a local edit came in; merging again");
        retry.name = "RetryError";
        throw retry;
      }
      const outbox = tx.objectStore("sync_outbox");
      answer.records.forEach((/** @type {any} */ r, /** @type {number} */ i) => {
        if (r.changed) {
          // A new record's state is the remote state itself (the engine does not echo it).
          const state = r.replica ?? remote.get(r.key)?.[0];
          replicas.put({ key: r.key, store: state.t, id: state.i, f: store.canonical(state.f), rev: (current[i]?.rev ?? 0) + 1 });
          changed++;
        }
        const had = snapshot.queued.has(r.key);
        // Merges never drop an outbox entry (only an acknowledged push does), but a conflict's
        // kept versions are a new edit to send.
        if (had || Object.keys(r.pending).length) outbox.put({ key: r.key, pending: r.pending });
      });
      for (const [name, records] of Object.entries(answer.put ?? {})) {
        for (const record of /** @type {any[]} */ (records)) tx.objectStore(name).put(record);
      }
      for (const [name, ids] of Object.entries(answer.delete ?? {})) {
        for (const id of /** @type {string[]} */ (ids)) tx.objectStore(name).delete(id);
      }
      const rejects = tx.objectStore("sync_rejects");
      for (const item of [...rejected, ...(answer.rejected ?? []).map((/** @type {any} */ r) => ({ ...r, merge: true }))]) rejects.put(item);
      const clock = await done(meta.get("clock"));
      const last = [clock?.last ?? store.HLC_ZERO, answer.clock ?? store.HLC_ZERO].sort().at(-1);
      meta.put({ offset_ms: 0, ...clock, id: "clock", last });
      meta.put(cursor);
    } catch (error) {
      if (/** @type {any} */ (error)?.name === "RetryError") throw error;
      try { tx.abort(); } catch { /* already finished */ }
      await result.catch(() => {});
      throw error;
    }
    await result;
    return { changed, conflicts: answer.records.filter((/** @type {any} */ r) => r.conflict).length };
  }

  // --- Push -------------------------------------------------------------------------------------------------

  /**
   * Push the outbox, batch by batch; a batch stored before it was sent is resent as is.
   * @param {any} account @param {Awaited<ReturnType<Sync["keysOf"]>>} keys
   */
  async pushAll(account, keys) {
    let pushed = 0;
    let needPull = false;
    for (;;) {
      let batch = await store.get("sync_meta", "batch");
      if (!batch) batch = await this.timed("encrypt", () => this.makeBatch(keys));
      if (!batch) return { pushed, needPull };
      const answer = await this.timed("push", () => this.retrying(() => this.request(account.server, "POST", "push", {
        token: account.token, body: { batch_id: batch.batch_id, items: batch.items },
      })));
      const fastForward = await this.acknowledge(batch, answer);
      if (!fastForward) needPull = true;
      pushed += batch.items.length;
    }
  }

  /**
   * Take up to 500 outbox records (their latest merged state), encrypt them and store the
   * batch with its id before anything is sent.
   * @param {Awaited<ReturnType<Sync["keysOf"]>>} keys
   */
  async makeBatch(keys) {
    const db = await store.database();
    const read = db.transaction(["sync_outbox", "sync_records", "sync_meta"], "readonly");
    const entries = await done(read.objectStore("sync_outbox").getAll(null, PUSH_ITEMS));
    if (!entries.length) return null;
    const cursor = await done(read.objectStore("sync_meta").get("cursor"));
    const replicas = await Promise.all(entries.map((/** @type {any} */ e) => done(read.objectStore("sync_records").get(e.key))));
    const encoder = new TextEncoder();
    const items = [];
    /** @type {Record<string, Record<string, string>>} */
    const sent = {};
    let bytes = 0;
    for (const replica of replicas) {
      if (!replica) continue;
      const fields = store.fieldsOf(replica);
      const plaintext = encoder.encode(
        `{"f":${typeof replica.f === "string" ? replica.f : store.canonical(fields)},"i":${JSON.stringify(replica.id)},"t":${JSON.stringify(replica.store)},"v":1}`,
      );
      const recordId = await cc.recordIdOf(keys.accountId, replica.store, replica.id);
      let envelope;
      try {
        envelope = cc.toBase64(await cc.encryptRecord(keys.dek, keys.keyId, keys.accountId, recordId, plaintext));
      } catch (error) {
        if (error instanceof cc.CryptoError && error.code === "record-too-large") {
          this.warning = MESSAGES["record-too-large"];
          continue;
        }
        throw error;
      }
      if (items.length && bytes + envelope.length + 120 > PUSH_BYTES) break;
      bytes += envelope.length + 120;
      items.push({ record_id: cc.toHex(recordId), based_on_seq: cursor?.since ?? 0, envelope });
      sent[replica.key] = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v[1]]));
    }
    // Outbox keys without a record state (none should exist) are dropped from the outbox.
    const orphans = entries.filter((/** @type {any} */ e, /** @type {number} */ i) => !replicas[i]).map((/** @type {any} */ e) => e.key);
    if (!items.length && !orphans.length) return null;
    const batch = {
      id: "batch",
      batch_id: cc.toHex(cc.randomBytes(16)),
      items,
      sent,
      since: cursor?.since ?? 0,
    };
    const tx = db.transaction(["sync_meta", "sync_outbox"], "readwrite", { durability: "strict" });
    for (const key of orphans) tx.objectStore("sync_outbox").delete(key);
    if (items.length) tx.objectStore("sync_meta").put(batch);
    await finished(tx);
    return items.length ? batch : this.makeBatch(keys);
  }

  /**
   * A 2xx for a batch: fields sent unchanged since are no longer pending; records edited again
   * stay queued. Returns whether the cursor could skip our own new rows.
   * @param {any} batch @param {{first_seq: number, last_seq: number, replayed?: boolean}} answer
   */
  async acknowledge(batch, answer) {
    const db = await store.database();
    const tx = db.transaction(["sync_meta", "sync_outbox", "sync_records"], "readwrite", { durability: "strict" });
    const outbox = tx.objectStore("sync_outbox");
    const meta = tx.objectStore("sync_meta");
    let fastForward = false;
    const doneTx = finished(tx);
    for (const [key, fields] of Object.entries(/** @type {Record<string, Record<string, string>>} */ (batch.sent))) {
      const [entry, replica] = await Promise.all([done(outbox.get(key)), done(tx.objectStore("sync_records").get(key))]);
      if (!entry) continue;
      const current = store.fieldsOf(replica);
      /** @type {Record<string, string>} */
      const pending = {};
      for (const [field, base] of Object.entries(/** @type {Record<string, string>} */ (entry.pending ?? {}))) {
        const now = current[field]?.[1];
        if (now !== fields[field]) pending[field] = fields[field] ?? base;
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
    await doneTx;
    return fastForward;
  }

  // --- Account ---------------------------------------------------------------------------------------------

  /**
   * Turn sync on: a new account, its keys, and a recovery kit to show once.
   * @param {{server?: string, passphrase: string, onStage?: (stage: string) => void}} options
   */
  async setup({ server = defaultServer(), passphrase, onStage = () => {} }) {
    const base = normaliseServer(server);
    const accountId = cc.randomBytes(16);
    const kdf = cc.newKdf();
    onStage("deriving");
    const { authKey, kek } = await cc.deriveLoginKeys(passphrase, accountId, kdf);
    onStage("keys");
    const keys = await cc.newDataKey(kek, accountId, 1);
    onStage("server");
    const answer = await this.request(base, "POST", "account", {
      body: {
        account_id: cc.toHex(accountId), kdf, auth_key: cc.toBase64(authKey),
        recovery_auth_key: cc.toBase64(keys.recoveryAuthKey),
        keys: [{ key_id: 1, wrapped_dek: cc.toBase64(keys.wrapped), recovery_wrapped_dek: cc.toBase64(keys.recoveryWrapped) }],
      },
    });
    const sealed = await cc.sealLocal(keys.dek, keys.recoveryKey, accountId);
    await this.saveAccount({
      server: base, account_id: cc.toHex(accountId), token: answer.token, key_epoch: answer.account.key_epoch,
      deks: [{ key_id: 1, key: keys.dek }], recovery_sealed: sealed,
    }, answer.account.log_id);
    const kit = await cc.toCode(keys.recoveryKey);
    keys.recoveryKey.fill(0);
    onStage("syncing");
    this.syncNow({ reason: "setup" }).catch(() => {});
    return { recoveryKit: kit, ...(await pairingLink({ account_id: cc.toHex(accountId), server: base })) };
  }

  /**
   * Join an account from another device: the pairing code, the server and the passphrase.
   * @param {{server?: string, code: string, passphrase: string, onStage?: (stage: string) => void}} options
   */
  async pair({ server = defaultServer(), code, passphrase, onStage = () => {} }) {
    const base = normaliseServer(server);
    let accountId;
    try {
      accountId = await cc.fromCode(code, 16);
    } catch (error) {
      throw new SyncError("bad-code", error instanceof Error ? error.message : String(error));
    }
    const login = await this.login(base, accountId, passphrase, onStage);
    await this.saveAccount({ server: base, ...login, recovery_sealed: null }, login.log_id);
    onStage("syncing");
    return this.syncNow({ reason: "pair" });
  }

  /**
   * Sign in again after "passphrase changed on another device" or a sign-out; the outbox and
   * the cursor are kept.
   * @param {string} passphrase @param {{onStage?: (stage: string) => void}} [options]
   */
  async unlock(passphrase, { onStage = () => {} } = {}) {
    const account = await store.get("sync_meta", "account");
    if (!account) throw new SyncError("not-set-up");
    const login = await this.login(account.server, cc.fromHex(account.account_id), passphrase, onStage);
    const { log_id: _, ...fields } = login;
    await store.commit({ put: { sync_meta: [{ ...account, ...fields, state: "ok" }] } });
    this.error = null;
    this.channel?.postMessage({ type: "account" });
    await this.retryRejects();
    return this.syncNow({ reason: "unlock" });
  }

  /**
   * KDF parameters (checked), the 600,000-iteration derivation, a session, and the data keys.
   * @param {string} base @param {Uint8Array} accountId @param {string} passphrase
   * @param {(stage: string) => void} onStage
   */
  async login(base, accountId, passphrase, onStage) {
    const id = cc.toHex(accountId);
    const { kdf } = await this.request(base, "GET", `account/${id}/kdf`);
    try {
      cc.checkKdf(kdf);
    } catch {
      throw new SyncError("weak-kdf");
    }
    onStage("deriving");
    const { authKey, kek } = await cc.deriveLoginKeys(passphrase, accountId, kdf);
    onStage("server");
    const answer = await this.request(base, "POST", "session", { body: { account_id: id, auth_key: cc.toBase64(authKey) } });
    const deks = [];
    for (const entry of answer.account.keys) {
      try {
        deks.push({ key_id: entry.key_id, key: await cc.unwrapDataKey(cc.fromBase64(entry.wrapped_dek), kek, accountId, entry.key_id) });
      } catch {
        // The server accepted this passphrase, so the key it sent is what is wrong.
        throw new SyncError("tampered", "The sync server accepted the passphrase but sent a key that does not open with it. Nothing was changed on this device.");
      }
    }
    return { account_id: id, token: answer.token, key_epoch: answer.account.key_epoch, deks, log_id: answer.account.log_id };
  }

  /**
   * @param {Record<string, any>} fields @param {string | null} logId
   */
  async saveAccount(fields, logId) {
    const { log_id: _, ...rest } = fields;
    const previous = await store.get("sync_meta", "account");
    const cursor = await store.get("sync_meta", "cursor");
    const same = previous?.account_id === fields.account_id;
    await store.commit({ put: { sync_meta: [{ ...rest, id: "account", state: "ok", created_at: new Date().toISOString() }] } });
    if (!same || !cursor) {
      // A new account: read its whole log and send every local record (nothing is deleted).
      await this.resetCursor(logId);
    }
    this.error = null;
    await this.saveStatus({ error: null });
    this.channel?.postMessage({ type: "account" });
    this.emit();
  }

  /**
   * Change the passphrase on this (unlocked) device: the same data key, re-wrapped; other
   * devices are asked for the new passphrase and keep their unsent changes.
   * @param {{current: string, next: string, onStage?: (stage: string) => void}} options
   */
  async changePassphrase({ current, next, onStage = () => {} }) {
    const account = await store.get("sync_meta", "account");
    if (!account || account.state !== "ok") throw new SyncError("not-set-up");
    const accountId = cc.fromHex(account.account_id);
    const { account: server } = await this.request(account.server, "GET", "account", { token: account.token });
    try {
      cc.checkKdf(server.kdf);
    } catch {
      throw new SyncError("weak-kdf");
    }
    onStage("deriving");
    const old = await cc.deriveLoginKeys(current, accountId, server.kdf);
    const kdf = cc.newKdf();
    const fresh = await cc.deriveLoginKeys(next, accountId, kdf);
    const keys = [];
    for (const entry of server.keys) {
      try {
        keys.push({ key_id: entry.key_id, wrapped_dek: cc.toBase64(await cc.rewrapDataKey(cc.fromBase64(entry.wrapped_dek), old.kek, fresh.kek, accountId, entry.key_id)) });
      } catch {
        throw new SyncError("wrong-passphrase");
      }
    }
    onStage("server");
    let answer;
    try {
      answer = await this.request(account.server, "POST", "passphrase", {
        body: {
          account_id: account.account_id, auth_key: cc.toBase64(old.authKey), expected_key_epoch: server.key_epoch,
          kdf, new_auth_key: cc.toBase64(fresh.authKey), keys,
        },
      });
    } catch (error) {
      if (error instanceof SyncError && error.code === "bad-credentials") throw new SyncError("wrong-passphrase");
      throw error;
    }
    await store.commit({ put: { sync_meta: [{ ...account, token: answer.token, key_epoch: answer.account.key_epoch, state: "ok" }] } });
    return answer.account.key_epoch;
  }

  /**
   * A forgotten passphrase: the recovery kit opens the data key, and a new passphrase is set
   * (compare-and-swap, like a change). Other devices are then asked for the new passphrase.
   * @param {{server?: string, code: string, kit: string, passphrase: string, onStage?: (stage: string) => void}} options
   */
  async recover({ server = defaultServer(), code, kit, passphrase, onStage = () => {} }) {
    const base = normaliseServer(server);
    let accountId;
    let recoveryKey;
    try {
      accountId = await cc.fromCode(code, 16);
      recoveryKey = await cc.fromCode(kit, 32);
    } catch (error) {
      throw new SyncError("bad-code", error instanceof Error ? error.message : String(error));
    }
    const id = cc.toHex(accountId);
    onStage("keys");
    const { recoveryAuthKey, rkKek } = await cc.deriveRecoveryKeys(recoveryKey, accountId);
    onStage("server");
    let found;
    try {
      found = await this.request(base, "POST", "recovery", { body: { account_id: id, recovery_auth_key: cc.toBase64(recoveryAuthKey) } });
    } catch (error) {
      if (error instanceof SyncError && error.code === "bad-credentials") {
        throw new SyncError("bad-credentials", "That recovery kit does not open this account. Check the kit and the pairing code.");
      }
      throw error;
    }
    onStage("deriving");
    const kdf = cc.newKdf();
    const fresh = await cc.deriveLoginKeys(passphrase, accountId, kdf);
    const keys = [];
    for (const entry of found.account.keys) {
      try {
        keys.push({ key_id: entry.key_id, wrapped_dek: cc.toBase64(await cc.rewrapDataKey(cc.fromBase64(entry.recovery_wrapped_dek), rkKek, fresh.kek, accountId, entry.key_id)) });
      } catch {
        throw new SyncError("tampered", "The sync server accepted the recovery kit but sent a key it does not open. Nothing was changed.");
      }
    }
    onStage("server");
    const answer = await this.request(base, "POST", "passphrase", {
      body: {
        account_id: id, recovery_auth_key: cc.toBase64(recoveryAuthKey), expected_key_epoch: found.account.key_epoch,
        kdf, new_auth_key: cc.toBase64(fresh.authKey), keys,
      },
    });
    const deks = [];
    for (const entry of keys) {
      deks.push({ key_id: entry.key_id, key: await cc.unwrapDataKey(cc.fromBase64(entry.wrapped_dek), fresh.kek, accountId, entry.key_id) });
    }
    const sealed = await cc.sealLocal(deks[0].key, recoveryKey, accountId);
    recoveryKey.fill(0);
    await this.saveAccount({
      server: base, account_id: id, token: answer.token, key_epoch: answer.account.key_epoch, deks, recovery_sealed: sealed,
    }, answer.account.log_id);
    await this.retryRejects();
    onStage("syncing");
    return this.syncNow({ reason: "recover" });
  }

  /** The recovery kit again (only on the device that made it, unlocked). */
  async recoveryKit() {
    const account = await store.get("sync_meta", "account");
    if (!account?.recovery_sealed) return null;
    const keys = await this.keysOf(account);
    const secret = await cc.openLocal(keys.deks.get(1) ?? keys.dek, account.recovery_sealed, keys.accountId);
    const code = await cc.toCode(secret);
    secret.fill(0);
    return code;
  }

  /** Sign this device out of sync; its data and unsent changes stay. */
  async signOut() {
    const account = await store.get("sync_meta", "account");
    if (!account) return;
    if (account.token) {
      await this.request(account.server, "DELETE", "session", { token: account.token }).catch(() => {});
    }
    const db = await store.database();
    const tx = db.transaction(["sync_meta"], "readwrite", { durability: "strict" });
    for (const id of ["account", "cursor", "batch", "status"]) tx.objectStore("sync_meta").delete(id);
    await finished(tx);
    this.error = null;
    this.channel?.postMessage({ type: "account" });
    this.emit();
  }

  /** Records set aside (unknown key, damaged) are tried again after a key change. */
  async retryRejects() {
    const account = await store.get("sync_meta", "account");
    if (!account) return;
    const rejects = (await store.getAll("sync_rejects")).filter((r) => r.envelope);
    if (!rejects.length) return;
    const keys = await this.keysOf(account);
    const page = await this.decryptPage(rejects.map((r) => ({ seq: r.seq, record_id: r.key, envelope: r.envelope })), keys);
    if (!page.ok.length) return;
    const cursor = await store.get("sync_meta", "cursor");
    await this.applyPage({ ok: page.ok, rejected: [] }, cursor);
    const db = await store.database();
    const tx = db.transaction(["sync_rejects"], "readwrite");
    const stillBad = new Set(page.rejected.map((r) => r.key));
    for (const r of rejects) if (!stillBad.has(r.key)) tx.objectStore("sync_rejects").delete(r.key);
    await finished(tx);
  }
}

/**
 * Which keys may exist in a store: all (read each) for a few keys, else a listing of the keys.
 * @param {IDBObjectStore} objectStore @param {number} count
 * @returns {Promise<(key: string) => boolean>}
 */
async function keyFilter(objectStore, count) {
  if (count < 64) return () => true;
  const keys = new Set(await done(objectStore.getAllKeys()));
  return (key) => keys.has(key);
}

/** @param {any} replica a `sync_records` entry @returns the plaintext form followup/sync.py reads */
function toState(replica) {
  return { f: store.fieldsOf(replica), i: replica.id, t: replica.store, v: 1 };
}

/**
 * "synced 2 min ago", "3 changes waiting", or the error: one line for the status bar.
 * @param {Awaited<ReturnType<Sync["status"]>>} status @param {Date} [now]
 */
export function statusText(status, now = new Date()) {
  if (!status.enabled) return "Sync is off.";
  const waiting = status.waiting === 1 ? "1 change waiting" : `${status.waiting} changes waiting`;
  if (status.state === "passphrase-changed") return MESSAGES["passphrase-changed"];
  if (status.state === "invalid-token") return MESSAGES["invalid-token"];
  if (status.syncing) return "Syncing…";
  if (status.offline) return status.waiting ? `Offline — ${waiting}.` : "Offline.";
  if (status.error) return status.waiting ? `${status.error.message} (${waiting}.)` : status.error.message;
  if (status.waiting) return `${waiting[0].toUpperCase()}${waiting.slice(1)}.`;
  if (!status.last_synced_at) return "Not synced yet.";
  const minutes = Math.floor((now.getTime() - Date.parse(status.last_synced_at)) / 60_000);
  if (minutes < 1) return "Synced just now.";
  if (minutes < 60) return `Synced ${minutes} min ago.`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `Synced ${hours} h ago.`;
  return `Synced ${Math.floor(hours / 24)} days ago.`;
}

/** @type {Sync | null} */
let shared = null;

/**
 * The tab's one sync, started on first use. `onApplied` runs after changes from other devices
 * (or other tabs) were written, e.g. to refresh Today.
 * @param {{call: (request: any) => Promise<any>}} engine
 * @param {{onApplied?: () => void}} [hooks]
 */
export function startSync(engine, { onApplied } = {}) {
  if (!shared) {
    shared = new Sync(engine);
    shared.start();
  }
  if (onApplied) shared.addEventListener("applied", () => onApplied());
  return shared;
}
