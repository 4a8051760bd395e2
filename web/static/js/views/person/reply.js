// @ts-check
/**
 * Person: knowing when to stop. Log a reply received (yes, later or no: the engine's words),
 * mark someone as "no reply" (it ends the chase, with an optional last note), say why nudges
 * are no longer suggested (op `person`, `stopped`), and offer the bundle Today shows for them.
 */
import { h } from "../../dom.js";
import { catalogNow } from "../../catalog.js";
import { openDraft } from "../draft-sheet.js";
import { sheet } from "../sheet.js";

/**
 * What these need of the Person screen.
 * @typedef {{ctx: import("../../screen-types.js").AppContext, id: string,
 *   person: import("../../types.js").PersonRecord, refresh: () => Promise<void>,
 *   hooks: import("../draft-sheet.js").DraftHooks}} Screen
 */

/** First word of a name. @param {string} name */
const first = (name) => String(name).trim().split(/\s+/)[0] || name;

/** "Reply received": what they answered, logged as a `reply` interaction. @param {Screen} screen */
export function openReply(screen) {
  const firstName = first(screen.person.name);
  const { dialog, body } = sheet("reply-dialog", `Reply received from ${firstName}`,
    "A “no” stops the nudges; any answer starts the count of unanswered messages again.");
  const kinds = catalogNow()?.reply_kinds ?? [];
  const notes = /** @type {HTMLTextAreaElement} */ (h("textarea", { id: "reply-notes", rows: "3" }));
  const form = /** @type {HTMLFormElement} */ (h("form", { class: "form", novalidate: true },
    h("fieldset", { class: "field plain" },
      h("legend", { text: "What did they say?" }),
      ...kinds.map((k, i) => h("div", { class: "switch-row" },
        h("input", { type: "radio", name: "reply", id: `reply-${k.id}`, value: k.id, checked: i === 0 }),
        h("label", { for: `reply-${k.id}`, text: k.label }),
      )),
    ),
    h("div", { class: "field" }, h("label", { for: "reply-notes", text: "Notes (optional)" }), notes),
    h("div", { class: "sheet-actions" },
      h("button", { type: "submit", class: "button primary" }, "Save reply"),
      h("button", { type: "button", class: "button", onclick: () => dialog.close() }, "Cancel"),
    ),
  ));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = /** @type {HTMLInputElement | null} */ (form.querySelector("input[name=reply]:checked"));
    const done = await screen.ctx.command("log_interaction", {
      id: crypto.randomUUID(), person_ids: [screen.id], kind: "reply", reply: chosen?.value ?? null,
      notes: notes.value, at: new Date().toISOString(),
    });
    if (!done) return;
    dialog.close();
    screen.ctx.toast(`Logged ${firstName}’s reply.`);
    await screen.refresh();
  });
  body.replaceChildren(form);
  /** @type {HTMLElement | null} */ (form.querySelector("input"))?.focus();
}

/** "No reply": stop chasing them (an interaction of kind `no_reply`). @param {Screen} screen */
export function openNoReply(screen) {
  const firstName = first(screen.person.name);
  const { dialog, body } = sheet("no-reply-dialog", `Stop chasing ${firstName}?`,
    `Followthrough stops suggesting nudges to ${firstName} until they answer, and offers one last, gracious note you can send or skip.`);
  const yes = h("button", {
    type: "button", class: "button primary",
    onclick: async () => {
      const done = await screen.ctx.command("log_interaction", {
        id: crypto.randomUUID(), person_ids: [screen.id], kind: "no_reply", at: new Date().toISOString(),
      });
      if (!done) return;
      dialog.close();
      screen.ctx.toast(`Marked ${firstName} as no reply.`);
      await screen.refresh();
    },
  }, "Mark as no reply");
  body.replaceChildren(h("div", { class: "sheet-actions" },
    yes, h("button", { type: "button", class: "button", onclick: () => dialog.close() }, "Cancel")));
  yes.focus();
}

/**
 * Under what is owed: the one message Today offers, why nudges are no longer suggested, and
 * "Mark as no reply" when the engine suggests it.
 * @param {Screen} screen @param {import("../../types.js").PersonAnswer} answer
 */
export function stopsAndBundle(screen, answer) {
  /** @type {HTMLElement[]} */
  const out = [];
  const bundle = answer.bundle;
  if (bundle?.parts?.length) {
    out.push(h("div", { class: "person-bundle" },
      h("p", { class: "subtle", text: `Today offers these as one message: ${bundle.label}.` }),
      h("button", {
        type: "button", class: "button", "aria-haspopup": "dialog", "data-action": "bundle",
        onclick: () => openDraft(bundle, screen.hooks),
      }, catalogNow()?.bundle?.verb ?? "Write"),
    ));
  }
  const stopped = answer.stopped ?? [];
  if (stopped.length) {
    out.push(h("ul", { class: "person-stops", "aria-label": "No longer suggested" },
      ...stopped.map((s) => h("li", { class: "subtle", "data-code": s.code, text: s.reason }))));
  }
  if (answer.suggest_no_reply) {
    out.push(h("button", { type: "button", class: "button", "aria-haspopup": "dialog", onclick: () => openNoReply(screen) }, "Mark as no reply…"));
  }
  return out;
}
