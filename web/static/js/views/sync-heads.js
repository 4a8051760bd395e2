// @ts-check
/**
 * The Sync screen's "Your devices" card (issue #19): when each other device was last heard
 * from (so a server that freezes one shows), and what the freshness checks found, each with
 * what to do. The words of the checks are the engine's (followup/heads.py).
 */
import { h } from "../dom.js";
import { heardText } from "../sync/heads.js";

/**
 * @param {HTMLElement} card
 * @param {{heard: Array<{label: string, wall: string}>, problems: Array<{message: string}>, skew: string | null, drift: string | null}} status
 */
export function renderHeads(card, status) {
  const heard = status.heard ?? [];
  const alerts = [...(status.problems ?? []).map((p) => p.message), status.skew, status.drift].filter(Boolean);
  card.hidden = !heard.length && !alerts.length;
  card.replaceChildren(
    h("h3", { id: "heads-heading" }, "Your devices"),
    ...alerts.map((text) => h("p", { class: "hint sync-warning", "data-testid": "sync-alert" }, String(text))),
    h("ul", { class: "plain-list sync-heard" }, ...heard.map((d) => h("li", { "data-testid": "sync-heard" }, heardText(d)))),
  );
}

/** An empty card, filled by `renderHeads`. */
export function headsCard() {
  return h("section", { class: "card sync-section sync-heads", "aria-labelledby": "heads-heading", "data-testid": "sync-heads", hidden: true });
}
