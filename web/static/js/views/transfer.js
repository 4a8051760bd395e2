// @ts-check
/**
 * Import and export (`#transfer`). Contacts come in from a vCard, LinkedIn's Connections.csv,
 * Google Contacts or any CSV: the engine previews what would happen (new people, matches and what
 * merging adds, rows left out and why), nothing is written until the user confirms, and then
 * everything is written in one IndexedDB transaction. New people get a quick "how did you
 * meet?" triage. Out: a JSON backup (and restoring it), vCard, a calendar of follow-ups, CSV.
 */
import { h, localDate } from "../dom.js";
import * as store from "../store.js";
import {
  ENCODINGS, FileProblem, MAX_BACKUP_BYTES, canShareFiles, download, formatSize, readText, share,
} from "../files.js";

const FORMATS = [
  { value: "auto", label: "Recognise it for me" },
  { value: "vcard", label: "vCard (.vcf) from a phone, Gmail, Outlook or Contacts" },
  { value: "linkedin", label: "LinkedIn Connections.csv" },
  { value: "google", label: "Google Contacts CSV" },
  { value: "csv", label: "Another CSV (choose the columns)" },
];
const FIELD_LABELS = {
  "": "Leave out",
  name: "Full name",
  first_name: "First name",
  last_name: "Last name",
  organisation: "Organisation",
  role: "Role or title",
  email: "Email",
  phone: "Phone",
  url: "Website or LinkedIn",
  notes: "Notes",
  tags: "Tags",
  how_met: "How we met",
  introduced_by: "Introduced by",
  event: "Event",
  event_date: "Event date",
};
const MATCHED_BY = {
  uid: "the same card", email: "email", phone: "phone", linkedin: "LinkedIn profile",
  name: "name only", file: "an earlier row of this file",
};
const SHOWN_ROWS = 200;
const TRIAGE_ROWS = 30;

/**
 * @param {HTMLElement} root
 * @param {{engine: any, command: (name: string, payload: any) => Promise<any>, toast: (t: string) => void, tracker: any, refreshToday: () => Promise<void>, navigate: (hash: string) => void}} ctx
 * @param {string[]} [params]
 */
export async function mount(root, ctx, params = []) {
  const screen = new TransferScreen(root, ctx);
  screen.render();
  if (params[0] === "restore") screen.restoreInput.focus();
}

