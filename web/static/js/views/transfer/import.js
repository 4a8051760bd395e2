// @ts-check
/**
 * Import: a contacts file is read (files.js), the engine previews what would happen (new
 * people, matches and what merging adds, rows left out and why), and nothing is written until
 * the user confirms; then the engine worker saves the import in one transaction before it
 * answers. New people get a quick "how did you meet?" triage (triage.js).
 */
import { announce } from "../../announce.js";
import { h } from "../../dom.js";
import { ENCODINGS, FileProblem, formatSize, readText } from "../../files.js";
import { renderTriage } from "./triage.js";
import { showError } from "./shared.js";
import { archivePreview, isArchive, readArchive } from "./linkedin.js";

/** @typedef {import("../../screen-types.js").TransferCtx} TransferCtx */
/** @typedef {import("../../types.js").ImportPreview} ImportPreview */
/** @typedef {import("../../types.js").ImportRow} ImportRow */

const SHOWN_ROWS = 200;

export class ImportSection {
  /** @param {TransferCtx} ctx */
  constructor(ctx) {
    this.ctx = ctx;
    /** @type {{file: File, text: string, format: string, mapping: string[] | null, archive?: import("./linkedin.js").ArchivePayload} | null} */
    this.pending = null;
    /** @type {Record<string, string>} */
    this.decisions = {};
    /** LinkedIn's archive: who you are, whether to add non-connections, keep first lines. @type {import("./linkedin.js").ArchiveOptions} */
    this.archiveOptions = { strangers: true, first_line: false };
    this.progress = /** @type {HTMLProgressElement} */ (h("progress", { id: "import-progress", "aria-label": "Import progress", hidden: true }));
    /** @type {Promise<void> | undefined} the preview being asked for */
    this.previewing = undefined;
    /** @type {ImportPreview | null} the last preview shown */
    this.latest = null;
    // Shown here, said through the one live region (announce.js), once.
    this.status = h("p", { class: "transfer-status" });
    this.error = h("p", { class: "error transfer-error", role: "alert", hidden: true });
    this.previewBox = h("div", { class: "transfer-preview", id: "import-preview" });
    this.triageBox = h("div", { class: "transfer-triage", id: "import-triage" });
    this.input = /** @type {HTMLInputElement} */ (h("input", {
      type: "file", id: "import-file", multiple: true, accept: ".vcf,.vcard,.csv,.txt,.zip,text/vcard,text/csv,application/zip",
      "aria-describedby": "import-file-hint", onchange: () => this.choose(),
    }));
    this.formatSelect = /** @type {HTMLSelectElement} */ (h("select", { id: "import-format" }));
    this.listFormats();
    this.encodingSelect = /** @type {HTMLSelectElement} */ (h("select", { id: "import-encoding" },
      ...ENCODINGS.map((e) => h("option", { value: e.value }, e.label))));
  }

  /** The kinds of file the engine reads, in its words ("Recognise it for me" first). */
  async listFormats() {
    const answer = await this.ctx.backend.send("import_formats");
    if (!answer.ok) return;
    this.formatSelect.replaceChildren(...answer.formats.map((/** @type {{value: string, label: string}} */ f) => h("option", { value: f.value }, f.label)));
  }

  element() {
    return h("section", { class: "card transfer-section", "aria-labelledby": "import-heading" },
      h("h3", { id: "import-heading", text: "Bring contacts in" }),
      h("div", { class: "field" },
        h("label", { for: "import-file", text: "Contacts file" }),
        this.input,
        h("p", { class: "hint", id: "import-file-hint", text: "A vCard (.vcf) exported by your phone, Gmail, Outlook or Contacts; LinkedIn’s Connections.csv, or the whole ZIP from LinkedIn’s “Get a copy of your data” (connections, messages, invitations, job applications); a Google Contacts CSV; or any CSV. Nothing is saved until you confirm." })),
      h("details", { class: "transfer-options" },
        h("summary", { text: "Options" }),
        h("div", { class: "field" }, h("label", { for: "import-format", text: "What kind of file" }), this.formatSelect),
        h("div", { class: "field" }, h("label", { for: "import-encoding", text: "Text encoding" }), this.encodingSelect)),
      this.status,
      this.progress,
      this.error,
      this.previewBox,
      this.triageBox,
    );
  }

