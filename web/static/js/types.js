// @ts-check
/**
 * JSDoc types for what crosses the worker boundary: records and the engine's answers. Types
 * only; nothing here runs. Each helper keeps its own section, so merges stay easy.
 */

// --- People, Pipeline, Graph, Insights (ops `people`, `merge_preview`, `pipeline`) ------------

/**
 * A person as stored (IndexedDB shape, followup/codec.py).
 * @typedef {{id: string, name: string, organisation: string, role: string, emails: string[],
 *   phones: string[], urls: string[], tags: string[], notes: string, how_met: string,
 *   event_id: string | null, cadence_days?: number | null, created_at: string,
 *   updated_at: string}} PersonRecord
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
 *   owe: number, waiting_since: string | null}} PeopleRow
 */

/**
 * The filters and order the list was chosen with (what the engine kept of those sent).
 * @typedef {{query: string, tag: string, introducer: string, event: string, owing: string,
 *   sort: string}} PeopleFilters
 */

/**
 * The answer of op `people`: a page of rows, the counts, and what the filters offer.
 * @typedef {{ok: true, total: number, matched: number, offset: number, rows: PeopleRow[],
 *   filters: PeopleFilters, tags: {tag: string, count: number}[],
 *   introducers: {id: string, label: string}[], events: {id: string, label: string}[],
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
 *   rejection_open: boolean}} PipelineCard
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
 * A follow-up as api.encode_followup writes it (the parts these screens read).
 * @typedef {{key: string, rule: string, person_ids: string[], who: string, why: string,
 *   due: string, overdue: boolean, group: string | null}} FollowUp
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

/**
 * What a screen module gets from app.js (the parts these screens use).
 * @typedef {{backend: import("./backend.js").Backend,
 *   command: (name: string, payload: Record<string, unknown>) => Promise<any>,
 *   toast: (text: string) => void, navigate: (hash: string) => void}} ScreenContext
 */

export {};
