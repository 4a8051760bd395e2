// @ts-check
/**
 * A modal sheet with a heading: `showModal()` traps the focus and Esc closes it. The focus goes
 * back to what opened it, or stays with the next dialog still open.
 */
import { h } from "../dom.js";
import { describe, rehome } from "../focus-home.js";

/**
 * Open a sheet (replacing any with the same id); returns the dialog and its body to fill.
 * @param {string} id @param {string} title @param {string} [description]
 */
export function sheet(id, title, description) {
  document.getElementById(id)?.remove();
  const opener = /** @type {HTMLElement | null} */ (document.activeElement);
  // If the opener is redrawn while the sheet is open, its new form (or its list's next item)
  // takes the focus back.
  const openerHome = opener && opener !== document.body ? describe(opener) : null;
  const dialog = /** @type {HTMLDialogElement} */ (h("dialog", {
    class: "sheet", id, "aria-labelledby": `${id}-title`, "aria-describedby": description ? `${id}-desc` : null,
  }));
  const body = h("div", { class: "sheet-body" });
  dialog.append(h("div", { class: "sheet-head" },
    h("h2", { id: `${id}-title`, tabindex: "-1", text: title }),
    h("button", { type: "button", class: "button sheet-close", onclick: () => dialog.close() }, "Close"),
  ));
  if (description) dialog.append(h("p", { class: "subtle sheet-desc", id: `${id}-desc`, text: description }));
  dialog.append(body);
  dialog.addEventListener("close", () => {
    dialog.remove();
    if (document.querySelector("dialog[open]")) return;
    if (opener && opener.isConnected) opener.focus();
    else if (openerHome) rehome(openerHome);
  });
  document.body.append(dialog);
  dialog.showModal();
  return { dialog, body };
}

/** Close every sheet (after the follow-up they were about is settled). */
export function closeSheets() {
  for (const open of document.querySelectorAll("dialog.sheet")) /** @type {HTMLDialogElement} */ (open).close();
}

/** Whether this device is an iPhone or iPad: its Messages app wants `&body=` (op `send_links`). */
export function isIOS() {
  return /iP(?:hone|ad|od)/.test(navigator.userAgent)
    || (/Macintosh/.test(navigator.userAgent) && navigator.maxTouchPoints > 1);
}
