// @ts-check
/**
 * Import history from mail and calendar files: an mbox (Google Takeout, Thunderbird), read by
 * the worker in chunks with progress and Cancel (mail-stream.js); one .eml; a calendar .ics.
 * The engine says which kind a file is (`mail_route`), what is read and what is kept, previews
 * the import and saves it as one undoable batch (`import_preview`/`import_commit`,
 * followup/mail_ops.py). Every word shown comes from the engine.
 */
import { h } from "../../dom.js";
import { FileProblem, readText } from "../../files.js";
import { showError } from "./shared.js";

/** @typedef {import("../../screen-types.js").TransferCtx} TransferCtx */
/** @typedef {import("../../types.js").Progress} Progress */
/** @typedef {import("../../types.js").HistoryPreview} HistoryPreview */
/** @typedef {import("../../types.js").HistoryDone} HistoryDone */
/** @typedef {import("../../types.js").Failure} Failure */

export class MailSection {
  /** @param {TransferCtx} ctx */
  constructor(ctx) {
    this.ctx = ctx;
    /** @type {{format: string, file: File, text?: string, session?: string} | null} */
    this.pending = null;
    /** The session being read, for Cancel. @type {string | null} */
    this.reading = null;
    /** Which address is the user's own, once a mail file is previewed. @type {HTMLSelectElement | null} */
    this.ownSelect = null;
    this.firstLine = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", id: "mail-first-line" }));
    this.input = /** @type {HTMLInputElement} */ (h("input", {
      type: "file", id: "mail-file", accept: ".mbox,.mbx,.eml,.ics,application/mbox,message/rfc822,text/calendar",
      "aria-describedby": "mail-file-hint", onchange: () => this.choose(),
    }));
    this.about = h("dl", { class: "mail-about", id: "mail-about" });
    this.progress = /** @type {HTMLProgressElement} */ (h("progress", { id: "mail-progress", max: 1, value: 0, hidden: true, "aria-label": "Reading the file" }));
    this.cancelButton = h("button", { type: "button", class: "button", id: "mail-cancel", hidden: true, onclick: () => this.cancel() }, "Cancel");
    this.status = h("p", { class: "transfer-status", id: "mail-status", role: "status", "aria-live": "polite" });
    this.error = h("p", { class: "error transfer-error", id: "mail-error", role: "alert", hidden: true });
    this.previewBox = h("div", { class: "transfer-preview", id: "mail-preview" });
    this.onProgress = (/** @type {Event} */ event) => this.showProgress(/** @type {CustomEvent<Progress>} */ (event).detail);
    this.explain("mail.mbox");
  }

  element() {
    return h("section", { class: "card transfer-section", "aria-labelledby": "mail-heading" },
      h("h3", { id: "mail-heading", text: "Bring your history in" }),
      h("p", { class: "subtle", text: "Mail and calendar files tell Followthrough when you last talked with the people you know, who is waiting for your reply, and whom you met." }),
      h("div", { class: "switch-row" }, this.firstLine,
        h("label", { for: "mail-first-line", text: "Keep the first line of each message" })),
      h("div", { class: "field" },
        h("label", { for: "mail-file", text: "Mail or calendar file" }),
        this.input,
        h("p", { class: "hint", id: "mail-file-hint", text: "An mbox from Google Takeout (Gmail) or Thunderbird, one .eml message, or a calendar .ics. Nothing is saved until you confirm." })),
      this.about,
      h("div", { class: "mail-reading" }, this.progress, this.cancelButton),
      this.status,
      this.error,
      this.previewBox,
    );
  }

  /** What is read and kept for this kind of file, in the engine's words. @param {string} name @param {string} [head] */
  async explain(name, head = "") {
    const route = await this.ctx.backend.send("mail_route", { name, head });
    if (!route.ok) return route;
    const rows = [["What is read", route.reads], ["What is kept", route.keeps], ["Where it goes", route.privacy]];
    this.about.replaceChildren(...rows.filter(([, text]) => text).flatMap(([term, text]) => [h("dt", { text: term }), h("dd", { text })]));
    return route;
  }

