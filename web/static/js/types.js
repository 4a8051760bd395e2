// @ts-check
/**
 * JSDoc types for what crosses the worker boundary: records and the engine's answers. Types
 * only; nothing here runs. One section per part of the app.
 */

// --- People, Pipeline, Graph, Insights (ops `people`, `merge_preview`, `pipeline`) ------------

/**
 * A person as stored (IndexedDB shape, followup/codec.py).
 * @typedef {{id: string, name: string, organisation: string, role: string, emails: string[],
 *   phones: string[], urls: string[], tags: string[], notes: string, how_met: string,
 *   event_id: string | null, cadence_days?: number | null, created_at: string,
 *   updated_at: string, given_name?: string, call_them?: string}} PersonRecord
 */

/**
 * An opportunity as stored.
 * @typedef {{id: string, organisation: string, role: string, stage: string, stage_at: string,
 *   people: {person_id: string, role: string}[], introduction_id: string | null, notes: string,
 *   created_at: string}} OpportunityRecord
 */

/**
 * One row of the People list.
 * @typedef {{id: string, name: string, initials: string, line: string, tags: string[],
 *   owe: number, waiting_since: string | null, match?: {label: string, text: string}}} PeopleRow
 */

/**
 * The filters and order the list was chosen with (what the engine kept of those sent).
 * @typedef {{query: string, tag: string, introducer: string, event: string, owing: string,
 *   sort: string, logged: string, added: string}} PeopleFilters
 */

/**
 * The answer of op `people`: a page of rows, the counts, and what the filters offer.
 * @typedef {{ok: true, total: number, matched: number, offset: number, rows: PeopleRow[],
 *   filters: PeopleFilters, tags: {tag: string, count: number}[],
 *   introducers: {id: string, label: string}[], events: {id: string, label: string}[],
 *   added: {at: string, count: number}[], ids?: string[],
 *   duplicates?: {a: {id: string, name: string}, b: {id: string, name: string}, why: string}[]}} PeopleAnswer
 */

/**
 * The answer of op `merge_preview`: both records, the merged one (each with the name of the
 * event they met at), the records that move or go, and what the merged person keeps.
 * @typedef {PersonRecord & {event_name: string}} PreviewPerson
 * @typedef {{ok: true, keep: PreviewPerson, drop: PreviewPerson, merged: PreviewPerson,
 *   moves: Record<string, number>, deletes: Record<string, number>,
 *   kept: {introductions: number, interactions: number, opportunities: number}}} MergePreviewAnswer
 */

/**
 * A stage's words (catalog `stages`).
 * @typedef {{id: string, one: string, many: string, hint: string, active: boolean,
 *   next: {stage: string, label: string} | null}} StageWords
 */

/**
 * One card of the Pipeline board.
 * @typedef {{id: string, organisation: string, role: string, title: string, stage: string,
 *   stage_at: string, notes: string, introduction_id: string | null,
 *   came_from: {introducer: {id: string, name: string}, introduced: {id: string, name: string}} | null,
 *   people: {id: string, name: string, label: string, role: string, role_label: string}[],
 *   rejection_open: boolean, since: string}} PipelineCard
 */

/**
 * The answer of op `pipeline`.
 * @typedef {{ok: true, stages: StageWords[], roles: {id: string, label: string}[], count: number,
 *   board: {stage: string, cards: PipelineCard[]}[],
 *   landed: {id: string, title: string, owed: number} | null,
 *   people: {id: string, label: string}[],
 *   introductions: {id: string, introduced_id: string, text: string, at: string}[]}} PipelineAnswer
 */

/**
 * The answer of op `insights`.
 * @typedef {{ok: true, referral_to_contact_median_hours: number | null,
 *   thanked_within_24h_share: number | null, open_loops: number,
 *   introductions_per_introducer: {person_id: string, name: string, count: number}[],
 *   meetings_per_week: {week: string, start: string, count: number}[],
 *   contact_goal_hours: number, thanked_goal_share: number, open_loop_followups: FollowUp[],
 *   nothing_yet: boolean}} InsightsAnswer
 */

