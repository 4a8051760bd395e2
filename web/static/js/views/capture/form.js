// @ts-check
/**
 * Capture: a person in seconds, with one hand, offline and before the engine is ready. Saving
 * is one engine command, `capture` (the person, the event, who introduced them), decided as one
 * by the engine; made before the engine is up, it waits in the inbox and is saved at once.
 * What the engine refuses is shown at the field it names.
 *
 * Everything typed is kept as a draft (`backend.drafts`, id "capture") on every input, so a
 * reload or a closed app loses nothing.
 */
import { h, byId, localDate } from "../../dom.js";
import { EventFields } from "./event.js";
import { IntroducerPicker } from "./introducer.js";
import { LineReader } from "./line.js";
import { PasteReader } from "./paste.js";

/** @typedef {import("../../types.js").CaptureDraft} CaptureDraft */
/** @typedef {import("../../types.js").CapturePayload} CapturePayload */

const DRAFT_ID = "capture";
/** Every text field of the form that the draft keeps, by its `name`. */
const TEXT_FIELDS = /** @type {const} */ ([
  "name", "context", "introducer", "event", "event_date", "event_until",
  "organisation", "role", "email", "phone", "url", "paste",
]);
const DETAIL_FIELDS = ["organisation", "role", "email", "phone", "url", "paste"];
/** The form field showing an error the engine names (`payload.person.emails[0]` → email). */
const FIELD_OF = /** @type {const} */ ([
  ["payload.person.name", "name"], ["payload.person.emails", "email"], ["payload.person.phones", "phone"],
  ["payload.person.urls", "url"], ["payload.person.organisation", "organisation"], ["payload.person.role", "role"],
  ["payload.person.notes", "context"], ["payload.introduction.context", "context"], ["payload.event", "event"],
  ["payload.introduced_by", "introducer"], ["payload.introduction", "introducer"],
]);