  async choose() {
    const file = this.input.files?.[0];
    this.previewBox.replaceChildren();
    this.triageBox.replaceChildren();
    showError(this.error, "");
    if (!file) return;
    const files = Array.from(this.input.files ?? []);
    if (isArchive(files)) return this.chooseArchive(file, files);
    this.say(`Reading “${file.name}” (${formatSize(file.size)})…`);
    try {
      const { text } = await readText(file, { encoding: this.encodingSelect.value });
      // No kind chosen (the list not there yet): the engine recognises it.
      this.pending = { file, text, format: this.formatSelect.value || "auto", mapping: null };
      this.latest = null;
      this.decisions = {};
      await this.preview();
    } catch (error) {
      this.status.textContent = "";
      showError(this.error, error instanceof FileProblem ? error.message : String(error));
    }
  }

  /**
   * LinkedIn's archive: read here, opened and parsed by the engine (linkedin.js).
   * @param {File} file
   * @param {File[]} files
   */
  async chooseArchive(file, files) {
    this.progress.hidden = false;
    try {
      const archive = await readArchive(files, (words) => { this.status.textContent = words; });
      this.pending = { file, text: "", format: "linkedin-archive", mapping: null, archive };
      this.decisions = {};
      this.archiveOptions = { strangers: true, first_line: false };
      await this.preview();
    } catch (error) {
      this.status.textContent = "";
      showError(this.error, error instanceof FileProblem ? error.message : String(error));
    } finally {
      this.progress.hidden = true;
    }
  }

  request() {
    const pending = /** @type {NonNullable<typeof this.pending>} */ (this.pending);
    if (pending.archive) return { ...pending.archive, ...this.archiveOptions, format: pending.format, decisions: this.decisions };
    /** @type {{text: string, format: string, decisions: Record<string, string>, mapping?: string[]}} */
    const request = { text: pending.text, format: pending.format, decisions: this.decisions };
    if (pending.mapping) request.mapping = pending.mapping;
    return request;
  }

  preview() {
    this.previewing = this.previewNow();
    return this.previewing;
  }

  async previewNow() {
    if (!this.pending) return;
    this.progress.hidden = false;
    const again = this.previewBox.childElementCount > 0;
    if (!again) this.say(`Looking through “${this.pending.file.name}”…`);
    const answer = await this.ctx.backend.send("import_preview", this.request());
    this.progress.hidden = true;
    this.status.textContent = "";
    if (!answer.ok) {
      showError(this.error, answer.message);
      this.previewBox.replaceChildren();
      return;
    }
    if (answer.format === "csv") this.pending.format = "csv";
    this.latest = answer;
    // A row's choice re-draws the preview: the focus stays on the control it was on.
    const focused = /** @type {HTMLElement | null} */ (this.previewBox.querySelector(":focus"));
    const key = focused?.dataset.key ?? focused?.id;
    this.renderPreview(answer);
    const back = key ? /** @type {HTMLElement | null} */ (this.previewBox.querySelector(`[data-key="${CSS.escape(key)}"], #${CSS.escape(key)}`)) : null;
    const heading = /** @type {HTMLElement | null} */ (this.previewBox.querySelector("#preview-heading"));
    if (back) back.focus();
    else if (!again && heading) heading.focus();
    this.say(this.ready(answer, again));
  }

  /** @param {string} text shown in the status line and said once */
  say(text) {
    this.status.textContent = text;
    announce(text);
  }

  /** What the preview says, in one line ("Preview ready: 3 new people, 1 to merge."). @param {ImportPreview} answer @param {boolean} again */
  ready(answer, again) {
    if (answer.needs_mapping) return answer.message ?? "Say which column holds what.";
    const parts = [`${answer.new} new ${answer.new === 1 ? "person" : "people"}`];
    if (answer.merged) parts.push(`${answer.merged} already known, with something to add`);
    if (answer.same) parts.push(`${answer.same} unchanged`);
    if (answer.problems.length) parts.push(`${answer.problems.length} left out`);
    return `${again ? "Preview updated" : "Preview ready"}: ${parts.join(", ")}.`;
  }