/**
 * A node and an edge of op `graph`.
 * @typedef {{id: string, name: string, initials: string, doors: number}} GraphNode
 * @typedef {{from: string, to: string, introduction_id: string}} GraphEdge
 * @typedef {{ok: true, nodes: GraphNode[], edges: GraphEdge[], most_doors: string | null}} GraphAnswer
 */

// --- Follow-ups, drafts, the catalog and the gratitude round -----------------------------------

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
 *   parts?: FollowUp[], label?: string,
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
 *   offer: string[], pick: string, to: {name: string, email: string, phone: string},
 *   needs: DraftNeed[], tone: string, tones: ToneChoice[]}} Draft
 */

/**
 * What the user has made of a draft: kept in `drafts` as `followup:<key>` on every input.
 * @typedef {{channel: string, email: string, phone: string, subject: string, body: string, sms: string,
 *   tone?: string, answers?: Record<string, string>}} DraftEdits
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
 *   introduction_kinds: Record<string, string>, introduction_statuses?: Record<string, string>,
 *   bundle?: BundleWords, reply_kinds?: {id: string, label: string}[]}} Catalog
 */

/**
 * One item of a gratitude round (op `round`).
 * @typedef {{key: string, kind: "thanks" | "courtesy", person_id: string | null, name: string,
 *   organisation: string, roles: string[], most: boolean,
 *   state: "open" | "snoozed" | "done" | "skipped" | "sent" | "thanked",
 *   followup: FollowUp | null, when: string | null, opportunity_id: string, role_words?: string[]}} RoundItem
 */

/** @typedef {{opportunity: OpportunityRecord, current: boolean, items: RoundItem[]}} Round */

/** An event record (store `events`).
 * @typedef {{id: string, name: string, date: string, place: string, created_at: string}} EventRecord
 */

/** An interaction record (store `interactions`).
 * @typedef {{id: string, person_ids: string[], kind: string, at: string, notes: string,
 *   advice: {text: string, kind: string, done_at: string | null}[],
 *   promises: {text: string, due: string, done_at: string | null}[],
 *   opportunity_id: string | null, followup_key: string | null, reply?: string | null,
 *   subject?: string, thread?: string, source_id?: string, asks?: boolean, first_line?: string,
 *   created_at: string}} InteractionRecord
 */

/** One person, all the Person screen shows (op `person`).
 * @typedef {{person: PersonRecord, event: EventRecord | null, events: EventRecord[],
 *   contact: {channel: string, value: string, href: string}[], doors: number, doors_text: string | null,
 *   chain: PersonRecord[], introduced: PersonRecord[], introduced_by: PersonRecord[],
 *   timeline: InteractionRecord[], names: Record<string, string>, followups: FollowUp[],
 *   bundle?: FollowUp | null, stopped?: StopReason[], suggest_no_reply?: boolean,
 *   introductions?: IntroductionEntry[]}} PersonAnswer
 */

// --- Backend and worker -------------------------------------------------------------------------

/**
 * Records to write, by store (`{people: [...], meta: [...]}`), and ids to delete, by store.
 * `erase`: deletes that also wipe the record's synced state on every device ("Erase now").
 * @typedef {{put?: Record<string, StoredRecord[]>, delete?: Record<string, string[]>, erase?: Record<string, string[]>}} Change
 */

/**
 * An engine answer: `{ok: true, ...}`, or an error naming the field at fault. `not-saved`: the
 * change could not be written, and the engine is as it was before the request.
 * (`any`: the fields of an answer depend on the op; `AnswerOf` names them for the typed ops.)
 * @typedef {{ok: true, [key: string]: any} | Failure} Answer
 */

/**
 * A command made before the engine was up, kept in the `inbox` store until the worker replays
 * it (with `now` = `at`, `today` = `today`). `refused` is set when the engine refused it then.
 * @typedef {{seq: number, id: string, name: string, payload: Record<string, unknown>, at: string, today: string, refused?: {error: string, message: string}}} InboxEntry
 */

/**
 * Records changed on this device: `source` is who changed them ("command" for this tab's
 * command, "op" for another op's answer, "inbox" for a replayed command, "tab" for another
 * tab, "sync" for other devices). `today`: Today after a command, answered with it.
 * @typedef {{stores: string[], source: string, op?: string, today?: AnswerOf<"today">}} Changed
 */

