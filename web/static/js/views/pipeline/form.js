// @ts-check
/**
 * Adding or editing an opportunity. What is typed is kept as a draft (`ctx.backend.drafts`,
 * written on every input), so a reload or a closed app loses nothing; Cancel drops it.
 */
import { h } from "../../dom.js";
import { personField } from "../person-picker.js";
import { dayFormat, makeDialog } from "./shared.js";

/** @typedef {import("./board.js").Board} Board */
/** @typedef {import("../../types.js").PipelineCard} PipelineCard */
/** @typedef {{name: string, role: string, id?: string | null, newName?: string | null}} PersonRow */
/** @typedef {{organisation: string, role: string, stage: string, introduction_id: string, notes: string,
 *   people: PersonRow[]}} FormValues */

const FORM_DRAFT = "opportunity-form";

/** Add (opp = null) or edit an opportunity. @param {Board} board @param {PipelineCard | null} opp */
export async function openForm(board, opp) {
  const { ctx, data } = board;
  const draftId = opp === null ? FORM_DRAFT : `${FORM_DRAFT}:${opp.id}`;
  /** @type {FormValues | null | undefined} */
  const saved = await ctx.backend.drafts.get(draftId);
  /** @type {FormValues} */
  const values = saved ?? {
    organisation: opp?.organisation ?? "",
    role: opp?.role ?? "",
    stage: opp?.stage ?? "lead",
    introduction_id: opp?.introduction_id ?? "",
    notes: opp?.notes ?? "",
    people: (opp?.people ?? []).map((l) => ({ name: l.label, role: l.role, id: l.id })),
  };
  const labelOf = (/** @type {string} */ pid) => data.people.find((p) => p.id === pid)?.label ?? "";

  const titleId = "opp-form-title";
  const orgError = h("p", { class: "error", id: "opp-org-error", hidden: true });
  const org = /** @type {HTMLInputElement} */ (h("input", { id: "opp-org", name: "organisation", required: true, autocapitalize: "words", "aria-describedby": "opp-org-error", value: values.organisation }));
  const role = /** @type {HTMLInputElement} */ (h("input", { id: "opp-role", name: "role", autocapitalize: "sentences", value: values.role, placeholder: "e.g. Product designer" }));
  const stage = /** @type {HTMLSelectElement} */ (h("select", { id: "opp-stage", name: "stage" },
    ...data.stages.filter((s) => s.active).map((s) => h("option", { value: s.id, selected: s.id === values.stage }, s.one))));
  const intro = /** @type {HTMLSelectElement} */ (h("select", { id: "opp-intro", name: "introduction_id", "aria-describedby": "opp-intro-hint" },
    h("option", { value: "" }, "None, or I don't know"),
    ...data.introductions.map((i) => h("option", { value: i.id, selected: i.id === values.introduction_id },
      `${i.text} (${dayFormat.format(new Date(i.at))})`)),
  ));
  const notes = /** @type {HTMLTextAreaElement} */ (h("textarea", { id: "opp-notes", name: "notes", rows: "3" }));
  notes.value = values.notes;
  const rows = h("ul", { class: "opp-person-rows" });
  const peopleError = h("p", { class: "error", id: "opp-people-error", hidden: true });
  let rowCount = 0;
  /** @type {Map<HTMLElement, import("../person-picker.js").PersonPicker>} each row's person picker */
  const pickers = new Map();
  /** @param {PersonRow} link @param {boolean} [focus] */
  const addRow = (link, focus = false) => {
    const n = ++rowCount;
    const { field: nameField, picker } = personField({
      backend: ctx.backend, id: `opp-person-${n}`, label: `Person ${n}`, value: link.name,
      pick: { id: link.id, newName: link.newName }, onChange: () => saveDraft(),
      idle: "Type a name you saved, or add someone new.",
    });
    picker.combo.classList.add("opp-person-name");
    const roleSelect = h("select", { id: `opp-person-role-${n}`, class: "opp-person-role" },
      ...data.roles.map((r) => h("option", { value: r.id, selected: r.id === link.role }, r.label)));
    const row = h("li", { class: "opp-person-row" },
      nameField,
      h("div", { class: "field" }, h("label", { for: `opp-person-role-${n}`, text: `Role of person ${n}` }), roleSelect),
      h("button", { type: "button", class: "button opp-remove", "aria-label": `Remove person ${n}`, onclick: () => { row.remove(); saveDraft(); addPersonButton.focus(); } }, "Remove"),
    );
    pickers.set(row, picker);
    rows.append(row);
    if (focus) picker.combo.focus();
  };
  const addPersonButton = h("button", { type: "button", class: "button", onclick: () => addRow({ name: "", role: "contact" }, true) }, "Add a person");
  for (const link of values.people) addRow(link);

  const cancel = h("button", { type: "button", class: "button", onclick: () => dialog.close() }, "Cancel");
  const form = /** @type {HTMLFormElement} */ (h("form", { class: "form", novalidate: true, autocomplete: "off" },
    h("div", { class: "field" }, h("label", { for: "opp-org", text: "Organisation" }), org, orgError),
    h("div", { class: "field" }, h("label", { for: "opp-role", text: "Role" }), role),
    opp === null ? h("div", { class: "field" }, h("label", { for: "opp-stage", text: "Stage" }), stage) : null,
    h("div", { class: "field" },
      h("label", { for: "opp-intro", text: "Came from the introduction" }), intro,
      h("p", { class: "hint", id: "opp-intro-hint", text: data.introductions.length ? "Who opened this door? It tells Followthrough whom to thank." : "No introductions saved yet. Capture someone with \"Introduced by\" to link one." }),
    ),
    h("fieldset", { class: "field opp-people-field" },
      h("legend", { text: "People there" }),
      h("p", { class: "hint", text: "Recruiters, interviewers, your references: pick someone you saved, or add them." }),
      rows, peopleError, addPersonButton,
    ),
    h("div", { class: "field" }, h("label", { for: "opp-notes", text: "Notes" }), notes),
    h("div", { class: "opp-dialog-actions opp-sticky" },
      cancel,
      h("button", { type: "submit", class: "button primary" }, opp === null ? "Add opportunity" : "Save changes"),
    ),
  ));
  const dialog = makeDialog(titleId, [h("h2", { id: titleId, text: opp === null ? "Add an opportunity" : `Edit ${opp.organisation}` }), form], "opp-form-dialog");

  /** @returns {FormValues} */
  const read = () => ({
    organisation: org.value, role: role.value, stage: stage.value, introduction_id: intro.value, notes: notes.value,
    people: [...rows.querySelectorAll(".opp-person-row")].map((row) => ({
      name: /** @type {HTMLInputElement} */ (row.querySelector(".opp-person-name")).value,
      role: /** @type {HTMLSelectElement} */ (row.querySelector(".opp-person-role")).value,
      ...(pickers.get(/** @type {HTMLElement} */ (row))?.draft() ?? {}),
    })),
  });
  // Every keystroke is on disk at once (IndexedDB keeps the order), so a reload loses nothing.
  let discarded = false;
  const saveDraft = () => {
    if (!discarded) ctx.backend.drafts.put(draftId, read()).catch(() => {});
  };
  const discard = () => {
    discarded = true;
    return ctx.backend.drafts.drop(draftId).catch(() => {});
  };
  form.addEventListener("input", saveDraft);
  form.addEventListener("change", saveDraft);
  // Choosing the introduction links the person it introduced, if nobody is linked yet.
  intro.addEventListener("change", () => {
    const chosen = data.introductions.find((i) => i.id === intro.value);
    if (!chosen) return;
    const label = labelOf(chosen.introduced_id);
    const filled = read().people.filter((p) => p.name.trim());
    if (label && filled.length === 0) {
      rows.replaceChildren();
      addRow({ name: label, role: "contact", id: chosen.introduced_id });
      saveDraft();
    }
  });

  /**
   * The people rows as links (someone new picked with "Add … as a new person" is saved first),
   * or null with the engine's words shown at the first name it could not place.
   */
  const links = async () => {
    /** @type {{person_id: string, role: string}[]} */
    const found = [];
    /** @type {{id: string, name: string}[]} */
    const added = [];
    for (const row of rows.querySelectorAll(".opp-person-row")) {
      const picker = pickers.get(/** @type {HTMLElement} */ (row));
      if (!picker) continue;
      const role = /** @type {HTMLSelectElement} */ (row.querySelector(".opp-person-role")).value;
      const pick = await picker.resolve();
      if ("none" in pick) continue;
      if ("error" in pick) {
        peopleError.textContent = pick.error;
        peopleError.hidden = false;
        picker.combo.setAttribute("aria-invalid", "true");
        picker.combo.setAttribute("aria-describedby", `${picker.hint.id} opp-people-error`);
        picker.combo.focus();
        return null;
      }
      let pid = "id" in pick ? pick.id : added.find((a) => a.name === pick.newName)?.id;
      if (!pid && "newName" in pick) {
        pid = crypto.randomUUID();
        const made = await ctx.command("add_person", { id: pid, name: pick.newName });
        if (!made) return null;
        added.push({ id: pid, name: pick.newName });
      }
      if (pid && !found.some((l) => l.person_id === pid && l.role === role)) found.push({ person_id: pid, role });
    }
    return found;
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const v = read();
    orgError.hidden = true;
    org.removeAttribute("aria-invalid");
    peopleError.hidden = true;
    if (!v.organisation.trim()) {
      orgError.textContent = "Say which organisation this is with.";
      orgError.hidden = false;
      org.setAttribute("aria-invalid", "true");
      org.focus();
      return;
    }
    const people = await links();
    if (!people) return;
    const fields = {
      organisation: v.organisation.trim(), role: v.role.trim(), people,
      introduction_id: v.introduction_id || null, notes: v.notes.trim(),
    };
    const id = opp === null ? crypto.randomUUID() : opp.id;
    const done = opp === null
      ? await ctx.command("add_opportunity", { id, stage: v.stage, ...fields })
      : await ctx.command("update_opportunity", { id, ...fields });
    if (!done) return;
    await discard();
    dialog.close();
    ctx.toast(opp === null ? `Added ${fields.organisation}.` : `Saved ${fields.organisation}.`);
    if (board.stillHere()) await board.refresh(id);
  });
  // Cancel keeps nothing half-typed around for next time; closing by accident (reload) does.
  dialog.addEventListener("cancel", discard);
  cancel.addEventListener("click", discard);
  board.root.append(dialog);
  dialog.showModal();
  org.focus();
}
