// @ts-check
/**
 * Types of what crosses the worker boundary: records and the engine's answers. Only JSDoc
 * typedefs live here (nothing runs); import them with `import("../types.js").Name`.
 * Each helper adds its own section.
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

export {};
