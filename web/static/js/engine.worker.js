// @ts-check
/**
 * The engine worker: boots Pyodide in named stages (runtime, engine, data, ready), from a
 * memory snapshot when one matches this build, and answers `{id, request}` messages by calling
 * `followup.api.call(json) -> json`. It is the one writer of records: what an answer puts or
 * deletes is written to IndexedDB here, in one transaction, before the page gets the answer
 * (and if it cannot be, the engine is put back as it was). It replays the commands the page
 * kept in the inbox before the engine was up, and takes in what other tabs' workers saved.
 * Only JSON strings cross into Python.
 */
const PYODIDE_BASE = new URL("../../pyodide/", import.meta.url).href;
const ENGINE_ZIP_URL = new URL("../../py/followup.zip", import.meta.url).href;

/**
 * Milliseconds since the worker started at which each boot step ended, and the runtime's
 * memory once ready (`heap_mib`): for benchmarks.
 */
const marks = /** @type {Record<string, number>} */ ({});
/** @param {string} name */
const mark = (name) => { marks[name] = Math.round(performance.now()); };

// Everything the boot needs is asked for at once, in parallel, before anything is awaited (so
// this module has no static imports: they would be fetched before any of this starts).
//  - The runtime's two scripts: pyodide.mjs imports the second itself, later; importing it now
//    overlaps compiling its 1.2 MB with the reads below.
//  - The runtime's standard library (4 MB), which `loadPyodide` would only ask for once its
//    scripts have loaded: `loadPyodide`'s own `fetch` of it gets this response (`prefetched`).
//  - The runtime's WebAssembly (9.6 MB), compiled by the page (`wasmModule`), or, when the
//    page does not, prefetched like the standard library.
//  - The engine's zip, this build's snapshot, and the user's data.
//  - The boot's own code (engine-boot.js), which needs all of these.
const bootModule = import("./engine-boot.js");
const pyodideModule = import(`${PYODIDE_BASE}pyodide.mjs`);
import(`${PYODIDE_BASE}pyodide.asm.mjs`).catch(() => {});
const nativeFetch = self.fetch.bind(self);
const WASM_URL = `${PYODIDE_BASE}pyodide.asm.wasm`;
/** Flags in the worker's name (boot.js): "page-compiles", "nosnapshot". */
const FLAGS = new Set(self.name.split(" "));
const pageCompiles = FLAGS.has("page-compiles");
/**
 * The runtime's WebAssembly, compiled by the page (engine.js `provideRuntime`): Chrome reuses
 * compiled WebAssembly in pages, not in workers. Null when this worker compiles it itself: the
 * page did not offer, failed, or has not answered in 10 s.
 * @type {Promise<WebAssembly.Module | null>}
 */
const wasmModule = new Promise((resolve) => {
  if (!pageCompiles) resolve(null);
  setTimeout(() => resolve(null), 10_000);
  addEventListener("message", (/** @type {MessageEvent} */ event) => {
    if (event.data?.type !== "wasm-module") return;
    mark("wasm_module");
    resolve(event.data.module);
  });
});
/** What `fetch` gives Pyodide for the WebAssembly the page compiles: `instantiateStreaming` swaps it. */
const WASM_TOKEN = new Response(null, { headers: { "content-type": "application/wasm" } });
const prefetched = new Map(
  [...(pageCompiles ? [] : ["pyodide.asm.wasm"]), "python_stdlib.zip"].map((name) => [`${PYODIDE_BASE}${name}`, nativeFetch(`${PYODIDE_BASE}${name}`)]),
);
for (const response of prefetched.values()) response.catch(() => {});
/**
 * `fetch`, except that the first request for a prefetched URL gets the response already on
 * its way, and the WebAssembly the page compiles is a token. Pyodide fetches its files with the
 * global `fetch`; nothing else is changed.
 * @param {RequestInfo | URL} input @param {RequestInit} [init]
 */
self.fetch = (input, init) => {
  const url = input instanceof Request ? input.url : new URL(input, self.location.href).href;
  if (pageCompiles && url === WASM_URL && !init?.integrity) return Promise.resolve(WASM_TOKEN);
  const response = prefetched.get(url);
  if (!response || init?.integrity || (init?.method && init.method !== "GET")) return nativeFetch(input, init);
  prefetched.delete(url);
  return response;
};
const nativeInstantiateStreaming = WebAssembly.instantiateStreaming.bind(WebAssembly);
/**
 * `instantiateStreaming`, except that the token stands for the page's compiled module.
 * @param {Response | PromiseLike<Response>} source @param {WebAssembly.Imports} [imports]
 */