class TransferScreen {
  /** @param {HTMLElement} root @param {any} ctx */
  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    /** @type {{file: File, text: string, format: string, mapping: string[] | null} | null} */
    this.pending = null;
    /** @type {Record<string, string>} */
    this.decisions = {};
    this.shareFiles = canShareFiles();
    this.importStatus = h("p", { class: "transfer-status", role: "status", "aria-live": "polite" });
    this.importError = h("p", { class: "error transfer-error", role: "alert", hidden: true });
    this.previewBox = h("div", { class: "transfer-preview", id: "import-preview" });
    this.triageBox = h("div", { class: "transfer-triage", id: "import-triage" });
    this.restoreStatus = h("p", { class: "transfer-status", role: "status", "aria-live": "polite" });
    this.restoreError = h("p", { class: "error transfer-error", role: "alert", hidden: true });
    this.restoreBox = h("div", { class: "transfer-preview", id: "restore-preview" });
    this.exportStatus = h("p", { class: "transfer-status", role: "status", "aria-live": "polite" });
    this.exportError = h("p", { class: "error transfer-error", role: "alert", hidden: true });
    this.importInput = /** @type {HTMLInputElement} */ (h("input", {
      type: "file", id: "import-file", accept: ".vcf,.vcard,.csv,.txt,text/vcard,text/csv",
      "aria-describedby": "import-file-hint", onchange: () => this.chooseImport(),
    }));
    this.restoreInput = /** @type {HTMLInputElement} */ (h("input", {
      type: "file", id: "restore-file", accept: ".json,application/json",
      onchange: () => this.chooseRestore(),
    }));
    this.formatSelect = /** @type {HTMLSelectElement} */ (h("select", { id: "import-format" },
      ...FORMATS.map((f) => h("option", { value: f.value }, f.label))));
    this.encodingSelect = /** @type {HTMLSelectElement} */ (h("select", { id: "import-encoding" },
      ...ENCODINGS.map((e) => h("option", { value: e.value }, e.label))));
  }

  render() {
    this.root.append(
      h("div", { class: "view-head" },
        h("h2", { text: "Import and export" }),
        h("p", { class: "subtle", text: "Bring contacts in from your phone or LinkedIn; take everything out whenever you like." })),
      this.importSection(),
      this.backupSection(),
      this.exportSection(),
    );
  }

  // --- Import ------------------------------------------------------------------------------------

  importSection() {
    return h("section", { class: "card transfer-section", "aria-labelledby": "import-heading" },
      h("h3", { id: "import-heading", text: "Bring contacts in" }),
      h("div", { class: "field" },
        h("label", { for: "import-file", text: "Contacts file" }),
        this.importInput,
        h("p", { class: "hint", id: "import-file-hint", text: "A vCard (.vcf) exported by your phone, Gmail, Outlook or Contacts; LinkedIn’s Connections.csv; a Google Contacts CSV; or any CSV. Nothing is saved until you confirm." })),
      h("details", { class: "transfer-options" },
        h("summary", { text: "Options" }),
        h("div", { class: "field" }, h("label", { for: "import-format", text: "What kind of file" }), this.formatSelect),
        h("div", { class: "field" }, h("label", { for: "import-encoding", text: "Text encoding" }), this.encodingSelect)),
      this.importStatus,
      this.importError,
      this.previewBox,
      this.triageBox,
    );
  }

  /** @param {HTMLElement} element @param {string} text */
  static showError(element, text) {
    element.textContent = text;
    element.hidden = !text;
  }

  async chooseImport() {
    const file = this.importInput.files?.[0];
    this.previewBox.replaceChildren();
    this.triageBox.replaceChildren();
    TransferScreen.showError(this.importError, "");
    if (!file) return;
    this.importStatus.textContent = `Reading “${file.name}” (${formatSize(file.size)})…`;
    try {
      const { text } = await readText(file, { encoding: this.encodingSelect.value });
      this.pending = { file, text, format: this.formatSelect.value, mapping: null };
      this.decisions = {};
      await this.preview();
    } catch (error) {
      this.importStatus.textContent = "";
      TransferScreen.showError(this.importError, error instanceof FileProblem ? error.message : String(error));
    }
  }

  request() {
    const pending = /** @type {NonNullable<typeof this.pending>} */ (this.pending);
    /** @type {Record<string, any>} */
    const request = { text: pending.text, format: pending.format, decisions: this.decisions };
    if (pending.mapping) request.mapping = pending.mapping;
    return request;
  }

  async preview() {
    if (!this.pending) return;
    this.importStatus.textContent = `Looking through “${this.pending.file.name}”…`;
    const answer = await this.ctx.engine.call({ op: "import_preview", ...this.request() });
    this.importStatus.textContent = "";
    if (!answer.ok) {
      TransferScreen.showError(this.importError, answer.message);
      this.previewBox.replaceChildren();
      return;
    }
    if (answer.format === "csv") this.pending.format = "csv";
    this.renderPreview(answer);
  }

  /** @param {any} answer */
  renderPreview(answer) {
    const pending = /** @type {NonNullable<typeof this.pending>} */ (this.pending);
    /** @type {Array<HTMLElement | null>} */
    const parts = [];
    if (answer.needs_mapping || answer.columns) parts.push(this.mappingForm(answer));
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
    const rows = answer.rows.filter((/** @type {any} */ r) => r.action !== "same").slice(0, SHOWN_ROWS);
    const list = h("ol", { class: "transfer-rows", "aria-label": "People in the file" },
      ...rows.map((/** @type {any} */ row) => this.previewRow(row)));
    const problems = answer.problems.length
      ? h("div", { class: "transfer-problems" },
        h("h4", { text: "Left out" }),
        h("ul", {}, ...answer.problems.map((/** @type {any} */ p) => h("li", { text: p.message }))))
      : null;
    const writes = answer.new + answer.merged + answer.introductions;
    const confirm = h("div", { class: "card-actions" },
      h("button", {
        type: "button", class: "button primary", id: "import-confirm", disabled: writes === 0,
        onclick: () => this.commit(answer),
      }, writes === 0 ? "Nothing new to import" : `Import ${total - answer.same} ${total - answer.same === 1 ? "person" : "people"}`),
      h("button", { type: "button", class: "button", onclick: () => this.cancel() }, "Cancel"));
    parts.push(
      h("h4", { id: "preview-heading", text: `Preview of “${pending.file.name}”` }),
      summary,
      rows.length ? list : null,
      answer.rows.length > rows.length + answer.same
        ? h("p", { class: "hint", text: `Showing the first ${SHOWN_ROWS}.` }) : null,
      problems,
      confirm,
    );
    this.previewBox.replaceChildren(...parts.filter((part) => part !== null));
  }

  /** @param {any} row */
  previewRow(row) {
    const what = row.action === "new" ? "New"
      : row.action === "skip" ? "Left out"
        : `Update ${row.person_name} (same ${MATCHED_BY[/** @type {keyof typeof MATCHED_BY} */ (row.by)] ?? row.by})`;
    const adds = Object.entries(row.adds ?? {}).map(([k, v]) => describeAdd(k, v)).filter(Boolean).join("; ");
    const choices = row.person_id || row.by
      ? [["merge", "Merge"], ["new", "Keep separate"], ["skip", "Leave out"]]
      : [["merge", "Import"], ["skip", "Leave out"]];
    const current = this.decisions[String(row.row)] ?? (row.action === "skip" ? "skip" : "merge");
    const select = h("select", {
      "aria-label": `What to do with ${row.name}`,
      onchange: (/** @type {Event} */ event) => {
        this.decisions[String(row.row)] = /** @type {HTMLSelectElement} */ (event.target).value;
        this.preview();
      },
    }, ...choices.map(([value, label]) => h("option", { value, selected: value === current }, label)));
    return h("li", { class: `transfer-row ${row.action}` },
      h("div", { class: "transfer-row-main" },
        h("span", { class: "name", text: row.name }),
        h("span", { class: row.action === "new" ? "badge ok" : "badge", text: what })),
      adds ? h("p", { class: "hint", text: `Adds ${adds}` }) : null,
      ...row.warnings.map((/** @type {string} */ w) => h("p", { class: "hint", text: w })),
      select);
  }

  /** @param {any} answer */
  mappingForm(answer) {
    const pending = /** @type {NonNullable<typeof this.pending>} */ (this.pending);
    const mapping = [...(answer.mapping ?? [])];
    const fields = ["", ...answer.fields];
    return h("details", { class: "transfer-mapping", open: Boolean(answer.needs_mapping) },
      h("summary", { text: "Columns" }),
      answer.needs_mapping ? h("p", { class: "hint error", text: answer.message }) : null,
      h("div", { class: "transfer-columns" },
        ...answer.columns.map((/** @type {any} */ column) => h("div", { class: "field" },
          h("label", { for: `column-${column.index}`, text: column.header || `Column ${column.index + 1}` }),
          h("select", {
            id: `column-${column.index}`,
            "aria-describedby": `column-${column.index}-samples`,
            onchange: (/** @type {Event} */ event) => {
              mapping[column.index] = /** @type {HTMLSelectElement} */ (event.target).value;
            },
          }, ...fields.map((f) => h("option", { value: f, selected: f === mapping[column.index] },
            FIELD_LABELS[/** @type {keyof typeof FIELD_LABELS} */ (f)] ?? f))),
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
    this.previewBox.replaceChildren();
    this.importInput.value = "";
    this.importStatus.textContent = "Import cancelled; nothing was changed.";
  }

  /** @param {any} preview */
  async commit(preview) {
    const button = /** @type {HTMLButtonElement | null} */ (this.previewBox.querySelector("#import-confirm"));
    if (button) button.disabled = true;
    const now = new Date();
    const ids = Array.from({ length: preview.ids_needed + 8 }, () => crypto.randomUUID());
    const answer = await this.ctx.tracker.track(this.ctx.engine.call({
      op: "import_commit", ...this.request(), ids, now: now.toISOString(), today: localDate(now),
    }));
    if (!answer.ok) {
      TransferScreen.showError(this.importError, answer.message);
      if (button) button.disabled = false;
      return;
    }
    if (!(await this.save(answer, this.importError))) {
      if (button) button.disabled = false;
      return;
    }
    const counts = answer.counts;
    this.pending = null;
    this.importInput.value = "";
    this.previewBox.replaceChildren();
    const done = `Imported: ${counts.people_created} new, ${counts.people_updated} updated.`;
    this.importStatus.textContent = done;
    this.ctx.toast(done);
    this.ctx.refreshToday();
    if (answer.created.length) await this.renderTriage(answer.created);
  }

  /**
   * An engine answer's `put`/`delete` are already on disk: the engine worker wrote them in one
   * transaction before answering (if it could not, the answer was `not-saved` and the engine
   * kept nothing). Kept as a step so both callers read the same.
   * @param {any} answer @param {HTMLElement} errorBox
   */
  async save(answer, errorBox) {
    if (answer.ok) return true;
    TransferScreen.showError(errorBox, `${answer.message} Nothing was imported.`);
    return false;
  }

  // --- Triage: how did you meet them? ------------------------------------------------------------

  /** @param {{id: string, name: string}[]} created */
  async renderTriage(created) {
    const known = (await store.getAll("people")).sort((a, b) => a.name.localeCompare(b.name));
    const event = /** @type {HTMLInputElement} */ (h("input", { id: "triage-event", placeholder: "e.g. Media Sales Meetup", autocomplete: "off" }));
    /** @type {{id: string, name: string} | null} */
    let savedEvent = null;
    const metAt = async (/** @type {any} */ person, /** @type {HTMLElement} */ note) => {
      const name = event.value.trim();
      if (!name) {
        event.focus();
        note.textContent = "Type the event’s name above first.";
        return;
      }
      const now = new Date();
      if (!savedEvent || savedEvent.name !== name) {
        const id = crypto.randomUUID();
        if (!(await this.ctx.command("add_event", { id, name, date: localDate(now) }))) return;
        savedEvent = { id, name };
      }
      if (await this.ctx.command("update_person", { id: person.id, event_id: savedEvent.id, how_met: `Met at ${name}` })) {
        note.textContent = `Met at ${name}.`;
      }
    };
    const introduce = async (/** @type {any} */ person, /** @type {string} */ introducerId, /** @type {HTMLElement} */ note) => {
      if (!introducerId) return;
      const introducer = known.find((p) => p.id === introducerId);
      const done = await this.ctx.command("record_introduction", {
        id: crypto.randomUUID(), introducer_id: introducerId, introduced_id: person.id, kind: "introduction",
      });
      if (done) note.textContent = `Introduced by ${introducer?.name ?? "them"}.`;
    };
    const rows = created.slice(0, TRIAGE_ROWS).map((person) => {
      const note = h("p", { class: "hint transfer-triage-note", role: "status" });
      const others = known.filter((p) => p.id !== person.id);
      return h("li", { class: "transfer-triage-row" },
        h("span", { class: "name", text: person.name }),
        h("div", { class: "transfer-triage-actions" },
          h("select", {
            "aria-label": `Who introduced you to ${person.name}?`,
            onchange: (/** @type {Event} */ e) => introduce(person, /** @type {HTMLSelectElement} */ (e.target).value, note),
          }, h("option", { value: "" }, "Introduced by…"), ...others.map((p) => h("option", { value: p.id }, p.name))),
          h("button", { type: "button", class: "button", onclick: () => metAt(person, note) }, `Met ${person.name.split(" ")[0]} at the event`)),
        note);
    });
    this.triageBox.replaceChildren(
      h("section", { class: "transfer-triage-inner", "aria-labelledby": "triage-heading" },
        h("h4", { id: "triage-heading", text: "How did you meet them?" }),
        h("p", { class: "hint", text: "One tap each, or skip: Followthrough uses this to say whom to thank and whom to update." }),
        h("div", { class: "field" }, h("label", { for: "triage-event", text: "Event you met them at (optional)" }), event),
        h("ul", { class: "plain-list" }, ...rows),
        created.length > TRIAGE_ROWS ? h("p", { class: "hint", text: `And ${created.length - TRIAGE_ROWS} more: find them under People.` }) : null,
        h("button", { type: "button", class: "button", onclick: () => this.triageBox.replaceChildren() }, "Done")));
  }

  // --- Backup and restore ------------------------------------------------------------------------

  backupSection() {
    return h("section", { class: "card transfer-section", "aria-labelledby": "backup-heading" },
      h("h3", { id: "backup-heading", text: "Back up and restore" }),
      h("p", { class: "hint", text: "A backup holds everything: people, introductions, meetings, opportunities, your decisions and settings." }),
      h("div", { class: "card-actions" },
        h("button", { type: "button", class: "button primary", id: "backup-download", onclick: () => this.backup(false) }, "Download a backup"),
        this.shareFiles ? h("button", { type: "button", class: "button", onclick: () => this.backup(true) }, "Share a backup…") : null),
      h("div", { class: "field" },
        h("label", { for: "restore-file", text: "Restore from a backup" }),
        this.restoreInput),
      this.restoreStatus,
      this.restoreError,
      this.restoreBox,
    );
  }

  /** @param {boolean} viaShare */
  async backup(viaShare) {
    TransferScreen.showError(this.exportError, "");
    const now = new Date();
    const answer = await this.ctx.engine.call({ op: "export_json", now: now.toISOString(), today: localDate(now) });
    if (!answer.ok) {
      TransferScreen.showError(this.restoreError, answer.message);
      return;
    }
    await this.offer(answer, viaShare, "Followthrough backup");
    // Settings shows when the last backup was made, and reminds when there is none.
    await this.ctx.tracker.track(store.commit({ put: { meta: [{ id: "backup", at: now.toISOString() }] } })).catch(() => {});
    this.restoreStatus.textContent = `Backup saved as ${answer.filename}.`;
  }

  async chooseRestore() {
    const file = this.restoreInput.files?.[0];
    this.restoreBox.replaceChildren();
    TransferScreen.showError(this.restoreError, "");
    if (!file) return;
    let text;
    try {
      ({ text } = await readText(file, { maxBytes: MAX_BACKUP_BYTES }));
    } catch (error) {
      TransferScreen.showError(this.restoreError, error instanceof Error ? error.message : String(error));
      return;
    }
    const preview = await this.ctx.engine.call({ op: "restore_preview", text });
    if (!preview.ok) {
      TransferScreen.showError(this.restoreError, preview.message);
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
    this.restoreBox.replaceChildren(
      h("p", { text: `Backup of ${when}: ${people.backup} people, ${preview.counts.introductions.backup} introductions, ${preview.counts.interactions.backup} interactions.` }),
      h("div", { class: "card-actions" }, ...modes.map(({ mode, label }) => h("button", {
        type: "button", class: mode === "merge" || preview.empty_here ? "button primary" : "button", "data-mode": mode,
        onclick: () => this.restore(text, mode),
      }, label))),
    );
  }

  /** @param {string} text @param {string} mode */
  async restore(text, mode) {
    for (const button of this.restoreBox.querySelectorAll("button")) /** @type {HTMLButtonElement} */ (button).disabled = true;
    const answer = await this.ctx.tracker.track(this.ctx.engine.call({ op: "restore", text, mode }));
    if (!answer.ok) {
      TransferScreen.showError(this.restoreError, answer.message);
      return;
    }
    if (!(await this.save(answer, this.restoreError))) return;
    this.restoreBox.replaceChildren();
    this.restoreInput.value = "";
    const done = mode === "merge" ? `Restored: ${answer.merge.add} records added.` : "Restored: this device now holds the backup.";
    this.restoreStatus.textContent = done;
    this.ctx.toast(done);
    this.ctx.refreshToday();
  }

  // --- Exports -----------------------------------------------------------------------------------

  exportSection() {
    const kinds = [
      { id: "vcard", label: "Contacts (vCard)", hint: "Every person, for your phone or another app; who introduced whom is kept.", op: "export_vcard", title: "Contacts" },
      { id: "ics", label: "Calendar of follow-ups (.ics)", hint: "Today’s follow-ups with their due times and a reminder, for your phone’s calendar.", op: "export_ics", title: "Follow-ups" },
      { id: "csv", label: "People (CSV for spreadsheets)", hint: "One row per person.", op: "export_csv", title: "People" },
    ];
    return h("section", { class: "card transfer-section", "aria-labelledby": "export-heading" },
      h("h3", { id: "export-heading", text: "Take it out" }),
      h("ul", { class: "plain-list transfer-exports" }, ...kinds.map((kind) => h("li", {},
        h("div", { class: "transfer-export-actions" },
          h("button", { type: "button", class: "button", id: `export-${kind.id}`, onclick: () => this.export(kind, false) }, kind.label),
          this.shareFiles ? h("button", { type: "button", class: "button", "aria-label": `Share ${kind.label}`, onclick: () => this.export(kind, true) }, "Share…") : null),
        h("p", { class: "hint", text: kind.hint })))),
      this.exportStatus,
      this.exportError,
    );
  }

  /** @param {{op: string, title: string}} kind @param {boolean} viaShare */
  async export(kind, viaShare) {
    TransferScreen.showError(this.exportError, "");
    const now = new Date();
    const clock = kind.op === "export_ics" ? { now: now.toISOString() } : {};
    const answer = await this.ctx.engine.call({ op: kind.op, today: localDate(now), ...clock });
    if (!answer.ok) {
      TransferScreen.showError(this.exportError, answer.message);
      return;
    }
    await this.offer(answer, viaShare, kind.title);
    this.exportStatus.textContent = `${answer.filename}: ${answer.count} ${kind.op === "export_ics" ? "follow-ups" : "people"}.`;
  }

  /** @param {{text: string, filename: string, mime: string}} file @param {boolean} viaShare @param {string} title */
  async offer(file, viaShare, title) {
    if (viaShare && (await share(file.text, file.filename, file.mime, title))) return;
    download(file.text, file.filename, file.mime);
  }
}

const ADD_WORDS = {
  emails: "email", phones: "phone", urls: "web address", tags: "tag", organisation: "organisation",
  role: "role", how_met: "how you met", cadence_days: "keep-in-touch cadence",
};

/** "email a@b.example", "organisation “Initech”": what a merge adds, in words. @param {string} field @param {any} value */
function describeAdd(field, value) {
  const word = ADD_WORDS[/** @type {keyof typeof ADD_WORDS} */ (field)] ?? field;
  if (Array.isArray(value)) return `${word}${value.length > 1 ? "s" : ""} ${value.join(", ")}`;
  if (field === "notes") return "notes";
  if (field === "introduced_by") return "who introduced them";
  if (field === "event") return "the event";
  if ((typeof value === "string" && value) || typeof value === "number") return `${word} “${value}”`;
  return "";
}
