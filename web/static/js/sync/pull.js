// @ts-check
/**
 * The pull side of the sync loop (loop.js): pages after the cursor fetched and decrypted here
 * while the engine worker merges and writes the previous one with its cursor (`sync_apply`,
 * sync-apply.js), so a pull cut off anywhere resumes at the last page written. A long pull is
 * counted on the status line and told once.
 */
import * as cc from "../crypto.js";
import { REJECTS_KEPT, checkPage } from "./bounds.js";
import { SyncError } from "./errors.js";
import { dataCount } from "./heads.js";
import { retrying } from "./http.js";

/** Records decrypted at once: WebCrypto works on them together, and the page stays free between slices. */
const DECRYPT_SLICE = 100;

/** @typedef {import("./loop.js").Sync} Sync */
/** @typedef {import("./loop.js").Keys} Keys */
/** @typedef {import("./loop.js").DecryptedPage} DecryptedPage */

/**
 * Pull every page after the cursor. While the worker merges and writes one page (with its
 * cursor, in one transaction), the next one is fetched and decrypted.
 * @param {any} account @param {Keys} keys @param {number} [from] read from here (0: everything again)
 * @param {Sync} sync
 */
export async function pullPages(sync, account, keys, from) {
  let total = 0;
  let cursor = (await sync.store("readMeta", "cursor")) ?? { id: "cursor", since: 0, log_id: null };
  // Everything from the start on a device that has nothing yet: said once (not a full read again).
  sync.firstPull = cursor.since === 0;
  if (from !== undefined) cursor = { ...cursor, since: Math.min(from, cursor.since) };
  let next = sync.fetchPage(account, keys, cursor.since);
  for (;;) {
    let fetched;
    try {
      fetched = await next;
    } catch (error) {
      if (error instanceof SyncError && error.code === "cursor-ahead") {
        sync.run?.reset();
        await sync.store("resetCursor", null);
        cursor = { id: "cursor", since: 0, log_id: null };
        next = sync.fetchPage(account, keys, 0);
        continue;
      }
      throw error;
    }
    const { page, states } = fetched;
    if (cursor.log_id && page.log_id && page.log_id !== cursor.log_id) {
      // Another log (a reset or a new server): read it all and send everything again.
      sync.run?.reset();
      await sync.store("resetCursor", page.log_id);
      cursor = { id: "cursor", since: 0, log_id: page.log_id };
      next = sync.fetchPage(account, keys, 0);
      continue;
    }
    next = page.more ? sync.fetchPage(account, keys, page.next_since) : Promise.resolve(null);
    next.catch(() => {});
    await sync.run?.guard(states.rejected, () => sync.applyPage({ ok: [], rejected: states.rejected }, cursor));
    cursor = { id: "cursor", since: page.next_since, log_id: page.log_id ?? cursor.log_id };
    sync.run?.observe(states.ok);
    await sync.applyPage(states, cursor);
    total += dataCount(states.ok);
    if (!page.more) return total;
    tell(sync, dataCount(states.ok));
  }
}

/**
 * A long pull (more pages to come) is progress to show: the count on the status line, at most
 * four times a second; a device's first pull is also told once as a `progress` event (said
 * once, views/sync.js).
 * @param {number} count records the page just written brought
 * @param {Sync} sync
 */
export function tell(sync, count) {
  const first = sync.received === 0;
  sync.received += count;
  if (first && sync.firstPull) sync.dispatchEvent(new CustomEvent("progress"));
  // At most every 250 ms, and the last count always shown (a trailing update).
  if (sync.telling) return;
  const wait = Math.max(0, sync.toldAt + 250 - performance.now());
  sync.telling = setTimeout(() => {
    sync.telling = undefined;
    sync.toldAt = performance.now();
    if (sync.running) sync.emit();
  }, wait);
}

/**
 * One page after `since`, fetched and decrypted (nothing is written).
 * @param {any} account @param {Keys} keys @param {number} since
 * @returns {Promise<any>}
 * @param {Sync} sync
 */
export async function fetchPage(sync, account, keys, since) {
  const page = checkPage(await sync.timed("fetch", () => retrying(() => sync.request(
    account.server, "GET", `pull?since=${since}&limit=${sync.pageLimit}`, { token: account.token },
  ))), since);
  const states = await sync.timed("decrypt", () => sync.decryptPage(page.items ?? [], keys));
  return { page, states };
}

/**
 * Decrypt and check a page; what fails is set aside, never applied.
 * @param {Array<{seq: number, record_id: string, envelope: string}>} items @param {Keys} keys
 * @returns {Promise<DecryptedPage>}
 */
export async function decryptPage(items, keys) {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  /** @type {DecryptedPage["ok"]} */
  const ok = [];
  /** @type {any[]} */
  const rejected = [];
  /** @param {{seq: number, record_id: string, envelope: string}} item */
  const open = async (item) => {
    try {
      const recordId = cc.fromHex(item.record_id);
      const text = await cc.decryptRecord(keys.deks, keys.accountId, recordId, cc.fromBase64(item.envelope));
      const state = JSON.parse(decoder.decode(text));
      if (typeof state?.t !== "string" || typeof state?.i !== "string") throw new cc.CryptoError("bad-record", "A synced record lacks its type or id.");
      if (!(await keys.isRecordId(item.record_id, state.t, state.i))) throw new cc.CryptoError("tampered", "A synced record was moved to another record's place.");
      ok.push({ seq: item.seq, key: `${state.t}/${state.i}`, state, rid: item.record_id });
    } catch (error) {
      rejected.push({
        key: String(item.record_id), seq: item.seq, envelope: item.envelope,
        error: error instanceof cc.CryptoError ? error.code : "bad-record",
        message: error instanceof Error ? error.message : String(error),
      });
    }
  };
  // A slice at a time, so that the page's own work (taps, drawing) runs in between.
  for (let i = 0; i < items.length; i += DECRYPT_SLICE) await Promise.all(items.slice(i, i + DECRYPT_SLICE).map(open));
  ok.sort((a, b) => a.seq - b.seq);
  return { ok, rejected };
}

/**
 * The worker merges a decrypted page into the local states and writes it with its cursor and
 * set-aside records, in one transaction; the engine holds the merged records at once.
 * @param {DecryptedPage} page @param {{id: string, since: number, log_id: string | null}} cursor
 * @param {Sync} sync
 */
export async function applyPage(sync, page, cursor) {
  if (page.rejected.length) {
    // Set-aside records are capped: past the cap only the count of this run is told.
    const { rejected } = await sync.store("readStatus");
    page = { ...page, rejected: page.rejected.slice(0, Math.max(0, REJECTS_KEPT - rejected)) };
  }
  const answer = await sync.timed("merge", () => sync.engine.call({ op: "sync_apply", page, cursor }));
  if (!answer.ok) {
    if (answer.error === "unknown-op") throw new SyncError("engine-outdated");
    if (answer.error === "engine-unavailable") throw new SyncError("engine-unavailable");
    throw new SyncError(answer.error, answer.message);
  }
  // The worker's share of the page (benchmarks): local states read, engine merge, writes.
  for (const [stage, ms] of Object.entries(answer.timings ?? {})) {
    sync.timings[`apply_${stage}`] = (sync.timings[`apply_${stage}`] ?? 0) + Number(ms);
  }
  if (answer.changed) sync.dispatchEvent(new CustomEvent("applied", { detail: { count: answer.changed } }));
  if (answer.drifting) {
    sync.drift = "Some changes carry a date far ahead of this device's clock (another device's clock may be wrong). They are merged as they are, and this device keeps its own clock; check the clocks when you can.";
  }
  return answer;
}
