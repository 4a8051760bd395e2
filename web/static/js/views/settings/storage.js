// @ts-check
/**
 * Storage and backup: whether the browser promises to keep the data, how much room it uses,
 * and how old the last copy is (a backup file or sync). The browser answers the first two; the
 * engine's `data_safety` op counts the people and decides whether to remind.
 */
import { h } from "../../dom.js";
import { startSync } from "../../sync/index.js";
import { fill } from "./form-kit.js";

/** @typedef {import("./form-kit.js").SettingsCtx} SettingsCtx */
/** @typedef {import("../../types.js").Copy} Copy */

export class StorageSection {
  /** @param {SettingsCtx & {engine: import("../../engine.js").Engine}} ctx */
  constructor(ctx) {
    this.ctx = ctx;
    this.element = h("div", { class: "storage" }, h("p", { class: "loading", text: "Checking this device's storage…" }));
  }

  /** When the last copies were made: a backup file, and sync if it is on. */
  async copies() {
    // The shell's own record of the last backup file (written by Import and export), and the
    // status of this page's one sync loop.
    const [backup, status] = await Promise.all([
      this.ctx.backend.shellRecord("meta", "backup"),
      startSync(this.ctx.engine).status().catch(() => null),
    ]);
    return {
      backup_at: typeof backup?.at === "string" ? backup.at : null,
      synced_at: status?.enabled ? status.last_synced_at : null,
    };
  }

  /** @param {string | null} [message] */
  async refresh(message = null) {
    const storage = navigator.storage;
    const persisted = storage?.persisted ? await storage.persisted().catch(() => false) : false;
    const estimate = storage?.estimate ? await storage.estimate().catch(() => null) : null;
    const safety = await this.ctx.backend.send("data_safety", { ...(await this.copies()), persisted });
    if (!safety.ok) {
      fill(this.element, h("p", { class: "error", role: "alert", text: safety.message }));
      return;
    }
    const status = persisted
      ? h("p", { class: "storage-status" }, h("span", { class: "badge ok", text: "Kept" }),
        " The browser will not clear Followthrough's data to free space.")
      : h("p", { class: "storage-status" }, h("span", { class: "badge danger", text: "Not guaranteed" }),
        " The browser may clear Followthrough's data when the device runs low on space, or after weeks without use.");
    const usage = estimate && typeof estimate.usage === "number" && estimate.quota
      ? h("p", { class: "subtle", text: `Using ${formatBytes(estimate.usage)} of the ${formatBytes(estimate.quota)} this browser allows.` })
      : null;
    const ask = persisted ? null : h("div", { class: "form-actions" },
      h("button", { type: "button", class: "button", onclick: () => this.askPersistence() }, "Ask the browser to keep my data"));
    const when = [
      safety.backup ? `Last backup: ${ago(safety.backup)}.` : "No backup file yet.",
      safety.synced ? `Last synced: ${ago(safety.synced)}.` : null,
    ].filter(Boolean).join(" ");
    const backupBox = h("div", { class: safety.remind ? "card backup-reminder warn" : "card backup-reminder" },
      h("h4", { text: safety.heading }),
      h("p", { text: when }),
      safety.reminder ? h("p", { text: safety.reminder }) : null,
      h("div", { class: "form-actions" },
        h("a", { class: "button primary", href: "#transfer" }, "Back up or export"),
        h("a", { class: "button", href: "#sync" }, "Set up sync")),
    );
    fill(this.element, status, usage, ask,
      message ? h("p", { class: "form-note", role: "status", tabindex: "-1", text: message }) : null,
      backupBox);
    this.element.dataset.persisted = String(persisted);
  }

  async askPersistence() {
    const storage = navigator.storage;
    if (!storage?.persist) {
      await this.refresh("This browser cannot promise to keep data. Back up regularly, or turn on sync.");
      return;
    }
    const granted = await storage.persist().catch(() => false);
    document.documentElement.dataset.persisted = String(granted);
    await this.refresh(granted
      ? "Done: the browser will keep your data."
      : "The browser said no for now. Browsers usually agree once the app is installed on the home screen or used often. Meanwhile, back up regularly.");
    /** @type {HTMLElement | null} */ (this.element.querySelector(".form-note"))?.focus();
  }
}

/** "3 days ago (2 December 2026)": the engine's words and the browser's date. @param {Copy} copy */
function ago(copy) {
  const date = new Date(copy.at).toLocaleDateString(undefined, { day: "numeric", month: "long", year: "numeric" });
  return `${copy.ago} (${date})`;
}

/** @param {number} bytes */
function formatBytes(bytes) {
  const units = ["bytes", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