  /** @param {ImportPreview} answer the `import_preview` answer (docs/engine-api.md) */
  renderPreview(answer) {
    const pending = /** @type {NonNullable<typeof this.pending>} */ (this.pending);
    /** @type {Array<HTMLElement | null>} */
    const parts = [];
    if (answer.needs_mapping || answer.columns) parts.push(this.mappingForm(answer));
    const archive = /** @type {{archive?: import("../../types.js").ArchiveSummary}} */ (answer).archive;
    if (answer.needs_mapping) {
      this.previewBox.replaceChildren(...parts.filter((part) => part !== null));
      return;
    }
    const total = answer.new + answer.matched;
    const summary = h("ul", { class: "transfer-summary", "aria-label": "What this import does" },
      h("li", {}, h("strong", { text: String(answer.new) }), ` new ${answer.new === 1 ? "person" : "people"}`),
      h("li", {}, h("strong", { text: String(answer.merged) }), ` already known, with something to add`),
      h("li", {}, h("strong", { text: String(answer.same) }), " already here, unchanged"),
      answer.introductions ? h("li", {}, h("strong", { text: String(answer.introductions) }), " introductions kept") : null,
      answer.problems.length ? h("li", { class: "warn" }, h("strong", { text: String(answer.problems.length) }), " left out (see below)") : null,
    );
    const rows = answer.rows.filter((r) => r.action !== "same").slice(0, SHOWN_ROWS);
    const list = h("ol", { class: "transfer-rows", "aria-label": "People in the file" },
      ...rows.map((row) => this.previewRow(row)));
    const problems = answer.problems.length
      ? h("div", { class: "transfer-problems" },
        h("h4", { text: "Left out" }),
        h("ul", {}, ...answer.problems.map((p) => h("li", { text: p.message }))))
      : null;
    const history = archive?.counts ? archive.counts.messages_sent + archive.counts.messages_received + archive.counts.invitations + archive.counts.applications_new : 0;
    const writes = answer.new + answer.merged + answer.introductions + history;
    const confirm = h("div", { class: "card-actions" },
      h("button", {
        type: "button", class: "button primary", id: "import-confirm", disabled: writes === 0,
        onclick: () => this.commit(answer),
      }, writes === 0 ? "Nothing new to import" : archive ? "Import the archive" : `Import ${total - answer.same} ${total - answer.same === 1 ? "person" : "people"}`),
      h("button", { type: "button", class: "button", "data-key": "import-cancel", onclick: () => this.cancel() }, "Cancel"));
    parts.push(
      h("h4", { id: "preview-heading", tabindex: "-1", text: `Preview of “${pending.file.name}”` }),
      archive ? archivePreview(archive, this.archiveOptions, () => this.preview()) : null,
      summary,
      rows.length ? list : null,
      answer.rows.length > rows.length + answer.same
        ? h("p", { class: "hint", text: `Showing the first ${SHOWN_ROWS}.` }) : null,
      problems,
      confirm,
    );
    this.previewBox.replaceChildren(...parts.filter((part) => part !== null));
  }

  /** @param {ImportRow} row one of the preview's `rows`, with the engine's words for it */
  previewRow(row) {
    const current = this.decisions[String(row.row)] ?? row.decision;
    // Arrow keys on a closed select fire `change` in Chromium: the choice counts only once the
    // select is left (or Enter is pressed) with a new value, never on each arrow key.
    const commit = (/** @type {HTMLSelectElement} */ chosen) => {
      if (chosen.value === (this.decisions[String(row.row)] ?? row.decision)) return;
      this.decisions[String(row.row)] = chosen.value;
      this.preview();
    };
    const select = h("select", {
      "aria-label": `What to do with ${row.name}`, "data-key": `row-${row.row}`,
      onblur: (/** @type {Event} */ event) => commit(/** @type {HTMLSelectElement} */ (event.target)),
      onkeydown: (/** @type {KeyboardEvent} */ event) => {
        if (event.key === "Enter") commit(/** @type {HTMLSelectElement} */ (event.target));
      },
    }, ...row.choices.map((/** @type {{value: string, label: string}} */ c) => h("option", { value: c.value, selected: c.value === current }, c.label)));
    return h("li", { class: `transfer-row ${row.action}` },
      h("div", { class: "transfer-row-main" },
        h("span", { class: "name", text: row.name }),
        h("span", { class: row.action === "new" ? "badge ok" : "badge", text: row.what })),
      row.adds_text ? h("p", { class: "hint", text: `Adds ${row.adds_text}` }) : null,
      ...row.warnings.map((/** @type {string} */ w) => h("p", { class: "hint", text: w })),
      select);
  }

