// @ts-check
/**
 * Person's forms: edit every field, log a meeting (with advice and promises), and record an
 * introduction (the `capture` command: the new or saved person, introduced by this one, as one
 * decision). Each keeps a draft as it is typed (form-draft.js); people are chosen with the one
 * person picker (person-picker.js).
 */
import { h, localDate } from "../../dom.js";
import { catalogNow } from "../../catalog.js";
import { keepDraft } from "../form-draft.js";
import { personField } from "../person-picker.js";

/**
 * What the forms need of the Person screen.
 * @typedef {{ctx: import("../../screen-types.js").AppContext, id: string, person: import("../../types.js").PersonRecord,
 *   events: import("../../types.js").EventRecord[], section: HTMLElement,
 *   refresh: () => Promise<void>, renderHeader: () => void}} Screen
 */

/** The engine's words for the kinds a form offers (the catalog is loaded by the screen). */
function words() {
  const catalog = catalogNow();
  const pairs = (/** @type {Record<string, string> | undefined} */ table) => Object.entries(table ?? {});
  return {
    meetings: (catalog?.meeting_kinds ?? ["meeting"]).map((k) => [k, catalog?.interaction_kinds[k] ?? k]),
    advice: pairs(catalog?.advice_kinds),
    introductions: pairs(catalog?.introduction_kinds),
  };
}

/** First word of a name, for friendly headings. @param {string} name */
function first(name) {
  return String(name).trim().split(/\s+/)[0] || name;
}

/** ISO time for something logged on `date` (local): now if today, else midday that day. @param {string} date */
function atFor(date) {
  const now = new Date();
  if (!date || date === localDate(now)) return now.toISOString();
  return new Date(`${date}T12:00`).toISOString();
}

/** Lines of a textarea as a clean list. @param {string} text */
const lines = (text) => text.split(/[\n,;]+/).map((t) => t.trim()).filter(Boolean);

/**
 * A modal dialog with a heading, a form and Save/Cancel; returns its parts. What is typed is
 * kept under `draftId` (Cancel drops it; a close, a reload or a crash keep it).
 * @param {Screen} screen @param {string} title @param {string} save @param {string} draftId
 * @param {Parameters<typeof keepDraft>[3]} [how]
 */
function formDialog(screen, title, save, draftId, how) {
  const dialog = /** @type {HTMLDialogElement} */ (h("dialog", { class: "person-dialog", "aria-labelledby": "person-dialog-title" }));
  const form = /** @type {HTMLFormElement} */ (h("form", { class: "form", novalidate: true }));
  const submit = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", class: "button primary" }, save));
  const cancel = h("button", { type: "button", class: "button", onclick: () => { draft.drop(); dialog.close(); } }, "Cancel");
  const error = h("p", { class: "error", role: "alert", id: "person-dialog-error", hidden: true });
  const body = h("div", { class: "person-dialog-body" });
  form.append(h("h2", { id: "person-dialog-title", text: title }), body, error, h("div", { class: "card-actions person-dialog-actions" }, submit, cancel));
  dialog.append(form);
  dialog.addEventListener("close", () => dialog.remove());
  screen.section.append(dialog);
  /** @param {string} message @param {HTMLElement} [field] */
  const fail = (message, field) => {
    error.textContent = message;
    error.hidden = false;
    // The error is tied to its field (read with it) and in sight, above the buttons.
    for (const old of form.querySelectorAll("[aria-invalid=true]")) untie(old, error.id);
    if (field) {
      field.setAttribute("aria-invalid", "true");
      const ids = (field.getAttribute("aria-describedby") ?? "").split(" ").filter((x) => x && x !== error.id);
      field.setAttribute("aria-describedby", [...ids, error.id].join(" "));
      field.addEventListener("input", () => untie(field, error.id), { once: true });
      field.focus();
    }
    error.scrollIntoView({ block: "nearest" });
    field?.scrollIntoView({ block: "nearest" });
  };
  /** @type {ReturnType<typeof keepDraft>} */
  let draft;
  /** Start keeping the draft once the form's fields are in it (and fill them from it). @param {Parameters<typeof keepDraft>[3]} [custom] */
  const keep = (custom) => {
    draft = keepDraft(screen.ctx.backend, draftId, form, custom ?? how);
    return draft;
  };
  return { dialog, form, body, submit, fail, keep };
}

