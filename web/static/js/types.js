// @ts-check
/**
 * JSDoc types of what crosses the engine worker's boundary (records and answers). Types only:
 * nothing here runs. Each helper keeps its own section.
 */

// --- Backend and worker (core) ------------------------------------------------------------------

/**
 * Records to write, by store (`{people: [...], meta: [...]}`), and ids to delete, by store.
 * @typedef {{put?: Record<string, any[]>, delete?: Record<string, string[]>}} Change
 */

/**
 * An engine answer: `{ok: true, ...}`, or an error naming the field at fault. `not-saved`: the
 * change could not be written, and the engine is as it was before the request.
 * @typedef {{ok: true, [key: string]: any} | {ok: false, error: string, message: string, field?: string | null}} Answer
 */

/**
 * A command made before the engine was up, kept in the `inbox` store until the worker replays
 * it (with `now` = `at`, `today` = `today`). `refused` is set when the engine refused it then.
 * @typedef {{seq: number, id: string, name: string, payload: Record<string, unknown>, at: string, today: string, refused?: {error: string, message: string}}} InboxEntry
 */

/**
 * Records changed on this device: `source` is who changed them ("command" for this tab's
 * command, "op" for another op's answer, "inbox" for a replayed command, "tab" for another
 * tab, "sync" for other devices).
 * @typedef {{stores: string[], source: string, op?: string}} Changed
 */

/**
 * The engine's boot progress (`stage`: starting, runtime, engine, data, ready, failed).
 * @typedef {{stage: string, boot?: string, message?: string, ready_ms?: number, runtime_ms?: number, engine_ms?: number, marks?: Record<string, number>, worker_started_at?: number}} Stage
 */

/**
 * What the worker posts to the page.
 * @typedef {(
 *   {type: "stage"} & Stage
 *   | {type: "response", id: number, response: Answer}
 *   | {type: "changed", stores: string[], source: string}
 *   | {type: "refused", entries: InboxEntry[]}
 * )} WorkerMessage
 */

/**
 * What the page posts to the worker: a request for `followup.api.call` (or the worker's own
 * `inbox` op: replay the inbox now), or the WebAssembly module the page compiled.
 * @typedef {{id: number, request: Record<string, unknown> & {op: string}} | {type: "wasm-module", module: WebAssembly.Module | null}} PageMessage
 */

/**
 * The worker's own requests (handled in engine.worker.js, not by Python): `inbox` (replay the
 * inbox now), `sync_store` (one sync-store.js function, at once, even while the engine boots;
 * answers `{ok, value}`), and `sync_apply` (merge and write one pulled page with its cursor in
 * one transaction; answers `{ok, changed, conflicts, drifting}`).
 * @typedef {(
 *   {op: "inbox"}
 *   | {op: "sync_store", fn: string, args?: unknown[]}
 *   | {op: "sync_apply", page: {ok: Array<{seq: number, key: string, state: any}>, rejected: any[]}, cursor: {id: string, since: number, log_id: string | null}}
 * )} WorkerRequest
 */

/**
 * What a worker tells the other tabs' workers after a commit.
 * @typedef {{type: "committed", put: Record<string, any[]>, delete: Record<string, string[]>}} TabChange
 */

export {};
