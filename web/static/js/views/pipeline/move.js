// @ts-check
/** Moving an opportunity on: one step, any stage (a dialog), or landing the job. */
import { h } from "../../dom.js";
import { landed } from "../round.js";
import { clock, makeDialog } from "./shared.js";

/** @typedef {import("./board.js").Board} Board */
/** @typedef {import("../../types.js").PipelineCard} PipelineCard */
/** @typedef {import("../../types.js").OpportunityRecord} Opportunity */

/** @param {Board} board @param {PipelineCard} opp @param {string} stage */
export async function move(board, opp, stage) {
  const { iso } = clock();
  const done = await board.ctx.command("move_opportunity", { id: opp.id, stage, at: iso });
  if (!done || !board.stillHere()) return;
  await board.refresh(opp.id);
  const words = stage === "rejected"
    ? `Moved ${opp.organisation} to Rejected. A thank-you-anyway note is now in Today.`
    : `Moved ${opp.organisation} to ${board.stage(stage).one}.`;
  board.ctx.toast(words);
}

/** Move dialog: every stage as a radio, with what it means. @param {Board} board @param {PipelineCard} opp */
export function openMove(board, opp) {
  const titleId = "opp-move-title";
  const warn = h("p", { class: "opp-dialog-note", hidden: true });
  const submit = h("button", { type: "submit", class: "button primary" }, "Move");
  const form = h("form", { class: "form", novalidate: true },
    h("fieldset", { class: "field opp-stages" },
      h("legend", { text: "New stage" }),
      ...board.data.stages.map((s) => h("label", { class: "opp-radio" },
        h("input", { type: "radio", name: "stage", value: s.id, checked: s.id === opp.stage, "aria-describedby": `opp-move-hint-${s.id}` }),
        h("span", { class: "opp-radio-text" },
          h("span", { class: "opp-radio-name" }, s.one, s.id === opp.stage ? h("span", { class: "badge", text: "Now" }) : null),
          h("span", { class: "subtle opp-radio-hint", id: `opp-move-hint-${s.id}`, text: s.hint }),
        ),
      )),
    ),
    warn,
    h("div", { class: "opp-dialog-actions opp-sticky" },
      h("button", { type: "button", class: "button", onclick: () => dialog.close() }, "Cancel"),
      submit,
    ),
  );
  const dialog = makeDialog(titleId, [
    h("h2", { id: titleId, text: `Move ${opp.organisation}` }),
    opp.role ? h("p", { class: "subtle opp-dialog-sub", text: opp.role }) : null,
    form,
  ]);
  const chosen = () => /** @type {HTMLInputElement | null} */ (form.querySelector("input[name=stage]:checked"))?.value ?? opp.stage;
  form.addEventListener("change", () => {
    const stage = chosen();
    warn.hidden = stage !== "accepted" && stage !== "rejected";
    warn.textContent = stage === "accepted"
      ? "Congratulations! Next you confirm the landing, and Followthrough opens your gratitude round."
      : "Followthrough adds a thank-you-anyway note to Today: a gracious note keeps the door open.";
    submit.textContent = stage === "accepted" ? "Continue" : "Move";
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const stage = chosen();
    dialog.close();
    if (stage === opp.stage) return;
    if (stage === "accepted") confirmLanding(board, opp);
    else await move(board, opp, stage);
  });
  board.root.append(dialog);
  dialog.showModal();
  /** @type {HTMLInputElement | null} */ (form.querySelector("input[name=stage]:checked"))?.focus();
}

/** "I landed the job": confirm, then the `landed` command and the gratitude round. @param {Board} board @param {PipelineCard} opp */
export function confirmLanding(board, opp) {
  const titleId = "opp-landed-title";
  const yes = h("button", { type: "button", class: "button primary" }, "Yes, I landed the job");
  const dialog = makeDialog(titleId, [
    h("h2", { id: titleId, text: `Did you accept ${opp.title}?` }),
    h("p", { text: "Congratulations! Followthrough then opens your gratitude round: one checklist with everyone who helped you get here, to thank, and every other employer where you are still a candidate, to tell." }),
    h("div", { class: "opp-dialog-actions" },
      h("button", { type: "button", class: "button", onclick: () => dialog.close() }, "Not yet"),
      yes,
    ),
  ]);
  yes.addEventListener("click", async () => {
    yes.setAttribute("disabled", "");
    yes.textContent = "Opening your gratitude round…";
    // `landed` reads only the id (round.js types it as the stored record).
    const ok = await landed(board.ctx, /** @type {Opportunity} */ (/** @type {unknown} */ ({ id: opp.id })));
    dialog.close();
    if (ok) board.ctx.navigate(`#opportunities/thanks/${encodeURIComponent(opp.id)}`);
  });
  board.root.append(dialog);
  dialog.showModal();
  yes.focus();
}
