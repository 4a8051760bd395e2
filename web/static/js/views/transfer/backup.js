// @ts-check
/**
 * Back up and restore: the whole state as one JSON file (op `export_json`), and a backup read
 * back in (ops `restore_preview`, then `restore`, which the engine worker saves in one
 * transaction before it answers).
 */
import { h } from "../../dom.js";
import { MAX_BACKUP_BYTES, readText } from "../../files.js";
import { offer, showError } from "./shared.js";

/** @typedef {import("../../types.js").TransferCtx} TransferCtx */

export class BackupSection {
  /** @param {TransferCtx} ctx @param {boolean} shareFiles */
  constructor(ctx, shareFiles) {
    this.ctx = ctx;
    this.shareFiles = shareFiles;
    this.status = h("p", { class: "transfer-status", role: "status", "aria-live": "polite" });
    this.error = h("p", { class: "error transfer-error", role: "alert", hidden: true });
    this.box = h("div", { class: "transfer-preview", id: "restore-preview" });
    this.input = /** @type {HTMLInputElement} */ (h("input", {
      type: "file", id: "restore-file", accept: ".json,application/json",
      onchange: () => this.choose(),
    }));
  }

  element() {
    return h("section", { class: "card transfer-section", "aria-labelledby": "backup-heading" },
      h("h3", { id: "backup-heading", text: "Back up and restore" }),
      h("p", { class: "hint", text: "A backup holds everything: people, introductions, meetings, opportunities, your decisions and settings." }),
      h("div", { class: "card-actions" },
        h("button", { type: "button", class: "button primary", id: "backup-download", onclick: () => this.backup(false) }, "Download a backup"),
        this.shareFiles ? h("button", { type: "button", class: "button", onclick: () => this.backup(true) }, "Share a backup…") : null),
      h("div", { class: "field" },
        h("label", { for: "restore-file", text: "Restore from a backup" }),
        this.input),
      this.status,
      this.error,
      this.box,
    );
  }

  /** @param {boolean} viaShare */
  async backup(viaShare) {
    showError(this.error, "");
    const now = new Date();
    const answer = await this.ctx.backend.send("export_json");
    if (!answer.ok) {
      showError(this.error, answer.message);
      return;
    }
    await offer(answer, viaShare, "Followthrough backup");
    // Settings shows when the last backup was made, and reminds when there is none.
    await this.ctx.tracker.track(this.ctx.backend.putShellRecord("meta", { id: "backup", at: now.toISOString() })).catch(() => {});
    this.status.textContent = `Backup saved as ${answer.filename}.`;
  }

  async choose() {
    const file = this.input.files?.[0];
    this.box.replaceChildren();
    showError(this.error, "");
    if (!file) return;
    let text;
    try {
      ({ text } = await readText(file, { maxBytes: MAX_BACKUP_BYTES }));
    } catch (error) {
      showError(this.error, error instanceof Error ? error.message : String(error));
      return;
    }
    const preview = await this.ctx.backend.send("restore_preview", { text });
    if (!preview.ok) {
      showError(this.error, preview.message);
      return;
    }
    const when = preview.exported_at ? new Date(preview.exported_at).toLocaleString() : "an unknown date";
    const people = preview.counts.people;
    const modes = preview.empty_here
      ? [{ mode: "replace", label: `Restore everything (${people.backup} people)` }]
      : [
        { mode: "merge", label: `Merge: add ${preview.merge.add} records this device lacks, change nothing here` },
        { mode: "replace", label: `Replace: make this device exactly the backup (adds ${preview.replace.add}, changes ${preview.replace.change}, removes ${preview.replace.remove})` },
      ];
    this.box.replaceChildren(
      h("p", { text: `Backup of ${when}: ${people.backup} people, ${preview.counts.introductions.backup} introductions, ${preview.counts.interactions.backup} interactions.` }),
      h("div", { class: "card-actions" }, ...modes.map(({ mode, label }) => h("button", {
        type: "button", class: mode === "merge" || preview.empty_here ? "button primary" : "button", "data-mode": mode,
        onclick: () => this.restore(text, mode),
      }, label))),
    );
  }

  /** @param {string} text @param {string} mode */
  async restore(text, mode) {
    const buttons = /** @type {NodeListOf<HTMLButtonElement>} */ (this.box.querySelectorAll("button"));
    for (const button of buttons) button.disabled = true;
    // Saved by the engine worker, in one transaction, before the answer comes back.
    const answer = await this.ctx.tracker.track(this.ctx.backend.send("restore", { text, mode }));
    if (!answer.ok) {
      showError(this.error, answer.error === "not-saved" ? `${answer.message} Nothing was restored.` : answer.message);
      for (const button of buttons) button.disabled = false;
      return;
    }
    this.box.replaceChildren();
    this.input.value = "";
    const done = mode === "merge" ? `Restored: ${answer.merge.add} records added.` : "Restored: this device now holds the backup.";
    this.status.textContent = done;
    this.ctx.toast(done);
  }
}
