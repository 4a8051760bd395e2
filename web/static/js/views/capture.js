// @ts-check
/**
 * Capture: a person in seconds, with one hand, offline and before the engine is ready. The
 * records are written straight to IndexedDB here; the engine is told afterwards.
 */
import { h, byId } from "../dom.js";
import * as store from "../store.js";

const DRAFT_ID = "capture";

/**
 * Validate the form's values; returns the error for a field or null.
 * @param {{name: string}} values
 */
export function validateCapture(values) {
  if (!values.name.trim()) return { field: "name", message: "Enter a name: it is the one thing a capture needs." };
  if (values.name.length > 200) return { field: "name", message: "That name is longer than 200 characters." };
  return null;
}

/**
 * The records a capture writes, as the engine's schema wants them (docs/engine-api.md).
 * @param {{name: string, context: string, introducerId: string | null, event: {id: string, name: string, date: string, isNew: boolean} | null}} values
 * @param {{now: Date, today: string, newId: () => string}} env
 */
export function captureRecords(values, { now, today, newId }) {
  const at = now.toISOString();
  const person = {
    id: newId(),
    name: values.name.trim(),
    organisation: "",
    role: "",
    emails: [],
    phones: [],
    urls: [],
    tags: [],
    notes: values.context.trim(),
    how_met: values.event ? `Met at ${values.event.name}` : "",
    event_id: values.event ? values.event.id : null,
    created_at: at,
    updated_at: at,
  };
  /** @type {Record<string, any[]>} */
  const put = { people: [person] };
  if (values.event?.isNew) {
    put.events = [{ id: values.event.id, name: values.event.name, date: values.event.date || today, place: "", created_at: at }];
  }
  if (values.introducerId) {
    put.introductions = [{
      id: newId(),
      introducer_id: values.introducerId,
      introduced_id: person.id,
      at,
      kind: "introduction",
      context: values.context.trim(),
      status: "offered",
      outcome: "",
      created_at: at,
    }];
  }
  return put;
}

