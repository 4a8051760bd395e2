// @ts-check
/**
 * Capture's "where you met": the event and its date, and event mode, which keeps them for the
 * next captures and says so in a banner. Which saved event a name means is the engine's to say
 * (the `capture` command links a new event with a saved one's name and day to the saved one).
 */
import { h, byId, localDate } from "../../dom.js";

export class EventFields {
  /**
   * @param {{form: HTMLFormElement, toast: (text: string) => void, onChange: () => void}} hooks
   */
  constructor({ form, toast, onChange }) {
    this.form = form;
    this.toast = toast;
    this.onChange = onChange;
    this.mode = /** @type {HTMLInputElement} */ (byId("event-mode"));
    this.name = /** @type {HTMLInputElement} */ (form.elements.namedItem("event"));
    this.date = /** @type {HTMLInputElement} */ (form.elements.namedItem("event_date"));
    this.mode.addEventListener("change", () => this.onMode());
    byId("event-end").addEventListener("click", () => this.end());
    this.name.addEventListener("input", () => this.renderBanner());
    this.date.addEventListener("input", () => this.renderBanner());
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
    this.date.value = localDate(new Date());
    this.renderBanner();
    this.onChange();
    this.toast("Event mode is off.");
    /** @type {HTMLInputElement} */ (this.form.elements.namedItem("name")).focus();
  }

  renderBanner() {
    const name = this.name.value.trim();
    const banner = byId("event-banner");
    banner.hidden = !(this.on && name);
    if (banner.hidden) return;
    const date = this.date.value;
    const when = date === localDate(new Date()) ? "today" : formatDay(date);
    byId("event-banner-text").textContent = `${name}, ${when}. Everyone you save is linked to it.`;
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
   * @param {{event: string, event_date: string, event_mode: boolean}} kept @param {string} today */
  afterSave(kept, today) {
    this.mode.checked = kept.event_mode;
    this.name.value = kept.event_mode ? kept.event : "";
    this.date.value = kept.event_mode ? kept.event_date : today;
    this.renderBanner();
  }
}

/** "2026-11-23" → "Mon 23 Nov". @param {string} day */
export function formatDay(day) {
  const [y, m, d] = day.split("-").map(Number);
  if (!y || !m || !d) return day;
  return new Date(y, m - 1, d).toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short" });
}
