// @ts-check
/**
 * The engine worker's boot (engine.worker.js starts every download at once, then hands them
 * here): Pyodide started from this build's memory snapshot when there is one, plainly
 * otherwise (a stale or damaged snapshot is never fatal); the engine imported; a new snapshot
 * made after a plain boot and kept in Cache Storage; and the unpacked snapshot let go once the
 * runtime has been laid out from it (30 MiB that would otherwise stay alive with the runtime).
 */
import { packSnapshot, unpackSnapshot } from "./snapshot-codec.js";

/** The stored snapshot's unpacked length, so its memory can be laid out before it is read. */
const LENGTH_HEADER = "x-snapshot-length";
/** Where the engine's zip is written in Pyodide's file system. */
export const ENGINE_ZIP_PATH = "/home/pyodide/followup.zip";

/**
 * The parts of Pyodide this worker uses (pyodide.mjs is loaded by URL, so it comes untyped).
 * @typedef {{mkdirTree: (path: string) => void, writeFile: (path: string, data: Uint8Array) => void}} PyodideFS
 * @typedef {{runPython: (code: string) => unknown, makeMemorySnapshot: () => Uint8Array,
 *   pyimport: (name: string) => EngineModule, _module?: {HEAP8?: Uint8Array}}} Pyodide
 * @typedef {{call: (request: string) => string}} EngineModule `followup.api`: JSON text in, JSON text out
 */

/**
 * What the worker started before anything was awaited, for `startRuntime`.
 * @typedef {{
 *   pyodideModule: Promise<{loadPyodide: (options: Record<string, unknown>) => Promise<Pyodide>}>,
 *   base: string,
 *   build: {engine_hash: string, lock_info: unknown},
 *   engineZip: Promise<Uint8Array>,
 *   found: Response | null,
 *   mark: (name: string) => void,
 * }} Started
 */

/**
 * Words a user understands for what went wrong during boot.
 * @param {string} stage @param {unknown} error
 */
