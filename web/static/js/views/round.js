// @ts-check
/**
 * The gratitude round after landing a job: the `landed` command, and the checklist of everyone
 * to thank and every other employer to tell (`#opportunities/thanks/<id>`), from the engine's
 * `round` op. Who is in the round and why is the engine's record, written as the round opens.
 */
import { h, relativeTime } from "../dom.js";
import { ROLE_WORDS, clock, dayFormat, jobTitle, slug } from "./opportunities.js";
import { openDraft as openDraftSheet } from "./draft-sheet.js";

/** @typedef {import("./opportunities.js").Opportunity} Opportunity */
/** @typedef {import("../screen-types.js").ScreenContext} ScreenContext */
/** @typedef {import("../types.js").RoundItem} Item */
/** @typedef {import("../types.js").Round} Round */

/**
 * Land the job: the `landed` command (the engine records the round as it opens).
 * @param {ScreenContext} ctx @param {Opportunity} opp
 */
export async function landed(ctx, opp, withdraw = /** @type {string[]} */ ([])) {
  const { iso } = clock();
  // `withdraw`: the other open processes to withdraw from in the same confirmation.
  const response = await ctx.command("landed", { opportunity_id: opp.id, at: iso, withdraw });
  if (!response) return false;
  ctx.toast(`Congratulations on ${jobTitle(opp)}!`);
  return true;
}

// --- Gratitude round -----------------------------------------------------------------------------

/**
 * @param {HTMLElement} root @param {ScreenContext} ctx @param {string} oppId @param {() => boolean} stillHere
 */