/** A field no longer in error: not invalid, not described by the error. @param {Element} field @param {string} id */
function untie(field, id) {
  field.removeAttribute("aria-invalid");
  const ids = (field.getAttribute("aria-describedby") ?? "").split(" ").filter((x) => x && x !== id);
  if (ids.length) field.setAttribute("aria-describedby", ids.join(" "));
  else field.removeAttribute("aria-describedby");
}

/**
 * A labelled field; returns [wrapper, control].
 * @param {string} id @param {string} label @param {HTMLElement} control @param {string} [hint]
 */
function field(id, label, control, hint) {
  control.id = id;
  if (hint) control.setAttribute("aria-describedby", `${id}-hint`);
  return h("div", { class: "field" }, h("label", { for: id }, label), control, hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null);
}

/** @param {string} name @param {string} value @param {Record<string, string | boolean>} [attrs] */
function input(name, value, attrs = {}) {
  const input = /** @type {HTMLInputElement} */ (h("input", { name, ...attrs }));
  input.value = value ?? "";
  return input;
}

/** @param {string} name @param {string} value @param {number} rows */
function textarea(name, value, rows = 3) {
  const area = /** @type {HTMLTextAreaElement} */ (h("textarea", { name, rows: String(rows) }));
  area.value = value ?? "";
  return area;
}

/** @param {string} name @param {string[][]} options @param {string} value */
function select(name, options, value) {
  const select = /** @type {HTMLSelectElement} */ (h("select", { name }, ...options.map(([v, label]) => h("option", { value: v }, label))));
  select.value = value;
  return select;
}

/** @param {Screen} screen */
export function openEdit(screen) {
  const p = screen.person;
  const { dialog, form, body, submit, fail, keep } = formDialog(screen, `Edit ${p.name}`, "Save changes", `person-edit:${screen.id}`);
  const name = input("name", p.name, { required: true, autocapitalize: "words", autocomplete: "off" });
  const callThem = input("call_them", p.call_them ?? "", { autocapitalize: "words", autocomplete: "off" });
  const organisation = input("organisation", p.organisation, { autocomplete: "off" });
  const role = input("role", p.role, { autocomplete: "off" });
  const emails = textarea("emails", (p.emails ?? []).join("\n"), 2);
  const phones = textarea("phones", (p.phones ?? []).join("\n"), 2);
  const urls = textarea("urls", (p.urls ?? []).join("\n"), 2);
  const tags = input("tags", (p.tags ?? []).join(", "), { autocomplete: "off" });
  const howMet = input("how_met", p.how_met, { autocomplete: "off" });
  const event = select("event_id", [["", "No event"], ...screen.events.map((e) => [e.id, e.date ? `${e.name} (${e.date})` : e.name])], p.event_id ?? "");
  const notes = textarea("notes", p.notes, 4);
  const cadence = input("cadence_days", p.cadence_days == null ? "" : String(p.cadence_days), { type: "number", inputmode: "numeric", min: "0", max: "3650" });
  emails.inputMode = "email";
  phones.inputMode = "tel";
  body.append(
    field("edit-name", "Name", name),
    field("edit-call-them", "Call them", callThem, "What you call them in a greeting, e.g. Bill for William. Leave empty to use their first name."),
    field("edit-organisation", "Organisation", organisation),
    field("edit-role", "Role", role),
    field("edit-emails", "Email addresses", emails, "One per line."),
    field("edit-phones", "Phone numbers", phones, "One per line."),
    field("edit-urls", "Links", urls, "LinkedIn or a website, one per line."),
    field("edit-tags", "Tags", tags, "Separated by commas, e.g. media, recruiter."),
    field("edit-how-met", "How you met", howMet),
    field("edit-event", "Met at event", event),
    field("edit-notes", "Notes", notes),
    field("edit-cadence", "Keep in touch every … days", cadence, "Leave empty for the usual rhythm; 0 turns reminders off."),
  );
  const draft = keep();
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
    const next = {
      name: name.value.trim(),
      call_them: callThem.value.trim(),
      organisation: organisation.value.trim(),
      role: role.value.trim(),
      emails: lines(emails.value),
      phones: phones.value.split(/\n+/).map((t) => t.trim()).filter(Boolean),
      urls: urls.value.split(/\s+/).map((t) => t.trim()).filter(Boolean),
      tags: [...new Set(tags.value.split(",").map((t) => t.trim()).filter(Boolean))],
      how_met: howMet.value.trim(),
      event_id: event.value || null,
      notes: notes.value.trim(),
      cadence_days: cadence.value.trim() === "" ? null : Number(cadence.value),
    };
    if (!next.name) return fail("Give them a name: it is the one thing a person needs.", name);
    /** @type {Record<string, unknown>} */
    const changes = {};
    for (const [key, value] of Object.entries(next)) {
      const was = p[/** @type {keyof typeof next} */ (key)];
      if (JSON.stringify(value) !== JSON.stringify(was ?? (key === "cadence_days" || key === "event_id" ? null : ""))) changes[key] = value;
    }
    if (Object.keys(changes).length === 0) {
      draft.drop();
      dialog.close();
      return;
    }
    submit.disabled = true;
    submit.textContent = "Saving…";
    // The engine checks what is saved (an email address, the days): its words go by the field.
    const done = await screen.ctx.backend.command("update_person", { id: screen.id, ...changes });
    submit.disabled = false;
    submit.textContent = "Save changes";
    if (!done.ok) {
      const controls = { name, emails, cadence_days: cadence, event_id: event };
      const at = String(done.field ?? "").replace(/^payload\./, "").split(/[[.]/)[0];
      const control = controls[/** @type {keyof typeof controls} */ (at)];
      return fail(at === "cadence_days" ? `Keep in touch every … days: ${done.message}` : done.message, control);
    }
    draft.drop();
    screen.ctx.refreshToday?.();
    const saved = done.put?.people?.find((/** @type {{id: string}} */ x) => x.id === screen.id);
    if (saved) screen.person = saved;
    dialog.close();
    screen.renderHeader();
    screen.ctx.toast(`Saved ${screen.person.name}.`);
    screen.refresh();
  });
  dialog.showModal();
  name.focus();
}

