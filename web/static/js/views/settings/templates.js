// @ts-check
/**
 * Message templates: the user's own wording for each rule's draft, written in the engine's
 * little template language. The engine parses and previews it (`preview_template`, with its
 * example facts) and says which facts exist (`settings`' placeholders); nothing is parsed here.
 */
import { h } from "../../dom.js";
import { clearErrors, field, fill, keepDraft, saveSettings, showError, submitting } from "./form-kit.js";

/** @typedef {import("./form-kit.js").SettingsCtx} SettingsCtx */
/** @typedef {import("../../types.js").Template} Template */
/** @typedef {import("../../types.js").SettingsAnswer} TemplatesAnswer */
/** @typedef {import("../../types.js").TemplatePreview} Preview */

/** @type {Template} */
const EMPTY = { subject: "", body: "", sms: "" };
const PARTS = [
  { name: "subject", label: "Email subject", multiline: false },
  { name: "body", label: "Email", multiline: true },
  { name: "sms", label: "Text message", multiline: true },
];

export class TemplatesSection {
  /**
   * @param {SettingsCtx} ctx
   * @param {() => Promise<TemplatesAnswer | null>} reload asks the engine for the settings again
   */
  constructor(ctx, reload) {
    this.ctx = ctx;
    this.reload = reload;
    /** @type {TemplatesAnswer | null} */
    this.answer = null;
    /** @type {Record<string, string>} */
    this.titles = {};
    /** @type {Map<string, HTMLElement>} */
    this.items = new Map();
    /** @type {HTMLElement | null} */
    this.returnFocus = null;
    this.dialog = /** @type {HTMLDialogElement} */ (h("dialog", { class: "template-dialog", "aria-labelledby": "template-dialog-title" }));
    // The opener may have been redrawn meanwhile: find it again by its rule.
    this.dialog.addEventListener("close", () => {
      const again = this.items.get(this.dialog.dataset.rule ?? "")?.querySelector("button") ?? null;
      (again ?? this.returnFocus)?.focus();
    });
  }

  /** @param {TemplatesAnswer} answer @param {Record<string, string>} titles rule -> title */
  build(answer, titles) {
    this.answer = answer;
    this.titles = titles;
    this.items = new Map();
    return h("div", {},
      this.toneField(answer),
      h("p", { class: "subtle", text: "Write the drafts in your own words. Each message starts from the built-in wording; empty a part to go back to the built-in one." }),
      h("ul", { class: "card template-list" }, ...Object.keys(titles).map((rule) => {
        const item = h("li", { class: "template-item" });
        this.items.set(rule, item);
        this.renderItem(rule);
        return item;
      })),
    );
  }

  /**
   * The tone of the built-in drafts (the engine's choices); each draft can still switch.
   * @param {TemplatesAnswer} answer
   */
  toneField(answer) {
    const tones = answer.tones ?? [];
    const select = /** @type {HTMLSelectElement} */ (h("select", { id: "settings-tone", "aria-describedby": "settings-tone-hint" },
      ...tones.map((t) => h("option", { value: t.value, text: t.label }))));
    select.value = answer.settings.drafts?.tone ?? "warm";
    select.addEventListener("change", async () => {
      const saved = await saveSettings(this.ctx, { drafts: { tone: select.value } });
      if (!saved.ok) return this.ctx.toast(saved.message);
      this.ctx.toast(`Drafts are now written in the ${select.selectedOptions[0]?.text.toLowerCase() ?? ""} tone.`);
    });
    return h("div", { class: "field" },
      h("label", { for: "settings-tone", text: "Tone of the drafts" }),
      h("p", { class: "hint", id: "settings-tone-hint", text: "Warm, brief or formal: the built-in wording of every draft. Your own wording below is used as you wrote it." }),
      select);
  }

  /** The engine's newer answer (after a save, or a change from elsewhere). @param {TemplatesAnswer} answer */
  update(answer) {
    this.answer = answer;
    for (const rule of this.items.keys()) this.renderItem(rule);
  }

  /** One rule's line: its name, whose wording, the subject as it would read, and Edit. @param {string} rule */
  renderItem(rule) {
    const item = this.items.get(rule);
    if (!item || !this.answer) return;
    const own = this.answer.settings.templates[rule];
    const custom = Boolean(own && (own.subject || own.body || own.sms));
    const subject = this.answer.subjects[rule] ?? "";
    const title = this.titles[rule];
    fill(item,
      h("div", { class: "template-text" },
        h("h4", { class: "template-title", text: title }),
        h("p", { class: "template-meta" },
          h("span", { class: custom ? "badge own" : "badge", text: custom ? "Your wording" : "Built-in" }),
          subject ? h("span", { class: "subtle", text: ` “${subject}”` }) : null)),
      h("button", {
        type: "button", class: "button", "aria-label": `Edit the message: ${title}`,
        onclick: (/** @type {Event} */ event) => this.open(rule, /** @type {HTMLElement} */ (event.currentTarget)),
      }, "Edit"),
    );
  }

  /** Save a rule's wording, redraw the list, and close. @param {string} rule @param {Template} template */
  async store(rule, template) {
    const answer = await saveSettings(this.ctx, { templates: { [rule]: template } });
    if (answer.ok) {
      const fresh = await this.reload();
      if (fresh) this.update(fresh);
    }
    return answer;
  }

