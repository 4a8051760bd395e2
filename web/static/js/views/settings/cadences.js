// @ts-check
/**
 * Keep in touch: how often to suggest a note to each kind of contact, while searching and
 * after landing, and at most how many a day. Numbers and ranges come from the engine.
 */
import { h } from "../../dom.js";
import {
  clearErrors, engineError, field, keepDraft, numberAttrs, readNumber, restoredNote, saveSettings,
  showError, submitting, visibleLabel,
} from "./form-kit.js";

/** @typedef {import("./form-kit.js").SettingsCtx} SettingsCtx */
/** @typedef {import("../../types.js").SettingsAnswer} SettingsAnswer */

/** @type {{name: "introducer" | "reference" | "met", label: string}[]} */
const CADENCES = [
  { name: "introducer", label: "People who introduced you" },
  { name: "reference", label: "Your references" },
  { name: "met", label: "Everyone else you met" },
];
/** @type {{name: "searching" | "landed", legend: string}[]} */
const PHASES = [
  { name: "searching", legend: "While you are looking for work" },
  { name: "landed", legend: "After you have landed a job" },
];

export class CadencesSection {
  /** @param {SettingsCtx} ctx */
  constructor(ctx) {
    this.ctx = ctx;
    /** @type {Record<string, [number, number]>} */
    this.ranges = {};
    /** @type {ReturnType<typeof keepDraft> | null} */
    this.draft = null;
    /** @type {HTMLFormElement | null} */
    this.form = null;
  }

  /** @param {SettingsAnswer} answer */
  build({ settings, ranges }) {
    this.ranges = ranges;
    const kit = settings.keep_in_touch;
    const form = /** @type {HTMLFormElement} */ (h("form", { class: "form", novalidate: true, "aria-labelledby": "settings-keep-heading" },
      h("p", { class: "subtle", text: "So your network does not end when the search does: a gentle note to each person every so many days. 0 turns it off for that group." }),
      h("div", { class: "switch-row" },
        h("input", { type: "checkbox", id: "keep-enabled", name: "rules.keep-in-touch.enabled", checked: settings.rules["keep-in-touch"].enabled }),
        h("label", { for: "keep-enabled", text: "Suggest keep-in-touch notes" })),
      ...PHASES.map((phase) => h("fieldset", { class: "field" },
        h("legend", { text: phase.legend }),
        ...CADENCES.map((c) => field({
          name: `keep_in_touch.${phase.name}.${c.name}`, label: `${c.label}: every (days)`, context: phase.legend, type: "number",
          value: String(kit[phase.name][c.name]), attrs: numberAttrs(ranges[c.name]),
        })))),
      field({ name: "keep_in_touch.max_per_day", label: "At most this many notes a day", type: "number", value: String(kit.max_per_day), attrs: numberAttrs(ranges.max_per_day) }),
      h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button primary" }, "Save cadences")),
    ));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.save(form);
    });
    this.draft = keepDraft(form, "settings:keep", this.ctx);
    this.form = form;
    return form;
  }

  /** Put a kept draft back, saying so. */
  async restore() {
    if (this.form && await this.draft?.restore()) restoredNote(this.form);
  }

  /** @param {HTMLFormElement} form */
  async save(form) {
    clearErrors(form);
    /**
     * Built up key by key from the form's names: `keep_in_touch.<phase>.<leaf>` (a phase's
     * cadence) or `keep_in_touch.<leaf>` (`max_per_day`).
     * @type {{keep_in_touch: Record<string, Record<string, number> | number>, rules: Record<string, Record<string, boolean>>}}
     */
    const patch = { keep_in_touch: { searching: {}, landed: {} }, rules: { "keep-in-touch": {} } };
    /** @type {HTMLElement | null} */
    let first = null;
    for (const element of form.elements) {
      const input = /** @type {HTMLInputElement} */ (element);
      if (!input.name) continue;
      if (input.type === "checkbox") {
        patch.rules["keep-in-touch"].enabled = input.checked;
        continue;
      }
      const parts = input.name.split(".");
      const leaf = parts[parts.length - 1];
      const phase = PHASES.find((p) => p.name === parts[1]);
      const name = `“${visibleLabel(input)}”`;
      const read = readNumber(input.value, this.ranges[leaf], phase ? `${phase.legend}, ${name}` : name);
      if (read.error !== null) {
        const shown = showError(input, read.error);
        first ??= shown;
        continue;
      }
      if (parts.length === 3) /** @type {Record<string, number>} */ (patch.keep_in_touch[parts[1]])[leaf] = read.value;
      else patch.keep_in_touch[leaf] = read.value;
    }
    if (first) {
      first.focus();
      return;
    }
    await submitting(form, "Saving…", async () => {
      const answer = await saveSettings(this.ctx, patch);
      if (!answer.ok) return engineError(form, answer, this.ctx.toast);
      await this.draft?.clear();
      this.ctx.toast("Keep-in-touch cadences saved.");
    });
  }
}
