// @ts-check
/**
 * The one person picker, wherever a person is chosen (Capture's "introduced by", opportunity
 * people, an introduction, merge, meeting attendees): a combobox in the ARIA APG pattern (list
 * autocomplete, `aria-activedescendant`), with saved people matching what is typed, accents and
 * case aside, and "Add … as a new person" on the spot. Who matches, and who a typed name means,
 * are the engine's to say (ops `capture_people`, `capture_introducer`); this file only shows the
 * list and keeps the pick. It never writes a record: arrow keys only move the highlight, and the
 * form that holds it saves on an explicit choice.
 */
import { h } from "../dom.js";

/** @typedef {import("../types.js").PersonOption} PersonOption */
/** @typedef {{person: PersonOption} | {newName: string}} Option */
/** Who was picked: a saved person (and the text shown for them), or a new one to save too. */
/** @typedef {{id: string, label: string} | {newName: string}} Pick */

/** Shown while the first answer waits for the engine to start: no rule, only patience. */
const WAITING = "Your saved people appear here in a moment.";

/**
 * @typedef {{
 *   backend: import("../backend.js").Backend,
 *   combo: HTMLInputElement, listbox: HTMLElement, hint: HTMLElement,
 *   onChange: () => void,
 *   idle?: string,
 *   picked?: (name: string) => string,
 *   added?: (name: string) => string,
 *   exclude?: () => string[],
 *   allowNew?: boolean,
 *   onEnter?: () => void,
 * }} PickerHooks
 */

export class PersonPicker {
  /** @param {PickerHooks} hooks */
  constructor({ backend, combo, listbox, hint, onChange, idle, picked, added, exclude, allowNew = true, onEnter }) {
    this.backend = backend;
    this.onChange = onChange;
    this.combo = combo;
    this.listbox = listbox;
    this.hint = hint;
    this.idle = idle ?? "Start typing someone you already saved.";
    this.pickedText = picked ?? ((/** @type {string} */ name) => `Chosen: ${name}.`);
    this.addedText = added ?? ((/** @type {string} */ name) => `${name} will be saved as a new person.`);
    this.exclude = exclude ?? (() => []);
    this.allowNew = allowNew;
    this.onEnter = onEnter ?? (() => {});
    /** @type {Pick | null} */
    this.picked = null;
    /** @type {Option[]} */
    this.options = [];
    this.active = -1;
    /** Answers to older questions are dropped: only the last one typed counts. */
    this.asked = 0;
    this.listen();
  }

  listen() {
    const combo = this.combo;
    combo.addEventListener("input", () => {
      const picked = this.picked;
      if (picked && ("id" in picked ? picked.label : picked.newName) !== combo.value) this.picked = null;
      this.resetHint();
      this.update(true);
    });
    combo.addEventListener("keydown", (event) => this.onKey(event));
    combo.addEventListener("blur", () => {
      // Let a tap on an option land first.
      setTimeout(() => {
        if (document.activeElement !== combo) this.close();
      }, 150);
    });
    this.listbox.addEventListener("pointerdown", (event) => event.preventDefault());
    this.listbox.addEventListener("click", (event) => {
      const option = /** @type {HTMLElement} */ (event.target).closest("[role=option]");
      if (option) this.choose(Number(option.getAttribute("data-index")));
    });
  }