/**
 * The engine's boot progress (`stage`: starting, runtime, engine, data, ready, failed). Ready
 * says how it booted (`boot`: "snapshot" or "plain"), when each step ended (ms since the worker
 * started), what was loaded and the records set aside; failed says why, in words.
 * @typedef {{stage: "starting" | "runtime" | "engine" | "data", runtime_ms?: number, engine_ms?: number, message?: undefined}} BootingStage
 * @typedef {{stage: "ready", boot: string, ready_ms: number, runtime_ms: number, engine_ms: number,
 *   marks: Record<string, number>, counts: Record<string, number>, set_aside: SetAside[],
 *   worker_started_at: number, message?: undefined}} ReadyStage
 * @typedef {{stage: "failed", message: string}} FailedStage
 * @typedef {BootingStage | ReadyStage | FailedStage} Stage
 */

/**
 * What the worker posts to the page.
 * @typedef {(
 *   {type: "stage"} & Stage
 *   | {type: "response", id: number, response: Answer}
 *   | {type: "changed", stores: string[], source: string}
 *   | {type: "refused", entries: InboxEntry[]}
 *   | ({type: "progress", id: number} & Progress)
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
 *   | {op: "sync_apply", page: SyncPage, cursor: {id: string, since: number, log_id: string | null}}
 * )} WorkerRequest
 */

/**
 * What a worker tells the other tabs' workers after a commit.
 * @typedef {{type: "committed", put: Record<string, StoredRecord[]>, delete: Record<string, string[]>}} TabChange
 */

// --- Capture and Import/Export ------------------------------------------------------------------

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
 *   event_until: string, organisation: string, role: string, email: string, phone: string, url: string,
 *   paste: string, event_mode: boolean, introducer_id: string | null,
 *   introducer_new: string | null,
 * }} CaptureDraft
 */

/** What was read from a pasted or shared profile; "" for what could not be read.
 * @typedef {{name: string, role: string, organisation: string, url: string, email: string, phone: string}} SharedProfile
 */

// --- Settings and My card -----------------------------------------------------------------------

/**
 * A QR code the engine made (`qr` op, `my_card`'s `qr`): `path` is SVG path data of the dark
 * modules, already offset by the quiet zone, for a picture `size + 2 * quiet_zone` wide.
 * @typedef {{version: number, mask: number, size: number, quiet_zone: number, path: string}} Qr
 */

/** @typedef {{subject: string, body: string, sms: string}} Template */

/**
 * Rule timings as stored in the `settings` meta record.
 * @typedef {{enabled: boolean, due_hours: number, expire_days: number}} RuleTiming
 * @typedef {{introducer: number, reference: number, met: number}} Cadences
 * @typedef {{
 *   rules: Record<string, RuleTiming>,
 *   keep_in_touch: {searching: Cadences, landed: Cadences, max_per_day: number},
 *   gratitude: {lookback_days: number},
 *   today: {horizon_days: number, max_items: number},
 *   stop?: {after_unanswered: number},
 *   templates: Record<string, Template>,
 *   reminders: ReminderSettings,
 *   drafts?: {tone: string},
 *   history?: {window_days: number},
 * }} SettingsRecord
 */

/**
 * The `settings` op's answer.
 * @typedef {{
 *   settings: SettingsRecord, defaults: Record<string, unknown>,
 *   timing_defaults: Record<string, unknown>, ranges: Record<string, [number, number]>,
 *   placeholders: Record<string, string>, examples: Record<string, string>,
 *   built_in: Record<string, Template>, subjects: Record<string, string>,
 *   tones?: ToneChoice[],
 * }} SettingsAnswer
 */

/**
 * The `preview_template` answer: each part's preview, or its error.
 * @typedef {{valid: boolean, save: Template,
 *   previews: Record<string, {text: string | null, error?: {code: string, message: string, field: string}}>}} TemplatePreview
 */

/**
 * The `my_card` answer.
 * @typedef {{name: string, label: string, hint: string, required: boolean}} CardField
 * @typedef {{fields: CardField[], profile: Record<string, string>, shareable: boolean,
 *   vcard: string | null, filename: string, summary: string, qr: Qr | null}} MyCard
 */

