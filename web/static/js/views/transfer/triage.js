// @ts-check
/**
 * After an import, "how did you meet them?": one tap says who introduced a new person, or that
 * you met them at an event. Each tap is one `capture` command for someone already saved
 * (`person: {id}`), decided by the engine (a new event with a saved one's name and day is that
 * one, so the second tap at "the event" links to the event the first made).
 */
import { h, localDate } from "../../dom.js";

/** @typedef {import("../../types.js").TransferCtx} TransferCtx */
/** @typedef {import("../../types.js").PersonOption} PersonOption */

const TRIAGE_ROWS = 30;
const MAX_CHOICES = 5000;

/**
 * @param {TransferCtx} ctx @param {HTMLElement} box
 * @param {{id: string, name: string}[]} created the people the import added
 */
export async function renderTriage(ctx, box, created) {
  const answer = await ctx.backend.send("capture_people", { order: "name", limit: MAX_CHOICES });
  /** @type {PersonOption[]} */
  const known = answer.ok ? answer.people : [];
  const event = /** @type {HTMLInputElement} */ (h("input", { id: "triage-event", placeholder: "e.g. Media Sales Meetup", autocomplete: "off" }));

  /** @param {{id: string, name: string}} person @param {HTMLElement} note */
  const metAt = async (person, note) => {
    const name = event.value.trim();
    if (!name) {
      event.focus();
      note.textContent = "Type the event’s name above first.";
      return;
    }
    const met = { id: crypto.randomUUID(), name, date: localDate(new Date()) };
    if (await ctx.command("capture", { person: { id: person.id }, event: met })) note.textContent = `Met at ${name}.`;
  };

  /** @param {{id: string, name: string}} person @param {string} introducerId @param {HTMLElement} note */
  const introduce = async (person, introducerId, note) => {
    if (!introducerId) return;
    const introducer = known.find((p) => p.id === introducerId);
    const done = await ctx.command("capture", {
      person: { id: person.id },
      introduced_by: { id: introducerId },
      introduction: { id: crypto.randomUUID(), kind: "introduction", at: new Date().toISOString() },
    });
    if (done) note.textContent = `Introduced by ${introducer?.name ?? "them"}.`;
  };

  const rows = created.slice(0, TRIAGE_ROWS).map((person) => {
    const note = h("p", { class: "hint transfer-triage-note", role: "status" });
    const others = known.filter((p) => p.id !== person.id);
    return h("li", { class: "transfer-triage-row" },
      h("span", { class: "name", text: person.name }),
      h("div", { class: "transfer-triage-actions" },
        h("select", {
          "aria-label": `Who introduced you to ${person.name}?`,
          onchange: (/** @type {Event} */ e) => introduce(person, /** @type {HTMLSelectElement} */ (e.target).value, note),
        }, h("option", { value: "" }, "Introduced by…"), ...others.map((p) => h("option", { value: p.id }, p.name))),
        h("button", { type: "button", class: "button", onclick: () => metAt(person, note) }, `Met ${person.name.split(" ")[0]} at the event`)),
      note);
  });
  box.replaceChildren(
    h("section", { class: "transfer-triage-inner", "aria-labelledby": "triage-heading" },
      h("h4", { id: "triage-heading", text: "How did you meet them?" }),
      h("p", { class: "hint", text: "One tap each, or skip: Followthrough uses this to say whom to thank and whom to update." }),
      h("div", { class: "field" }, h("label", { for: "triage-event", text: "Event you met them at (optional)" }), event),
      h("ul", { class: "plain-list" }, ...rows),
      created.length > TRIAGE_ROWS ? h("p", { class: "hint", text: `And ${created.length - TRIAGE_ROWS} more: find them under People.` }) : null,
      h("button", { type: "button", class: "button", onclick: () => box.replaceChildren() }, "Done")));
}
