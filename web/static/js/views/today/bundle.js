// @ts-check
/**
 * Bundles on screen: everything owed to one person is one item (key `bundle:<person>`), with
 * its parts in the order the one message tells them. Today, the draft sheet and Person show it
 * with these words; the engine decides what is bundled and says it (`label`, `parts`).
 */
import { h } from "../../dom.js";
import { catalogNow, wordsOf } from "../../catalog.js";

/** @typedef {import("../../types.js").FollowUp} FollowUp */

/**
 * A card's words: a rule's, or for a bundle (everything owed to one person, one message) its
 * summary ("3 things for Ana: thanks · Wei's introduction · news") and the catalog's verb.
 * @param {FollowUp} f
 */
export function itemWords(f) {
  const words = wordsOf(f);
  if (!f.parts?.length) return words;
  return { ...words, label: f.label ?? words.label, verb: catalogNow()?.bundle?.verb ?? words.verb };
}

/**
 * Why it is owed: one paragraph, or for a bundle each part's reason in the order the message
 * tells them.
 * @param {FollowUp} f
 */
export function whyOf(f) {
  if (!f.parts?.length) return [h("p", { class: "why", text: f.why })];
  return [h("ul", { class: "why bundle-parts" }, ...f.parts.map((p) => h("li", { "data-part": p.key, text: p.why })))];
}
