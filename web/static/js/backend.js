// @ts-check
/**
 * The one interface screens talk to. A screen never opens IndexedDB and never builds a record:
 *
 * - `send(op, args)` asks the engine (followup.api) anything; the shell's clock (`now`, `today`)
 *   is added to every request, and the answer is `{ok: true, ...}` or `{ok: false, error,
 *   message, field}` (it never rejects).
 * - `command(name, payload)` runs one engine command; when it resolves ok, its changes are on
 *   disk and the engine holds them.
 * - events: `stage` (the engine's boot, `detail` as engine.js's Stage) and `changed` (records
 *   changed on this device, whoever changed them: a command here, another tab, a sync, an
 *   import; `detail: {stores: string[], source: "command" | "tab" | "sync" | "import" | "inbox"}`).
 *   A screen re-reads what it shows when a store it shows is among `stores`.
 * - `drafts`: what a form holds while it is being typed, so a reload or a closed app loses
 *   nothing (these are the shell's own notes, never synced and never seen by the engine).
 */
import { localDate } from "./dom.js";
import { Engine } from "./engine.js";
import * as store from "./store.js";

/** @typedef {{ok: true, [key: string]: any} | {ok: false, error: string, message: string, field?: string | null}} Answer */
/** @typedef {{stores: string[], source: string}} Changed */

export class Backend extends EventTarget {
  /** @param {Engine} [engine] */
  constructor(engine = new Engine()) {
    super();
    this.engine = engine;
    engine.addEventListener("stage", (event) => {
      this.dispatchEvent(new CustomEvent("stage", { detail: /** @type {CustomEvent} */ (event).detail }));
    });
    /** Form drafts: read, write (on every input) and drop. */
    this.drafts = {
      /** @param {string} id @returns {Promise<any>} */
      get: (id) => store.get("drafts", id).catch(() => null),
      /** @param {string} id @param {Record<string, unknown>} value */
      put: (id, value) => store.commit({ put: { drafts: [{ ...value, id }] } }),
      /** @param {string} id */
      drop: (id) => store.commit({ delete: { drafts: [id] } }),
    };
  }

  /**
   * One of the shell's own records that the engine does not keep (meta `backup`, written by
   * Import and export). Read-only; added for Settings' storage section until core's own API.
   * @param {string} name @param {string} id @returns {Promise<any>}
   */
  shellRecord(name, id) {
    return store.get(name, id).catch(() => null);
  }

  get ready() {
    return this.engine.ready;
  }

  get stage() {
    return this.engine.stage;
  }

  /**
   * Ask the engine.
   * @param {string} op @param {Record<string, unknown>} [args]
   * @returns {Promise<any>}
   */
  send(op, args = {}) {
    const now = new Date();
    return this.engine.call({ ...args, op, now: now.toISOString(), today: localDate(now) });
  }

  /**
   * Run one engine command; its changes are on disk when this resolves ok.
   * @param {string} name @param {Record<string, unknown>} payload
   * @returns {Promise<any>}
   */
  async command(name, payload) {
    const answer = await this.send("command", { name, payload });
    if (answer.ok) this.changed(storesOf(answer), "command");
    return answer;
  }

  /**
   * Tell every screen that these stores changed.
   * @param {string[]} stores @param {string} source
   */
  changed(stores, source) {
    if (stores.length) this.dispatchEvent(new CustomEvent("changed", { detail: { stores, source } }));
  }
}

/** The stores an answer wrote. @param {any} answer @returns {string[]} */
export function storesOf(answer) {
  return [...new Set([...Object.keys(answer.put ?? {}), ...Object.keys(answer.delete ?? {})])];
}