export function explainBootError(stage, error) {
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

/**
 * Keep exactly one snapshot in `cache`: this build's (`key`).
 * @param {Cache} cache @param {string} key @param {Uint8Array | null} bytes
 */
export async function replaceSnapshot(cache, key, bytes) {
  try {
    for (const request of await cache.keys()) {
      if (request.url !== key || !bytes) await cache.delete(request);
    }
    if (bytes) {
      // packSnapshot returns a fresh array on its own ArrayBuffer (never a shared one).
      const packed = /** @type {Uint8Array<ArrayBuffer>} */ (packSnapshot(bytes));
      await cache.put(key, new Response(packed, {
        headers: { "content-type": "application/octet-stream", [LENGTH_HEADER]: String(bytes.length) },
      }));
    }
  } catch (error) {
    // A full disk only costs the next boot some speed.
    console.warn("Could not store the engine snapshot:", error);
  }
}

/**
 * The snapshot `found` in Cache Storage. When its length is known, `bytes` resolves at once
 * with a buffer of that length, and `filled` once the snapshot is in it: the runtime lays out
 * its memory and compiles while the snapshot is still being read.
 * @param {Response} found @param {(name: string) => void} mark
 * @returns {{bytes: Promise<Uint8Array>, filled: Promise<unknown>}}
 */
function readSnapshot(found, mark) {
  const length = Number(found.headers.get(LENGTH_HEADER));
  const into = Number.isSafeInteger(length) && length > 0 ? new Uint8Array(length) : undefined;
  const unpacked = found.arrayBuffer().then((stored) => {
    mark("snapshot_read");
    return unpackSnapshot(stored, into);
  });
  return into ? { bytes: Promise.resolve(into), filled: unpacked } : { bytes: unpacked, filled: unpacked };
}

/**
 * Let go of an unpacked snapshot's memory. Pyodide keeps the promise of its bytes in its
 * config for as long as the runtime lives, so dropping our references is not enough: the
 * buffer is detached (moved into one nobody holds), which frees it whoever still points at it.
 * @param {Promise<Uint8Array>} bytes
 */
async function release(bytes) {
  const { buffer } = await bytes.catch(() => ({ buffer: null }));
  if (!(buffer instanceof ArrayBuffer) || buffer.byteLength === 0) return;
  const transferable = /** @type {ArrayBuffer & {transfer?: (length: number) => ArrayBuffer}} */ (buffer);
  if (typeof transferable.transfer === "function") transferable.transfer(0);
  else structuredClone(buffer, { transfer: [buffer] });
}

/**
 * Start Pyodide, from a snapshot or plainly, ready to make one. `loadPyodide` awaits the
 * snapshot's bytes after it has started fetching and compiling the runtime, takes their length
 * for its memory, and reads them only after `fsInit`, which waits until they are `filled`.
 * @param {Started} started
 * @param {{bytes: Promise<Uint8Array>, filled: Promise<unknown>} | null} snapshot
 * @returns {Promise<Pyodide>}
 */
async function load(started, snapshot) {
  const { loadPyodide } = await started.pyodideModule;
  return loadPyodide({
    indexURL: started.base,
    lockFileContents: { info: started.build.lock_info, packages: {} },
    packageBaseUrl: started.base,
    // MEMFS is not in the snapshot: the engine's zip is written again on every boot.
    fsInit: async (/** @type {PyodideFS} */ FS) => {
      FS.mkdirTree("/home/pyodide");
      FS.writeFile(ENGINE_ZIP_PATH, await started.engineZip);
      // A snapshot that failed to fill is left unrecognisable: the restore then fails cleanly.
      if (snapshot) await snapshot.filled.catch(() => {});
    },
    ...(snapshot ? { _loadSnapshot: snapshot.bytes } : { _makeSnapshot: true }),
  });
}

/**
 * The runtime, from `found` (this build's snapshot) when it restores, plainly otherwise.
 * @param {Started} started
 * @returns {Promise<{pyodide: Pyodide, boot: "snapshot" | "plain"}>}
 */
export async function startRuntime(started) {
  const { found, engineZip, mark } = started;
  if (found) {
    /** @type {Promise<Pyodide> | undefined} */
    let runtime;
    const snapshot = readSnapshot(found, mark);
    try {
      runtime = load(started, snapshot);
      // A failed engine download is reported as such, not as a failed snapshot.
      const [pyodide] = await Promise.all([runtime, engineZip, snapshot.filled]);
      // The snapshot froze the random generator's state: reseed.
      pyodide.runPython("import random; random.seed()");
      return { pyodide, boot: "snapshot" };
    } catch (error) {
      // The failed start ends first (an unreadable snapshot is refused by the restore), so
      // two runtimes never hold memory at once.
      await runtime?.catch(() => {});
      if (!(await engineZip.then(() => true, () => false))) throw error;
      // A stale or damaged snapshot is never fatal: boot plainly and replace it.
      console.warn("Snapshot boot failed, booting plainly:", error);
    } finally {
      // Restored (or refused): the runtime's memory is laid out, the unpacked copy is not needed.
      await release(snapshot.bytes);
    }
  }
  const [pyodide] = await Promise.all([load(started, null), engineZip]);
  return { pyodide, boot: "plain" };
}

/**
 * The engine, imported (after a plain boot, with a snapshot made first).
 * @param {Pyodide} pyodide @param {"snapshot" | "plain"} boot
 * @returns {{api: EngineModule, made: Uint8Array | null}}
 */
export function importEngine(pyodide, boot) {
  /** @type {Uint8Array | null} */
  let made = null;
  if (boot === "plain") {
    pyodide.runPython(`import sys\nsys.path.insert(0, ${JSON.stringify(ENGINE_ZIP_PATH)})\nimport followup.api`);
    // Taken before Python holds any JS object, as the snapshot requires.
    try {
      made = pyodide.makeMemorySnapshot();
    } catch (error) {
      console.warn("Could not make an engine snapshot:", error);
    }
  }
  return { api: pyodide.pyimport("followup.api"), made };
}