/**
 * The `data_safety` answer: how old the last copies are, and whether to remind.
 * @typedef {{at: string, days: number, ago: string}} Copy
 * @typedef {{people: number, backup: Copy | null, synced: Copy | null,
 *   days_since_copy: number | null, remind: boolean, heading: string, reminder: string | null}} DataSafety
 */

// --- Records the engine cannot read --------------------------------------------------------------

/**
 * A stored record the engine set aside at `load` (docs/engine-api.md, "Records the engine
 * cannot read"): left untouched on disk, not in memory. The worker's `ready` stage carries
 * the list as `set_aside`; `id` is null when the record has no text id.
 * @typedef {{store: string, id: string | null, field: string | null, error: string,
 *   message: string}} SetAside
 */

// --- Answers by op, stored records -------------------------------------------------------------

/**
 * An engine answer that failed: an error code, words a user understands, and the field at fault.
 * @typedef {{ok: false, error: string, message: string, field?: string | null}} Failure
 */

/**
 * A succeeded answer, whatever the op (its other fields are the op's).
 * @typedef {Extract<Answer, {ok: true}>} Success
 */

/**
 * A succeeded answer whose typedef above leaves out `ok`.
 * @template T
 * @typedef {{ok: true} & T} Ok
 */

/** A file an export op made (`export_json`; `export_vcard`, `export_csv` and `export_ics` count what is in it).
 * @typedef {{text: string, filename: string, mime: string}} ExportFile
 * @typedef {ExportFile & {count: number}} CountedFile
 */

/**
 * The answers of the ops whose shape is typed here, by op (docs/engine-api.md).
 * @typedef {{
 *   people: PeopleAnswer, merge_preview: MergePreviewAnswer, pipeline: PipelineAnswer,
 *   insights: InsightsAnswer, graph: GraphAnswer,
 *   today: Ok<Agenda>, person: Ok<PersonAnswer>, round: Ok<Round>, send_links: Ok<SendLinks>,
 *   draft: Ok<{followup: FollowUp, draft: Draft}>,
 *   settings: Ok<SettingsAnswer>, preview_template: Ok<TemplatePreview>, my_card: Ok<MyCard>,
 *   qr: Ok<{qr: Qr}>, data_safety: Ok<DataSafety>,
 *   capture_people: Ok<PeopleOptions>, capture_introducer: Ok<{person: PersonOption}>,
 *   capture_recent: Ok<RecentCaptures>,
 *   export_json: Ok<ExportFile>, export_vcard: Ok<CountedFile>, export_csv: Ok<CountedFile>,
 *   export_ics: Ok<CountedFile>,
 *   import_preview: Ok<ImportPreview>, import_commit: Ok<ImportDone>,
 *   schedule: Ok<Schedule>,
 *   landing_preview: Ok<LandingPreview>,
 * }} Answers
 */

/**
 * The answer of op `K`: its typed shape or a failure; an op not typed in `Answers` answers `Answer`.
 * @template {string} K
 * @typedef {K extends keyof Answers ? Answers[K] | Failure : Answer} AnswerOf
 */

/**
 * Op `import_preview` (transfer.py): what importing a file would do. A CSV adds its columns and
 * the mapping of columns to fields (`needs_mapping` and `message` when no column holds names:
 * then nothing else is counted).
 * @typedef {{value: string, label: string}} Choice
 * @typedef {{index: number, header: string, samples: string[]}} ImportColumn
 * @typedef {{row: number, line: number, name: string, organisation: string, emails: string[],
 *   action: "new" | "merge" | "same" | "skip", by: string, person_id: string | null,
 *   person_name: string, adds: Record<string, unknown>, warnings: string[], what: string,
 *   adds_text: string, choices: Choice[], decision: string}} ImportRow
 * @typedef {{format: string, columns?: ImportColumn[], mapping?: string[], fields?: string[],
 *   field_labels?: Choice[]}} ImportRead
 * @typedef {ImportRead & {needs_mapping: true, message: string, new: number, matched: number,
 *   same: number, rows: ImportRow[], merges: ImportRow[]}} ImportNeedsMapping
 * @typedef {ImportRead & {needs_mapping?: undefined, new: number, matched: number, merged: number,
 *   same: number, skipped: number, introducers_added: number, introductions: number, events: number,
 *   ids_needed: number, rows: ImportRow[], merges: ImportRow[],
 *   problems: {row: number, line: number, message: string}[]}} ImportPlanned
 * @typedef {ImportNeedsMapping | ImportPlanned} ImportPreview
 */

