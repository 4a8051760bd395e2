// @ts-check
/**
 * The engine's vocabulary (op `catalog`: each rule's words and channels, each channel's words,
 * the interaction each answer logs), asked once per page and shared by every screen.
 */

/** @typedef {import("./types.js").Catalog} Catalog */
/** @typedef {import("./types.js").RuleWords} RuleWords */

/** @type {Promise<Catalog> | null} */
let asked = null;
/** @type {Catalog | null} */
let known = null;

/**
 * The catalog, asked of the engine the first time (it waits for the engine to be ready).
 * @param {{send: (op: string, args?: Record<string, unknown>) => Promise<import("./types.js").Answer>}} backend
 * @returns {Promise<Catalog>}
 */
export function loadCatalog(backend) {
  asked ??= backend.send("catalog").then((answer) => {
    if (!answer.ok) {
      asked = null;
      throw new Error(answer.message);
    }
    known = /** @type {Catalog} */ (/** @type {unknown} */ (answer));
    return known;
  });
  return asked;
}

/** The catalog if it has arrived, else null (to render at once, with words filled in later). */
export function catalogNow() {
  return known;
}

/** What a rule is called and its main verb, when nothing better is known. */
export const UNKNOWN_RULE = /** @type {RuleWords} */ ({
  label: "Follow-up", verb: "Open the draft", title: "Follow-up", from: "", timed: true, channels: ["email"], answers: {},
});

/**
 * A rule's words: the catalog's, else those the follow-up carries (a cached list), else plain ones.
 * @param {{rule: string, words?: RuleWords}} f
 */
export function wordsOf(f) {
  return known?.rules[f.rule] ?? f.words ?? UNKNOWN_RULE;
}