export class CaptureView {
  /**
   * @param {{
   *   backend: import("../../backend.js").Backend,
   *   command: import("../../screen-types.js").Command,
   *   toast: (text: string) => void,
   *   tracker: {track: <T>(p: Promise<T>) => Promise<T>},
   * }} ctx
   */
  constructor({ backend, command, toast, tracker }) {
    this.backend = backend;
    this.command = command;
    this.toast = toast;
    this.tracker = tracker;
    this.form = /** @type {HTMLFormElement} */ (byId("capture-form"));
    this.saving = false;
    /** @type {Promise<void>} */
    this.restored = Promise.resolve();
    this.asked = 0;
    const keep = () => this.keepDraft();
    this.introducer = new IntroducerPicker({ backend, onChange: keep });
    this.event = new EventFields({ form: this.form, backend, toast, onChange: keep });
    this.line = new LineReader({ form: this.form, backend, onChange: keep });
    this.paste = new PasteReader({ form: this.form, toast, onChange: keep, onNameFilled: () => this.clearErrors() });

    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.save();
    });
    this.form.addEventListener("input", keep);
    this.form.addEventListener("change", keep);
    this.input("name").addEventListener("keydown", (event) => {
      // Enter in the name goes on to the one line of context; Enter there saves.
      if (event.key === "Enter" && !event.isComposing) {
        event.preventDefault();
        this.input("context").focus();
      }
    });
    // Back to the app the next evening: yesterday's event mode has ended.
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.event.check();
    });
    backend.addEventListener("changed", (event) => {
      const { stores } = /** @type {CustomEvent<import("../../types.js").Changed>} */ (event).detail;
      if (stores.includes("people") || stores.includes("events")) this.refresh();
    });
  }

  /** @param {string} name @returns {HTMLInputElement} */
  input(name) {
    return /** @type {HTMLInputElement} */ (this.form.elements.namedItem(name));
  }

  /** Restore what was typed before a reload or a closed app, and show who was saved lately. */
  restore() {
    this.restored = this.readDraft();
    this.refresh();
    return this.restored;
  }

  async readDraft() {
    /** @type {Partial<CaptureDraft> | null | undefined} */
    const draft = await this.backend.drafts.get(DRAFT_ID);
    if (draft) {
      for (const name of TEXT_FIELDS) {
        const input = this.input(name);
        const value = draft[name];
        // Never overwrite what was typed (or shared) while the draft was being read.
        if (input && !input.value && typeof value === "string") input.value = value;
      }
      this.event.mode.checked = Boolean(draft.event_mode);
      this.introducer.restoreFields(draft);
      if (DETAIL_FIELDS.some((name) => this.input(name).value)) {
        /** @type {HTMLDetailsElement} */ (byId("capture-more")).open = true;
      }
    }
    if (!this.input("event_date").value) this.input("event_date").value = localDate(new Date());
    this.event.renderBanner();
    this.event.check();
  }

  /** Show the people saved lately, and suggest recent events' names (once the engine is up). */
  async refresh() {
    const asked = ++this.asked;
    /** @type {{ok: boolean} & Partial<import("../../types.js").RecentCaptures>} */
    const answer = await this.backend.send("capture_recent");
    // The engine answered, so it is up: is event mode still on? (it ends with the event's day)
    this.restored.then(() => this.event.check());
    if (asked !== this.asked || !answer.ok) return;
    this.event.suggest(answer.event_names ?? []);
    this.renderRecent(answer.people ?? []);
  }

  /** @returns {CaptureDraft} */
  values() {
    const text = Object.fromEntries(TEXT_FIELDS.map((name) => [name, this.input(name).value]));
    return /** @type {CaptureDraft} */ ({ ...text, event_mode: this.event.on, ...this.introducer.draftFields() });
  }

  /** Keep what the form holds now: on every input, not after a pause. */
  keepDraft() {
    if (this.saving) return;
    this.tracker.track(this.backend.drafts.put(DRAFT_ID, this.values())).catch(() => {});
  }

  /**
   * Open Capture with what another app shared (the manifest's share target).
   * @param {{title?: string | null, text?: string | null, url?: string | null}} shared
   */
  async prefill(shared) {
    await this.restored;
    this.paste.fillShared(shared);
  }

  // --- Recently captured ---

  /** @param {{id: string, name: string, lines: string[]}[]} people */
  renderRecent(people) {
    byId("recent-list").replaceChildren(
      ...people.map((p) => h("li", { class: "recent" },
        h("div", { class: "recent-text" },
          h("a", { class: "name", href: `#person/${encodeURIComponent(p.id)}`, text: p.name }),
          ...p.lines.map((line) => h("span", { class: "subtle recent-line", text: line })),
        ),
        // Heard as "Met Maria Lopez today"; seen as "Met today".
        h("button", { type: "button", class: "button", onclick: () => this.met(p) },
          "Met ", h("span", { class: "visually-hidden", text: `${p.name} ` }), "today"),
      )),
    );
    byId("recent-heading").hidden = people.length === 0;
  }

  /** "Met today": the `capture` command's meeting, for someone already saved. @param {{id: string, name: string}} person */
  async met(person) {
    const met = { id: crypto.randomUUID(), at: new Date().toISOString(), kind: "meeting" };
    const done = await this.command("capture", { person: { id: person.id }, met });
    if (done) this.toast(`Logged: met ${person.name} today.`);
  }

  // --- Errors ---

  /** @param {string} field a form field's name @param {string} message */
  showError(field, message) {
    if (field === "introducer") {
      this.introducer.showError(message);
      return;
    }
    const input = this.input(field);
    let error = document.getElementById(`capture-${field}-error`);
    if (!error) {
      // Fields that rarely go wrong get their error line when they first need one.
      error = h("p", { class: "error", id: `capture-${field}-error`, hidden: true });
      input.after(error);
      input.setAttribute("aria-describedby", [input.getAttribute("aria-describedby"), error.id].filter(Boolean).join(" "));
    }
    error.textContent = message;
    error.hidden = false;
    input.setAttribute("aria-invalid", "true");
    if (DETAIL_FIELDS.includes(field)) /** @type {HTMLDetailsElement} */ (byId("capture-more")).open = true;
    input.focus();
  }

  clearErrors() {
    for (const error of this.form.querySelectorAll("p.error")) /** @type {HTMLElement} */ (error).hidden = true;
    for (const input of this.form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
    this.introducer.clearError();
  }

  /** What the engine refused, at the field it names (or as a toast). @param {{message: string, field?: string | null}} answer */
  showRefusal(answer) {
    const field = answer.field ?? "";
    const found = FIELD_OF.find(([prefix]) => field === prefix || field.startsWith(`${prefix}.`) || field.startsWith(`${prefix}[`));
    if (found) this.showError(found[1], answer.message);
    else this.toast(answer.message);
  }

  // --- Saving ---

  /**
   * The `capture` command for what the form holds.
   * @param {CaptureDraft} values @param {{id: string} | {newName: string} | {none: true}} introducer
   * @returns {CapturePayload}
   */
  payload(values, introducer) {
    const now = new Date();
    const at = now.toISOString();
    const text = (/** @type {string} */ value) => value.trim();
    const list = (/** @type {string} */ value) => (text(value) ? [text(value)] : []);
    /** @type {CapturePayload} */
    const payload = {
      person: {
        id: crypto.randomUUID(), name: text(values.name), notes: text(values.context),
        organisation: text(values.organisation), role: text(values.role),
        emails: list(values.email), phones: list(values.phone), urls: list(values.url),
      },
      event: this.event.part(localDate(now)),
    };
    if ("id" in introducer) payload.introduced_by = { id: introducer.id };
    if ("newName" in introducer) payload.introduced_by = { id: crypto.randomUUID(), name: introducer.newName };
    if (payload.introduced_by) payload.introduction = { id: crypto.randomUUID(), context: text(values.context), at };
    return payload;
  }

  async save() {
    if (this.saving) return;
    this.clearErrors();
    const name = this.input("name");
    // The form's own `required`: with no name there is nothing to save (the engine says the rest).
    if (name.validity.valueMissing) {
      this.showError("name", name.validationMessage);
      return;
    }
    await this.restored;
    // Event mode that ended (yesterday's meetup) links nobody new: say so and let them look.
    if (await this.event.check()) return;
    const introducer = await this.introducer.resolve();
    if ("error" in introducer) {
      this.introducer.showError(introducer.error);
      return;
    }
    const values = this.values();
    const payload = this.payload(values, introducer);
    this.saving = true;
    /** @type {import("../../types.js").Answer} */
    let answer;
    try {
      answer = await this.tracker.track(this.backend.command("capture", { ...payload }));
    } finally {
      this.saving = false;
    }
    if (!answer.ok) {
      this.showRefusal(answer);
      return;
    }
    this.saved(values, "newName" in introducer ? introducer.newName : "");
  }

  /** Start over for the next person; event mode keeps the event. @param {CaptureDraft} values @param {string} newIntroducer */
  saved(values, newIntroducer) {
    const today = localDate(new Date());
    this.form.reset();
    this.introducer.clear();
    this.line.clear();
    byId("capture-filled").textContent = "";
    this.event.afterSave(values, today);
    /** @type {HTMLDetailsElement} */ (byId("capture-more")).open = false;
    this.keepDraft();
    const also = newIntroducer ? ` Also saved ${newIntroducer}, who introduced you.` : "";
    this.toast(`Saved ${values.name.trim()}.${also}`);
    // Back to the top for the next person: the event banner and the name in view.
    window.scrollTo({ top: 0 });
    this.input("name").focus({ preventScroll: true });
  }
}
