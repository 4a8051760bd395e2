// @ts-check
/**
 * JSDoc types of what crosses the engine worker's boundary (records and answers). Types only:
 * nothing here runs. Each helper keeps its own section.
 */

// --- Settings and My card (settings) ------------------------------------------------------------

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
 *   templates: Record<string, Template>,
 * }} SettingsRecord
 */

/**
 * The `settings` op's answer.
 * @typedef {{
 *   settings: SettingsRecord, defaults: Record<string, unknown>,
 *   timing_defaults: Record<string, unknown>, ranges: Record<string, [number, number]>,
 *   placeholders: Record<string, string>, examples: Record<string, string>,
 *   built_in: Record<string, Template>, subjects: Record<string, string>,
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

export {};