export async function mountThanks(root, ctx, oppId, stillHere) {
  const heading = h("h2", { id: "thanks-heading", tabindex: "-1", text: "Your gratitude round" });
  const sub = h("p", { class: "subtle opp-intro" });
  const status = h("p", { class: "loading", role: "status", text: "Gathering everyone who helped…" });
  const body = h("div", { class: "opp-thanks" });
  root.append(h("div", { class: "opp-screen" },
    h("p", { class: "opp-back" }, h("a", { href: "#opportunities" }, h("span", { "aria-hidden": "true" }, "← "), "Pipeline")),
    h("div", { class: "view-head" }, heading),
    sub, status, body,
  ));
  heading.focus({ preventScroll: true });

  /** @param {string | null} [focusKey] */
  async function render(focusKey = null) {
    const answer = await ctx.backend.send("round", { opportunity_id: oppId });
    if (!stillHere()) return;
    status.hidden = true;
    if (!answer.ok) {
      body.replaceChildren(h("div", { class: "empty" },
        h("h3", { text: answer.error === "unknown-opportunity" ? "This opportunity is not here." : answer.message }),
        h("p", { text: "It may have been removed on another device." }),
        h("a", { class: "button", href: "#opportunities" }, "Back to the pipeline"),
      ));
      return;
    }
    const { opportunity: opp, items, current } = /** @type {Round} */ (answer);
    sub.textContent = opp.stage === "accepted"
      ? `You landed ${jobTitle(opp)}. Thank everyone who helped you get here, and tell the other employers.`
      : `${opp.organisation} is not marked as accepted, so there is no gratitude round for it yet.`;
    const thanks = items.filter((i) => i.kind === "thanks");
    const notes = items.filter((i) => i.kind === "courtesy");
    const isDone = (/** @type {Item} */ i) => ["done", "skipped", "sent", "thanked"].includes(i.state);
    const done = items.filter(isDone).length;
    if (items.length === 0) {
      body.replaceChildren(h("div", { class: "empty" },
        h("h3", { text: opp.stage === "accepted" ? "Nobody to thank on record." : "No round yet." }),
        h("p", { text: opp.stage === "accepted"
          ? "Link the introduction this job came from and your references on the opportunity, and the people who helped appear here."
          : "When you accept an offer, this is where everyone to thank appears." }),
        h("a", { class: "button", href: "#opportunities" }, "Back to the pipeline"),
      ));
      return;
    }
    const progress = h("progress", { max: String(items.length), value: String(done), "aria-labelledby": "thanks-progress-label" });
    body.replaceChildren(
      h("div", { class: "opp-progress" },
        h("p", { id: "thanks-progress-label", class: "opp-progress-label", text: done === items.length ? `All ${items.length} done. Well done!` : `${done} of ${items.length} done` }),
        progress,
        !current && opp.stage === "accepted" ? h("p", { class: "hint", text: "You have landed another job since: this round is kept as a record." }) : null,
      ),
      h("section", { "aria-labelledby": "thanks-people" },
        h("h3", { id: "thanks-people", class: "list-heading", text: "People to thank" }),
        thanks.length
          ? h("ul", { class: "cards opp-checklist" }, ...thanks.map(item))
          : h("p", { class: "subtle", text: "Nobody on record helped with this one. Add the introduction and references on the opportunity." }),
      ),
      h("section", { "aria-labelledby": "thanks-employers" },
        h("h3", { id: "thanks-employers", class: "list-heading", text: "Employers to tell" }),
        notes.length
          ? h("ul", { class: "cards opp-checklist" }, ...notes.map(item))
          : h("p", { class: "subtle", text: "You were not a candidate anywhere else: nobody else to tell." }),
      ),
    );
    if (focusKey) document.getElementById(`thanks-check-${slug(focusKey)}`)?.focus();
  }

  /** @param {Item} i */
  function item(i) {
    const id = slug(i.key);
    const checked = ["done", "skipped", "sent", "thanked"].includes(i.state);
    const locked = i.state === "sent" || i.state === "thanked";
    const label = i.kind === "thanks" ? `Thank ${i.name}` : `Tell ${i.organisation}`;
    const box = /** @type {HTMLInputElement} */ (h("input", {
      type: "checkbox", id: `thanks-check-${id}`, checked, disabled: locked,
      "aria-describedby": `thanks-state-${id}`,
    }));
    box.addEventListener("change", async () => {
      box.disabled = true;
      const response = box.checked
        ? await ctx.command("mark_done", { key: i.key })
        : await ctx.command("reopen", { key: i.key });
      if (!response) { box.checked = !box.checked; box.disabled = false; return; }
      ctx.toast(box.checked ? `${label}: done.` : `${label}: back on your list.`);
      await render(i.key);
    });
    const stateWords = {
      open: i.followup?.overdue ? "Overdue" : i.followup ? `Due ${relativeTime(i.followup.due, new Date())}` : "To do",
      snoozed: i.when ? `Snoozed until ${dayFormat.format(new Date(i.when))}` : "Snoozed",
      done: "Done",
      skipped: "Skipped",
      sent: i.when ? `Sent ${dayFormat.format(new Date(i.when))}` : "Sent",
      thanked: "Thanked",
    }[i.state];
    const roles = i.role_words ?? i.roles.map((r) => ROLE_WORDS[/** @type {keyof typeof ROLE_WORDS} */ (r)] ?? r);
    const who = i.kind === "courtesy"
      ? h("p", { class: "opp-check-sub", text: `To ${i.name}: you accepted another position.` })
      : i.organisation || roles.length ? h("p", { class: "opp-check-sub subtle", text: [i.organisation, ...roles].filter(Boolean).join(" · ") }) : null;
    return h("li", { class: `card opp-check${checked ? " is-done" : ""}${i.most ? " is-most" : ""}`, "data-key": i.key },
      h("div", { class: "opp-check-row" },
        box,
        h("label", { for: `thanks-check-${id}`, class: "opp-check-label" }, label),
      ),
      h("p", { class: "opp-roles" },
        h("span", { class: i.followup?.overdue && !checked ? "badge danger" : "badge", id: `thanks-state-${id}`, text: stateWords }),
        i.most ? h("span", { class: "badge opp-most-badge" }, h("span", { "aria-hidden": "true" }, "★ "), "Opened the most doors: take them to dinner") : null,
      ),
      who,
      i.followup && !checked ? h("div", { class: "card-actions" },
        h("button", {
          type: "button", class: "button", "aria-label": `Write the note to ${i.kind === "thanks" ? i.name : i.organisation}`,
          onclick: () => openDraft(i),
        }, "Write the note"),
        i.person_id ? h("a", { class: "button", href: `#person/${encodeURIComponent(i.person_id)}`, "aria-label": `Open ${i.name}` }, "Open") : null,
      ) : null,
    );
  }

  /** The one draft sheet, opened on the written note. @param {Item} i */
  function openDraft(i) {
    if (!i.followup) return;
    openDraftSheet(i.followup, {
      backend: ctx.backend, command: ctx.command, toast: ctx.toast, tracker: ctx.tracker,
      done: () => render(i.key),
    }, { title: i.kind === "thanks" ? `Thank ${i.name}` : `Tell ${i.organisation}`, prefer: "email", focus: "message" });
  }

  await render();
}
