// @ts-check
/**
 * Person's forms: edit every field, log a meeting (with advice and promises), and record an
 * introduction (the `capture` command: the new or saved person, introduced by this one, as one
 * decision).
 */
import { h, localDate } from "../../dom.js";
import { catalogNow } from "../../catalog.js";

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
 * A modal dialog with a heading, a form and Save/Cancel; returns its parts.
 * @param {Screen} screen @param {string} title @param {string} save
 */
function formDialog(screen, title, save) {
  const dialog = /** @type {HTMLDialogElement} */ (h("dialog", { class: "person-dialog", "aria-labelledby": "person-dialog-title" }));
  const form = /** @type {HTMLFormElement} */ (h("form", { class: "form", novalidate: true }));
  const submit = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", class: "button primary" }, save));
  const cancel = h("button", { type: "button", class: "button", onclick: () => dialog.close() }, "Cancel");
  const error = h("p", { class: "error", role: "alert", hidden: true });
  const body = h("div", { class: "person-dialog-body" });
  form.append(h("h2", { id: "person-dialog-title", text: title }), body, error, h("div", { class: "card-actions person-dialog-actions" }, submit, cancel));
  dialog.append(form);
  dialog.addEventListener("close", () => dialog.remove());
  screen.section.append(dialog);
  /** @param {string} message @param {HTMLElement} [field] */
  const fail = (message, field) => {
    error.textContent = message;
    error.hidden = false;
    if (field) {
      field.setAttribute("aria-invalid", "true");
      field.focus();
    }
  };
  return { dialog, form, body, submit, fail };
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
  const { dialog, form, body, submit, fail } = formDialog(screen, `Edit ${p.name}`, "Save changes");
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
  const { dialog, form, body, submit, fail } = formDialog(screen, `Log a meeting with ${firstName}`, "Save meeting");
  const kind = select("kind", words().meetings, "meeting");
  const today = localDate(new Date());
  const date = input("date", today, { type: "date", max: today });
  const notes = textarea("notes", "", 4);
  const adviceList = h("ol", { class: "person-rows" });
  const promiseList = h("ol", { class: "person-rows" });
  let rows = 0;
  const addAdvice = () => {
    const n = ++rows;
    const text = input(`advice-${n}`, "", { autocomplete: "off" });
    const what = select(`advice-kind-${n}`, words().advice, "other");
    const li = h("li", { class: "person-row-item" },
      field(`advice-text-${n}`, `Advice ${adviceList.children.length + 1}`, text),
      field(`advice-type-${n}`, "Kind of advice", what),
      h("button", { type: "button", class: "button", "aria-label": `Remove advice ${adviceList.children.length + 1}`, onclick: () => { li.remove(); adviceButton.focus(); } }, "Remove"),
    );
    li.dataset.row = "advice";
    adviceList.append(li);
    text.focus();
  };
  const addPromise = () => {
    const n = ++rows;
    const text = input(`promise-${n}`, "", { autocomplete: "off" });
    const due = input(`promise-due-${n}`, localDate(new Date(Date.now() + 3 * 86_400_000)), { type: "date", min: today });
    const li = h("li", { class: "person-row-item" },
      field(`promise-text-${n}`, `Promise ${promiseList.children.length + 1}`, text),
      field(`promise-date-${n}`, "Do it by", due),
      h("button", { type: "button", class: "button", "aria-label": `Remove promise ${promiseList.children.length + 1}`, onclick: () => { li.remove(); promiseButton.focus(); } }, "Remove"),
    );
    li.dataset.row = "promise";
    promiseList.append(li);
    text.focus();
  };
  const adviceButton = h("button", { type: "button", class: "button", onclick: addAdvice }, "Add advice they gave");
  const promiseButton = h("button", { type: "button", class: "button", onclick: addPromise }, "Add a promise you made");
  body.append(
    field("meeting-kind", "What was it?", kind),
    field("meeting-date", "When", date),
    field("meeting-notes", "What you talked about", notes, "Your thank-you note will remind them of it."),
    h("fieldset", { class: "field" }, h("legend", {}, "Advice given"),
      h("p", { class: "hint" }, "Names, books, resume tips: Followthrough reminds you to act on them and report back."),
      adviceList, adviceButton),
    h("fieldset", { class: "field" }, h("legend", {}, "Promises made"),
      h("p", { class: "hint" }, "“I’ll send you my portfolio”: each becomes a follow-up on its date."),
      promiseList, promiseButton),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (date.value && date.value > today) return fail("Pick today or a day before: this logs what already happened.", date);
    const advice = [...adviceList.children].map((li) => ({
      text: /** @type {HTMLInputElement} */ (li.querySelector("input")).value.trim(),
      kind: /** @type {HTMLSelectElement} */ (li.querySelector("select")).value,
      done_at: null,
    })).filter((a) => a.text);
    const promises = [...promiseList.children].map((li) => {
      const [text, due] = /** @type {NodeListOf<HTMLInputElement>} */ (li.querySelectorAll("input"));
      return { text: text.value.trim(), due: due.value || today, done_at: null };
    }).filter((x) => x.text);
    submit.disabled = true;
    submit.textContent = "Saving…";
    const done = await screen.ctx.command("log_interaction", {
      id: crypto.randomUUID(), person_ids: [screen.id], kind: kind.value, at: atFor(date.value),
      notes: notes.value.trim(), advice, promises,
    });
    submit.disabled = false;
    submit.textContent = "Save meeting";
    if (!done) return;
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
  const everyone = await screen.ctx.backend.send("capture_people", { query: "", order: "name", limit: 5000 });
  /** @type {{id: string, name: string, label: string}[]} */
  const others = (everyone.ok ? everyone.people : []).filter((/** @type {{id: string}} */ x) => x.id !== screen.id);
  const { dialog, form, body, submit, fail } = formDialog(screen, `Record an introduction from ${firstName}`, "Save introduction");
  const who = input("introduced", "", { list: "person-intro-names", autocomplete: "off", autocapitalize: "words", required: true });
  const list = h("datalist", { id: "person-intro-names" }, ...others.map((x) => h("option", { value: x.label })));
  const org = input("organisation", "", { autocomplete: "off" });
  const kind = select("kind", words().introductions, "introduction");
  const context = input("context", "", { autocomplete: "off", placeholder: "e.g. talk to her about media sales" });
  const today = localDate(new Date());
  const date = input("date", today, { type: "date", max: today });
  body.append(
    field("intro-who", `Who did ${firstName} introduce you to?`, who, "Pick someone you saved, or type a new name: they are added."),
    list,
    field("intro-org", "Their organisation (for someone new, optional)", org),
    field("intro-kind", "How", kind),
    field("intro-context", "Why, in their words", context),
    field("intro-date", "When", date),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const typed = who.value.trim();
    if (!typed) return fail("Type the name of the person you were introduced to.", who);
    // Someone saved (by the label picked or a name only one person has), else someone new.
    const found = await screen.ctx.backend.send("capture_introducer", { text: typed });
    if (!found.ok && found.error !== "unknown-person") return fail(found.message, who);
    /** @type {{id: string, name: string} | null} */
    const match = found.ok ? found.person : null;
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
    dialog.close();
    screen.ctx.toast(`Saved: ${firstName} introduced you to ${name}. Reach out within a day.`);
    await screen.refresh();
  });
  dialog.showModal();
  who.focus();
}
