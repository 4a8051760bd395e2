// @ts-check
/**
 * Snoozed and skipped (`#later`): every follow-up put off (until when) or let go (with the
 * reason), each with "Bring it back" (the `reopen` command). The engine lists them (op `later`).
 */
import { h } from "../dom.js";
import { loadCatalog, wordsOf } from "../catalog.js";

/** @typedef {import("../screen-types.js").AppContext} AppContext */
/** @typedef {import("../types.js").LaterEntry} LaterEntry */
/** @typedef {import("../types.js").LaterAnswer} LaterAnswer */

/** "Thu 10 Dec, 09:00". @param {string} iso */
function moment(iso) {
  return new Date(iso).toLocaleString([], { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
}

/** "3 Dec 2026". @param {string} iso */
function day(iso) {
  return new Date(iso).toLocaleDateString([], { day: "numeric", month: "short", year: "numeric" });
}

/** @param {HTMLElement} root @param {AppContext} ctx */
export async function mount(root, ctx) {
  const heading = h("h2", { id: "later-heading", tabindex: "-1" }, "Snoozed and skipped");
  const status = h("p", { class: "subtle", role: "status" }, ctx.backend.ready ? "Reading…" : "Waiting for the follow-up engine to start…");
  const body = h("div", { class: "later-body" });
  const section = h("div", { class: "later-screen" },
    h("a", { class: "person-back", href: "#today" }, h("span", { class: "person-chevron", "aria-hidden": "true" }, "‹"), "Today"),
    h("div", { class: "view-head" }, heading),
    h("p", { class: "subtle" }, "What you put off or let go. Bring any of it back to Today."),
    status, body,
  );
  root.replaceChildren(section);
  heading.focus({ preventScroll: true });
  await loadCatalog(ctx.backend).catch(() => null);

  const draw = async (/** @type {string | null} */ focusAfter = null) => {
    const answer = /** @type {LaterAnswer | {ok: false, message: string}} */ (await ctx.backend.send("later", {}));
    if (!section.isConnected) return;
    if (!answer.ok) {
      status.textContent = answer.message;
      return;
    }
    const { snoozed, skipped } = answer;
    status.textContent = snoozed.length + skipped.length === 0
      ? "Nothing snoozed or skipped: everything you owe is on Today."
      : `${snoozed.length} snoozed · ${skipped.length} skipped`;
    body.replaceChildren(
      group("later-snoozed", `Snoozed (${snoozed.length})`, snoozed, (x) => `Comes back ${moment(x.until ?? "")}`),
      group("later-skipped", `Skipped (${skipped.length})`, skipped, (x) => `Skipped ${day(x.at)}${x.reason ? `: “${x.reason}”` : " (no reason given)"}`),
    );
    const next = focusAfter ? /** @type {HTMLElement | null} */ (body.querySelector(`#${CSS.escape(focusAfter)}`)) : null;
    if (focusAfter) (next ?? heading).focus();
  };

  /**
   * @param {string} id @param {string} title @param {LaterEntry[]} entries
   * @param {(x: LaterEntry) => string} when
   */
  const group = (id, title, entries, when) => h("section", { class: "person-block", "aria-labelledby": id },
    h("h3", { id, tabindex: "-1" }, title),
    entries.length === 0
      ? h("p", { class: "subtle" }, "None.")
      : h("ul", { class: "later-list" }, ...entries.map((x, i) => {
        const headingId = `${id}-${i}`;
        return h("li", { class: "card later-item", "data-key": x.key, "aria-labelledby": headingId },
          h("h4", { class: "who", id: headingId, text: x.who }),
          h("p", { class: "rule-label", text: wordsOf(x).label }),
          h("p", { class: "why", text: x.why }),
          h("p", { class: "subtle later-when", text: when(x) }),
          h("div", { class: "card-actions" },
            h("button", {
              type: "button", class: "button primary", "aria-describedby": headingId,
              onclick: async () => {
                if (!await ctx.command("reopen", { key: x.key })) return;
                ctx.toast(x.returns ? `Back on Today: ${x.who}.` : `Brought back: ${x.who}. It shows on Today if it is still owed.`);
                await draw(id);
              },
            }, "Bring it back"),
            x.person_ids[0] ? h("a", { class: "button", href: `#person/${encodeURIComponent(x.person_ids[0])}` }, `Open ${x.who.split(/\s+/)[0]}’s page`) : null,
          ),
        );
      })),
  );

  await draw();
  const onChanged = (/** @type {Event} */ event) => {
    if (!section.isConnected) {
      ctx.backend.removeEventListener("changed", onChanged);
      return;
    }
    const { stores, source } = /** @type {CustomEvent<import("../types.js").Changed>} */ (event).detail;
    if (source !== "command" && stores.some((s) => s !== "meta")) draw();
  };
  ctx.backend.addEventListener("changed", onChanged);
}
