// @ts-check
/**
 * The Sync screen's list of records from other devices that could not be read (`sync_rejects`):
 * each with why, what to do, and the two ways out: try again (they may open now, e.g. after
 * signing in with a new passphrase) or forget them. While any is listed the status line never
 * says "synced" (sync/loop.js `statusText`).
 */
import { h } from "../dom.js";
import { REJECT_ADVICE, REJECT_ADVICE_OTHER } from "../sync/index.js";

/** @param {string} code */
function adviceFor(code) {
  return REJECT_ADVICE[/** @type {keyof typeof REJECT_ADVICE} */ (code)] ?? REJECT_ADVICE_OTHER;
}

/**
 * A card listing the set-aside records, kept current by `update` (hidden when there are none).
 * @param {import("../sync/index.js").Sync} sync
 */
export function rejectsCard(sync) {
  const card = h("section", { class: "card sync-section sync-rejects", "aria-labelledby": "rejects-heading", "data-testid": "sync-rejects", hidden: true });
  let shown = "";

  /** @param {string} text */
  const say = (text) => {
    card.querySelector(".sync-rejects-result")?.remove();
    card.append(h("p", { class: "sync-rejects-result", role: "status" }, text));
  };

  /** Re-read the list; redraw only when it changed (so a result line stays). */
  async function update() {
    /** @type {import("../types.js").SyncReject[]} */
    let rejects;
    try {
      rejects = await sync.rejects();
    } catch {
      return;
    }
    const key = JSON.stringify(rejects);
    if (key === shown) return;
    shown = key;
    card.hidden = !rejects.length;
    if (!rejects.length) {
      card.replaceChildren();
      return;
    }
    const count = rejects.length === 1 ? "1 record could not be read" : `${rejects.length} records could not be read`;
    const retry = h("button", { type: "button", class: "button", "data-testid": "rejects-retry" }, "Try again");
    const forget = h("button", { type: "button", class: "button", "data-testid": "rejects-forget" }, "Forget them");
    retry.addEventListener("click", async () => {
      /** @type {HTMLButtonElement} */ (retry).disabled = true;
      try {
        const read = await sync.retryRejects();
        await update();
        say(read ? `${read} ${read === 1 ? "record was" : "records were"} read and merged.` : "None of them could be read yet.");
      } catch (error) {
        say(error instanceof Error ? error.message : String(error));
      } finally {
        /** @type {HTMLButtonElement} */ (retry).disabled = false;
      }
    });
    forget.addEventListener("click", async () => {
      if (!confirm("Forget these records on this device? Your other devices keep their own copies.")) return;
      await sync.forgetRejects(rejects.map((r) => r.key));
      await update();
    });
    card.replaceChildren(
      h("h3", { id: "rejects-heading" }, `${count} — what to do`),
      h("p", {}, "They came from your other devices through the server. Nothing on this device was changed by them, and everything else synced."),
      h("ul", { class: "plain-list" }, ...rejects.map((r) => h("li", { "data-error": r.error },
        h("strong", {}, `Record ${r.key.length > 20 ? `${r.key.slice(0, 12)}…` : r.key}`),
        r.seq ? ` (change #${r.seq})` : "",
        ": ", r.message || r.error, " ",
        h("span", { class: "hint" }, adviceFor(r.error))))),
      h("p", { class: "sync-actions" }, retry, " ", forget),
    );
  }

  return { card, update };
}
