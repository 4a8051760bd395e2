// @ts-check
/**
 * Trash and history (#trash): what was deleted, with what went with it, kept 30 days (Restore,
 * Erase now), and the recent history of what you did, each with Undo. Everything it says comes
 * from the engine (ops `trash` and `history`).
 */
import { h } from "../../dom.js";

/** @typedef {import("../../screen-types.js").ScreenContext} ScreenContext */

const HISTORY_SHOWN = 15;

/** @param {HTMLElement} root @param {ScreenContext} ctx */
export async function mount(root, ctx) {
  const heading = h("h2", { id: "trash-heading", tabindex: "-1", text: "Trash and history" });
  const trash = h("div", { id: "trash-list" });
  const history = h("div", { id: "history-list" });
  const status = h("p", { class: "visually-hidden", role: "status", id: "trash-status" });
  root.append(
    h("div", { class: "view-head" }, heading),
    status,
    h("section", { class: "trash-block", "aria-labelledby": "trash-deleted" },
      h("h3", { id: "trash-deleted", text: "Deleted" }), trash),
    h("section", { class: "trash-block", "aria-labelledby": "trash-history" },
      h("h3", { id: "trash-history", text: "What you did recently" }), history),
  );
  const render = async () => {
    const [items, recent] = await Promise.all([
      ctx.backend.send("trash"), ctx.backend.send("history", { limit: HISTORY_SHOWN }),
    ]);
    if (!root.isConnected) return;
    renderTrash(trash, items, ctx, status);
    renderHistory(history, recent, ctx, status);
  };
  const onChanged = () => {
    if (!root.isConnected) ctx.backend.removeEventListener("changed", onChanged);
    else render();
  };
  ctx.backend.addEventListener("changed", onChanged);
  await render();
}

/**
 * @param {HTMLElement} box @param {import("../../types.js").Answer} answer the `trash` answer (TrashAnswer)
 * @param {ScreenContext} ctx @param {HTMLElement} status
 */
function renderTrash(box, answer, ctx, status) {
  if (!answer.ok) {
    box.replaceChildren(h("p", { class: "error", role: "alert", text: answer.message }));
    return;
  }
  if (!answer.entries.length) {
    box.replaceChildren(h("p", { class: "subtle", text: `Nothing in the trash. What you delete stays here for ${answer.days} days, then goes for good.` }));
    return;
  }
  box.replaceChildren(h("ul", { class: "plain-list trash-items" }, .../** @type {import("../../types.js").TrashEntry[]} */ (answer.entries).map((entry) => {
    const title = `trash-${entry.id}`;
    const actions = h("div", { class: "trash-actions" });
    const normal = () => actions.replaceChildren(
      h("button", {
        type: "button", class: "button", "aria-describedby": title,
        onclick: async () => {
          if (await ctx.command("restore", { id: entry.id })) {
            ctx.toast(`Restored ${entry.label}`);
            status.textContent = `Restored ${entry.label}.`;
          }
        },
      }, "Restore"),
      h("button", { type: "button", class: "button danger", "aria-describedby": title, onclick: () => ask() }, "Erase now"),
    );
    const ask = () => {
      const sure = h("button", {
        type: "button", class: "button primary danger",
        onclick: async () => {
          if (await ctx.command("erase", { id: entry.id })) {
            ctx.toast(`Erased ${entry.label} for good`);
            status.textContent = `Erased ${entry.label}.`;
          }
        },
      }, "Erase for good");
      actions.replaceChildren(
        h("p", { class: "trash-warning", text: "This removes it from this device, your other devices and the sync server. It cannot be undone." }),
        h("button", { type: "button", class: "button", onclick: () => { normal(); } }, "Keep it"),
        sure,
      );
      sure.focus();
    };
    normal();
    return h("li", { class: "card trash-item" },
      h("p", { class: "name", id: title, text: entry.label }),
      entry.with_words ? h("p", { class: "subtle", text: `With ${entry.with_words}` }) : null,
      h("p", { class: "subtle", text: `Deleted ${new Date(entry.at).toLocaleString()} · ${entry.days_left_words}` }),
      actions,
    );
  })));
}

/**
 * @param {HTMLElement} box @param {import("../../types.js").Answer} answer the `history` answer (HistoryAnswer)
 * @param {ScreenContext} ctx @param {HTMLElement} status
 */
function renderHistory(box, answer, ctx, status) {
  if (!answer.ok) {
    box.replaceChildren(h("p", { class: "error", role: "alert", text: answer.message }));
    return;
  }
  if (!answer.entries.length) {
    box.replaceChildren(h("p", { class: "subtle", text: "Nothing yet. What you do on this device shows here, and each step can be undone." }));
    return;
  }
  box.replaceChildren(h("ul", { class: "plain-list history-items" }, .../** @type {import("../../types.js").HistoryEntry[]} */ (answer.entries).map((entry) => {
    const id = `history-${entry.id}`;
    return h("li", { class: "history-item" },
      h("span", { id, class: entry.undone ? "subtle" : "", text: entry.undone ? `${entry.words} · undone` : entry.words }),
      entry.can_undo ? h("button", {
        type: "button", class: "button", "aria-describedby": id,
        onclick: async () => {
          if (await ctx.command("undo", { id: entry.id })) {
            ctx.toast(`Undone: ${entry.label}`);
            status.textContent = `Undone: ${entry.label}.`;
          }
        },
      }, "Undo") : null,
    );
  })));
}
