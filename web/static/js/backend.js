// @ts-check
/**
 * The one interface screens talk to. A screen never opens IndexedDB and never builds a record:
 *
 * - `send(op, args)` asks the engine (followup.api) anything; the shell's clock (`now`, `today`)
 *   is added to every request, and the answer is `{ok: true, ...}` or `{ok: false, error,
 *   message, field}` (it never rejects).
 *   An answer that carries `put`/`delete` was saved by the engine worker (in one transaction,
 *   with sync stamping) before it came back; if it could not be, the answer is `{ok: false,
 *   error: "not-saved"}` and the engine is as it was.
 * - `command(name, payload)` runs one engine command; when it resolves ok, its changes are on
 *   disk and the engine holds them. Before the engine is up, the command is kept in the inbox
 *   (on disk when this resolves `{ok: true, queued: true}`) and replayed once it is.
 * - events: `stage` (the engine's boot, `detail` as types.js's Stage), `changed` (records
 *   changed on this device, whoever changed them; `detail` as types.js's Changed: source
 *   "command", "op", "inbox", "tab" or "sync"), and `refused` (`detail`: inbox entries the
 *   engine refused when it replayed them; they are kept, with their reason), and `progress`
 *   (a long request's progress, `detail` as types.js's Progress: a mail archive read in chunks).
 *   A screen re-reads what it shows when a store it shows is among `stores`.
 * - `drafts`: what a form holds while it is being typed, so a reload or a closed app loses
 *   nothing (these are the shell's own notes, never synced and never seen by the engine).
 */
import { localDate } from "./dom.js";
import { Engine } from "./engine.js";
import * as store from "./store.js";

/** @typedef {import("./types.js").Answer} Answer */
/** @typedef {import("./types.js").Changed} Changed */

/** Ops whose `put`/`delete` are other devices' records, announced by sync itself. */
const NOT_LOCAL = new Set(["merge"]);

export class Backend extends EventTarget {
  /** @param {Engine} [engine] */
  constructor(engine = new Engine()) {
    super();
    this.engine = engine;
    for (const type of ["stage", "changed", "refused", "progress"]) {
      engine.addEventListener(type, (event) => {
        this.dispatchEvent(new CustomEvent(type, { detail: /** @type {CustomEvent} */ (event).detail }));
      });
    }
    /** Form drafts: read, write (on every input) and drop. */
    this.drafts = {
      /**
       * The draft kept under `id` (with its `id`); undefined when there is none, null when it
       * cannot be read. `T`: the shape the screen kept (drafts are the shell's own notes).
       * @template [T=Record<string, unknown>]
       * @param {string} id @returns {Promise<T | null | undefined>}
       */
      get: (id) => /** @type {Promise<T | undefined>} */ (store.get("drafts", id)).catch(() => null),
      /** @param {string} id @param {Record<string, unknown>} value */
      put: (id, value) => store.commit({ put: { drafts: [{ ...value, id }] } }, undefined, { durability: "relaxed" }),
      /** @param {string} id */
      drop: (id) => store.commit({ delete: { drafts: [id] } }, undefined, { durability: "relaxed" }),
    };
  }

  /**
   * One of the shell's own records that the engine does not keep (meta `backup`, written by
   * Import and export), for Settings' storage section. Read-only.
   * @param {string} name @param {string} id
   * @returns {Promise<import("./types.js").StoredRecord | null | undefined>}
   */
  shellRecord(name, id) {
    return /** @type {Promise<import("./types.js").StoredRecord | undefined>} */ (store.get(name, id)).catch(() => null);
  }

  /** This device's id (meta `device`, never synced): reminders name quiet devices by it. */
  deviceId() {
    return store.deviceId();
  }

  get ready() {
    return this.engine.ready;
  }

  get stage() {
    return this.engine.stage;
  }

  /**
   * Ask the engine.
   * @template {string} K
   * @param {K} op @param {Record<string, unknown>} [args]
   * @returns {Promise<import("./types.js").AnswerOf<K>>}
   */
  async send(op, args = {}) {
    const now = new Date();
    const answer = await this.engine.call({ ...args, op, now: now.toISOString(), today: localDate(now) });
    if (answer.ok && !NOT_LOCAL.has(op)) this.changed(storesOf(answer), op === "command" ? "command" : "op", answer.today);
    // The engine's answer to `op`: its shape is that op's (types.js `Answers`).
    return /** @type {import("./types.js").AnswerOf<K>} */ (/** @type {unknown} */ (answer));
  }

  /**
   * Run one engine command; its changes are on disk when this resolves ok. Before the engine is
   * up it is kept in the inbox instead, and replayed (once) when the engine is.
   * @param {string} name @param {Record<string, unknown>} payload
   * @returns {Promise<Answer>}
   */
  async command(name, payload) {
    if (this.engine.ready) {
      // The worker answers with Today after it too (`today`), for the `changed` listeners.
      const answer = await this.send("command", { name, payload, with_today: true });
      // Whoever sent it, the app's toast offers its undo ("Saved · Undo").
      if (answer.ok && answer.undo) this.dispatchEvent(new CustomEvent("undoable", { detail: answer.undo }));
      return answer;
    }
    const now = new Date();
    try {
      await store.enqueue({ id: crypto.randomUUID(), name, payload, at: now.toISOString(), today: localDate(now) });
    } catch (error) {
      return { ok: false, error: "not-saved", message: error instanceof Error ? error.message : String(error) };
    }
    // Replayed at boot, or now if the engine came up while this was being written.
    this.engine.call({ op: "inbox" });
    return { ok: true, queued: true };
  }

  /**
   * Write one of the shell's own records, which the engine does not keep (meta `backup`: when
   * the last backup file was made), for Import and export. A synced store is refused (store.js).
   * @param {string} name @param {Record<string, unknown> & {id: string}} record
   */
  putShellRecord(name, record) {
    return store.commit({ put: { [name]: [record] } });
  }

  /**
   * Tell every screen that these stores changed (`today`: Today after the change, when the
   * worker sent it with a command's answer).
   * @param {string[]} stores @param {string} source @param {unknown} [today]
   */
  changed(stores, source, today) {
    if (!stores.length) return;
    /** @type {import("./types.js").Changed} */
    const detail = { stores, source };
    if (today) detail.today = /** @type {import("./types.js").AnswerOf<"today">} */ (today);
    this.dispatchEvent(new CustomEvent("changed", { detail }));
  }
}

/** The stores an answer wrote. @param {Record<string, unknown>} answer @returns {string[]} */
export function storesOf(answer) {
  return [...new Set([...Object.keys(answer.put ?? {}), ...Object.keys(answer.delete ?? {})])];
}
