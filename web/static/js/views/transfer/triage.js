// @ts-check
/**
 * After an import, "how did you meet them?": one tap says who introduced a new person, or that
 * you met them at an event. Each tap is one `capture` command for someone already saved
 * (`person: {id}`), decided by the engine (a new event with a saved one's name and day is that
 * one, so the second tap at "the event" links to the event the first made). Who introduced them
 * is chosen with the one person picker and saved only by its button (or Enter): arrow keys
 * never write anything.
 */
import { h, localDate } from "../../dom.js";
import { personField } from "../person-picker.js";

/** @typedef {import("../../screen-types.js").TransferCtx} TransferCtx */

const TRIAGE_ROWS = 30;

/**
 * @param {TransferCtx} ctx @param {HTMLElement} box
 * @param {{id: string, name: string}[]} created the people the import added
 */
export function renderTriage(ctx, box, created) {
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
    if (await ctx.command("capture", { person: { id: person.id }, event: met })) tell(note, `Met ${person.name} at ${name}.`);
  };

  /** @param {HTMLElement} note @param {string} text shown by the row and in the toast (which says it once, in place of "Saved") */
  const tell = (note, text) => {
    note.textContent = text;
    ctx.toast(text);
  };

  const rows = created.slice(0, TRIAGE_ROWS).map((person, index) => {
    const note = h("p", { class: "hint transfer-triage-note" });
    let chosen = "";
    const { field, picker } = personField({
      backend: ctx.backend, id: `triage-introducer-${index}`, label: `Who introduced you to ${person.name}?`,
      exclude: () => [person.id], allowNew: false, onChange: () => {},
      idle: "Type a saved name, choose it, then save.",
      picked: (name) => {
        chosen = name;
        return `Chosen: ${name}. Save to keep it.`;
      },
      onEnter: () => form.requestSubmit(),
    });
    /** Saved on the button or Enter only, for a person chosen from the list. */
    const form = /** @type {HTMLFormElement} */ (h("form", { class: "transfer-triage-introducer", novalidate: true },
      field,
      h("button", { type: "submit", class: "button", "aria-label": `Save who introduced ${person.name}` }, "Save")));
    form.addEventListener("submit", async (submit) => {
      submit.preventDefault();
      const pick = await picker.resolve();
      if ("none" in pick || "newName" in pick) {
        picker.showError(`Choose who introduced ${person.name} from your saved people.`);
        return;
      }
      if ("error" in pick) {
        picker.showError(pick.error);
        return;
      }
      const done = await ctx.command("capture", {
        person: { id: person.id },
        introduced_by: { id: pick.id },
        introduction: { id: crypto.randomUUID(), kind: "introduction", at: new Date().toISOString() },
      });
      if (done) {
        tell(note, `${picker.picked && "id" in picker.picked ? chosen : picker.combo.value} introduced ${person.name}.`);
        picker.clear();
      }
    });
    return h("li", { class: "transfer-triage-row" },
      h("span", { class: "name", text: person.name }),
      h("div", { class: "transfer-triage-actions" },
        form,
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
