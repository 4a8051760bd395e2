// @ts-check
/**
 * One sync run with its freshness checks (issue #19, followup/heads.py): every push carries
 * this device's new head (its counter, latest edits and what it has seen, encrypted like any
 * record), read back at once (a push the server acknowledged and dropped is caught there and
 * sent again); after the run the engine compares the heads held here with what the server
 * served (rollback, omission, withheld); a failed check, set-aside records, or a week without
 * one reads the whole log again (anti-entropy). The rules and words are the engine's; this
 * module moves records and keeps the `heads` entry of `sync_meta`.
 */
import * as cc from "../crypto.js";
import { RunBudget } from "./bounds.js";
import { SyncError } from "./errors.js";

/** A full read of the log at least this often, even when every check passes. */
const ANTI_ENTROPY_MS = 7 * 24 * 60 * 60_000;
/** While records are set aside, a full read (which may bring good copies) at most this often. */
const REJECTS_RETRY_MS = 60 * 60_000;

/** Errors that mean the server lied. */
const LOUD = new Set(["tampering", "push-dropped", "bad-answer", "keys-missing"]);

/** @typedef {import("./loop.js").Sync} Sync */
/** @typedef {import("./loop.js").Keys} Keys */
/**
 * What `sync_meta` keeps under `heads`.
 * @typedef {{id: "heads", device: string, account_id: string, label: string, seen: Record<string, number>,
 *   full_at: string | null, problems: Array<{kind: string, device: string, message: string}>,
 *   heard: Array<{device: string, label: string, wall: string, counter: number}>}} HeadsMeta
 */

/** What one run saw: the heads the server served, and its budgets. */
export class Run extends RunBudget {
  constructor() {
    super();
    /** @type {Array<{i: string, f: any}>} */
    this.served = [];
    this.full = false;
  }

  /**
   * Count a page's records that failed their check; past the threshold, only they are kept
   * (listed on the Sync screen; the cursor stays) and the run stops (bounds.js).
   * @param {Array<{error: string}>} rejected @param {() => Promise<unknown>} keep
   */
  async guard(rejected, keep) {
    try {
      this.failures(rejected);
    } catch (error) {
      await keep();
      throw error;
    }
  }

  /** Note the heads among a page's records. @param {Array<{state: any}>} ok */
  observe(ok) {
    for (const { state } of ok) if (state?.t === "heads") this.served.push({ i: state.i, f: state.f });
  }
}

/** How many of a page's records are data (heads are bookkeeping). @param {Array<{state: any}>} ok */
export const dataCount = (ok) => ok.filter(({ state }) => state?.t !== "heads").length;

/** A short name for this device, for the other devices' "last heard from". */
function deviceLabel() {
  const nav = /** @type {any} */ (typeof navigator === "undefined" ? {} : navigator);
  const platform = String(nav.userAgentData?.platform || nav.platform || "Device");
  const mobile = nav.userAgentData?.mobile ? " phone" : "";
  return `${platform}${mobile}`.slice(0, 40);
}

/**
 * This device's heads bookkeeping, made on first use (a new id per account).
 * @param {Sync} sync @param {any} account @returns {Promise<HeadsMeta>}
 */
export async function headsMeta(sync, account) {
  const meta = await sync.store("readMeta", "heads");
  if (meta?.account_id === account.account_id && meta.device) return meta;
  const fresh = {
    device: cc.toHex(cc.randomBytes(8)), account_id: account.account_id, label: deviceLabel(),
    seen: {}, full_at: null, problems: [], heard: [],
  };
  return sync.store("updateMeta", "heads", fresh);
}

/** @param {Sync} sync @param {Record<string, unknown>} request */
async function engine(sync, request) {
  const now = new Date();
  const answer = await sync.engine.call({ ...request, now: now.toISOString(), today: now.toISOString().slice(0, 10) });
  if (!answer.ok) {
    if (answer.error === "unknown-op") throw new SyncError("engine-outdated");
    throw new SyncError(answer.error ?? "internal", answer.message);
  }
  return answer;
}

/**
 * The head for a batch about to be stored: made by the engine, kept here, encrypted as the
 * batch's last item.
 * @param {Sync} sync @param {Keys} keys @param {HeadsMeta} meta
 * @param {Record<string, Record<string, string>>} sent each record's fields and clocks in the batch
 * @param {number} basedOn
 */
export async function headItem(sync, keys, meta, sent, basedOn) {
  const { heads } = await sync.store("readHeads");
  const mine = heads.find((/** @type {any} */ h) => h.i === meta.device);
  const edits = Object.entries(sent).flatMap(([key, fields]) => Object.entries(fields).map(([field, at]) => [key, field, at]));
  const head = await engine(sync, {
    op: "head_next", device: meta.device, label: meta.label, previous: mine?.f ?? null, edits, seen: meta.seen ?? {},
  });
  await sync.store("putHead", { key: head.key, id: head.id, f: head.f });
  const plaintext = new TextEncoder().encode(JSON.stringify({ f: head.f, i: head.id, t: "heads", v: 1 }));
  const recordId = await keys.recordId("heads", head.id);
  const envelope = cc.toBase64(await cc.encryptRecord(keys.dek, keys.keyId, keys.accountId, recordId, plaintext));
  return { record_id: cc.toHex(recordId), based_on_seq: basedOn, envelope };
}