  /** @param {KeyboardEvent} event */
  async onKey(event) {
    const open = !this.listbox.hidden;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!open) await this.update(true, true);
      if (this.options.length === 0) return;
      const step = event.key === "ArrowDown" ? 1 : -1;
      const count = this.options.length;
      this.setActive(this.active < 0 ? (step > 0 ? 0 : count - 1) : (this.active + step + count) % count);
    } else if (event.key === "Enter" && !event.isComposing) {
      event.preventDefault();
      if (open && this.active >= 0) this.choose(this.active);
      else if (open && this.options.length > 0 && "person" in this.options[0]) this.choose(0);
      else {
        this.close();
        this.onEnter();
      }
    } else if (event.key === "Escape") {
      if (open) {
        event.preventDefault();
        this.close();
      } else if (this.combo.value) {
        event.preventDefault();
        this.combo.value = "";
        this.picked = null;
        this.onChange();
      }
    } else if (event.key === "Tab") {
      this.close();
    }
  }

  /**
   * Ask the engine who matches what is typed, and show it. Before the engine is up the
   * question waits for it, and the list opens when the answer comes.
   * @param {boolean} open open the list if there is anything to show
   * @param {boolean} [all] with nothing typed, show the people saved most recently
   */
  async update(open, all = false) {
    const query = this.combo.value.trim();
    const asked = ++this.asked;
    if (!query && !all) {
      this.show([], false);
      return;
    }
    if (!this.backend.ready && !this.hint.classList.contains("error")) this.setHint(WAITING);
    /** @type {{ok: boolean} & Partial<import("../types.js").PeopleOptions>} */
    const answer = await this.backend.send("capture_people", { query });
    if (this.hint.textContent === WAITING) this.setHint(this.idle);
    if (asked !== this.asked || !answer.ok) return;
    const excluded = new Set(this.exclude());
    /** @type {Option[]} */
    const options = (answer.people ?? []).filter((person) => !excluded.has(person.id)).map((person) => ({ person }));
    if (answer.new_name && this.allowNew) options.push({ newName: answer.new_name });
    this.show(options, open && document.activeElement === this.combo);
  }

  /** @param {Option[]} options @param {boolean} open */
  show(options, open) {
    this.options = options;
    this.active = -1;
    this.combo.removeAttribute("aria-activedescendant");
    this.listbox.replaceChildren(...options.map((option, index) => {
      const id = this.optionId(index);
      const attrs = { role: "option", id, "data-index": index, "aria-selected": "false" };
      if ("person" in option) {
        const { name, detail } = option.person;
        return h("li", { ...attrs, class: "combo-option" },
          h("span", { class: "option-name", text: name }),
          detail ? h("span", { class: "option-detail", text: detail }) : null,
        );
      }
      return h("li", { ...attrs, class: "combo-option new" },
        h("span", { class: "option-name", text: `Add “${option.newName}” as a new person` }),
      );
    }));
    if (open && options.length) this.open();
    else this.close();
  }

  /** "introducer-options" → "introducer-option-0". @param {number} index */
  optionId(index) {
    return `${this.listbox.id.replace(/-options$/, "-option")}-${index}`;
  }

  open() {
    this.listbox.hidden = false;
    this.combo.setAttribute("aria-expanded", "true");
  }

  close() {
    this.listbox.hidden = true;
    this.combo.setAttribute("aria-expanded", "false");
    this.combo.removeAttribute("aria-activedescendant");
    this.active = -1;
  }

  /** @param {number} index */
  setActive(index) {
    this.active = index;
    for (const option of this.listbox.children) {
      const on = Number(option.getAttribute("data-index")) === index;
      option.setAttribute("aria-selected", String(on));
      if (on) option.scrollIntoView({ block: "nearest" });
    }
    this.combo.setAttribute("aria-activedescendant", this.optionId(index));
  }

  /** @param {number} index */
  choose(index) {
    const option = this.options[index];
    if (!option) return;
    if ("person" in option) {
      this.combo.value = option.person.label;
      this.picked = { id: option.person.id, label: option.person.label };
      this.setHint(this.pickedText(option.person.name));
    } else {
      this.combo.value = option.newName;
      this.picked = { newName: option.newName };
      this.setHint(this.addedText(option.newName));
    }
    this.combo.removeAttribute("aria-invalid");
    this.close();
    this.onChange();
  }

  /**
   * Who introduced this person: nobody, a saved person, someone new, or what the engine says is
   * wrong with what was typed (a name two people share, a name nobody has).
   * @returns {Promise<{none: true} | {id: string} | {newName: string} | {error: string}>}
   */
  async resolve() {
    const text = this.combo.value.trim();
    if (!text) return { none: true };
    const picked = this.picked;
    if (picked && "id" in picked && picked.label === this.combo.value) return { id: picked.id };
    if (picked && "newName" in picked && picked.newName.trim() === text) return { newName: text };
    const answer = await this.backend.send("capture_introducer", { text });
    return answer.ok ? { id: answer.person.id } : { error: answer.message };
  }

  /** What a draft keeps of the pick: the saved person's id, or the new name. */
  draft() {
    const picked = this.picked;
    return {
      id: picked && "id" in picked ? picked.id : null,
      newName: picked && "newName" in picked ? picked.newName : null,
    };
  }

  /**
   * The pick a draft kept, for the text restored into the field. The engine checks the person
   * still exists when the form is saved.
   * @param {{id?: string | null, newName?: string | null}} draft
   */
  restore(draft) {
    if (!this.combo.value) return;
    if (draft.id) this.picked = { id: draft.id, label: this.combo.value };
    else if (draft.newName) this.picked = { newName: draft.newName };
  }

  clear() {
    this.picked = null;
    this.resetHint();
    this.close();
  }

  /** @param {string} text */
  setHint(text) {
    this.hint.textContent = text;
    this.hint.classList.remove("error");
  }

  resetHint() {
    this.setHint(this.idle);
    this.combo.removeAttribute("aria-invalid");
  }

  /** Errors shown under the field are cleared with the form's. */
  clearError() {
    if (this.hint.classList.contains("error")) this.resetHint();
  }

  /** @param {string} message */
  showError(message) {
    this.hint.textContent = message;
    this.hint.classList.add("error");
    this.combo.setAttribute("aria-invalid", "true");
    this.combo.focus();
    this.update(true);
  }
}

let fields = 0;

/**
 * A labelled person field with its own list and hint, for forms built in code.
 * @param {Omit<PickerHooks, "combo" | "listbox" | "hint"> & {label: string, value?: string, pick?: {id?: string | null, newName?: string | null}, id?: string}} options
 * @returns {{field: HTMLElement, picker: PersonPicker}}
 */
export function personField({ label, value = "", pick, id, ...hooks }) {
  const base = id ?? `person-pick-${++fields}`;
  const combo = /** @type {HTMLInputElement} */ (h("input", {
    id: base, role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false",
    "aria-controls": `${base}-options`, autocomplete: "off", autocapitalize: "words", spellcheck: "false",
    "aria-describedby": `${base}-hint`, value,
  }));
  const listbox = h("ul", { class: "combo-options", id: `${base}-options`, role: "listbox", "aria-label": "Saved people", hidden: true });
  const hint = h("p", { class: "hint", id: `${base}-hint`, text: hooks.idle ?? "Start typing someone you already saved." });
  const field = h("div", { class: "field combo" }, h("label", { for: base, text: label }), combo, listbox, hint);
  const picker = new PersonPicker({ ...hooks, combo, listbox, hint });
  if (pick) picker.restore(pick);
  return { field, picker };
}