WebAssembly.instantiateStreaming = async (source, imports) => {
  const response = await source;
  if (response !== WASM_TOKEN) return nativeInstantiateStreaming(response, imports);
  const module = await wasmModule;
  if (!module) return nativeInstantiateStreaming(nativeFetch(WASM_URL), imports);
  return { module, instance: await WebAssembly.instantiate(module, imports) };
};
/** Rendered by build.py (templates/build-info.js.j2), so named here, not imported by path. */
const BUILD_INFO = "./build-info.js";
const BUILD = import(BUILD_INFO).then((module) => /** @type {{engine_hash: string, lock_info: unknown}} */ (module.BUILD));
const store = import("./store.js");
const engineZip = fetch(ENGINE_ZIP_URL).then((response) => {
  if (!response.ok) throw new Error(`Failed to load the engine (HTTP ${response.status})`);
  return response.arrayBuffer();
}).then((bytes) => { mark("engine_zip"); return new Uint8Array(bytes); });
const snapshotKey = BUILD.then((build) => new URL(`../../__snapshot__/${build.engine_hash}.bin`, import.meta.url).href);
const SNAPSHOT_CACHE = "followthrough-snapshots";
const snapshotResponse = FLAGS.has("nosnapshot") ? Promise.resolve(null) : findSnapshot();
/**
 * The user's records, read for `load` and then let go (null): a heavy user's are tens of MiB.
 * @type {Promise<Record<string, unknown[]>> | null}
 */
let userData = store.then(({ loadAll }) => loadAll()).then((data) => { mark("data_read"); return data; });
const inbox = store.then(({ readInbox }) => readInbox());
for (const promise of [engineZip, userData, inbox]) promise.catch(() => {});

/** This build's snapshot in Cache Storage, if any: its body is read by `loadPyodide` itself. */
async function findSnapshot() {
  try {
    const cache = await caches.open(SNAPSHOT_CACHE);
    return (await cache.match(await snapshotKey)) ?? null;
  } catch {
    return null;
  }
}

/** @typedef {import("./engine-boot.js").EngineModule} EngineModule */
/** @type {EngineModule | null} */
let api = null;
/** @type {Promise<void>} */
let ready;
/** Requests are answered strictly in order, so a command is never overtaken by a read. */
let queue = Promise.resolve();

/** @param {string} stage @param {Record<string, unknown>} [extra] */
function report(stage, extra = {}) {
  self.postMessage({ type: "stage", stage, ...extra });
}

async function boot() {
  let stage = "runtime";
  try {
    report("runtime");
    const [{ startRuntime, importEngine, replaceSnapshot }, found, build] = await Promise.all([bootModule, snapshotResponse, BUILD]);
    mark("snapshot_found");
    const { pyodide, boot: bootPath } = await startRuntime({ pyodideModule, base: PYODIDE_BASE, build, engineZip, found, mark });
    mark("runtime");

    stage = "engine";
    report("engine", { runtime_ms: marks.runtime });
    const engine = importEngine(pyodide, bootPath);
    api = engine.api;
    mark("engine");

    stage = "data";
    report("data", { engine_ms: marks.engine });
    const data = await userData;
    userData = null;
    const loaded = callApi({ op: "load", data });
    if (!loaded.ok) throw new Error(loaded.message);
    const waiting = await inbox.catch(() => []);
    if (waiting.length) await replayInbox(waiting);
    mark("ready");
    marks.heap_mib = Math.round((pyodide._module?.HEAP8?.byteLength ?? 0) / 2 ** 20);

    report("ready", {
      boot: bootPath,
      runtime_ms: marks.runtime,
      engine_ms: marks.engine,
      ready_ms: marks.ready,
      marks,
      counts: loaded.counts,
      set_aside: loaded.set_aside, // records the engine could not read (docs/engine-api.md)
      worker_started_at: performance.timeOrigin,
    });
    // Time has passed since the last one was written: the coming mornings are new.
    scheduleSoon();
    if (engine.made) {
      const cache = await caches.open(SNAPSHOT_CACHE).catch(() => null);
      if (cache) await replaceSnapshot(cache, await snapshotKey, engine.made);
    }
  } catch (error) {
    console.error(error);
    // The words are engine-boot.js's; if that module itself could not be loaded, a plain one.
    const explain = await bootModule.then((m) => m.explainBootError, () => null);
    report("failed", { message: explain ? explain(stage, error) : `The follow-up engine failed to start (${stage}). Your data is safe; reopen the app to try again.` });
    throw error;
  }
}