/**
 * A push the server acknowledged must be stored: read back the batch's last row, which must
 * be this device's head exactly as sent. If not, the batch is forgotten (a new one, with a new
 * id, is made next time) and the outbox stays: nothing is lost.
 * @param {Sync} sync @param {any} account @param {any} batch
 * @param {{first_seq: number, last_seq: number}} answer
 */
export async function verifyPush(sync, account, batch, answer) {
  const head = batch.items[batch.items.length - 1];
  let page = null;
  try {
    page = await sync.request(account.server, "GET", `pull?since=${answer.last_seq - 1}&limit=1`, { token: account.token });
  } catch (error) {
    // "Your cursor is past the end of the log": the rows were never stored. Other errors stand.
    if (!(error instanceof SyncError) || error.code !== "cursor-ahead") throw error;
  }
  const item = Array.isArray(page?.items) ? page.items[0] : null;
  if (item && item.seq === answer.last_seq && item.record_id === head.record_id && item.envelope === head.envelope) return;
  await sync.store("updateMeta", "batch", null);
  throw new SyncError("push-dropped", "The sync server said it saved this device's changes, but it did not keep them. They are still here and will be sent again; if this repeats, the server is losing or hiding data.");
}

/**
 * One sync run: pull (everything, when a full read is due), push with heads, pull our rows
 * if needed, then check the heads; a failed check reads everything once more and checks again.
 * @param {Sync} sync @param {any} account @param {Keys} keys
 */
export async function runChecked(sync, account, keys) {
  const meta = await headsMeta(sync, account);
  const run = new Run();
  const drift = sync.drift;
  sync.run = run;
  try {
    const { rejected } = await sync.store("readStatus");
    const age = meta.full_at ? Date.now() - Date.parse(meta.full_at) : Infinity;
    run.full = age > ANTI_ENTROPY_MS || (Boolean(meta.problems?.length || rejected) && age > REJECTS_RETRY_MS);
    let pulled = await sync.pullPages(account, keys, run.full ? 0 : undefined);
    const { pushed, needPull } = await sync.pushAll(account, keys, meta);
    if (needPull) pulled += await sync.pullPages(account, keys);
    let result = await check(sync, meta, run);
    if (result.repair && !run.full) {
      run.full = true;
      run.served = [];
      pulled += await sync.pullPages(account, keys, 0);
      const first = result;
      result = await check(sync, meta, run);
      // Found on the second read: the user is told the server had held something back.
      if (!result.problems.length && first.problems.some((/** @type {any} */ p) => p.kind === "omission")) {
        result = { ...result, problems: [result.repaired] };
      }
    }
    await sync.store("updateMeta", "heads", {
      seen: result.seen, heard: result.heard, problems: result.problems,
      ...(run.full ? { full_at: new Date().toISOString() } : {}),
    });
    // A new finding is told on every screen once (the Sync screen keeps showing it).
    const alert = result.problems[0]?.message;
    if (alert && alert !== meta.problems?.[0]?.message) sync.dispatchEvent(new CustomEvent("alert", { detail: alert }));
    if (sync.drift && sync.drift !== drift) sync.dispatchEvent(new CustomEvent("alert", { detail: sync.drift }));
    return { pulled, pushed };
  } catch (error) {
    // A lie caught in the act is told on every screen, not only on the Sync screen.
    if (error instanceof SyncError && LOUD.has(error.code)) sync.dispatchEvent(new CustomEvent("alert", { detail: error.message }));
    throw error;
  } finally {
    sync.run = null;
  }
}

/**
 * "Try again" on set-aside records: a full read of the log now, which may bring whole copies
 * of damaged ones (each then leaves the list). Resolves with how many left it.
 * @param {Sync} sync
 */
export async function readAgain(sync) {
  const before = (await sync.store("readStatus")).rejected;
  await sync.store("updateMeta", "heads", { full_at: null }, { ifExists: true });
  await sync.syncNow({ reason: "retry" }).catch(() => {});
  const after = (await sync.store("readStatus")).rejected;
  sync.emit();
  return Math.max(0, before - after);
}

/** @param {Sync} sync @param {HeadsMeta} meta @param {Run} run */
async function check(sync, meta, run) {
  const { heads, stamps } = await sync.store("readHeads");
  return engine(sync, {
    op: "heads_check", device: meta.device, heads, served: run.served, full: run.full, seen: meta.seen ?? {}, stamps,
  });
}

/**
 * "Last heard from Pixel 5 min ago": one line per other device, for the Sync screen.
 * @param {{label: string, wall: string}} device @param {Date} [now]
 */
export function heardText(device, now = new Date()) {
  const at = Date.parse(device.wall);
  if (Number.isNaN(at)) return `Last heard from ${device.label}: never.`;
  const minutes = Math.max(0, Math.floor((now.getTime() - at) / 60_000));
  const when = minutes < 1 ? "just now" : minutes < 60 ? `${minutes} min ago`
    : minutes < 48 * 60 ? `${Math.floor(minutes / 60)} h ago` : `${Math.floor(minutes / 1440)} days ago`;
  return `Last heard from ${device.label} ${when}.`;
}