/** @param {Screen} screen */
export function openMeeting(screen) {
  const firstName = first(screen.person.name);
  const { dialog, form, body, submit, fail, keep } = formDialog(screen, `Log a meeting with ${firstName}`, "Save meeting", `meeting:${screen.id}`);
  const kind = select("kind", words().meetings, "meeting");
  const today = localDate(new Date());
  const date = input("date", today, { type: "date", max: today });
  const notes = textarea("notes", "", 4);
  const adviceList = h("ol", { class: "person-rows" });
  const promiseList = h("ol", { class: "person-rows" });
  const peopleList = h("ol", { class: "person-rows" });
  /** @type {Map<Element, import("../person-picker.js").PersonPicker>} */
  const pickers = new Map();
  let rows = 0;
  const addAdvice = (/** @type {{text?: string, kind?: string}} */ kept = {}, focus = true) => {
    const n = ++rows;
    const text = input(`advice-${n}`, kept.text ?? "", { autocomplete: "off" });
    const what = select(`advice-kind-${n}`, words().advice, kept.kind ?? "other");
    const li = h("li", { class: "person-row-item" },
      field(`advice-text-${n}`, `Advice ${adviceList.children.length + 1}`, text),
      field(`advice-type-${n}`, "Kind of advice", what),
      h("button", { type: "button", class: "button", "aria-label": `Remove advice ${adviceList.children.length + 1}`, onclick: () => { li.remove(); draft.keep(); adviceButton.focus(); } }, "Remove"),
    );
    li.dataset.row = "advice";
    adviceList.append(li);
    if (focus) text.focus();
  };
  const addPromise = (/** @type {{text?: string, due?: string}} */ kept = {}, focus = true) => {
    const n = ++rows;
    const text = input(`promise-${n}`, kept.text ?? "", { autocomplete: "off" });
    const due = input(`promise-due-${n}`, kept.due ?? localDate(new Date(Date.now() + 3 * 86_400_000)), { type: "date", min: today });
    const li = h("li", { class: "person-row-item" },
      field(`promise-text-${n}`, `Promise ${promiseList.children.length + 1}`, text),
      field(`promise-date-${n}`, "Do it by", due),
      h("button", { type: "button", class: "button", "aria-label": `Remove promise ${promiseList.children.length + 1}`, onclick: () => { li.remove(); draft.keep(); promiseButton.focus(); } }, "Remove"),
    );
    li.dataset.row = "promise";
    promiseList.append(li);
    if (focus) text.focus();
  };
  /** Someone else who was there (the one person picker). */
  const addPerson = (/** @type {{name?: string, id?: string | null, newName?: string | null}} */ kept = {}, focus = true) => {
    const n = ++rows;
    const number = peopleList.children.length + 1;
    const { field: personRow, picker } = personField({
      backend: screen.ctx.backend, id: `meeting-person-${n}`, label: `Also there ${number}`, value: kept.name ?? "",
      pick: { id: kept.id, newName: kept.newName }, onChange: () => draft.keep(),
      exclude: () => [screen.id], idle: "Type a name you saved, or add someone new.",
    });
    const li = h("li", { class: "person-row-item" }, personRow,
      h("button", { type: "button", class: "button", "aria-label": `Remove also there ${number}`, onclick: () => { pickers.delete(li); li.remove(); draft.keep(); peopleButton.focus(); } }, "Remove"));
    pickers.set(li, picker);
    peopleList.append(li);
    if (focus) picker.combo.focus();
  };
  const adviceButton = h("button", { type: "button", class: "button", onclick: () => addAdvice() }, "Add advice they gave");
  const promiseButton = h("button", { type: "button", class: "button", onclick: () => addPromise() }, "Add a promise you made");
  const peopleButton = h("button", { type: "button", class: "button", onclick: () => addPerson() }, "Add someone else who was there");
  body.append(
    field("meeting-kind", "What was it?", kind),
    field("meeting-date", "When", date),
    field("meeting-notes", "What you talked about", notes, "Your thank-you note will remind them of it."),
    h("fieldset", { class: "field" }, h("legend", {}, "Who else was there"),
      h("p", { class: "hint" }, `Besides ${firstName}: everyone gets the meeting on their timeline.`),
      peopleList, peopleButton),
    h("fieldset", { class: "field" }, h("legend", {}, "Advice given"),
      h("p", { class: "hint" }, "Names, books, resume tips: Followthrough reminds you to act on them and report back."),
      adviceList, adviceButton),
    h("fieldset", { class: "field" }, h("legend", {}, "Promises made"),
      h("p", { class: "hint" }, "“I’ll send you my portfolio”: each becomes a follow-up on its date."),
      promiseList, promiseButton),
  );
  const readRows = () => ({
    advice: [...adviceList.children].map((li) => ({
      text: /** @type {HTMLInputElement} */ (li.querySelector("input")).value,
      kind: /** @type {HTMLSelectElement} */ (li.querySelector("select")).value,
    })),
    promises: [...promiseList.children].map((li) => {
      const [text, due] = /** @type {NodeListOf<HTMLInputElement>} */ (li.querySelectorAll("input"));
      return { text: text.value, due: due.value };
    }),
    people: [...peopleList.children].map((li) => {
      const picker = pickers.get(li);
      return { name: picker?.combo.value ?? "", ...(picker?.draft() ?? {}) };
    }),
  });
  const draft = keep({
    read: () => ({ kind: kind.value, date: date.value, notes: notes.value, ...readRows() }),
    write: (kept) => {
      if (typeof kept.kind === "string") kind.value = kept.kind;
      if (typeof kept.date === "string") date.value = kept.date;
      if (typeof kept.notes === "string") notes.value = kept.notes;
      for (const a of /** @type {{text: string, kind: string}[]} */ (kept.advice ?? [])) addAdvice(a, false);
      for (const p of /** @type {{text: string, due: string}[]} */ (kept.promises ?? [])) addPromise(p, false);
      for (const p of /** @type {{name: string, id: string | null, newName: string | null}[]} */ (kept.people ?? [])) addPerson(p, false);
    },
  });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (date.value && date.value > today) return fail("Pick today or a day before: this logs what already happened.", date);
    const { advice: adviceRows, promises: promiseRows } = readRows();
    const advice = adviceRows.map((a) => ({ text: a.text.trim(), kind: a.kind, done_at: null })).filter((a) => a.text);
    const promises = promiseRows.map((p) => ({ text: p.text.trim(), due: p.due || today, done_at: null })).filter((x) => x.text);
    // Everyone who was there: picked from the list, or added on the spot (saved first).
    const personIds = [screen.id];
    for (const picker of pickers.values()) {
      const pick = await picker.resolve();
      if ("none" in pick) continue;
      if ("error" in pick) return fail(pick.error, picker.combo);
      let pid = "id" in pick ? pick.id : "";
      if ("newName" in pick) {
        pid = crypto.randomUUID();
        if (!(await screen.ctx.command("add_person", { id: pid, name: pick.newName }))) return;
      }
      if (!personIds.includes(pid)) personIds.push(pid);
    }
    submit.disabled = true;
    submit.textContent = "Saving…";
    const done = await screen.ctx.command("log_interaction", {
      id: crypto.randomUUID(), person_ids: personIds, kind: kind.value, at: atFor(date.value),
      notes: notes.value.trim(), advice, promises,
    });
    submit.disabled = false;
    submit.textContent = "Save meeting";
    if (!done) return;
    draft.drop();
    dialog.close();
    screen.ctx.toast(`Logged your ${kind.options[kind.selectedIndex].text.toLowerCase()} with ${screen.person.name}.`);
    await screen.refresh();
  });
  dialog.showModal();
  kind.focus();
}