/**
 * Ask Python. @param {Record<string, unknown>} request
 * @returns {import("./types.js").Answer}
 */
function callApi(request) {
  // Called only once the engine is loaded (after `ready`, or by `boot` itself).
  return JSON.parse(/** @type {EngineModule} */ (api).call(JSON.stringify(request)));
}

/** Ops whose `put`/`delete` are not this device's edits: sync's merges are written by `sync_apply`. */
const NOT_COMMITTED = new Set(["merge"]);
/** Sync's bookkeeping (sync-store.js), run at once: it needs no engine. */
const SYNC_STORE = new Set([
  "readMeta", "updateMeta", "readStatus", "setClockOffset", "resetCursor", "readOutbox",
  "saveBatch", "acknowledge", "forgetAccount", "readRejects", "listRejects", "dropRejects",
  "requeueAll", "readHeads", "putHead",
]);

/** What a worker tells the other tabs' workers after each commit. */
const tabs = typeof BroadcastChannel === "function" ? new BroadcastChannel("followthrough-changes") : null;

/**
 * An answer (or a sync page's result) that may carry records to write.
 * @typedef {{put?: import("./types.js").Change["put"], delete?: import("./types.js").Change["delete"], [key: string]: unknown}} Writes
 */

/**
 * The records an answer writes: its `put`/`delete`, the history entries it keeps (`history`,
 * `meta` records, followup/history_ops.py) and what it erases (`erase`, stamped as erased).
 * @param {Writes} answer @returns {import("./types.js").Change | null}
 */
function changeOf(answer) {
  const put = { ...(answer.put ?? {}) };
  const del = { ...(answer.delete ?? {}) };
  const history = /** @type {{put?: any[], delete?: string[]} | undefined} */ (answer.history);
  if (history?.put?.length) put.meta = [...(put.meta ?? []), ...history.put];
  if (history?.delete?.length) del.meta = [...(del.meta ?? []), ...history.delete];
  const erase = /** @type {Record<string, string[]> | undefined} */ (answer.erase);
  const written = Object.values(put).some((r) => r?.length) || Object.values(del).some((r) => r?.length);
  return written ? { put, delete: del, ...(erase ? { erase } : {}) } : null;
}

/** @param {Writes} change @returns {string[]} */
function storesOf(change) {
  return [...new Set([...Object.keys(change.put ?? {}), ...Object.keys(change.delete ?? {})])];
}

/**
 * Save what an answer changed, with memory and disk changing together: if the write fails,
 * the engine is put back as it was before the request (`rollback`) and the answer says so.
 * Synced records are stamped by the engine (`stamp`) inside the same transaction.
 * @param {Extract<import("./types.js").Answer, {ok: true}>} answer @param {{inbox?: number}} [options]
 * @returns {Promise<import("./types.js").Answer>}
 */
async function save(answer, options) {
  const change = changeOf(answer);
  if (!change && options?.inbox === undefined) return answer;
  const { commit } = await store;
  try {
    await commit(change ?? {}, undefined, { ...options, stamp: (request) => callApi({ ...request, op: "stamp" }) });
  } catch (error) {
    callApi({ op: "rollback" });
    const message = error instanceof Error ? error.message : String(error);
    const { AlreadyReplayed } = await store;
    return { ok: false, error: error instanceof AlreadyReplayed ? "already-replayed" : "not-saved", message };
  }
  if (change) {
    tabs?.postMessage({ type: "committed", put: change.put ?? {}, delete: change.delete ?? {} });
    scheduleSoon();
  }
  return answer;
}

/**
 * The coming mornings' digests are written again this long after the last change: a burst of
 * edits costs one schedule (14 Todays: 0.3–0.7 s on CPython for bench/heavy.py's 5,000 people).
 */
const SCHEDULE_DELAY_MS = 1000;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let scheduleTimer;

