// @ts-check
/**
 * Capture's paste and share: a LinkedIn link or copied text pasted into the name or the paste
 * box, the Paste button (clipboard), and what another app shared; what can be read fills the
 * form's fields (read.js), and a status line says which.
 */
import { byId } from "../../dom.js";
import { parseShared } from "./read.js";

/** @typedef {import("../../types.js").SharedProfile} SharedProfile */

const WORDS = {
  name: "name", role: "role", organisation: "organisation", email: "email", phone: "phone", url: "profile link",
};

export class PasteReader {
  /**
   * @param {{form: HTMLFormElement, toast: (text: string) => void, onChange: () => void, onNameFilled: () => void}} hooks
   */
  constructor({ form, toast, onChange, onNameFilled }) {
    this.form = form;
    this.toast = toast;
    this.onChange = onChange;
    this.onNameFilled = onNameFilled;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.timer = undefined;
    const name = this.input("name");
    name.addEventListener("paste", (event) => this.onNamePaste(event));
    name.addEventListener("input", () => {
      const value = name.value;
      // A link typed or pasted without a paste event (a keyboard's clipboard strip).
      if (/linkedin\.com\/in\//i.test(value) || /^https?:\/\//i.test(value.trim())) this.fillFrom(value, "name");
    });
    this.input("paste").addEventListener("input", () => {
      // Read once the paste (or the typing) settles, not on every key.
      clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.fillFrom(this.input("paste").value, "paste");
        this.onChange();
      }, 300);
    });
    byId("capture-paste").addEventListener("click", () => this.fromClipboard());
  }

  /** @param {string} name @returns {HTMLInputElement} */
  input(name) {
    return /** @type {HTMLInputElement} */ (this.form.elements.namedItem(name));
  }

  /** @param {ClipboardEvent} event */
  onNamePaste(event) {
    const text = event.clipboardData?.getData("text/plain") ?? "";
    if (!text.includes("\n") && !/https?:\/\/|linkedin\.com|@/i.test(text)) return;
    const parsed = parseShared(text);
    // Nothing readable: let the browser paste it as it is.
    if (!parsed.name && !parsed.url && !parsed.email && !parsed.phone) return;
    event.preventDefault();
    if (!parsed.name) this.input("name").value = "";
    this.announce(this.fill(parsed), /linkedin/i.test(text) ? "LinkedIn" : "what you pasted");
    this.onChange();
  }

  async fromClipboard() {
    let text = "";
    try {
      text = await navigator.clipboard.readText();
    } catch {
      /** @type {HTMLDetailsElement} */ (byId("capture-more")).open = true;
      this.input("paste").focus();
      this.toast("This browser did not let Followthrough read the clipboard. Paste into this box instead.");
      return;
    }
    if (!text.trim()) {
      this.toast("The clipboard is empty. Copy a LinkedIn profile link or text first.");
      return;
    }
    this.fillFrom(text, "button");
    this.onChange();
  }

  /**
   * Fill the form with what another app shared (the manifest's share target).
   * @param {{title?: string | null, text?: string | null, url?: string | null}} shared
   */
  fillShared(shared) {
    const filled = this.fill(parseShared(shared));
    if (!filled.includes("name")) {
      const leftover = [shared.title, shared.text].filter(Boolean).join(" — ").trim();
      if (leftover && !this.input("context").value) this.input("context").value = leftover.slice(0, 200);
    }
    this.announce(filled, "what you shared");
    this.onChange();
  }

  /**
   * @param {string} text
   * @param {"name" | "paste" | "button"} from
   */
  fillFrom(text, from) {
    const parsed = parseShared(text);
    if (from === "name" && !parsed.name && !parsed.url) return;
    if (from === "name" && !parsed.name) this.input("name").value = "";
    this.announce(this.fill(parsed), /linkedin/i.test(text) ? "LinkedIn" : "what you pasted");
  }

  /**
   * Put what was read into the fields; returns the names of the fields filled.
   * @param {SharedProfile} parsed
   */
  fill(parsed) {
    /** @type {(keyof SharedProfile)[]} */
    const filled = [];
    for (const key of /** @type {(keyof SharedProfile)[]} */ (["name", "role", "organisation", "email", "phone", "url"])) {
      if (parsed[key]) {
        this.input(key).value = parsed[key];
        filled.push(key);
      }
    }
    if (filled.some((f) => f !== "name")) /** @type {HTMLDetailsElement} */ (byId("capture-more")).open = true;
    if (filled.includes("name")) this.onNameFilled();
    return filled;
  }

  /** @param {(keyof SharedProfile)[]} filled @param {string} source */
  announce(filled, source) {
    const status = byId("capture-filled");
    if (filled.length === 0) {
      status.textContent = `Nothing could be read from ${source}. Type the name instead.`;
      return;
    }
    const list = filled.map((f) => WORDS[f]);
    const joined = list.length > 1 ? `${list.slice(0, -1).join(", ")} and ${list[list.length - 1]}` : list[0];
    status.textContent = `Filled in the ${joined} from ${source}. Check them, then save.`;
  }
}