  async choose() {
    const file = this.input.files?.[0];
    this.previewBox.replaceChildren();
    showError(this.error, "");
    this.status.textContent = "";
    if (!file) return;
    const route = await this.explain(file.name, await file.slice(0, 8192).text());
    if (!route.ok) return showError(this.error, route.message);
    if (!route.format) return showError(this.error, `“${file.name}” is not a mail or calendar file. For contacts, use “Bring contacts in” above.`);
    if (route.stream) return this.stream(file);
    try {
      // An .eml goes to the engine byte for byte (it decodes each header by its own charset).
      const text = route.format === "eml"
        ? new TextDecoder("x-user-defined").decode(await file.arrayBuffer())
        : (await readText(file)).text;
      this.pending = { format: route.format, file, text };
      await this.preview();
    } catch (error) {
      showError(this.error, error instanceof FileProblem ? error.message : String(error));
    }
  }

  /** Read an mbox in the worker, with progress and Cancel. @param {File} file */
  async stream(file) {
    this.pending = null;
    this.progress.hidden = false;
    this.cancelButton.hidden = false;
    this.progress.value = 0;
    this.input.disabled = true;
    this.ctx.backend.addEventListener("progress", this.onProgress);
    const answer = await this.ctx.backend.send("mbox_stream", { file, first_line: this.firstLine.checked });
    this.ctx.backend.removeEventListener("progress", this.onProgress);
    this.progress.hidden = true;
    this.cancelButton.hidden = true;
    this.input.disabled = false;
    this.reading = null;
    if (!answer.ok) {
      this.status.textContent = "";
      this.input.value = ""; // the same file can be chosen again
      return showError(this.error, answer.message);
    }
    this.pending = { format: "mbox", file, session: /** @type {string} */ (answer.session) };
    await this.preview();
  }

  /** @param {Progress} progress */
  showProgress(progress) {
    this.reading = progress.session;
    this.progress.max = Math.max(progress.total, 1);
    this.progress.value = progress.done;
    if (progress.words) this.status.textContent = progress.words;
  }

  async cancel() {
    if (this.reading) await this.ctx.backend.send("mbox_cancel", { session: this.reading });
  }

  request() {
    const p = /** @type {NonNullable<typeof this.pending>} */ (this.pending);
    /** @type {Record<string, unknown>} */
    const request = { format: p.format, file: p.file.name, first_line: this.firstLine.checked };
    if (p.session) request.session = p.session;
    if (p.text !== undefined) request.text = p.text;
    if (this.ownSelect?.value) request.own = [this.ownSelect.value];
    return request;
  }

  async preview() {
    const answer = /** @type {HistoryPreview | Failure} */ (/** @type {unknown} */ (await this.ctx.backend.send("import_preview", this.request())));
    if (!answer.ok) return showError(this.error, answer.message);
    this.status.textContent = "";
    /** @type {HTMLElement[]} */
    const parts = [h("p", { id: "mail-words", text: answer.words })];
    const own = answer.own ?? [];
    const candidates = answer.own_candidates ?? [];
    if (answer.format !== "ics") {
      const addresses = [...new Set([...own, ...candidates.map((c) => c.address)])];
      this.ownSelect = /** @type {HTMLSelectElement} */ (h("select", { id: "mail-own", onchange: () => this.preview() },
        ...addresses.map((a) => h("option", { value: a, selected: own.includes(a) }, a))));
      parts.push(h("div", { class: "field" }, h("label", { for: "mail-own", text: "Your own address (messages from it are ones you sent)" }), this.ownSelect));
    }
    parts.push(h("div", { class: "card-actions" },
      h("button", { type: "button", class: "button primary", id: "mail-commit", disabled: answer.new === 0, onclick: () => this.commit() }, answer.new === 0 ? "Nothing new to add" : "Import")));
    this.previewBox.replaceChildren(...parts);
  }

  async commit() {
    const p = this.pending;
    if (!p) return;
    const answer = /** @type {HistoryDone | Failure} */ (/** @type {unknown} */ (await this.ctx.backend.send("import_commit", this.request())));
    if (!answer.ok) return showError(this.error, answer.message);
    if (p.session) await this.ctx.backend.send("mbox_end", { session: p.session });
    this.pending = null;
    this.input.value = "";
    const undoId = answer.undo?.id;
    this.previewBox.replaceChildren(h("p", { id: "mail-done", role: "status" }, `${answer.label}.`),
      ...(undoId ? [h("button", { type: "button", class: "button", id: "mail-undo", onclick: () => this.undo(undoId) }, "Undo this import")] : []));
  }

  /** @param {string} id */
  async undo(id) {
    const answer = await this.ctx.command("undo", { id });
    if (answer?.ok) this.previewBox.replaceChildren(h("p", { role: "status", id: "mail-undone", text: answer.undo?.label ?? "" }));
  }
}