/** Data or decisions changed (or the engine just started): write the schedule again soon. */
function scheduleSoon() {
  clearTimeout(scheduleTimer);
  scheduleTimer = setTimeout(() => {
    queue = queue.then(writeSchedule).catch((error) => console.warn("Could not write the reminder schedule:", error));
  }, SCHEDULE_DELAY_MS);
}

/**
 * The engine's `schedule` for this device (its clock, its UTC offset on each coming day, its
 * id), kept in IndexedDB for the service worker's morning digest. Cheap when reminders are off.
 */
async function writeSchedule() {
  const { deviceId, putSchedule } = await store;
  const now = new Date();
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  const today = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  // Minutes east of UTC at noon of each day from today (docs/engine-api.md, "schedule").
  const offsets = Array.from({ length: 15 }, (_, i) => -new Date(now.getFullYear(), now.getMonth(), now.getDate() + i, 12).getTimezoneOffset());
  const answer = callApi({ op: "schedule", now: now.toISOString(), today, offsets, device: await deviceId() });
  if (!answer.ok) throw new Error(answer.message);
  const { ok, ...schedule } = answer;
  await putSchedule(schedule);
}

/**
 * Replay the commands made before the engine was up, oldest first, each with its own clock.
 * A command the engine refuses is set aside with its reason (never lost) and reported; a write
 * that fails leaves the rest for the next replay.
 * @param {import("./types.js").InboxEntry[]} [entries]
 */
async function replayInbox(entries) {
  const { readInbox, refuse } = await store;
  entries = (entries ?? (await readInbox())).filter((e) => !e.refused);
  /** @type {Set<string>} */
  const stores = new Set();
  /** @type {import("./types.js").InboxEntry[]} */
  const refused = [];
  for (const entry of entries) {
    const answer = callApi({
      op: "command", name: entry.name, payload: entry.payload, now: entry.at, today: entry.today,
    });
    if (!answer.ok) {
      const reason = { error: answer.error, message: answer.message };
      // Set aside on disk when it can be; on a full disk it stays as it was (refused again at
      // the next replay), and the engine starts all the same.
      await refuse(entry.seq, reason).catch((error) => console.warn("Could not set a refused command aside:", error));
      refused.push({ ...entry, refused: reason });
      continue;
    }
    const saved = await save(answer, { inbox: entry.seq });
    if (saved.ok) for (const name of storesOf(saved)) stores.add(name);
    else if (saved.error !== "already-replayed") break;
  }
  if (stores.size) {
    self.postMessage({ type: "changed", stores: [...stores], source: "inbox" });
    scheduleSoon();
  }
  if (refused.length) self.postMessage({ type: "refused", entries: refused });
}

/**
 * An op for the engine, or one of the worker's own (types.js `WorkerRequest`).
 * @param {{op: string, [field: string]: unknown}} request
 * @returns {Promise<import("./types.js").Answer>}
 */
async function handle(request) {
  await ready;
  if (request.op === "inbox") {
    await replayInbox();
    return { ok: true };
  }
  if (request.op === "sync_apply") return applySyncPage(/** @type {SyncApply} */ (request));
  const { with_today: withToday, ...engineRequest } = request;
  const answer = callApi(engineRequest);
  if (!answer.ok || NOT_COMMITTED.has(request.op)) return answer;
  if (!withToday) return save(answer);
  // Today after this command, worked out while its changes are being written (the engine's
  // `today` changes nothing, so a failed write still rolls the command back) and shown only
  // once they are on disk: the page needs no second round trip to refresh Today.
  const saving = save(answer);
  const today = callApi({ op: "today", now: request.now, today: request.today });
  const saved = await saving;
  return saved.ok && today.ok ? { ...saved, today } : saved;
}

/**
 * Sync's bookkeeping: one sync-store.js function on the sync stores.
 * @param {{fn: string, args?: unknown[]}} request
 * @returns {Promise<import("./types.js").Answer>}
 */
async function syncStore({ fn, args = [] }) {
  if (!SYNC_STORE.has(fn)) return { ok: false, error: "unknown-op", message: `There is no sync store function '${fn}'.` };
  // One of sync-store.js's functions, by the name the page sent (checked above): each takes the
  // database, then its own arguments.
  const module = /** @type {Record<string, (...args: unknown[]) => unknown>} */ (/** @type {unknown} */ (await store));
  try {
    return { ok: true, value: await module[fn](await module.database(), ...args) };
  } catch (error) {
    return { ok: false, error: "not-saved", message: error instanceof Error ? error.message : String(error) };
  }
}

