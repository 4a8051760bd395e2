// @ts-check
/** Moving an opportunity on: one step, any stage (a dialog), or landing the job. */
import { announce } from "../../announce.js";
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
        // Named by the stage alone; what it means is its description.
        h("input", { type: "radio", name: "stage", value: s.id, checked: s.id === opp.stage, "aria-labelledby": `opp-move-name-${s.id}`, "aria-describedby": `opp-move-hint-${s.id}` }),
        h("span", { class: "opp-radio-text" },
          h("span", { class: "opp-radio-name", id: `opp-move-name-${s.id}` }, s.one, s.id === opp.stage ? h("span", { class: "badge", text: "Now" }) : null),
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
    if (!warn.hidden) announce(warn.textContent);
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

/**
 * "I landed the job": one confirmation that also withdraws from the other open processes (each
 * ticked by default; the engine's `landing_preview` lists them and says what follows), then the
 * `landed` command and the gratitude round.
 * @param {Board} board @param {PipelineCard} opp
 */
export function confirmLanding(board, opp) {
  const titleId = "opp-landed-title";
  const yes = h("button", { type: "button", class: "button primary" }, "Yes, I landed the job");
  const title = h("h2", { id: titleId, text: `Did you accept ${opp.title}?` });
  // Filled in once the engine has listed the other open processes.
  const others = h("div", { class: "landing-others" },
    h("p", { class: "loading", role: "status", text: "Looking for your other open processes…" }));
  const dialog = makeDialog(titleId, [
    title,
    h("p", { text: "Congratulations! Followthrough then opens your gratitude round: one checklist with everyone who helped you get here, to thank, and every other employer where you are still a candidate, to tell." }),
    others,
    h("div", { class: "opp-dialog-actions" },
      h("button", { type: "button", class: "button", onclick: () => dialog.close() }, "Not yet"),
      yes,
    ),
  ]);
  board.ctx.backend.send("landing_preview", { opportunity_id: opp.id }).then((preview) => {
    if (!dialog.open) return;
    if (!preview.ok) {
      others.replaceChildren(h("p", { class: "hint error", text: preview.message }));
      return;
    }
    others.replaceChildren(...landingChoices(preview));
  });
  yes.addEventListener("click", async () => {
    yes.setAttribute("disabled", "");
    yes.textContent = "Opening your gratitude round…";
    const withdraw = [...others.querySelectorAll("input[name=withdraw]:checked")].map((box) => /** @type {HTMLInputElement} */ (box).value);
    // `landed` reads only the id (round.js types it as the stored record).
    const ok = await landed(board.ctx, /** @type {Opportunity} */ (/** @type {unknown} */ ({ id: opp.id })), withdraw);
    dialog.close();
    if (ok) board.ctx.navigate(`#opportunities/thanks/${encodeURIComponent(opp.id)}`);
  });
  board.root.append(dialog);
  dialog.showModal();
  yes.focus();
}

/**
 * The other open processes, each a box ticked to withdraw from it, and what follows.
 * @param {import("../../types.js").LandingPreview} preview
 */
function landingChoices(preview) {
  if (preview.others.length === 0) return preview.detail ? [h("p", { class: "subtle", text: preview.detail })] : [];
  return [
    h("fieldset", { class: "field plain landing-withdraw" },
      h("legend", { text: preview.legend }),
      ...preview.others.map((o) => h("div", { class: "switch-row" },
        h("input", { type: "checkbox", name: "withdraw", id: `withdraw-${o.id}`, value: o.id, checked: true }),
        h("label", { for: `withdraw-${o.id}`, text: [o.organisation, o.role].filter(Boolean).join(" · ") }),
      )),
    ),
    h("p", { class: "subtle", text: preview.detail }),
  ];
}
