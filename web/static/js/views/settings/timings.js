// @ts-check
/**
 * Follow-up timings: when each rule's follow-up is due, when it stops being suggested, whether
 * it is on at all, and Today's horizon. Titles come from the engine's catalog, numbers, ranges
 * and defaults from its `settings` op.
 */
import { h } from "../../dom.js";
import {
  clearErrors, confirm, engineError, field, keepDraft, numberAttrs, readNumber, restoredNote,
  saveSettings, showError, submitting, visibleLabel,
} from "./form-kit.js";

/** @typedef {import("./form-kit.js").SettingsCtx} SettingsCtx */
/** @typedef {import("../../types.js").SettingsAnswer} SettingsAnswer */
/** The catalog's words for a rule (only what Settings reads). @typedef {{title: string, from: string, timed: boolean}} RuleWords */

export class TimingsSection {
  /**
   * @param {SettingsCtx} ctx @param {HTMLElement} root where its dialogs open
   * @param {() => HTMLElement | undefined} heading the section's heading, focused after a reset
   */
  constructor(ctx, root, heading) {
    this.ctx = ctx;
    this.root = root;
    this.heading = heading;
    /** @type {SettingsAnswer | null} */
    this.answer = null;
    /** @type {Record<string, RuleWords>} */
    this.rules = {};
    /** @type {ReturnType<typeof keepDraft> | null} */
    this.draft = null;
  }