/** The worker's `sync_apply` request: a pulled page and its cursor. @typedef {Extract<import("./types.js").WorkerRequest, {op: "sync_apply"}>} SyncApply */

/**
 * A pulled, decrypted page: read the local states, merge them in the engine and write the
 * result with the page's cursor, in one transaction. The engine takes the merged records at
 * once; if the write fails it is put back (`rollback`). Other tabs and the page are told.
 * @param {SyncApply} request
 * @returns {Promise<import("./types.js").Answer>}
 */
async function applySyncPage({ page, cursor }) {
  const { applyPage, database, ENGINE_STORES } = await store;
  let merged = false;
  let applied;
  try {
    applied = await applyPage(await database(), page, cursor, (request) => {
      merged = true;
      return callApi({ ...request, op: "merge" });
    }, ENGINE_STORES);
  } catch (error) {
    if (merged) callApi({ op: "rollback" });
    // applyPage rethrows the engine's refusal of a merge as it came: a failed answer.
    const refused = /** @type {import("./types.js").Failure | null | undefined} */ (error);
    if (refused && refused.ok === false) return refused;
    return { ok: false, error: "not-saved", message: error instanceof Error ? error.message : String(error) };
  }
  const change = changeOf(applied);
  if (change) {
    tabs?.postMessage({ type: "committed", put: change.put ?? {}, delete: change.delete ?? {} });
    self.postMessage({ type: "changed", stores: storesOf(change), source: "sync" });
    scheduleSoon();
  }
  return { ok: true, changed: applied.changed, conflicts: applied.conflicts, drifting: applied.drifting, rejected: applied.rejected, timings: applied.timings };
}

/**
 * Another tab's worker saved a change: take it into this engine, and tell the page.
 * @param {import("./types.js").TabChange} change
 */
function takeFromTab(change) {
  queue = queue.then(async () => {
    await ready;
    const answer = callApi({ op: "apply", put: change.put, delete: change.delete });
    if (!answer.ok) {
      console.warn("Could not take another tab's change:", answer.message);
      return;
    }
    self.postMessage({ type: "changed", stores: storesOf(change), source: "tab" });
    scheduleSoon();
  }).catch((error) => console.warn(error));
}
if (tabs) tabs.onmessage = (event) => { if (event.data?.type === "committed") takeFromTab(event.data); };

ready = boot();
ready.catch(() => {});

/**
 * A mail archive read in chunks (`mbox_stream {file, first_line}`, mail-stream.js), each chunk
 * fed through the queue so other requests are answered in between, with `progress` messages;
 * or a stream cancelled (`mbox_cancel {session}`), at once.
 * @param {number} id @param {Record<string, unknown> & {op: string}} request
 */
function streamMail(id, request) {
  /** @type {import("./mail-stream.js").Ask} */
  const ask = (step) => new Promise((resolve) => {
    queue = queue.then(() => handle(step)).then(resolve, (error) => resolve({
      ok: false, error: "engine-unavailable", message: error instanceof Error ? error.message : String(error),
    }));
  });
  import("./mail-stream.js").then((stream) => {
    if (request.op === "mbox_cancel") {
      stream.cancel(String(request.session));
      return { ok: true };
    }
    const args = /** @type {{file: File, first_line?: boolean}} */ (/** @type {unknown} */ (request));
    return stream.streamMbox(args, ask, (progress) => self.postMessage({ type: "progress", id, ...progress }));
  }).then(
    (response) => self.postMessage({ type: "response", id, response }),
    (error) => self.postMessage({ type: "response", id, response: { ok: false, error: "engine-unavailable", message: String(error) } }),
  );
}

self.onmessage = (event) => {
  if (event.data?.type === "wasm-module") return;
  const { id, request } = event.data;
  if (request?.op === "sync_store") {
    syncStore(request).then((response) => self.postMessage({ type: "response", id, response }));
    return;
  }
  if (request?.op === "mbox_stream" || request?.op === "mbox_cancel") {
    streamMail(id, request);
    return;
  }
  queue = queue.then(() => handle(request)).then(
    (response) => self.postMessage({ type: "response", id, response }),
    (error) => self.postMessage({
      type: "response",
      id,
      response: {
        ok: false,
        error: "engine-unavailable",
        message: error instanceof Error ? error.message : String(error),
      },
    }),
  );
};
