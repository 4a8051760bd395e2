// @ts-check
/** Take it out: contacts as vCard, Today's follow-ups as a calendar, people as CSV. */
import { h } from "../../dom.js";
import { offer, showError } from "./shared.js";

/** @typedef {import("../../screen-types.js").TransferCtx} TransferCtx */

/** @type {{id: string, label: string, hint: string, op: "export_vcard" | "export_ics" | "export_csv", title: string, counted: string}[]} */
const KINDS = [
  { id: "vcard", label: "Contacts (vCard)", hint: "Every person, for your phone or another app; who introduced whom is kept.", op: "export_vcard", title: "Contacts", counted: "people" },
  { id: "ics", label: "Calendar of follow-ups (.ics)", hint: "Today’s follow-ups with their due times and a reminder, for your phone’s calendar.", op: "export_ics", title: "Follow-ups", counted: "follow-ups" },
  { id: "csv", label: "People (CSV for spreadsheets)", hint: "One row per person.", op: "export_csv", title: "People", counted: "people" },
];

export class ExportSection {
  /** @param {TransferCtx} ctx @param {boolean} shareFiles */
  constructor(ctx, shareFiles) {
    this.ctx = ctx;
    this.shareFiles = shareFiles;
    this.status = h("p", { class: "transfer-status", role: "status", "aria-live": "polite" });
    this.error = h("p", { class: "error transfer-error", role: "alert", hidden: true });
  }

  element() {
    return h("section", { class: "card transfer-section", "aria-labelledby": "export-heading" },
      h("h3", { id: "export-heading", text: "Take it out" }),
      h("ul", { class: "plain-list transfer-exports" }, ...KINDS.map((kind) => h("li", {},
        h("div", { class: "transfer-export-actions" },
          h("button", { type: "button", class: "button", id: `export-${kind.id}`, onclick: () => this.export(kind, false) }, kind.label),
          this.shareFiles ? h("button", { type: "button", class: "button", "aria-label": `Share ${kind.label}`, onclick: () => this.export(kind, true) }, "Share…") : null),
        h("p", { class: "hint", text: kind.hint })))),
      this.status,
      this.error,
    );
  }

  /** @param {typeof KINDS[number]} kind @param {boolean} viaShare */
  async export(kind, viaShare) {
    showError(this.error, "");
    const answer = await this.ctx.backend.send(kind.op);
    if (!answer.ok) {
      showError(this.error, answer.message);
      return;
    }
    await offer(answer, viaShare, kind.title);
    this.status.textContent = `${answer.filename}: ${answer.count} ${kind.counted}.`;
  }
}
