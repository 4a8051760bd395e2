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
 * What a worker tells the other tabs' workers after a commit.
 * @typedef {{type: "committed", put: Record<string, any[]>, delete: Record<string, string[]>}} TabChange
 */

// --- Capture and Import/Export (capture) --------------------------------------------------------

/**
 * A saved person offered in Capture's "introduced by" list (ops `capture_people`,
 * `capture_introducer`): `label` tells people with one name apart ("Sam Lee (Contoso)").
 * @typedef {{id: string, name: string, label: string, detail: string}} PersonOption
 */

/**
 * Op `capture_people`: the matches, and the typed name to offer as someone new (null when a
 * saved person has that name).
 * @typedef {{people: PersonOption[], new_name: string | null}} PeopleOptions
 */

/**
 * Op `capture_recent`: the people saved last (each with the lines shown under them), and the
 * latest events' names.
 * @typedef {{people: {id: string, name: string, lines: string[]}[], event_names: string[]}} RecentCaptures
 */

/**
 * The `capture` command's payload (docs/engine-api.md): a person new (`name`, ...) or saved
 * (`{id}` alone), and how you know them.
 * @typedef {{
 *   person: {id: string, [field: string]: unknown},
 *   event?: {id: string, name?: string, date?: string, place?: string} | null,
 *   introduced_by?: {id: string, name?: string, [field: string]: unknown} | null,
 *   introduction?: {id: string, kind?: string, context?: string, at?: string},
 *   met?: {id: string, at: string, kind?: string} | null,
 * }} CapturePayload
 */

/**
 * What the Capture form holds, as its draft keeps it (`drafts` id "capture").
 * @typedef {{
 *   name: string, context: string, introducer: string, event: string, event_date: string,
 *   organisation: string, role: string, email: string, phone: string, url: string,
 *   paste: string, event_mode: boolean, introducer_id: string | null,
 *   introducer_new: string | null,
 * }} CaptureDraft
 */

/**
 * What the Import and export screen is given by app.js.
 * @typedef {{
 *   backend: import("./backend.js").Backend,
 *   command: (name: string, payload: Record<string, unknown>) => Promise<any>,
 *   toast: (text: string) => void,
 *   tracker: {track: <T>(p: Promise<T>) => Promise<T>},
 *   navigate: (hash: string) => void,
 * }} TransferCtx
 */

/** What was read from a pasted or shared profile; "" for what could not be read.
 * @typedef {{name: string, role: string, organisation: string, url: string, email: string, phone: string}} SharedProfile
 */

// --- Follow-ups, drafts, the catalog and the gratitude round (today) ---------------------------

/**
 * One follow-up as the engine answers it (`today`, `person`, `draft`, `round`).
 * @typedef {{
 *   key: string, rule: string, person_ids: string[], who: string, why: string,
 *   since: string | null, due: string, all_day: boolean, overdue: boolean, overdue_hours: number,
 *   priority: number, channels: string[], group: string | null, mark: string | null,
 *   roles: string[], status: "open" | "snoozed", snoozed_until: string | null,
 *   refs: {introduction_id: string | null, interaction_id: string | null,
 *     opportunity_id: string | null, event_id: string | null, item: number | null},
 *   words?: RuleWords,
 * }} FollowUp
 */

/**
 * Today's answer (op `today`); the cached copy's follow-ups carry their words.
 * @typedef {{followups: FollowUp[], counts: {overdue: number, due: number, upcoming: number,
 *   snoozed: number, hidden: number, resting: number}}} Agenda
 */

/** Each channel's link (op `send_links`; "" when there is none) and which typed addresses are worth keeping.
 * @typedef {{links: {email: string, sms: string, call: string}, valid: {email: boolean, phone: boolean}}} SendLinks
 */

/**
 * A draft (op `draft`): the message, who it goes to, the channels offered and the one to open on.
 * @typedef {SendLinks & {subject: string, body: string, sms: string, channels: string[],
 *   offer: string[], pick: string, to: {name: string, email: string, phone: string}}} Draft
 */

/**
 * What the user has made of a draft: kept in `drafts` as `followup:<key>` on every input.
 * @typedef {{channel: string, email: string, phone: string, subject: string, body: string, sms: string}} DraftEdits
 */

/** A rule's words and channels (op `catalog`).
 * @typedef {{label: string, verb: string, title: string, from: string, timed: boolean,
 *   channels: string[], answers: Record<string, string>}} RuleWords
 */

/** A channel's words: its name, the button that hands the draft over, what the text box holds.
 * @typedef {{label: string, send: string, field: string}} ChannelWords
 */

/** The engine's vocabulary (op `catalog`).
 * @typedef {{rules: Record<string, RuleWords>, channels: Record<string, ChannelWords>,
 *   interaction_kinds: Record<string, string>, meeting_kinds: string[],
 *   timeline_words: Record<string, string>, advice_kinds: Record<string, string>,
 *   introduction_kinds: Record<string, string>}} Catalog
 */

/**
 * One item of a gratitude round (op `round`).
 * @typedef {{key: string, kind: "thanks" | "courtesy", person_id: string | null, name: string,
 *   organisation: string, roles: string[], most: boolean,
 *   state: "open" | "snoozed" | "done" | "skipped" | "sent" | "thanked",
 *   followup: FollowUp | null, when: string | null, opportunity_id: string}} RoundItem
 */

/** @typedef {{opportunity: import("./views/opportunities.js").Opportunity, current: boolean, items: RoundItem[]}} Round */

/** A person record (store `people`).
 * @typedef {{id: string, name: string, organisation: string, role: string, emails: string[],
 *   phones: string[], urls: string[], tags: string[], notes: string, how_met: string,
 *   event_id: string | null, cadence_days: number | null, created_at: string, updated_at: string}} PersonRecord
 */

/** An event record (store `events`).
 * @typedef {{id: string, name: string, date: string, place: string, created_at: string}} EventRecord
 */

/** An interaction record (store `interactions`).
 * @typedef {{id: string, person_ids: string[], kind: string, at: string, notes: string,
 *   advice: {text: string, kind: string, done_at: string | null}[],
 *   promises: {text: string, due: string, done_at: string | null}[],
 *   opportunity_id: string | null, followup_key: string | null, created_at: string}} InteractionRecord
 */

/** One person, all the Person screen shows (op `person`).
 * @typedef {{person: PersonRecord, event: EventRecord | null, events: EventRecord[],
 *   contact: {channel: string, value: string, href: string}[], doors: number,
 *   chain: PersonRecord[], introduced: PersonRecord[], introduced_by: PersonRecord[],
 *   timeline: InteractionRecord[], names: Record<string, string>, followups: FollowUp[]}} PersonAnswer
 */

export {};