  /** @param {string} rule @param {HTMLElement} opener */
  async open(rule, opener) {
    const answer = /** @type {TemplatesAnswer} */ (this.answer);
    const dialog = this.dialog;
    const title = this.titles[rule];
    this.returnFocus = opener;
    const own = /** @type {Record<string, string>} */ (answer.settings.templates[rule] ?? EMPTY);
    const base = /** @type {Record<string, string>} */ (answer.built_in[rule] ?? EMPTY);
    const previews = Object.fromEntries(PARTS.map((p) => [p.name, h("p", { class: "preview-text" })]));
    /** @type {HTMLTextAreaElement | HTMLInputElement | null} */
    let lastField = null;
    const form = /** @type {HTMLFormElement} */ (h("form", { class: "form", method: "dialog", novalidate: true },
      ...PARTS.map((p) => field({
        name: p.name, label: p.label, multiline: p.multiline, value: own[p.name] || base[p.name],
        attrs: { spellcheck: "true", ...(p.multiline ? { rows: p.name === "body" ? 9 : 4 } : {}) },
      })),
      h("details", { class: "placeholders" },
        h("summary", { text: "Facts you can use" }),
        h("p", { class: "hint", text: "Tap one to insert it where you are typing. [ … ] shows its words only when every fact in it is known; [a|b] uses the first choice that is known." }),
        h("ul", { class: "placeholder-list" }, ...Object.entries(answer.placeholders).map(([name, words]) => h("li", {},
          h("button", {
            type: "button", class: "button chip", "aria-label": `Insert {${name}}: ${words}`,
            onclick: () => insert(`{${name}}`),
          }, `{${name}}`), h("span", { class: "subtle", text: words })))),
      ),
      h("section", { class: "preview", "aria-labelledby": "template-preview-title" },
        h("h4", { id: "template-preview-title", text: "Preview, with example details" }),
        ...PARTS.map((p) => h("div", { class: "preview-part" },
          h("p", { class: "preview-label", text: p.label }), previews[p.name]))),
      h("div", { class: "form-actions" },
        h("button", { type: "button", class: "button", onclick: () => useBuiltIn() }, "Use the built-in wording")),
      h("div", { class: "form-actions dialog-actions" },
        h("button", { type: "button", class: "button", onclick: () => close() }, "Cancel"),
        h("button", { type: "submit", class: "button primary", value: "save" }, "Save message"),
      ),
    ));
    const draft = keepDraft(form, `settings:template:${rule}`, this.ctx);
    const control = (/** @type {string} */ name) => /** @type {HTMLTextAreaElement} */ (form.elements.namedItem(name));
    const typed = () => Object.fromEntries(PARTS.map((p) => [p.name, control(p.name).value]));
    const insert = (/** @type {string} */ token) => {
      const target = lastField ?? control("body");
      const start = target.selectionStart ?? target.value.length;
      const end = target.selectionEnd ?? start;
      target.setRangeText(token, start, end, "end");
      target.focus();
      target.dispatchEvent(new Event("input", { bubbles: true }));
    };
    /** Ask the engine; show each part's preview, or its error next to the part. */
    let asked = 0;
    const update = async () => {
      const mine = ++asked;
      const preview = await this.ctx.backend.send("preview_template", { rule, template: typed() });
      if (mine !== asked) return null; // a newer keystroke has asked again
      if (!preview.ok) {
        this.ctx.toast(preview.message);
        return null;
      }
      for (const p of PARTS) {
        const input = control(p.name);
        const error = /** @type {HTMLElement} */ (form.querySelector(`#${input.id}-error`));
        const shown = /** @type {Preview} */ (preview).previews[p.name];
        if (shown.error) {
          error.textContent = `${p.label}: ${shown.error.message}`;
          error.hidden = false;
          input.setAttribute("aria-invalid", "true");
          previews[p.name].textContent = "(fix the message to see the preview)";
        } else {
          previews[p.name].textContent = shown.text || "(empty)";
          error.hidden = true;
          input.removeAttribute("aria-invalid");
        }
      }
      return /** @type {Preview} */ (preview);
    };
    form.addEventListener("focusin", (event) => {
      const target = /** @type {HTMLElement} */ (event.target);
      if (target.matches("input[name], textarea[name]")) lastField = /** @type {HTMLTextAreaElement} */ (target);
    });
    form.addEventListener("input", () => { update(); });
    const close = async () => {
      await draft.clear();
      dialog.close();
    };
    const useBuiltIn = async () => {
      const saved = await this.store(rule, { subject: "", body: "", sms: "" });
      if (!saved.ok) return this.ctx.toast(saved.message);
      await close();
      this.ctx.toast(`“${title}” uses the built-in wording again.`);
    };
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearErrors(form);
      await submitting(form, "Saving…", async () => {
        const preview = await update();
        if (!preview) return;
        if (!preview.valid) {
          const first = PARTS.map((p) => control(p.name)).find((input) => input.getAttribute("aria-invalid") === "true");
          first?.focus();
          return;
        }
        // Unchanged built-in wording is stored as "use the built-in" (the engine says which).
        const saved = await this.store(rule, preview.save);
        if (!saved.ok) {
          const part = String(saved.field ?? "").split(".").pop() ?? "";
          if (PARTS.some((p) => p.name === part)) showError(control(part), saved.message).focus();
          else this.ctx.toast(saved.message);
          return;
        }
        await close();
        this.ctx.toast(`Your message for “${title}” is saved.`);
      });
    });
    dialog.replaceChildren(
      h("div", { class: "dialog-head" },
        h("h3", { id: "template-dialog-title", text: title }),
        h("p", { class: "subtle", text: "Your own wording for this follow-up's draft." })),
      form,
    );
    dialog.dataset.rule = rule;
    if (await draft.restore()) {
      form.prepend(h("p", { class: "form-note", role: "status", text: "Your unsaved changes are back." }));
    }
    update();
    dialog.showModal();
    // Escape closes the dialog: the draft stays, so nothing typed is lost.
    const subject = control("subject");
    subject.setSelectionRange(0, 0);
    subject.focus();
  }
}
