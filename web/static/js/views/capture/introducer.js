// @ts-check
/**
 * Capture's "introduced by" combobox (ARIA 1.2 pattern): saved people matching what is typed,
 * and "Add … as a new person". Who matches, and who a typed name means, are the engine's to say
 * (ops `capture_people`, `capture_introducer`); this file only shows the list and keeps the pick.
 */
import { h, byId } from "../../dom.js";

/** @typedef {import("../../types.js").PersonOption} PersonOption */
/** @typedef {{person: PersonOption} | {newName: string}} Option */
/** Who was picked: a saved person (and the text shown for them), or a new one to save too. */
/** @typedef {{id: string, label: string} | {newName: string}} Pick */

const HINT = "Start typing someone you already saved.";
/** Shown while the first answer waits for the engine to start: no rule, only patience. */
const WAITING = "Your saved people appear here in a moment.";

export class IntroducerPicker {
  /**
   * @param {{backend: import("../../backend.js").Backend, onChange: () => void}} hooks
   */
  constructor({ backend, onChange }) {
    this.backend = backend;
    this.onChange = onChange;
    this.combo = /** @type {HTMLInputElement} */ (byId("capture-introducer"));
    this.listbox = byId("introducer-options");
    this.hint = byId("capture-introducer-hint");
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
        /** @type {HTMLInputElement} */ (byId("capture-event")).focus();
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
    /** @type {{ok: boolean} & Partial<import("../../types.js").PeopleOptions>} */
    const answer = await this.backend.send("capture_people", { query });
    if (this.hint.textContent === WAITING) this.setHint(HINT);
    if (asked !== this.asked || !answer.ok) return;
    /** @type {Option[]} */
    const options = (answer.people ?? []).map((person) => ({ person }));
    if (answer.new_name) options.push({ newName: answer.new_name });
    this.show(options, open && document.activeElement === this.combo);
  }

  /** @param {Option[]} options @param {boolean} open */
  show(options, open) {
    this.options = options;
    this.active = -1;
    this.combo.removeAttribute("aria-activedescendant");
    this.listbox.replaceChildren(...options.map((option, index) => {
      const id = `introducer-option-${index}`;
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
    this.combo.setAttribute("aria-activedescendant", `introducer-option-${index}`);
  }

  /** @param {number} index */
  choose(index) {
    const option = this.options[index];
    if (!option) return;
    if ("person" in option) {
      this.combo.value = option.person.label;
      this.picked = { id: option.person.id, label: option.person.label };
      this.setHint(`${option.person.name} introduced you. The follow-ups will name them.`);
    } else {
      this.combo.value = option.newName;
      this.picked = { newName: option.newName };
      this.setHint(`${option.newName} will be saved as a new person too.`);
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

  /** What the draft keeps of the pick. */
  draft() {
    const picked = this.picked;
    return {
      introducer_id: picked && "id" in picked ? picked.id : null,
      introducer_new: picked && "newName" in picked ? picked.newName : null,
    };
  }

  /**
   * The pick a draft kept, for the text restored into the field. The engine checks the person
   * still exists when the capture is saved.
   * @param {{introducer_id?: string | null, introducer_new?: string | null}} draft
   */
  restore(draft) {
    if (!this.combo.value) return;
    if (draft.introducer_id) this.picked = { id: draft.introducer_id, label: this.combo.value };
    else if (draft.introducer_new) this.picked = { newName: draft.introducer_new };
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
    this.setHint(HINT);
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
