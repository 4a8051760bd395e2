// @ts-check
/**
 * The small form kit the Settings screens share: labelled fields with a hint and an error line,
 * errors shown next to the field they name, a yes/no dialog, a busy submit button, and drafts
 * (what a form holds while it is typed, written on every input through `ctx.backend.drafts`).
 */
import { h } from "../../dom.js";

/**
 * What a Settings screen gets from the app.
 * @typedef {{
 *   backend: import("../../backend.js").Backend,
 *   toast: (text: string) => void,
 *   tracker: {track: <T>(p: Promise<T>) => Promise<T>},
 *   refreshToday: () => void,
 * }} SettingsCtx
 */

/** Replace an element's children, skipping empty ones. @param {Element} element @param {...(Node | null | false | undefined)} children */
export function fill(element, ...children) {
  element.replaceChildren(.../** @type {Node[]} */ (children.filter(Boolean)));
}

let uid = 0;
/** An id unique on this page. @param {string} stem */
function idFor(stem) {
  uid += 1;
  return `set-${stem.replace(/[^a-zA-Z0-9_-]/g, "-")}-${uid}`;
}

/**
 * A labelled input with a hint and an error line.
 * @param {{name: string, label: string, value?: string, type?: string, hint?: string, attrs?: Record<string, unknown>, multiline?: boolean, context?: string}} spec
 */
export function field({ name, label, value = "", type = "text", hint, attrs = {}, multiline = false, context }) {
  const id = idFor(name);
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ");
  const control = multiline
    ? h("textarea", { id, name, rows: 6, "aria-describedby": describedBy, ...attrs })
    : h("input", { id, name, type, "aria-describedby": describedBy, ...attrs });
  /** @type {HTMLInputElement} */ (control).value = value;
  return h("div", { class: "field" },
    // `context` (say, the rule) makes a name repeated down the page unique, for a screen reader only.
    h("label", { for: id }, label, context ? h("span", { class: "visually-hidden", text: ` (${context})` }) : null),
    hint ? h("p", { class: "hint", id: hintId, text: hint }) : null,
    control,
    h("p", { class: "error", id: errorId, hidden: true }),
  );
}

/**
 * A field's label as it is seen (without the words added for screen readers only).
 * @param {HTMLInputElement} input
 */
export function visibleLabel(input) {
  const label = input.labels?.[0];
  if (!label) return "";
  return [...label.childNodes].filter((n) => !(n instanceof Element && n.classList.contains("visually-hidden")))
    .map((n) => n.textContent).join("").trim();
}

/**
 * A number field's attributes, from the engine's range for it.
 * @param {[number, number]} range
 */
export function numberAttrs([low, high]) {
  return { inputmode: "numeric", min: low, max: high };
}

/**
 * A whole number in the engine's range, or an error naming the field (checked here only for a
 * quick message; the engine checks again when it saves).
 * @param {string} raw @param {[number, number]} range @param {string} label
 * @returns {{value: number, error: null} | {value: null, error: string}}
 */
export function readNumber(raw, [low, high], label) {
  const text = raw.trim();
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < low || value > high) {
    return { value: null, error: `${label}: enter a whole number from ${low} to ${high}.` };
  }
  return { value, error: null };
}

/** @param {HTMLFormElement} form */
export function clearErrors(form) {
  for (const error of form.querySelectorAll(".error")) {
    error.textContent = "";
    /** @type {HTMLElement} */ (error).hidden = true;
  }
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}

/**
 * Show an error under a control; open its <details> if closed. Returns the control.
 * @param {Element} control @param {string} message
 * @returns {HTMLElement}
 */
export function showError(control, message) {
  control.setAttribute("aria-invalid", "true");
  const errorId = control.getAttribute("aria-describedby")?.split(" ").find((id) => id.endsWith("-error"));
  const error = errorId ? document.getElementById(errorId) : null;
  if (error) {
    error.textContent = message;
    error.hidden = false;
  }
  const details = control.closest("details");
  if (details) details.open = true;
  return /** @type {HTMLElement} */ (control);
}

/**
 * Show the engine's error next to the field it names (`settings.a.b.c` → input `a.b.c`).
 * @param {HTMLFormElement} form @param {{message: string, field?: string | null}} answer @param {(text: string) => void} toast
 */
