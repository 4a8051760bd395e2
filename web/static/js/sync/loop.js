// @ts-check
/**
 * The sync loop (SYNC-DESIGN §6.8, docs/sync-protocol.md): pull pages and decrypt them, and
 * have the engine worker merge and write each one with its cursor in one step (`sync_apply`);
 * then push the outbox in batches whose id is stored before the first send and reused on every
 * retry. One sync at a time across tabs (Web Locks); runs on open, on focus and when the app is
 * shown again, after edits (debounced), when the network returns, every minute while the app is
 * visible, and on demand. Storage is the worker's (`sync_store`): no IndexedDB here.
 */
import * as cc from "../crypto.js";
import * as account from "./account.js";
import { checkPushAnswer } from "./bounds.js";
import { MESSAGES, SyncError } from "./errors.js";
import { headItem, readAgain, runChecked, verifyPush } from "./heads.js";
import { request, retrying } from "./http.js";
import * as pull from "./pull.js";

const LOCK = "followthrough-sync";
const CHANNEL = "followthrough-sync";
const EDIT_DEBOUNCE_MS = 1500;
/** While the app is on screen it checks this often, so another device's edits show within a minute. */
const PERIODIC_MS = 60_000;
const PAGE_LIMIT = 500;
const PUSH_ITEMS = 500;
const PUSH_BYTES = 900_000; // under the server's 1 MiB body limit, with room for the JSON

/**
 * @typedef {{deks: Map<number, CryptoKey>, keyId: number, dek: CryptoKey, accountId: Uint8Array<ArrayBuffer>,
 *   recordId: (store: string, key: string) => Promise<Uint8Array<ArrayBuffer>>,
 *   isRecordId: (recordId: string, store: string, key: string) => Promise<boolean>}} Keys
 */
