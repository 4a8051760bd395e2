// @ts-check
/** Small helpers the Pipeline and the gratitude round share: the clock, dates, dialogs, links. */
import { h, localDate } from "../../dom.js";

/** @typedef {import("../../types.js").OpportunityRecord} Opportunity */

export const dayFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });

/** An id made safe for an element id. @param {string} text */
export const slug = (text) => text.replace(/[^a-zA-Z0-9_-]/g, "_");

export function clock() {
  const now = new Date();
  return { now, iso: now.toISOString(), today: localDate(now) };
}

/**
 * "Product designer at Initech", or just the organisation (the gratitude round's heading; the
 * Pipeline's cards carry the engine's `title`).
 * @param {{role: string, organisation: string}} opp
 */
export function jobTitle(opp) {
  return opp.role ? `${opp.role} at ${opp.organisation}` : opp.organisation;
}

/** @param {string} pid @param {string} name */
export function personLink(pid, name) {
  return h("a", { href: `#person/${encodeURIComponent(pid)}`, class: "opp-person-link" }, name);
}

/**
 * A modal dialog, removed from the page when it closes; focus goes back where it was.
 * @param {string} titleId @param {(Node | null)[]} children @param {string} [extra]
 */
export function makeDialog(titleId, children, extra = "") {
  const opener = /** @type {HTMLElement | null} */ (document.activeElement);
  const dialog = /** @type {HTMLDialogElement} */ (h("dialog", { class: `opp-dialog ${extra}`.trim(), "aria-labelledby": titleId }, ...children));
  dialog.addEventListener("close", () => {
    dialog.remove();
    if (opener?.isConnected) opener.focus();
  });
  return dialog;
}