/**
 * Op `import_commit`: saved by the worker before it answers; who was created, who updated.
 * @typedef {{put: Change["put"], delete: Change["delete"], created: {id: string, name: string}[],
 *   updated: string[], counts: {people_created: number, people_updated: number, introductions: number,
 *   events: number, skipped: number}}} ImportDone
 */

/**
 * A record as IndexedDB keeps it, in any store (people, meta, decisions, drafts, ...): keyed by
 * `id` (or `key` in `decisions`); its other fields are the store's (docs/engine-api.md).
 * @typedef {{id?: string, key?: string, [field: string]: unknown}} StoredRecord
 */

/**
 * A page pulled by sync, decrypted: each entry's merged field state, and the entries that
 * could not be read (sync's own shapes, kept as they came).
 * @typedef {{ok: Array<{seq: number, key: string, state: unknown}>, rejected: unknown[]}} SyncPage
 */

// --- Sync's set-aside records -------------------------------------------------------------------

/**
 * A synced record that could not be read (`sync_rejects`, listed by `listRejects`): its key
 * (the record id in hex, or `store/id` when the engine refused its state), the log seq it came
 * at, the error code and message, and whether a retry can read it again (its envelope or its
 * opened state is kept).
 * @typedef {{key: string, seq: number, error: string, message: string, retry: boolean}} SyncReject
 */

// --- Web Push: what push/ seals from the schedule ------------------------------------------------

/**
 * The part of one morning of op `schedule` (docs/engine-api.md) that push/ seals into a message.
 * @typedef {{at: string, title: string, body: string, url: string, tag: string, count: number}} DigestMorningForPush
 */

// --- Reminders: the morning digest ------------------------------------------------------------

/**
 * The `reminders` part of the settings record (reminder_settings.py).
 * @typedef {{enabled: boolean, time: string, days: string[], quiet_devices: string[]}} ReminderSettings
 */

/**
 * Op `schedule`: each coming morning's digest for this device (digest.py, docs/engine-api.md),
 * kept by the engine worker as meta `schedule` for the service worker.
 * @typedef {{key: string, who: string, why: string, line: string, url: string}} DigestItem
 * @typedef {{date: string, at: string, count: number, title: string, body: string, url: string,
 *   tag: string, snooze_until: string, items: DigestItem[]}} DigestMorning
 * @typedef {{notifies: boolean, time: string, computed_at: string, mornings: DigestMorning[],
 *   words: {title_one: string, title_other: string, more: string, join: string, top: number}}} Schedule
 */

// --- Bundles, landing and stop rules ------------------------------------------------------------

/** A bundle's words (op `catalog`, `bundle`): its button, and how the timeline names its answer.
 * @typedef {{verb: string, answered: string}} BundleWords
 */

/** Why nudges to a person are no longer suggested (op `person`, `stopped`).
 * @typedef {{code: "unanswered" | "no-reply" | "said-no", reason: string, rules: string[],
 *   opportunity_id: string | null, since: string | null}} StopReason
 */

/** What landing a job does, for its one confirmation (op `landing_preview`).
 * @typedef {{opportunity: OpportunityRecord, legend: string, detail: string,
 *   others: {id: string, organisation: string, role: string, stage: string, note: boolean, people: string[]}[],
 *   introducers: {person_id: string, name: string, introduced: string[]}[]}} LandingPreview
 */

// --- The voice: tones and what a draft asks (op `draft`) ---------------------------------------

/**
 * Something a draft cannot say from the records: the user's one line, sent back to op `draft`
 * as `answers[field]`, fills it in (`my_name` is also saved to the profile).
 * @typedef {{field: string, question: string, key: string}} DraftNeed
 * @typedef {{value: string, label: string}} ToneChoice
 */

// --- Trash, undo and history (followup/trash.py, history_ops.py) -------------------------------