/** @param {Screen} screen */
export async function openIntroduction(screen) {
  const p = screen.person;
  const firstName = first(p.name);
  const { dialog, form, body, submit, fail, keep } = formDialog(screen, `Record an introduction from ${firstName}`, "Save introduction", `introduction:${screen.id}`);
  const { field: whoField, picker } = personField({
    backend: screen.ctx.backend, id: "intro-who", label: `Who did ${firstName} introduce you to?`,
    exclude: () => [screen.id], idle: "Pick someone you saved, or type a new name and add them.",
    onChange: () => draft.keep(),
  });
  const who = picker.combo;
  who.name = "introduced";
  who.required = true;
  const org = input("organisation", "", { autocomplete: "off" });
  const kind = select("kind", words().introductions, "introduction");
  const context = input("context", "", { autocomplete: "off", placeholder: "e.g. talk to her about media sales" });
  const today = localDate(new Date());
  const date = input("date", today, { type: "date", max: today });
  body.append(
    whoField,
    field("intro-org", "Their organisation (for someone new, optional)", org),
    field("intro-kind", "How", kind),
    field("intro-context", "Why, in their words", context),
    field("intro-date", "When", date),
  );
  const draft = keep();
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const typed = who.value.trim();
    if (!typed) return fail("Type the name of the person you were introduced to.", who);
    // The person picked from the list, or someone saved (a name only one person has), else
    // someone new: the picker's "Add … as a new person", or a name nobody has.
    const pick = await picker.resolve();
    if ("error" in pick) {
      const again = await screen.ctx.backend.send("capture_introducer", { text: typed });
      if (again.ok || again.error !== "unknown-person") return fail(pick.error, who);
    }
    /** @type {{id: string, name: string} | null} */
    const match = "id" in pick ? { id: pick.id, name: typed } : null;
    if (match?.id === screen.id) return fail(`${firstName} cannot introduce you to themselves.`, who);
    submit.disabled = true;
    submit.textContent = "Saving…";
    const at = atFor(date.value);
    const name = match?.name ?? typed;
    // One decision: the person (saved, or new), introduced by this one.
    const payload = {
      person: match ? { id: match.id } : {
        id: crypto.randomUUID(), name: typed, organisation: org.value.trim(), notes: context.value.trim(),
        how_met: `Introduced by ${p.name}`,
      },
      event: null,
      introduced_by: { id: screen.id },
      introduction: { id: crypto.randomUUID(), kind: kind.value, context: context.value.trim(), at },
      met: null,
    };
    const done = await screen.ctx.command("capture", payload);
    submit.disabled = false;
    submit.textContent = "Save introduction";
    if (!done) return;
    draft.drop();
    dialog.close();
    screen.ctx.toast(`Saved: ${firstName} introduced you to ${name}. Reach out within a day.`);
    await screen.refresh();
  });
  dialog.showModal();
  who.focus();
}
