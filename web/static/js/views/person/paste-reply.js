// @ts-check
/**
 * "Paste their reply" (issue 18), on a person and on a follow-up's sheet: the user pastes a
 * message they got from any app; the engine reads it (op `classify_reply`: yes, no, later, a
 * question, or out of office, with the words that decided); the user confirms or changes it,
 * and command `record_reply` records it (an out-of-office records nothing, with a note).
 */
import { h } from "../../dom.js";
import { sheet } from "../sheet.js";

/**
 * What the sheet needs: the person, an opportunity the reply is about (from a follow-up), and
 * what to do once it is recorded.
 * @typedef {{ctx: {backend: import("../draft-sheet.js").DraftHooks["backend"],
 *   command: (name: string, payload: Record<string, unknown>) => Promise<unknown>,
 *   toast: (text: string) => void},
 *   personId: string, name: string, opportunityId?: string | null, done?: () => void | Promise<void>}} PasteTarget
 */

/** @param {PasteTarget} target */
export function openPasteReply(target) {
  const firstName = String(target.name).trim().split(/\s+/)[0] || target.name;
  const draftId = `paste-reply:${target.personId}`;
  const { dialog, body } = sheet("paste-reply-dialog", `Paste ${firstName}’s reply`,
    "Paste the message they sent, from any app. It is read on this device, and only what you confirm is kept.");
  const text = /** @type {HTMLTextAreaElement} */ (h("textarea", { id: "paste-reply-text", rows: "6", "aria-describedby": "paste-reply-hint" }));
  const result = h("div", { class: "paste-result", id: "paste-reply-result", "aria-live": "polite" });
  const choices = h("fieldset", { class: "field plain", hidden: true },
    h("legend", { text: "What did they say? Change it if it is wrong." }));
  const save = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", class: "button primary", disabled: true }, "Save their reply"));
  const form = /** @type {HTMLFormElement} */ (h("form", { class: "form", novalidate: true },
    h("div", { class: "field" },
      h("label", { for: "paste-reply-text", text: "Their message" }),
      h("p", { class: "subtle", id: "paste-reply-hint", text: "The quoted thread below it and the signature are left out." }),
      text),
    h("div", { class: "form-actions" },
      h("button", { type: "button", class: "button", "data-action": "read", onclick: () => read() }, "Read it")),
    result, choices,
    h("div", { class: "sheet-actions" }, save,
      h("button", { type: "button", class: "button", onclick: () => dialog.close() }, "Cancel")),
  ));
  /** @type {string} */
  let note = "";

  async function read() {
    if (!text.value.trim()) {
      result.replaceChildren(h("p", { class: "error", role: "alert", text: "Paste their message first: “Their message” is empty." }));
      text.focus();
      return;
    }
    // The answer's shape (label, cues, confidence, note, choices): docs/engine-api.md.
    const answer = /** @type {import("../../types.js").ClassifiedReply | import("../../types.js").Failure} */ (
      await target.ctx.backend.send("classify_reply", { text: text.value }));
    if (!answer.ok) {
      result.replaceChildren(h("p", { class: "error", role: "alert", text: answer.message }));
      return;
    }
    note = answer.note;
    const chosen = answer.choices.find((c) => c.value === answer.label);
    result.replaceChildren(
      h("p", { class: "paste-label" }, "This reads as: ", h("strong", { text: chosen?.label ?? answer.label })),
      answer.cues.length
        ? h("p", { class: "subtle paste-cues", text: `The words that decided: ${answer.cues.map((c) => `“${c}”`).join(", ")}` })
        : h("p", { class: "subtle", text: "No words decided it; please choose." }),
      ...(note ? [h("p", { class: "subtle", text: note })] : []),
    );
    choices.replaceChildren(choices.firstChild ?? "", ...answer.choices.map((c) => h("div", { class: "switch-row" },
      h("input", { type: "radio", name: "label", id: `paste-${c.value}`, value: c.value, checked: c.value === answer.label }),
      h("label", { for: `paste-${c.value}`, text: c.label }),
    )));
    choices.hidden = false;
    save.disabled = false;
  }

  text.addEventListener("input", () => { target.ctx.backend.drafts.put(draftId, { text: text.value }).catch(() => {}); });
  text.addEventListener("paste", () => queueMicrotask(() => { setTimeout(read, 0); }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const picked = /** @type {HTMLInputElement | null} */ (form.querySelector("input[name=label]:checked"));
    if (!picked) return;
    if (picked.value === "out_of_office") {
      await target.ctx.backend.drafts.drop(draftId).catch(() => {});
      dialog.close();
      target.ctx.toast(note || "An automatic reply: nothing is recorded.");
      return;
    }
    const done = await target.ctx.command("record_reply", {
      id: crypto.randomUUID(), person_id: target.personId, label: picked.value,
      at: new Date().toISOString(), ...(target.opportunityId ? { opportunity_id: target.opportunityId } : {}),
    });
    if (!done) return;
    await target.ctx.backend.drafts.drop(draftId).catch(() => {});
    dialog.close();
    target.ctx.toast(`Saved ${firstName}’s reply.`);
    await target.done?.();
  });
  body.replaceChildren(form);
  target.ctx.backend.drafts.get(draftId).then((kept) => {
    if (kept && typeof kept.text === "string" && !text.value) text.value = kept.text;
  }).catch(() => {});
  text.focus();
}
