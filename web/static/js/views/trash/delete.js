// @ts-check
/**
 * "Delete…" anywhere: the engine says what goes with it (op `delete_preview`), the user
 * confirms, and the `delete` command moves it all to the trash in one transaction.
 */
import { h } from "../../dom.js";
import { sheet } from "../sheet.js";

/** @typedef {{store: string, id: string}} RecordRef */
/** @typedef {import("../../screen-types.js").ScreenContext} ScreenContext */

/**
 * A "Delete…" button for the records `which()` names when pressed.
 * @param {ScreenContext} ctx @param {() => RecordRef[]} which
 * @param {{label?: string, after?: () => void}} [options]
 */
export function deleteButton(ctx, which, { label = "Delete…", after } = {}) {
  return h("button", {
    type: "button", class: "button danger",
    onclick: () => confirmDelete(ctx, which(), after),
  }, label);
}

/**
 * Ask, then delete. Resolves true when it was deleted.
 * @param {ScreenContext} ctx @param {RecordRef[]} records @param {() => void} [after]
 * @returns {Promise<boolean>}
 */
export async function confirmDelete(ctx, records, after) {
  const preview = await ctx.backend.send("delete_preview", { records });
  if (!preview.ok) {
    ctx.toast(preview.message);
    return false;
  }
  const { dialog, body } = sheet("delete-sheet", `Delete ${preview.label}?`, preview.words);
  return new Promise((resolve) => {
    const go = h("button", { type: "button", class: "button primary danger" }, "Move to Trash");
    const keep = h("button", { type: "button", class: "button", onclick: () => dialog.close() }, "Keep");
    go.addEventListener("click", async () => {
      go.setAttribute("disabled", "");
      const done = await ctx.command("delete", { records });
      if (!done) {
        go.removeAttribute("disabled");
        return;
      }
      dialog.close();
      ctx.toast(`Moved ${preview.label} to Trash`);
      after?.();
      resolve(true);
    });
    dialog.addEventListener("close", () => resolve(false));
    body.append(h("div", { class: "sheet-actions" }, keep, go));
    go.focus();
  });
}
