// @ts-check
/**
 * The engine worker: boots Pyodide in named stages (runtime, engine, data, ready), from a
 * memory snapshot when one matches this build, and answers `{id, request}` messages by calling
 * `followup.api.call(json) -> json`. Commands' changes are written to IndexedDB here, before
 * the page is told they are saved. Only JSON strings cross into Python.
 */
import { BUILD } from "./build-info.js";
import { loadAll, commit } from "./store.js";

const PYODIDE_BASE = new URL("../../pyodide/", import.meta.url).href;
const ENGINE_ZIP_URL = new URL("../../py/followup.zip", import.meta.url).href;
const ENGINE_ZIP_PATH = "/home/pyodide/followup.zip";
const SNAPSHOT_CACHE = "followthrough-snapshots";
const SNAPSHOT_KEY = new URL(`../../__snapshot__/${BUILD.engine_hash}.bin`, import.meta.url).href;

/** Fetched and compiled while the snapshot is read from the cache. */
const pyodideModule = import(`${PYODIDE_BASE}pyodide.mjs`);

/** @type {any} */
let api = null;
/** @type {Promise<void>} */
let ready;
/** Requests are answered strictly in order, so a command is never overtaken by a read. */
let queue = Promise.resolve();

/** @param {string} stage @param {Record<string, unknown>} [extra] */
function report(stage, extra = {}) {
  self.postMessage({ type: "stage", stage, ...extra });
}

/**
 * Words a user understands for what went wrong during boot.
 * @param {string} stage @param {unknown} error
 */
function explainBootError(stage, error) {
  const detail = error instanceof Error ? error.message : String(error);
  if (/fetch|network|Failed to load/i.test(detail)) {
    return "The follow-up engine could not be loaded. Connect to the internet once so the app can finish installing; your data is safe.";
  }
  if (/memory|allocation/i.test(detail)) {
    return "The device ran out of memory while starting the follow-up engine. Close other apps and reopen Followthrough; your data is safe.";
  }
  if (/WebAssembly|wasm/i.test(detail)) {
    return "This browser cannot run the follow-up engine (WebAssembly is unavailable). Your captures are still saved.";
  }
  return `The follow-up engine failed to start (${stage}: ${detail}). Your data is safe; reopen the app to try again.`;
}

async function readSnapshot() {
  try {
    const cache = await caches.open(SNAPSHOT_CACHE);
    const response = await cache.match(SNAPSHOT_KEY);
    return response ? new Uint8Array(await response.arrayBuffer()) : null;
  } catch {
    return null;
  }
}

/** Keep exactly one snapshot: this build's. @param {Uint8Array | null} bytes */
async function replaceSnapshot(bytes) {
  try {
    const cache = await caches.open(SNAPSHOT_CACHE);
    for (const request of await cache.keys()) {
      if (request.url !== SNAPSHOT_KEY || !bytes) await cache.delete(request);
    }
    if (bytes) {
      await cache.put(SNAPSHOT_KEY, new Response(bytes, {
        headers: { "content-type": "application/octet-stream" },
      }));
    }
  } catch (error) {
    // A full disk only costs the next boot some speed.
    console.warn("Could not store the engine snapshot:", error);
  }
}

/**
 * @param {Uint8Array} engineZip
 * @param {Uint8Array | null} snapshot
 */
async function startRuntime(engineZip, snapshot) {
  const { loadPyodide } = await pyodideModule;
  return loadPyodide({
    indexURL: PYODIDE_BASE,
    lockFileContents: { info: BUILD.lock_info, packages: {} },
    packageBaseUrl: PYODIDE_BASE,
    // MEMFS is not in the snapshot: the engine's zip is written again on every boot.
    fsInit: async (/** @type {any} */ FS) => {
      FS.mkdirTree("/home/pyodide");
      FS.writeFile(ENGINE_ZIP_PATH, engineZip);
    },
    ...(snapshot ? { _loadSnapshot: snapshot } : { _makeSnapshot: true }),
  });
}

async function boot() {
  const t0 = performance.now();
  let stage = "runtime";
  try {
    report("runtime");
    const [engineZip, snapshot] = await Promise.all([
      fetch(ENGINE_ZIP_URL).then((r) => {
        if (!r.ok) throw new Error(`Failed to load the engine (HTTP ${r.status})`);
        return r.arrayBuffer();
      }).then((b) => new Uint8Array(b)),
      new URL(self.location.href).searchParams.has("nosnapshot") ? null : readSnapshot(),
    ]);
    const fetchedMs = performance.now() - t0;
    let pyodide = null;
    let bootPath = "plain";
    if (snapshot) {
      try {
        pyodide = await startRuntime(engineZip, snapshot);
        // The snapshot froze the random generator's state: reseed.
        pyodide.runPython("import random; random.seed()");
        bootPath = "snapshot";
      } catch (error) {
        // A stale or damaged snapshot is never fatal: boot plainly and replace it.
        console.warn("Snapshot boot failed, booting plainly:", error);
        pyodide = null;
      }
    }
    if (!pyodide) pyodide = await startRuntime(engineZip, null);
    const runtimeMs = performance.now() - t0;

    stage = "engine";
    report("engine", { runtime_ms: runtimeMs });
    /** @type {Uint8Array | null} */
    let made = null;
    if (bootPath === "plain") {
      pyodide.runPython(`import sys\nsys.path.insert(0, ${JSON.stringify(ENGINE_ZIP_PATH)})\nimport followup.api`);
      // Taken before Python holds any JS object, as the snapshot requires.
      try {
        made = pyodide.makeMemorySnapshot();
      } catch (error) {
        console.warn("Could not make an engine snapshot:", error);
      }
    }
    api = pyodide.pyimport("followup.api");
    const engineMs = performance.now() - t0;

    stage = "data";
    report("data", { engine_ms: engineMs });
    const data = await loadAll();
    const loaded = JSON.parse(api.call(JSON.stringify({ op: "load", data })));
    if (!loaded.ok) throw new Error(loaded.message);

    report("ready", {
      boot: bootPath,
      runtime_ms: runtimeMs,
      engine_ms: engineMs,
      ready_ms: performance.now() - t0,
      counts: loaded.counts,
      fetched_ms: fetchedMs,
      worker_started_at: performance.timeOrigin,
    });
    if (made) await replaceSnapshot(made);
  } catch (error) {
    console.error(error);
    report("failed", { message: explainBootError(stage, error) });
    throw error;
  }
}

/** @param {any} request */
async function handle(request) {
  await ready;
  if (request.op === "reload") {
    // The page wrote records itself (a capture): reread everything in one batch.
    const data = await loadAll();
    return JSON.parse(api.call(JSON.stringify({ op: "load", data })));
  }
  const response = JSON.parse(api.call(JSON.stringify(request)));
  if (response.ok && request.op === "command" && (response.put || response.delete)) {
    try {
      await commit({ put: response.put, delete: response.delete });
    } catch (error) {
      // The engine's memory ran ahead of the disk: put it back to what is saved.
      const data = await loadAll();
      api.call(JSON.stringify({ op: "load", data }));
      return {
        ok: false,
        error: "not-saved",
        message: error instanceof Error ? error.message : String(error),
      };
    }
  }
  return response;
}

ready = boot();
ready.catch(() => {});

self.onmessage = (event) => {
  const { id, request } = event.data;
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