/**
 * Op `trash`: what is in the trash, newest first, each entry with what went with it.
 * @typedef {{id: string, at: string, label: string, with: Record<string, number>, with_words: string,
 *   count: number, erased_on: string, days_left: number, days_left_words: string,
 *   main: Array<{store: string, id: string, label: string}>}} TrashEntry
 * @typedef {{entries: TrashEntry[], days: number}} TrashAnswer
 */

/**
 * Op `history`: recent commands in words; `imports` adds each import's batch.
 * @typedef {{id: string, label: string, at: string, ago: string, words: string, op: string,
 *   undone: boolean, can_undo: boolean, batch: {file: string, format: string, added: number, changed: number} | null}} HistoryEntry
 * @typedef {{entries: HistoryEntry[]}} HistoryAnswer
 * @typedef {HistoryEntry & {file: string, added: number, changed: number}} ImportBatch
 */

/**
 * Op `delete_preview` / `undo_preview`: what a delete or an undo would do, in words.
 * @typedef {{label: string, words: string, with: Record<string, number>, with_words: string, count: number}} DeletePreview
 * @typedef {{id: string, label: string, words: string, removed: number, trashed: number, reverted: number, kept: number}} UndoPreview
 */

// --- Everyday editing (#12, triage): snoozed and skipped ---------------------------------------

/**
 * An introduction on the Person screen (op `person`, `introductions`): the record, with names.
 * @typedef {{id: string, introducer_id: string, introduced_id: string, at: string, kind: string,
 *   context: string, status: string, status_at: string | null, outcome: string,
 *   introducer_name: string, introduced_name: string}} IntroductionEntry
 */

/**
 * One entry of op `later`: a snoozed (`until`) or skipped (`reason`) follow-up, with who it is
 * for and why it was owed; `returns` is false when what made it owed is gone.
 * @typedef {{key: string, rule: string, who: string, why: string, person_ids: string[], at: string,
 *   returns: boolean, until?: string, reason?: string}} LaterEntry
 * @typedef {{ok: true, snoozed: LaterEntry[], skipped: LaterEntry[]}} LaterAnswer
 */

// --- LinkedIn's archive (issue #18, linkedin_import.py) ---------------------------------------

/**
 * `import_preview`'s `archive` for LinkedIn's archive: what it holds, who "you" are (`ask_me`:
 * the archive does not say, choose once), the non-connections with a real exchange, and the
 * engine's words for what is read and kept. `counts` as `import_commit`'s, before it.
 * @typedef {{messages: number, messages_sent: number, messages_received: number,
 *   messages_unknown: number, messages_already: number, invitations: number,
 *   applications_new: number, applications_matched: number}} ArchiveCounts
 * @typedef {{files: string[], connections: number, messages: number, conversations: number,
 *   inmail: number, sponsored: number, unreadable: number, invitations: number,
 *   applications: number, missing: string[], me: {name: string, how: string, choices: string[]},
 *   ask_me: boolean, strangers: string[], add_strangers: boolean, first_line: boolean,
 *   read_words: string, privacy_words: string, counts?: ArchiveCounts}} ArchiveSummary
 */

// --- History and replies (issue 18: followup/reply_ops.py) -------------------------------------

/**
 * Op `classify_reply`: what a pasted reply says, the words that decided, and the choices the
 * user confirms from (`note` is set for an automatic reply, which records nothing).
 * @typedef {{ok: true, label: string, cues: string[], confidence: number, note: string,
 *   choices: {value: string, label: string}[]}} ClassifiedReply
 */

export {};

// --- Mail and calendar history (issue 18, mail-stream.js, views/transfer/mail.js) ---------------

/**
 * How far a long request has got (a mail archive read in chunks): bytes `done` of `total`,
 * messages read and those with someone you know, and the engine's `words` for it.
 * @typedef {{session: string, done: number, total: number, messages: number, matched: number, words: string}} Progress
 */

/**
 * `import_preview` and `import_commit` for formats "mbox", "eml" and "ics" (mail_ops.py).
 * @typedef {{ok: true, format: string, history: true, words: string, new: number, reads: string,
 *   keeps: string, privacy: string, own?: string[], own_candidates?: {address: string, count: number}[],
 *   counts: Record<string, number>}} HistoryPreview
 * @typedef {{ok: true, label: string, counts: Record<string, number>, undo?: {id: string, label: string}}} HistoryDone
 */