  /** @param {SettingsAnswer} answer @param {Record<string, RuleWords>} rules */
  build(answer, rules) {
    this.answer = answer;
    this.rules = rules;
    const { settings, ranges } = answer;
    const form = /** @type {HTMLFormElement} */ (h("form", { class: "form", novalidate: true, "aria-labelledby": "settings-timings-heading" },
      h("p", { class: "subtle", text: "When each follow-up is due, counted from what sets it off. Turn off the ones you do not want." }),
      h("ul", { class: "rule-list" }, ...Object.entries(rules).filter(([, r]) => r.timed)
        .map(([rule, words]) => h("li", {}, this.ruleTiming(rule, words, settings.rules[rule])))),
      h("fieldset", { class: "field" },
        h("legend", { text: "Today's list" }),
        field({ name: "today.horizon_days", label: "Show what is due in the next (days)", type: "number", value: String(settings.today.horizon_days), attrs: numberAttrs(ranges.horizon_days) }),
        field({ name: "today.max_items", label: "Show at most (follow-ups)", type: "number", value: String(settings.today.max_items), attrs: numberAttrs(ranges.max_items) }),
        field({ name: "gratitude.lookback_days", label: "Gratitude round: thank those who helped in the last (days)", type: "number", value: String(settings.gratitude.lookback_days), attrs: numberAttrs(ranges.lookback_days) }),
        field({ name: "history.window_days", label: "Imported history older than this (days) sets dates but asks for nothing", type: "number", value: String(settings.history?.window_days ?? ""), attrs: numberAttrs(ranges.window_days) }),
        field({ name: "stop.after_unanswered", label: "Stop nudging someone after this many unanswered messages", type: "number", value: String(settings.stop?.after_unanswered ?? ""), attrs: numberAttrs(ranges.after_unanswered) }),
      ),
      h("div", { class: "form-actions" },
        h("button", { type: "submit", class: "button primary" }, "Save timings"),
        h("button", { type: "button", class: "button", onclick: () => this.reset(form) }, "Restore the defaults"),
      ),
    ));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.save(form);
    });
    form.addEventListener("input", (event) => describe(/** @type {HTMLInputElement} */ (event.target)));
    form.addEventListener("draft-restored", () => {
      for (const input of form.querySelectorAll("input[name$='.due_hours']")) describe(/** @type {HTMLInputElement} */ (input));
    });
    this.draft = keepDraft(form, "settings:timings", this.ctx);
    this.form = form;
    return form;
  }

  /** Put a kept draft back, saying so. */
  async restore() {
    if (this.form && await this.draft?.restore()) restoredNote(this.form);
  }

  /** @param {string} rule @param {RuleWords} words @param {{enabled: boolean, due_hours: number, expire_days: number}} timing */
  ruleTiming(rule, words, timing) {
    const ranges = /** @type {SettingsAnswer} */ (this.answer).ranges;
    const details = h("details", { class: "rule" },
      h("summary", {}, h("span", { class: "rule-text" },
        h("span", { class: "rule-title", text: words.title }),
        h("span", { class: "rule-when subtle", "data-summary": rule }))),
      // A group named by its rule; each name says which rule it sets (eleven rules, one page).
      h("div", { class: "rule-body", role: "group", "aria-label": words.title },
        h("div", { class: "switch-row" },
          h("input", { type: "checkbox", id: `rule-${rule}-enabled`, name: `rules.${rule}.enabled`, checked: timing.enabled }),
          h("label", { for: `rule-${rule}-enabled` }, "Suggest this follow-up", h("span", { class: "visually-hidden", text: ` (${words.title})` }))),
        h("div", { class: "number-row" },
          field({ name: `rules.${rule}.due_hours`, label: "Due after (hours)", context: words.title, type: "number", value: String(timing.due_hours), hint: `Counted ${words.from}.`, attrs: numberAttrs(ranges.due_hours) }),
          field({ name: `rules.${rule}.expire_days`, label: "Stop suggesting it after (days late)", context: words.title, type: "number", value: String(timing.expire_days), attrs: numberAttrs(ranges.expire_days) }),
        ),
      ),
    );
    details.dataset.rule = rule;
    queueMicrotask(() => describe(/** @type {HTMLInputElement} */ (details.querySelector("input[name$='.due_hours']"))));
    return details;
  }

  /** @param {HTMLFormElement} form */
  async save(form) {
    clearErrors(form);
    const ranges = /** @type {SettingsAnswer} */ (this.answer).ranges;
    /**
     * The settings' stored shape, built up from the form's names: `rules.<rule>.<leaf>` (a
     * rule's timing, or `enabled`), `today.<key>`, `gratitude.<key>`, `stop.<key>` and `history.<key>`.
     * @type {Record<string, Record<string, number | Record<string, number | boolean>>>}
     */
    const patch = { rules: {}, today: {}, gratitude: {}, stop: {}, history: {} };
    /** @type {HTMLElement | null} */
    let first = null;
    for (const element of form.elements) {
      const input = /** @type {HTMLInputElement} */ (element);
      if (!input.name) continue;
      const [group, key, leaf] = input.name.split(".");
      if (input.type === "checkbox") {
        /** @type {Record<string, number | boolean>} */ (patch.rules[key] ??= {}).enabled = input.checked;
        continue;
      }
      const name = visibleLabel(input);
      const label = group === "rules" ? `${this.rules[key]?.title}, “${name}”` : `“${name}”`;
      const read = readNumber(input.value, ranges[leaf ?? key], label);
      if (read.error !== null) {
        const shown = showError(input, read.error);
        first ??= shown;
        continue;
      }
      if (group === "rules") /** @type {Record<string, number | boolean>} */ (patch.rules[key] ??= {})[leaf] = read.value;
      else patch[group][key] = read.value;
    }
    if (first) {
      first.focus();
      this.ctx.toast("Some timings need fixing: see the highlighted fields.");
      return;
    }
    await submitting(form, "Saving…", async () => {
      const answer = await saveSettings(this.ctx, patch);
      if (!answer.ok) return engineError(form, answer, this.ctx.toast);
      await this.draft?.clear();
      this.ctx.toast("Timings saved. Today now follows them.");
    });
  }

  /** Put every timing back to the engine's default, after asking. @param {HTMLFormElement} form */
  async reset(form) {
    if (!(await confirm(this.root, "Restore the default timings?", "Every rule goes back to its built-in timing and is turned on. Your message templates and cadences stay as they are.", "Restore the defaults"))) return;
    await submitting(form, "Saving…", async () => {
      const answer = await saveSettings(this.ctx, /** @type {SettingsAnswer} */ (this.answer).timing_defaults);
      if (!answer.ok) return engineError(form, answer, this.ctx.toast);
      await this.draft?.clear();
      const saved = answer.put?.meta?.find((/** @type {{id: string}} */ m) => m.id === "settings");
      const fresh = this.build({ .../** @type {SettingsAnswer} */ (this.answer), settings: saved ?? this.answer?.settings }, this.rules);
      form.replaceWith(fresh);
      this.heading()?.focus();
      this.ctx.toast("Timings are back to the defaults.");
    });
  }
}

/** Keep a rule's summary line in step with its fields. @param {HTMLInputElement} input */
function describe(input) {
  const details = input?.closest("details.rule");
  if (!(details instanceof HTMLElement)) return;
  const enabled = /** @type {HTMLInputElement} */ (details.querySelector("input[type=checkbox]")).checked;
  const hours = Number(/** @type {HTMLInputElement} */ (details.querySelector("input[name$='.due_hours']")).value);
  const summary = /** @type {HTMLElement} */ (details.querySelector(".rule-when"));
  summary.textContent = !enabled ? "Off"
    : !Number.isInteger(hours) || hours < 0 ? "Check the hours"
      : hours === 0 ? (details.dataset.rule === "promise" ? "Due on the day you promised" : "Due at once")
        : hours % 24 === 0 ? `Due after ${hours / 24} day${hours === 24 ? "" : "s"}`
          : `Due after ${hours} h`;
}
