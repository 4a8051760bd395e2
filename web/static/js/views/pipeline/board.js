// @ts-check
/**
 * The Pipeline (#opportunities): every job you are pursuing, by stage, as the engine lays it out
 * (op `pipeline`: cards grouped and ordered, names resolved, what Today still owes about each).
 * Moves, adds and edits are engine commands; the board redraws when a store it shows changes.
 * Every text a user typed is set as text, never parsed as HTML.
 */
import { h } from "../../dom.js";
import { openForm } from "./form.js";
import { confirmLanding, move, openMove } from "./move.js";
import { personLink, slug } from "./shared.js";

/** @typedef {import("../../types.js").PipelineAnswer} PipelineAnswer */
/** @typedef {import("../../types.js").PipelineCard} PipelineCard */
/** @typedef {import("../../types.js").StageWords} StageWords */
/** @typedef {import("../../screen-types.js").ScreenContext} ScreenContext */

/** The stores the board is made from. */
const SHOWN = ["opportunities", "people", "introductions", "interactions", "decisions", "meta"];

/**
 * What the board's parts share: where it is drawn, the engine's last answer, and how to redraw.
 * @typedef {{root: HTMLElement, ctx: ScreenContext, stillHere: () => boolean,
 *   data: PipelineAnswer, refresh: (focusId?: string | null) => Promise<void>,
 *   stage: (id: string) => StageWords}} Board
 */

/** @param {HTMLElement} root @param {ScreenContext} ctx @param {() => boolean} stillHere */
export async function mountPipeline(root, ctx, stillHere) {
  const heading = h("h2", { id: "opp-heading", tabindex: "-1", text: "Pipeline" });
  const banner = h("div", { class: "opp-banner-slot" });
  const boardNode = h("div", { class: "opp-board" });
  const status = h("p", { class: "loading", role: "status", text: "Reading your opportunities…" });
  /** @type {Board} */
  const board = {
    root, ctx, stillHere,
    data: { ok: true, stages: [], roles: [], count: 0, board: [], landed: null, people: [], introductions: [] },
    refresh: async (focusId = null) => {
      const answer = await ctx.backend.send("pipeline");
      if (!stillHere()) return;
      if (!answer.ok) {
        status.hidden = false;
        status.textContent = answer.message;
        return;
      }
      board.data = answer;
      status.hidden = true;
      banner.replaceChildren(...renderBanner(answer));
      boardNode.replaceChildren(...renderBoard(board));
      if (focusId) document.getElementById(`opp-card-${slug(focusId)}`)?.focus();
    },
    stage: (id) => board.data.stages.find((s) => s.id === id) ?? board.data.stages[0],
  };
  const addButton = h("button", { type: "button", class: "button primary", onclick: () => openForm(board, null) }, "Add opportunity");
  root.append(h("div", { class: "opp-screen" },
    h("div", { class: "view-head" }, heading, addButton),
    h("p", { class: "subtle opp-intro", text: "Every job you are pursuing, by stage. Move a card when something happens." }),
    banner,
    status,
    boardNode,
  ));
  heading.focus({ preventScroll: true });
  const onChanged = (/** @type {Event} */ event) => {
    if (!stillHere()) {
      ctx.backend.removeEventListener("changed", onChanged);
      return;
    }
    const { stores } = /** @type {CustomEvent<{stores: string[]}>} */ (event).detail;
    if (stores.some((s) => SHOWN.includes(s))) board.refresh();
  };
  ctx.backend.addEventListener("changed", onChanged);
  await board.refresh();
}

/** "You landed …": the way into the gratitude round while thank-yous are owed. @param {PipelineAnswer} data */
function renderBanner(data) {
  const landed = data.landed;
  if (!landed) return [];
  return [h("div", { class: "card opp-banner" },
    h("p", { class: "opp-banner-title", text: `You landed ${landed.title}.` }),
    h("p", { text: `${landed.owed} ${landed.owed === 1 ? "thank-you or note is" : "thank-yous and notes are"} still owed in your gratitude round.` }),
    h("a", { class: "button primary", href: `#opportunities/thanks/${encodeURIComponent(landed.id)}` }, "Open the gratitude round"),
  )];
}