export function engineError(form, answer, toast) {
  const name = String(answer.field ?? "").replace(/^settings\./, "");
  const input = name ? form.querySelector(`[name="${CSS.escape(name)}"]`) : null;
  if (input) {
    const label = visibleLabel(/** @type {HTMLInputElement} */ (input)) || name;
    showError(input, `${label}: ${answer.message}`).focus();
  } else {
    toast(answer.message);
  }
}

/**
 * Disable a form's buttons and show progress while `work` runs.
 * @param {HTMLFormElement} form @param {string} label @param {() => Promise<unknown>} work
 */
export async function submitting(form, label, work) {
  const button = /** @type {HTMLButtonElement} */ (form.querySelector("button[type=submit]"));
  const text = button.textContent;
  const buttons = [...form.querySelectorAll("button")];
  for (const b of buttons) b.disabled = true;
  button.textContent = label;
  try {
    await work();
  } finally {
    for (const b of buttons) b.disabled = false;
    button.textContent = text;
  }
}

/**
 * Ask a yes/no question in a modal dialog; resolves true on yes.
 * @param {Element} root @param {string} title @param {string} text @param {string} yes
 * @returns {Promise<boolean>}
 */
export function confirm(root, title, text, yes) {
  const opener = /** @type {HTMLElement | null} */ (document.activeElement);
  const dialog = /** @type {HTMLDialogElement} */ (h("dialog", { class: "confirm-dialog", "aria-labelledby": "confirm-title", "aria-describedby": "confirm-text" },
    h("h3", { id: "confirm-title", text: title }),
    h("p", { id: "confirm-text", text }),
    h("form", { method: "dialog", class: "form-actions dialog-actions" },
      h("button", { class: "button primary", value: "yes" }, yes),
      h("button", { class: "button", value: "no", autofocus: true }, "Cancel")),
  ));
  root.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      resolve(dialog.returnValue === "yes");
      dialog.remove();
      opener?.focus();
    });
    dialog.showModal();
  });
}

/**
 * Save a settings patch with the engine's `save_settings` command; on success Today follows.
 * Errors come back naming the field (`settings.rules.reach-out.due_hours`).
 * @param {SettingsCtx} ctx @param {Record<string, unknown>} patch
 */
export async function saveSettings(ctx, patch) {
  const answer = await ctx.tracker.track(ctx.backend.command("save_settings", { settings: patch }));
  if (answer.ok) ctx.refreshToday();
  return answer;
}

/**
 * Remember what is typed in a form, so a reload or a closed app loses nothing: every input is
 * written at once. `restore()` puts a kept draft back and says whether there was one.
 * @param {HTMLFormElement} form @param {string} id @param {SettingsCtx} ctx
 */
export function keepDraft(form, id, ctx) {
  const drafts = ctx.backend.drafts;
  const values = () => {
    /** @type {Record<string, string | boolean>} */
    const out = {};
    for (const element of form.elements) {
      const input = /** @type {HTMLInputElement} */ (element);
      if (!input.name) continue;
      out[input.name] = input.type === "checkbox" ? input.checked : input.value;
    }
    return out;
  };
  const save = () => {
    ctx.tracker.track(drafts.put(id, { values: values(), at: new Date().toISOString() })).catch(() => {});
  };
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  return {
    async restore() {
      const draft = await drafts.get(id);
      if (!draft?.values) return false;
      for (const [name, value] of Object.entries(draft.values)) {
        const input = /** @type {HTMLInputElement | null} */ (form.elements.namedItem(name));
        if (!input || !("value" in input)) continue;
        if (input.type === "checkbox") input.checked = Boolean(value);
        else input.value = String(value);
      }
      form.dispatchEvent(new Event("draft-restored"));
      return true;
    },
    async clear() {
      await ctx.tracker.track(drafts.drop(id)).catch(() => {});
    },
  };
}

/** Say "your unsaved changes are back" at the top of a form. @param {HTMLFormElement} form */
export function restoredNote(form) {
  form.querySelector(".subtle")?.after(h("p", { class: "form-note", role: "status", text: "Your unsaved changes are back. Save them, or change them first." }));
}
