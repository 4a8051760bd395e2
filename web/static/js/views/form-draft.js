// @ts-check
/**
 * Nothing typed is lost: a form's draft (`backend.drafts`), written on every `input` and
 * `change` (not after a pause), put back when the form opens again after a close, a reload or
 * a crash, and dropped once the form is saved or the user cancels it.
 */

/** @typedef {Record<string, unknown>} Draft */

/**
 * The values of a form's named controls, by name.
 * @param {HTMLFormElement} form @returns {Draft}
 */
export function readNamed(form) {
  /** @type {Draft} */
  const values = {};
  for (const element of form.elements) {
    const control = /** @type {HTMLInputElement} */ (element);
    if (!control.name || control.type === "submit" || control.type === "button") continue;
    values[control.name] = control.type === "checkbox" ? control.checked : control.value;
  }
  return values;
}

/**
 * Put kept values back into a form's named controls.
 * @param {HTMLFormElement} form @param {Draft} draft
 */
export function writeNamed(form, draft) {
  for (const element of form.elements) {
    const control = /** @type {HTMLInputElement} */ (element);
    if (!control.name || !(control.name in draft)) continue;
    const value = draft[control.name];
    if (control.type === "checkbox") control.checked = Boolean(value);
    else if (typeof value === "string") control.value = value;
  }
}

/**
 * Keep `form`'s draft under `id`. `read`/`write` default to its named controls; a form with
 * rows added by hand passes its own.
 * @param {{drafts: import("../backend.js").Backend["drafts"]}} backend
 * @param {string} id @param {HTMLFormElement} form
 * @param {{read?: () => Draft, write?: (draft: Draft) => void}} [how]
 */
export function keepDraft(backend, id, form, { read = () => readNamed(form), write = (d) => writeNamed(form, d) } = {}) {
  let dropped = false;
  let touched = false;
  const keep = () => {
    touched = true;
    if (!dropped) backend.drafts.put(id, read()).catch(() => {});
  };
  form.addEventListener("input", keep);
  form.addEventListener("change", keep);
  const restored = backend.drafts.get(id).then((draft) => {
    // What was typed while the draft was being read wins.
    if (draft && !touched && !dropped) write(draft);
    return Boolean(draft);
  });
  return {
    restored,
    keep,
    /** The form was saved, or cancelled: nothing to keep. */
    drop() {
      dropped = true;
      return backend.drafts.drop(id).catch(() => {});
    },
  };
}