  /** @param {ImportPreview} answer a preview asking which column holds what */
  mappingForm(answer) {
    const pending = /** @type {NonNullable<typeof this.pending>} */ (this.pending);
    const mapping = [...(answer.mapping ?? [])];
    // Only a CSV's preview asks: it has its columns and the fields they can hold.
    const columns = /** @type {import("../../types.js").ImportColumn[]} */ (answer.columns);
    const fields = /** @type {import("../../types.js").Choice[]} */ (answer.field_labels);
    return h("details", { class: "transfer-mapping", open: Boolean(answer.needs_mapping) },
      h("summary", { text: "Columns" }),
      answer.needs_mapping ? h("p", { class: "hint error", text: answer.message }) : null,
      h("div", { class: "transfer-columns" },
        ...columns.map((column) => h("div", { class: "field" },
          h("label", { for: `column-${column.index}`, text: column.header || `Column ${column.index + 1}` }),
          h("select", {
            id: `column-${column.index}`,
            "aria-describedby": `column-${column.index}-samples`,
            onchange: (/** @type {Event} */ event) => {
              mapping[column.index] = /** @type {HTMLSelectElement} */ (event.target).value;
            },
          }, ...fields.map((f) => h("option", { value: f.value, selected: f.value === mapping[column.index] }, f.label))),
          h("p", { class: "hint", id: `column-${column.index}-samples`, text: column.samples.length ? `e.g. ${column.samples.join(", ")}` : "(empty)" })))),
      h("button", {
        type: "button", class: "button",
        onclick: () => {
          pending.mapping = mapping;
          pending.format = "csv";
          this.preview();
        },
      }, "Preview with these columns"));
  }

  cancel() {
    this.pending = null;
    this.latest = null;
    this.previewBox.replaceChildren();
    this.input.value = "";
    this.say("Import cancelled; nothing was changed.");
  }

  /** @param {import("../../types.js").ImportPlanned} preview the preview being confirmed (it says how many ids to mint) */
  async commit(preview) {
    // A row's choice left just now (the click blurred it) re-previews first: import what it says.
    await this.previewing;
    if (this.latest && !this.latest.needs_mapping) preview = this.latest;
    const button = /** @type {HTMLButtonElement | null} */ (this.previewBox.querySelector("#import-confirm"));
    if (button) button.disabled = true;
    const expected = /** @type {{archive?: import("../../types.js").ArchiveSummary}} */ (preview).archive?.counts;
    this.status.textContent = expected
      ? `Importing ${(expected.messages_sent + expected.messages_received).toLocaleString("en")} messages and ${preview.new.toLocaleString("en")} new people… This can take a minute; you can keep using the app.`
      : "Importing…";
    this.progress.hidden = false;
    const ids = Array.from({ length: preview.ids_needed + 8 }, () => crypto.randomUUID());
    // Saved by the engine worker, in one transaction, before the answer comes back.
    const answer = await this.ctx.tracker.track(this.ctx.backend.send("import_commit", { ...this.request(), ids, file: this.pending?.file.name ?? "" }));
    this.progress.hidden = true;
    if (!answer.ok) {
      showError(this.error, answer.error === "not-saved" ? `${answer.message} Nothing was imported.` : answer.message);
      if (button) button.disabled = false;
      return;
    }
    const counts = answer.counts;
    this.pending = null;
    this.input.value = "";
    this.previewBox.replaceChildren();
    const kept = /** @type {Partial<import("../../types.js").ArchiveCounts>} */ (counts);
    const messages = (kept.messages_sent ?? 0) + (kept.messages_received ?? 0);
    const done = `Imported: ${counts.people_created} new, ${counts.people_updated} updated${"messages" in kept ? `, ${messages.toLocaleString("en")} messages, ${kept.applications_new} applications` : ""}.`;
    this.status.textContent = done;
    this.ctx.toast(done); // said once, by the toast
    if (answer.created.length) await renderTriage(this.ctx, this.triageBox, answer.created);
  }
}
