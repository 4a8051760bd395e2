// @ts-check
/**
 * "Merge with…" on a person's page: choose the other record of the same person with the one
 * person picker (saved people only), then see both side by side and confirm (people-merge.js,
 * decided by the `merge_people` command). Nothing changes until the user confirms.
 */
import { h } from "../../dom.js";
import { openMergeDialog } from "../people-merge.js";
import { personField } from "../person-picker.js";

/**
 * @param {{ctx: import("../../screen-types.js").AppContext, id: string, person: {name: string}, section: HTMLElement,
 *   refresh: () => Promise<void>}} screen
 */
export function openMergeWith(screen) {
  const dialog = /** @type {HTMLDialogElement} */ (h("dialog", { class: "person-dialog", "aria-labelledby": "merge-with-title" }));
  const error = h("p", { class: "error", role: "alert", hidden: true });
  const { field, picker } = personField({
    backend: screen.ctx.backend, id: "merge-with-person", label: "The other record of this person",
    exclude: () => [screen.id], allowNew: false, onChange: () => { error.hidden = true; },
    idle: "Type their name as it is saved on the other record.",
  });
  const form = h("form", { class: "form", novalidate: true },
    h("h2", { id: "merge-with-title", text: `Merge ${screen.person.name} with…` }),
    h("p", { class: "subtle", text: "Two records of one person? Choose the other one: you see both side by side before anything changes." }),
    field, error,
    h("div", { class: "card-actions person-dialog-actions" },
      h("button", { type: "submit", class: "button primary" }, "Compare"),
      h("button", { type: "button", class: "button", onclick: () => dialog.close() }, "Cancel")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const pick = await picker.resolve();
    if ("none" in pick || "newName" in pick) {
      error.textContent = "Choose someone you saved from the list.";
      error.hidden = false;
      picker.combo.focus();
      return;
    }
    if ("error" in pick) {
      error.textContent = pick.error;
      error.hidden = false;
      picker.combo.focus();
      return;
    }
    const preview = await screen.ctx.backend.send("merge_preview", { keep_id: screen.id, drop_id: pick.id });
    if (!preview.ok) {
      error.textContent = preview.message;
      error.hidden = false;
      return;
    }
    dialog.close();
    openMergeDialog(screen.section, screen.ctx, preview, async (name) => {
      screen.ctx.toast(`Merged: one record for ${name} now.`);
      if (preview.keep.id === screen.id) await screen.refresh();
      else screen.ctx.navigate(`#person/${encodeURIComponent(preview.keep.id)}`);
    });
  });
  dialog.append(form);
  dialog.addEventListener("close", () => dialog.remove());
  screen.section.append(dialog);
  dialog.showModal();
  picker.combo.focus();
}
