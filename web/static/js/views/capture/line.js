// @ts-check
/**
 * "Head of sales at Acme" in Capture's one line of context: the engine reads a role and an
 * organisation from it (op `parse_line`), the form offers to fill them in, and one tap undoes
 * it. Nothing is filled without the user's say.
 */
import { byId } from "../../dom.js";

/** @typedef {{found: {role: string, organisation: string, rest: string} | null, question: string | null, fill?: string, filled?: string, undo?: string}} LineRead */

export class LineReader {
  /**
   * @param {{form: HTMLFormElement, backend: import("../../backend.js").Backend, onChange: () => void}} hooks
   */
  constructor({ form, backend, onChange }) {
    this.form = form;
    this.backend = backend;
    this.onChange = onChange;
    this.text = byId("line-read-text");
    this.button = /** @type {HTMLButtonElement} */ (byId("line-read-button"));
    /** @type {{role: string, organisation: string} | null} what the fields held before a fill */
    this.before = null;
    /** @type {LineRead | null} */
    this.read = null;
    this.asked = 0;
    this.input("context").addEventListener("input", () => this.update());
    this.button.addEventListener("click", () => (this.before ? this.undo() : this.fill()));
  }

  /** @param {string} name @returns {HTMLInputElement} */
  input(name) {
    return /** @type {HTMLInputElement} */ (this.form.elements.namedItem(name));
  }

  /** Ask the engine what the line names, and offer it. */
  async update() {
    const asked = ++this.asked;
    const text = this.input("context").value;
    const answer = /** @type {{ok: boolean} & Partial<LineRead>} */ (text.trim() ? await this.backend.send("parse_line", { text }) : { ok: true, found: null });
    if (asked !== this.asked || !answer.ok) return;
    if (this.before) return; // a fill the user can still undo stays on screen
    const found = answer.found ?? null;
    const role = this.input("role").value.trim();
    const organisation = this.input("organisation").value.trim();
    // Already filled in as read: nothing to offer.
    if (!found || (found.role === role && found.organisation === organisation)) {
      this.clear();
      return;
    }
    this.read = /** @type {LineRead} */ (answer);
    this.text.textContent = answer.question ?? "";
    this.button.textContent = answer.fill ?? "";
    this.button.hidden = false;
  }

  fill() {
    const found = this.read?.found;
    if (!found) return;
    this.before = { role: this.input("role").value, organisation: this.input("organisation").value };
    this.input("role").value = found.role;
    this.input("organisation").value = found.organisation;
    /** @type {HTMLDetailsElement} */ (byId("capture-more")).open = true;
    this.text.textContent = this.read?.filled ?? "";
    this.button.textContent = this.read?.undo ?? "";
    this.onChange();
  }

  undo() {
    if (!this.before) return;
    this.input("role").value = this.before.role;
    this.input("organisation").value = this.before.organisation;
    this.before = null;
    this.onChange();
    this.update();
  }

  /** After a save, or when the line names nothing. */
  clear() {
    this.before = null;
    this.read = null;
    this.text.textContent = "";
    this.button.hidden = true;
  }
}