/** The stage chips and one section per stage. @param {Board} board */
function renderBoard(board) {
  const { data } = board;
  if (data.count === 0) {
    return [h("div", { class: "empty" },
      h("h3", { text: "No opportunities yet." }),
      h("p", { text: "Add a job you are pursuing and the introduction it came from. When it moves on, Followthrough tells you whom to thank and whom to keep posted." }),
      h("button", { type: "button", class: "button primary", onclick: () => openForm(board, null) }, "Add your first opportunity"),
    )];
  }
  const jump = h("nav", { class: "opp-jump", "aria-label": "Stages" },
    ...data.board.map(({ stage, cards }) => h("button", {
      type: "button", class: "opp-chip",
      onclick: () => {
        const target = document.getElementById(`opp-stage-${stage}-heading`);
        const still = matchMedia("(prefers-reduced-motion: reduce)").matches;
        target?.scrollIntoView({ block: "start", behavior: still ? "auto" : "smooth" });
        target?.focus({ preventScroll: true });
      },
    }, board.stage(stage).many, " ", h("span", { class: "opp-chip-count", text: String(cards.length) }))),
  );
  const sections = data.board.map(({ stage, cards }) => {
    const headingId = `opp-stage-${stage}-heading`;
    return h("section", { class: `opp-stage opp-stage-${stage}`, "aria-labelledby": headingId, "data-stage": stage },
      h("h3", { class: "opp-stage-title", id: headingId, tabindex: "-1" },
        board.stage(stage).many, " ", h("span", { class: "badge", text: String(cards.length) })),
      cards.length
        ? h("ul", { class: "cards opp-cards" }, ...cards.map((card) => renderCard(board, card)))
        : h("p", { class: "subtle opp-none", text: stage === "lead" ? "No leads. Add a job you are curious about." : "Nothing here right now." }),
    );
  });
  return [jump, ...sections];
}

/** @param {Board} board @param {PipelineCard} opp */
function renderCard(board, opp) {
  const stage = board.stage(opp.stage);
  const headingId = `opp-card-${slug(opp.id)}`;
  const from = opp.came_from;
  const next = stage.next;
  return h("li", { class: "card opp-card", "data-id": opp.id, "aria-labelledby": headingId },
    h("div", { class: "card-top" },
      h("h4", { class: "opp-org", id: headingId, tabindex: "-1", text: opp.organisation }),
      h("span", { class: "badge", title: new Date(opp.stage_at).toLocaleString() }, `${stage.one} ${opp.since}`),
    ),
    opp.role ? h("p", { class: "opp-role", text: opp.role }) : null,
    from ? h("p", { class: "opp-from" },
      h("span", { class: "subtle", text: "Came from: " }),
      personLink(from.introducer.id, from.introducer.name),
      " introduced you to ",
      personLink(from.introduced.id, from.introduced.name),
    ) : null,
    opp.people.length ? h("ul", { class: "opp-people", "aria-label": `People at ${opp.organisation}` },
      ...opp.people.map((link) => h("li", {},
        personLink(link.id, link.name),
        h("span", { class: "subtle", text: ` · ${link.role_label}` }),
      )),
    ) : null,
    opp.notes ? h("p", { class: "opp-notes", text: opp.notes }) : null,
    opp.rejection_open ? h("p", { class: "opp-nudge" },
      "A thank-you-anyway note is waiting in ", h("a", { href: "#today" }, "Today"), ": it keeps the door open.") : null,
    h("div", { class: "card-actions" },
      next ? h("button", {
        type: "button", class: next.stage === "accepted" ? "button primary" : "button",
        "aria-label": `${next.label} at ${opp.organisation}`,
        onclick: () => (next.stage === "accepted" ? confirmLanding(board, opp) : move(board, opp, next.stage)),
      }, next.label) : null,
      opp.stage === "accepted" ? h("a", { class: "button primary", href: `#opportunities/thanks/${encodeURIComponent(opp.id)}` }, "Gratitude round") : null,
      h("button", { type: "button", class: "button", "aria-label": `Move ${opp.organisation} to another stage`, onclick: () => openMove(board, opp) }, "Move…"),
      h("button", { type: "button", class: "button", "aria-label": `Edit ${opp.organisation}`, onclick: () => openForm(board, opp) }, "Edit"),
    ),
  );
}