export class CaptureView {
  /**
   * @param {{onSaved: (put: Record<string, any[]>) => void, onMet: (person: any) => void, toast: (text: string) => void, tracker: {track: <T>(p: Promise<T>) => Promise<T>}}} hooks
   */
  constructor({ onSaved, onMet, toast, tracker }) {
    this.onSaved = onSaved;
    this.onMet = onMet;
    this.toast = toast;
    this.tracker = tracker;
    this.form = /** @type {HTMLFormElement} */ (byId("capture-form"));
    /** @type {any[]} */
    this.people = [];
    /** @type {any[]} */
    this.events = [];
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.draftTimer = undefined;
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.save();
    });
    this.form.addEventListener("input", () => this.keepDraft());
    byId("event-mode").addEventListener("change", () => this.keepDraft());
  }

  /** Restore what was typed before a reload or a closed app. */
  async restore() {
    const [draft, people, events] = await Promise.all([
      store.get("drafts", DRAFT_ID), store.getAll("people"), store.getAll("events"),
    ]);
    this.people = people;
    this.events = events;
    this.renderPeopleNames();
    this.renderRecent();
    if (!draft) return;
    for (const name of ["name", "context", "introducer", "event"]) {
      const input = /** @type {HTMLInputElement | null} */ (this.form.elements.namedItem(name));
      if (input && typeof draft[name] === "string") input.value = draft[name];
    }
    /** @type {HTMLInputElement} */ (byId("event-mode")).checked = Boolean(draft.event_mode);
  }

  keepDraft() {
    clearTimeout(this.draftTimer);
    this.draftTimer = setTimeout(() => {
      const values = this.values();
      this.tracker.track(store.commit({ put: { drafts: [{ id: DRAFT_ID, ...values }] } }));
    }, 250);
  }

  values() {
    const field = (/** @type {string} */ name) =>
      /** @type {HTMLInputElement} */ (this.form.elements.namedItem(name)).value;
    return {
      name: field("name"),
      context: field("context"),
      introducer: field("introducer"),
      event: field("event"),
      event_mode: /** @type {HTMLInputElement} */ (byId("event-mode")).checked,
    };
  }

  /** Label shown in the type-ahead; organisation disambiguates people with the same name. */
  static label(/** @type {any} */ person) {
    return person.organisation ? `${person.name} (${person.organisation})` : person.name;
  }

  renderPeopleNames() {
    const list = byId("people-names");
    list.replaceChildren(...this.people.map((p) => h("option", { value: CaptureView.label(p) })));
  }

  renderRecent() {
    const recent = [...this.people]
      .sort((a, b) => (a.created_at < b.created_at ? 1 : -1))
      .slice(0, 5);
    byId("recent-list").replaceChildren(
      ...recent.map((p) => h("li", { class: "recent" },
        h("div", {}, h("span", { class: "name", text: p.name }),
          p.notes ? h("span", { class: "subtle", text: ` — ${p.notes}` }) : null),
        h("button", {
          type: "button",
          class: "button",
          "aria-label": `Met ${p.name} today`,
          onclick: () => this.onMet(p),
        }, "Met today"),
      )),
    );
    byId("recent-heading").hidden = recent.length === 0;
  }

  /** @param {string} field @param {string} message */
  showError(field, message) {
    const input = /** @type {HTMLInputElement} */ (this.form.elements.namedItem(field));
    const error = byId(`capture-${field}-error`);
    error.textContent = message;
    error.hidden = false;
    input.setAttribute("aria-invalid", "true");
    input.focus();
  }

  clearErrors() {
    for (const error of this.form.querySelectorAll(".error")) /** @type {HTMLElement} */ (error).hidden = true;
    for (const input of this.form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  }

  async save() {
    this.clearErrors();
    const values = this.values();
    const problem = validateCapture(values);
    if (problem) {
      this.showError(problem.field, problem.message);
      return;
    }
    const introducerText = values.introducer.trim();
    let introducerId = null;
    if (introducerText) {
      const match = this.people.find((p) => CaptureView.label(p) === introducerText)
        ?? this.people.find((p) => p.name.toLowerCase() === introducerText.toLowerCase());
      if (!match) {
        this.showErrorHint("introducer", `Nobody called “${introducerText}” is saved yet. Capture them first, or clear this field.`);
        return;
      }
      introducerId = match.id;
    }
    const now = new Date();
    const today = now.toLocaleDateString("en-CA");
    let event = null;
    const eventName = values.event.trim();
    if (eventName) {
      const known = this.events.find((e) => e.name === eventName && e.date === today);
      event = known
        ? { id: known.id, name: known.name, date: known.date, isNew: false }
        : { id: crypto.randomUUID(), name: eventName, date: today, isNew: true };
    }
    const put = captureRecords(
      { name: values.name, context: values.context, introducerId, event },
      { now, today, newId: () => crypto.randomUUID() },
    );
    const keep = values.event_mode ? { event: values.event, event_mode: true } : {};
    try {
      await this.tracker.track(store.commit({
        put: { ...put, drafts: [{ id: DRAFT_ID, name: "", context: "", introducer: "", event: "", event_mode: false, ...keep }] },
      }));
    } catch (error) {
      this.toast(error instanceof Error ? error.message : String(error));
      return;
    }
    this.people.push(put.people[0]);
    if (put.events) this.events.push(...put.events);
    this.form.reset();
    if (values.event_mode) {
      /** @type {HTMLInputElement} */ (byId("event-mode")).checked = true;
      /** @type {HTMLInputElement} */ (byId("capture-event")).value = values.event;
    }
    this.renderPeopleNames();
    this.renderRecent();
    this.toast(`Saved ${put.people[0].name}.`);
    /** @type {HTMLInputElement} */ (byId("capture-name")).focus();
    this.onSaved(put);
  }

  /** @param {string} field @param {string} message */
  showErrorHint(field, message) {
    const hint = byId(`capture-${field}-hint`);
    hint.textContent = message;
    hint.classList.add("error");
    const input = /** @type {HTMLInputElement} */ (this.form.elements.namedItem(field));
    input.setAttribute("aria-invalid", "true");
    input.focus();
    input.addEventListener("input", () => {
      hint.textContent = "Start typing a name you already saved.";
      hint.classList.remove("error");
      input.removeAttribute("aria-invalid");
    }, { once: true });
  }
}
