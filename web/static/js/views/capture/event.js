// @ts-check
/**
 * Capture's "where you met": the event and its date, and event mode, which keeps them for the
 * next captures and says so in a banner. Which saved event a name means is the engine's to say
 * (the `capture` command links a new event with a saved one's name and day to the saved one),
 * and so is whether event mode is still on (op `event_mode`: it ends with the event's day, or at
 * the time the user set). Above Save, a line says which event a new person is linked to, with
 * one tap to unlink.
 */
import { h, byId, localDate } from "../../dom.js";

export class EventFields {
  /**
   * @param {{form: HTMLFormElement, backend: import("../../backend.js").Backend, toast: (text: string) => void, onChange: () => void}} hooks
   */
  constructor({ form, backend, toast, onChange }) {
    this.form = form;
    this.backend = backend;
    this.toast = toast;
    this.onChange = onChange;
    this.mode = /** @type {HTMLInputElement} */ (byId("event-mode"));
    this.name = /** @type {HTMLInputElement} */ (form.elements.namedItem("event"));
    this.date = /** @type {HTMLInputElement} */ (form.elements.namedItem("event_date"));
    this.until = /** @type {HTMLInputElement} */ (form.elements.namedItem("event_until"));
    this.mode.addEventListener("change", () => this.onMode());
    byId("event-end").addEventListener("click", () => this.end());
    byId("event-unlink").addEventListener("click", () => this.unlink());
    this.name.addEventListener("input", () => this.renderBanner());
    this.date.addEventListener("input", () => this.renderBanner());
    this.until.addEventListener("input", () => this.renderBanner());
  }

  /**
   * Whether event mode is still on, by the engine: over when the event's day is over, or at the
   * time set. Once over, the event is no longer filled in for the next person. Resolves true
   * when it ended now.
   */
  async check() {
    // Before the engine is up a save never waits for it (the inbox takes it at once); the
    // check runs when the engine is ready (Capture refreshes then).
    if (!this.on || !this.name.value.trim() || !this.backend.ready) return false;
    const until = this.untilInstant();
    const answer = /** @type {{ok: boolean, on?: boolean, ended?: string | null}} */ (
      await this.backend.send("event_mode", { date: this.date.value || localDate(new Date()), until, name: this.name.value.trim() })
    );
    if (!answer.ok || answer.on || !this.on) return false;
    this.mode.checked = false;
    this.name.value = "";
    this.until.value = "";
    this.date.value = localDate(new Date());
    this.renderBanner();
    this.onChange();
    this.toast(answer.ended ?? "Event mode is off.");
    return true;
  }

  /** The end time set, as an instant on the event's day (the browser's time zone), or null. */
  untilInstant() {
    const time = this.until.value;
    if (!time) return null;
    const at = new Date(`${this.date.value || localDate(new Date())}T${time}`);
    return Number.isNaN(at.getTime()) ? null : at.toISOString();
  }

  /** One tap: the next person saved is not linked to the event (event mode ends too). */
  unlink() {
    const name = this.name.value.trim();
    this.mode.checked = false;
    this.name.value = "";
    this.until.value = "";
    this.renderBanner();
    this.onChange();
    this.toast(`Unlinked: the next person is not linked to ${name}.`);
    /** @type {HTMLInputElement} */ (this.form.elements.namedItem("name")).focus();
  }

  get on() {
    return this.mode.checked;
  }

  onMode() {
    const hint = byId("event-mode-hint");
    if (this.on && !this.name.value.trim()) {
      this.name.focus();
      hint.textContent = "Name the event, and it stays here for your next captures.";
    } else {
      hint.textContent = "Keeps the event and date for your next captures.";
    }
    this.renderBanner();
    this.onChange();
  }

  end() {
    this.mode.checked = false;
    this.name.value = "";
    this.until.value = "";
    this.date.value = localDate(new Date());
    this.renderBanner();
    this.onChange();
    this.toast("Event mode is off.");
    /** @type {HTMLInputElement} */ (this.form.elements.namedItem("name")).focus();
  }

  renderBanner() {
    const name = this.name.value.trim();
    const banner = byId("event-banner");
    const link = byId("event-link");
    byId("event-until-field").hidden = !this.on;
    banner.hidden = !(this.on && name);
    link.hidden = !name;
    if (!name) return;
    const date = this.date.value;
    const when = !date || date === localDate(new Date()) ? "today" : formatDay(date);
    const until = this.until.value ? ` until ${this.until.value}` : " until the end of the day";
    byId("event-banner-text").textContent = `${name}, ${when}${until}. Everyone you save is linked to it.`;
    byId("event-link-text").textContent = `This person will be linked to ${name} (${when}).`;
  }

  /** Suggest the names of recent events as the event is typed. @param {string[]} names */
  suggest(names) {
    let list = document.getElementById("event-names");
    if (!list) {
      list = h("datalist", { id: "event-names" });
      this.form.append(list);
      this.name.setAttribute("list", "event-names");
    }
    list.replaceChildren(...names.map((name) => h("option", { value: name })));
  }

  /**
   * The `capture` command's `event` part: a new event (the engine takes a saved one with the
   * same name and day instead), or null.
   * @param {string} today @returns {{id: string, name: string, date: string} | null}
   */
  part(today) {
    const name = this.name.value.trim();
    return name ? { id: crypto.randomUUID(), name, date: this.date.value || today } : null;
  }

  /** After a save: event mode keeps the event for the next capture; otherwise it starts over.
   * @param {{event: string, event_date: string, event_until: string, event_mode: boolean}} kept @param {string} today */
  afterSave(kept, today) {
    this.mode.checked = kept.event_mode;
    this.name.value = kept.event_mode ? kept.event : "";
    this.date.value = kept.event_mode ? kept.event_date : today;
    this.until.value = kept.event_mode ? kept.event_until : "";
    this.renderBanner();
  }
}

/** "2026-11-23" → "Mon 23 Nov". @param {string} day */
export function formatDay(day) {
  const [y, m, d] = day.split("-").map(Number);
  if (!y || !m || !d) return day;
  return new Date(y, m - 1, d).toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short" });
}
