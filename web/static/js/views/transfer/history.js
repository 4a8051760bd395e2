// @ts-check
/**
 * Import history (on Import and export): each import with when, from which file and how many
 * people it added and changed, and "Undo this import", previewed by the engine (op
 * `undo_preview`: everything it added, every field it changed that nobody edited since) before
 * the `undo` command removes exactly that in one transaction.
 */
import { h } from "../../dom.js";

/** @typedef {import("../../screen-types.js").TransferCtx} TransferCtx */

export class ImportHistory {
  /** @param {TransferCtx} ctx */
  constructor(ctx) {
    this.ctx = ctx;
    this.list = h("div", { id: "import-history-list" });
    this.status = h("p", { class: "visually-hidden", role: "status" });
    this.section = h("section", { class: "card import-history", "aria-labelledby": "import-history-heading" },
      h("h3", { id: "import-history-heading", text: "Import history" }),
      this.status,
      this.list,
    );
    const onChanged = () => {
      if (!this.section.isConnected) ctx.backend.removeEventListener("changed", onChanged);
      else this.render();
    };
    ctx.backend.addEventListener("changed", onChanged);
    this.render();
  }

  element() {
    return this.section;
  }

  async render() {
    const answer = await this.ctx.backend.send("imports");
    if (!answer.ok) {
      this.list.replaceChildren(h("p", { class: "error", role: "alert", text: answer.message }));
      return;
    }
    if (!answer.imports.length) {
      this.list.replaceChildren(h("p", { class: "subtle", text: "No imports on this device yet. Each one shows here, and can be undone." }));
      return;
    }
    this.list.replaceChildren(h("ul", { class: "plain-list" }, .../** @type {import("../../types.js").ImportBatch[]} */ (answer.imports).map((batch) => {
      const id = `import-${batch.id}`;
      const box = h("div", { class: "trash-actions" });
      if (batch.can_undo) {
        box.append(h("button", {
          type: "button", class: "button", "aria-describedby": id,
          onclick: () => this.preview(batch, box),
        }, "Undo this import…"));
      }
      return h("li", { class: "history-item import-batch" },
        h("div", {},
          h("p", { class: "name", id, text: batch.undone ? `${batch.words} · undone` : batch.words }),
          box));
    })));
  }

  /** @param {import("../../types.js").ImportBatch} batch @param {HTMLElement} box */
  async preview(batch, box) {
    const answer = await this.ctx.backend.send("undo_preview", { id: batch.id });
    if (!answer.ok) {
      this.ctx.toast(answer.message);
      return;
    }
    const go = h("button", {
      type: "button", class: "button primary danger",
      onclick: async () => {
        go.setAttribute("disabled", "");
        box.append(h("p", { class: "subtle", role: "status", text: "Undoing the import…" }));
        const done = await this.ctx.command("undo", { id: batch.id });
        if (done) {
          this.ctx.toast(`Undone: ${batch.label}`);
          this.status.textContent = `Undone: ${batch.label}.`;
        } else {
          go.removeAttribute("disabled");
        }
      },
    }, "Undo this import");
    box.replaceChildren(
      h("p", { class: "trash-warning", text: answer.words }),
      h("button", { type: "button", class: "button", onclick: () => this.render() }, "Keep it"),
      go,
    );
    go.focus();
  }
}