/** @typedef {{ok: Array<{seq: number, key: string, state: any, rid?: string}>, rejected: any[]}} DecryptedPage */

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
    /** The server's clock differs from this device's (a warning only). @type {string | null} */
    this.skew = null;
    /** Records carry clocks far ahead of this device's (a warning only). @type {string | null} */
    this.drift = null;
    /** The checks of the run under way (heads.js). @type {import("./heads.js").Run | null} */
    this.run = null;
    this.offline = typeof navigator !== "undefined" && navigator.onLine === false;
    /** Local fallback when Web Locks are missing: runs chain one after another in this tab. */
    this.chain = Promise.resolve();
    /** @type {BroadcastChannel | null} */
    this.channel = null;
    /** Records per pulled page (the server caps it at 500; tests use smaller pages). */
    this.pageLimit = PAGE_LIMIT;
    /** Milliseconds spent per stage in the current run (benchmarks, console). @type {Record<string, number>} */
    this.timings = {};
    /** Records received and written so far in the current run (the status line counts them). */
    this.received = 0;
    /** When the status was last told of the count (at most a few times a second). */
    this.toldAt = 0;
    /** The status update of the count that is due. @type {ReturnType<typeof setTimeout> | undefined} */
    this.telling = undefined;
    /** Whether the pull under way is this device's first (from nothing). */
    this.firstPull = false;
    /** What each server answer tells the loop. @type {import("./http.js").HttpHooks} */
    this.hooks = {
      onReachable: () => { this.offline = false; },
      // Said at once, not after the retries: the status never reads "Syncing…" while offline.
      onUnreachable: () => {
        if (!this.offline) {
          this.offline = true;
          this.emit();
        }
      },
      onSkew: (offset, warning) => {
        // Advice only, told on every screen once: no offset is applied (an old one is cleared).
        if (warning && !this.skew) this.dispatchEvent(new CustomEvent("alert", { detail: warning }));
        this.skew = warning;
        this.store("setClockOffset", offset).catch(() => {});
      },
    };
  }

  /**
   * One sync bookkeeping function of the worker (sync-store.js).
   * @param {string} fn @param {...unknown} args @returns {Promise<any>}
   */
  async store(fn, ...args) {
    const answer = await this.engine.call({ op: "sync_store", fn, args });
    if (!answer.ok) throw new SyncError(answer.error === "engine-unavailable" ? "engine-unavailable" : "storage", answer.message);
    return answer.value;
  }

  /**
   * One request to the sync server; errors become SyncErrors with the protocol's codes.
   * @param {string} server @param {string} method @param {string} path
   * @param {{body?: any, token?: string | null}} [options]
   */
  request(server, method, path, options) {
    return request(this.hooks, server, method, path, options);
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

  // --- Lifecycle -----------------------------------------------------------------------------

  /** Sync now, whenever the network returns or the app comes back into view, after edits, and
   * every minute while it is visible. */
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
    addEventListener("focus", () => this.schedule(0));
    setInterval(() => {
      if (document.visibilityState === "visible" && !this.running) this.schedule(0);
    }, PERIODIC_MS);
    this.schedule(0);
  }

  /** @param {any} message */
  onMessage(message) {
    if (message?.type === "outbox") {
      this.schedule(EDIT_DEBOUNCE_MS);
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
      return /** @type {Promise<T>} */ (navigator.locks.request(LOCK, fn));
    }
    const next = this.chain.then(fn, fn);
    this.chain = next.then(() => {}, () => {});
    return next;
  }

  // --- Status --------------------------------------------------------------------------------

  /** Everything the UI shows about sync. */
  async status() {
    const { account, status: meta, waiting, rejected, heads } = await this.store("readStatus");
    return {
      enabled: Boolean(account),
      state: account?.state ?? "off",
      server: account?.server ?? null,
      account_id: account?.account_id ?? null,
      can_show_kit: Boolean(account?.recovery_sealed),
      /** The account's secret key (hex), part of the pairing code; null before version 2. */
      secret_key: account?.secret_key ?? null,
      syncing: this.running,
      /** Records received so far in the sync under way (a first pull is thousands). */
      received: this.running ? this.received : 0,
      offline: this.offline,
      waiting: /** @type {number} */ (waiting),
      /** Records from other devices that could not be read (`rejects()` lists them). */
      rejected: /** @type {number} */ (rejected ?? 0),
      last_synced_at: meta?.last_synced_at ?? null,
      error: this.error ?? meta?.error ?? null,
      warning: this.warning ?? heads?.problems?.[0]?.message ?? this.drift ?? this.skew,
      /** Freshness (heads.js): what the checks found; when each other device was last heard. */
      problems: /** @type {import("./heads.js").HeadsMeta["problems"]} */ (heads?.problems ?? []),
      heard: /** @type {import("./heads.js").HeadsMeta["heard"]} */ (heads?.heard ?? []),
      skew: this.skew, drift: this.drift,
    };
  }

  // --- Running -------------------------------------------------------------------------------

  /**
   * One full sync (pull, push, pull). Resolves with a summary; errors are kept in the status
   * and rethrown.
   * @param {{reason?: string}} [options]
   */
  async syncNow({ reason = "demand" } = {}) {
    clearTimeout(this.timer);
    const first = await this.store("readMeta", "account");
    if (!first || first.state !== "ok") return { pulled: 0, pushed: 0, skipped: true };
    return this.withLock(async () => {
      this.running = true;
      this.timings = {};
      this.received = 0;
      this.emit();
      const started = performance.now();
      try {
        const current = await this.store("readMeta", "account");
        if (!current || current.state !== "ok") return { pulled: 0, pushed: 0, skipped: true };
        const keys = await this.keysOf(current);
        const { pulled, pushed } = await runChecked(this, current, keys);
        this.error = null;
        this.backoffMs = 0;
        await this.store("updateMeta", "status", { last_synced_at: new Date().toISOString(), error: null });
        // Web Push (push/index.js): re-seal the coming mornings for every device, in the background.
        import("../push/index.js").then((push) => push.resealMornings({ engine: this.engine, sync: this })).catch(() => {});
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
    if (problem.code === "passphrase-changed") {
      // The stale session is kept: sent with the next log-in, it shows the server this device
      // is the owner's, so strangers' wrong guesses cannot lock it out (sync-protocol §4.4).
      await this.store("updateMeta", "account", { state: problem.code }, { ifExists: true });
    } else if (problem.code === "invalid-token") {
      await this.store("updateMeta", "account", { state: problem.code, token: null }, { ifExists: true });
    }
    await this.store("updateMeta", "status", { error: this.error });
    if (problem.retry) {
      this.backoffMs = Math.min(60_000, Math.max(1000, this.backoffMs * 2, problem.retryAfter * 1000));
      this.schedule(this.backoffMs * (0.8 + Math.random() * 0.4));
    }
  }

  /** @param {any} account @returns {Promise<Keys>} */
  async keysOf(account) {
    /** @type {Map<number, CryptoKey>} */
    const deks = new Map();
    for (const entry of account.deks ?? []) deks.set(entry.key_id, entry.key);
    const keyId = Math.max(...deks.keys());
    const dek = deks.get(keyId);
    if (!dek) throw new SyncError("not-set-up", "This device has no data key; set sync up again.");
    const accountId = cc.fromHex(account.account_id);
    // Accounts with a secret key (key-schedule version 2) name records with a keyed id the
    // server cannot compute; records pushed before the upgrade keep their old ids and still open.
    const first = deks.get(Math.min(...deks.keys()));
    const idKey = account.secret_key && first ? await cc.deriveIdKey(first, accountId) : null;
    /** @param {string} store @param {string} key */
    const recordId = (store, key) => (idKey ? cc.keyedRecordId(idKey, store, key) : cc.recordIdOf(accountId, store, key));
    /** @param {string} id @param {string} store @param {string} key */
    const isRecordId = async (id, store, key) => cc.toHex(await recordId(store, key)) === id
      || (idKey !== null && cc.toHex(await cc.recordIdOf(accountId, store, key)) === id);
    return { deks, keyId, dek, accountId, recordId, isRecordId };
  }

  // --- Pull (pull.js; through these methods, which tests may replace) -----------------------

  /** @param {any} account @param {Keys} keys @param {number} [from] */
  pullPages(account, keys, from) { return pull.pullPages(this, account, keys, from); }
  /** @param {any} account @param {Keys} keys @param {number} since */
  fetchPage(account, keys, since) { return pull.fetchPage(this, account, keys, since); }
  /** @param {Array<{seq: number, record_id: string, envelope: string}>} items @param {Keys} keys */
  decryptPage(items, keys) { return pull.decryptPage(items, keys); }
  /** @param {DecryptedPage} page @param {{id: string, since: number, log_id: string | null}} cursor */
  applyPage(page, cursor) { return pull.applyPage(this, page, cursor); }

  // --- Push ----------------------------------------------------------------------------------

  /**
   * Push the outbox, batch by batch; a batch stored before it was sent is resent as is.
   * @param {any} account @param {Keys} keys @param {import("./heads.js").HeadsMeta} [heads] a head rides on each new batch
   */
  async pushAll(account, keys, heads) {
    let pushed = 0;
    let needPull = false;
    for (;;) {
      let batch = await this.store("readMeta", "batch");
      if (!batch) batch = await this.timed("encrypt", () => this.makeBatch(keys, heads));
      if (!batch) return { pushed, needPull };
      const answer = checkPushAnswer(await this.timed("push", () => retrying(() => this.request(account.server, "POST", "push", {
        token: account.token, body: { batch_id: batch.batch_id, items: batch.items },
      }))), batch.items.length);
      if (batch.head) await verifyPush(this, account, batch, answer);
      const fastForward = await this.store("acknowledge", batch, answer);
      if (!fastForward) needPull = true;
      pushed += batch.items.length - (batch.head ? 1 : 0); // the head is bookkeeping
    }
  }

  /**
   * Take up to 500 outbox records (their latest merged state), encrypt them and store the
   * batch with its id before anything is sent.
   * @param {Keys} keys @param {import("./heads.js").HeadsMeta} [heads] @returns {Promise<any>}
   */
  async makeBatch(keys, heads) {
    const { entries, replicas, cursor } = await this.store("readOutbox", heads ? PUSH_ITEMS - 1 : PUSH_ITEMS);
    if (!entries.length) return null;
    const encoder = new TextEncoder();
    const items = [];
    /** @type {Record<string, Record<string, string>>} */
    const sent = {};
    let bytes = 0;
    for (const replica of replicas) {
      if (!replica) continue;
      // `f` is stored as canonical JSON text: the plaintext's `f` as is (sync-store.js).
      const f = typeof replica.f === "string" ? replica.f : JSON.stringify(replica.f);
      const plaintext = encoder.encode(`{"f":${f},"i":${JSON.stringify(replica.id)},"t":${JSON.stringify(replica.store)},"v":1}`);
      const recordId = await keys.recordId(replica.store, replica.id);
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
      const fields = /** @type {Record<string, [any, string]>} */ (JSON.parse(f));
      sent[replica.key] = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v[1]]));
    }
    // Outbox keys without a record state (none should exist) are dropped from the outbox.
    const orphans = entries.filter((/** @type {any} */ e, /** @type {number} */ i) => !replicas[i]).map((/** @type {any} */ e) => e.key);
    if (!items.length && !orphans.length) return null;
    // This device's head rides last on the batch, so the push can be read back (heads.js).
    if (items.length && heads) items.push(await headItem(this, keys, heads, sent, cursor?.since ?? 0));
    const batch = { id: "batch", batch_id: cc.toHex(cc.randomBytes(16)), items, sent, since: cursor?.since ?? 0, head: Boolean(items.length && heads) };
    await this.store("saveBatch", items.length ? batch : null, orphans);
    return items.length ? batch : this.makeBatch(keys, heads);
  }

  // --- Account (account.js) ------------------------------------------------------------------

  /** @param {Parameters<typeof account.setup>[1]} options */
  setup(options) { return account.setup(this, options); }
  /** @param {Parameters<typeof account.pair>[1]} options */
  pair(options) { return account.pair(this, options); }
  /** @param {string} passphrase @param {Parameters<typeof account.unlock>[2]} [options] */
  unlock(passphrase, options) { return account.unlock(this, passphrase, options); }
  /** @param {Parameters<typeof account.changePassphrase>[1]} options */
  changePassphrase(options) { return account.changePassphrase(this, options); }
  /** @param {Parameters<typeof account.recover>[1]} options */
  recover(options) { return account.recover(this, options); }
  recoveryKit() { return account.recoveryKit(this); }
  /** The records set aside, for the Sync screen. @returns {Promise<import("../types.js").SyncReject[]>} */
  rejects() { return this.store("listRejects"); }
  /** Try the set-aside records again (one sync at a time: a retry writes the cursor). */
  async retryRejects() {
    const read = await this.withLock(() => account.retryRejects(this));
    return read + await readAgain(this); // a damaged record may come whole in a full read
  }
  /** Forget set-aside records: the user gave up on them. @param {string[]} keys */
  async forgetRejects(keys) {
    await this.store("dropRejects", keys);
    this.emit();
  }
  signOut() { return account.signOut(this); }
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
  // Offline wins over "Syncing…": a run that cannot reach the server is not syncing.
  if (status.offline) return status.waiting ? `Offline — ${waiting}, sent when you are back online.` : "Offline. Syncs when you are back online.";
  if (status.syncing) return status.received ? `Syncing… ${status.received.toLocaleString()} records received.` : "Syncing…";
  if (status.error) return status.waiting ? `${status.error.message} (${waiting}.)` : status.error.message;
  if (status.waiting) return `${waiting[0].toUpperCase()}${waiting.slice(1)}.`;
  // Never "synced" while records from other devices could not be read.
  if (status.rejected) {
    return status.rejected === 1
      ? "1 record from another device could not be read. See below."
      : `${status.rejected} records from other devices could not be read. See below.`;
  }
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
 * were written (the engine worker also tells the Backend: a `changed` event, source "sync").
 * @param {{call: (request: any) => Promise<any>} | null} engine
 * @param {{onApplied?: () => void}} [hooks]
 */
export function startSync(engine, { onApplied } = {}) {
  if (!shared) {
    if (!engine) throw new Error("Sync starts with the engine.");
    shared = new Sync(engine);
    shared.start();
  }
  if (onApplied) shared.addEventListener("applied", () => onApplied());
  return shared;
}
