// @ts-check
/**
 * Fixing what was logged: a meeting (or call, card, note…) opened from the person's timeline,
 * every field editable (`update_interaction`), or moved to the trash (`delete`); the event they
 * were met at (`update_event`); and an introduction (`update_introduction`). The engine checks what is saved; its message goes by the
 * field it names.
 */
import { h, localDate } from "../../dom.js";
import { catalogNow } from "../../catalog.js";

/** @typedef {import("../../types.js").InteractionRecord} InteractionRecord */
/** @typedef {import("../../types.js").EventRecord} EventRecord */
/** @typedef {import("../../types.js").IntroductionEntry} IntroductionEntry */
/**
 * What these forms need of the Person screen.
 * @typedef {{ctx: import("../../screen-types.js").AppContext, id: string,
 *   section: HTMLElement, refresh: () => Promise<void>}} Screen
 */

/** "HH:MM" of an ISO time, local. @param {string} iso */
function clock(iso) {
  const d = new Date(iso);
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

/**
 * A labelled control; returns the wrapper.
 * @param {string} id @param {string} label @param {HTMLElement} control @param {string} [hint]
 */
function field(id, label, control, hint) {
  control.id = id;
  if (hint) control.setAttribute("aria-describedby", `${id}-hint`);
  return h("div", { class: "field" }, h("label", { for: id }, label), control, hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null);
}

/** @param {Record<string, string>} attrs @param {string} value */
function input(attrs, value) {
  const el = /** @type {HTMLInputElement} */ (h("input", { autocomplete: "off", ...attrs }));
  el.value = value ?? "";
  return el;
}

/** @param {Array<[string, string]>} options @param {string} value */
function select(options, value) {
  const el = /** @type {HTMLSelectElement} */ (h("select", {}, ...options.map(([v, label]) => h("option", { value: v }, label))));
  el.value = value;
  return el;
}

/**
 * A modal form with Save / Cancel (and an optional extra button); `save` answers the engine's
 * answer, shown by the field it names through `controls`.
 * @param {Screen} screen @param {string} title @param {Node[]} fields
 * @param {Record<string, HTMLElement>} controls @param {Record<string, string>} labels
 * @param {() => Promise<import("../../types.js").Answer | null>} save @param {string} done
 * @param {HTMLElement | null} [extra]
 */
function formDialog(screen, title, fields, controls, labels, save, done, extra = null) {
  const dialog = /** @type {HTMLDialogElement} */ (h("dialog", { class: "person-dialog", "aria-labelledby": "fix-title" }));
  const error = h("p", { class: "error", role: "alert", hidden: true });
  const submit = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", class: "button primary" }, "Save changes"));
  const form = h("form", { class: "form", novalidate: true },
    h("h2", { id: "fix-title", text: title }),
    h("div", { class: "person-dialog-body" }, ...fields),
    error,
    h("div", { class: "card-actions person-dialog-actions" }, submit,
      h("button", { type: "button", class: "button", onclick: () => dialog.close() }, "Cancel"), extra),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
    submit.disabled = true;
    submit.textContent = "Saving…";
    const answer = await save();
    submit.disabled = false;
    submit.textContent = "Save changes";
    if (answer === null) {
      dialog.close();
      return;
    }
    if (!answer.ok) {
      const path = String(answer.field ?? "");
      const base = path.split(/[[.]/)[0];
      const control = controls[path] ?? controls[base];
      error.textContent = labels[base] ? `${labels[base]}: ${answer.message}` : answer.message;
      error.hidden = false;
      if (control) {
        control.setAttribute("aria-invalid", "true");
        control.focus();
      }
      return;
    }
    dialog.close();
    screen.ctx.toast(done);
    screen.ctx.refreshToday?.();
    await screen.refresh();
  });
  dialog.append(form);
  dialog.addEventListener("close", () => dialog.remove());
  screen.section.append(dialog);
  dialog.showModal();
  return dialog;
}

/**
 * @param {Screen} screen @param {InteractionRecord} it
 * @param {Record<string, string>} names the names of the people it was with, by id
 */
export function openInteraction(screen, it, names) {
  const catalog = catalogNow();
  const kinds = /** @type {Array<[string, string]>} */ (Object.entries(catalog?.interaction_kinds ?? { [it.kind]: it.kind }));
  const adviceKinds = /** @type {Array<[string, string]>} */ (Object.entries(catalog?.advice_kinds ?? { other: "Other" }));
  const kind = select(kinds, it.kind);
  const date = input({ type: "date", name: "date", required: "" }, localDate(new Date(it.at)));
  const time = input({ type: "time", name: "time" }, clock(it.at));
  const notes = /** @type {HTMLTextAreaElement} */ (h("textarea", { name: "notes", rows: "4" }));
  notes.value = it.notes ?? "";
  /** @type {Record<string, HTMLElement>} */
  const controls = { kind, at: date, notes };
  const adviceList = h("ol", { class: "person-rows" });
  const promiseList = h("ol", { class: "person-rows" });
  let n = 0;
  /** @param {{text: string, kind: string, done_at: string | null}} a */
  const addAdvice = (a) => {
    const i = ++n;
    const text = input({ name: `advice-${i}` }, a.text);
    const what = select(adviceKinds, a.kind);
    const li = h("li", { class: "person-row-item" },
      field(`fix-advice-${i}`, "Advice", text), field(`fix-advice-kind-${i}`, "Kind of advice", what),
      h("button", { type: "button", class: "button", "aria-label": `Remove advice: ${a.text || "new"}`, onclick: () => li.remove() }, "Remove"));
    li.dataset.doneAt = a.done_at ?? "";
    adviceList.append(li);
    return text;
  };
  /** @param {{text: string, due: string, done_at: string | null}} p */
  const addPromise = (p) => {
    const i = ++n;
    const text = input({ name: `promise-${i}` }, p.text);
    const due = input({ type: "date", name: `promise-due-${i}` }, p.due);
    const li = h("li", { class: "person-row-item" },
      field(`fix-promise-${i}`, "Promise", text), field(`fix-promise-due-${i}`, "Do it by", due),
      h("button", { type: "button", class: "button", "aria-label": `Remove promise: ${p.text || "new"}`, onclick: () => li.remove() }, "Remove"));
    li.dataset.doneAt = p.done_at ?? "";
    promiseList.append(li);
    return text;
  };
  // Who it was with: everyone now (untick to take them off), and someone saved to add.
  const withList = h("ul", { class: "plain-list" }, ...it.person_ids.map((pid, i) => h("li", { class: "switch-row" },
    h("input", { type: "checkbox", id: `fix-with-${i}`, "data-id": pid, checked: true }),
    h("label", { for: `fix-with-${i}`, text: names[pid] ?? "Someone no longer saved" }))));
  const addWho = input({ name: "add-with", list: "fix-with-names", autocapitalize: "words" }, "");
  const withNames = h("datalist", { id: "fix-with-names" });
  screen.ctx.backend.send("capture_people", { query: "", order: "name", limit: 5000 }).then((answer) => {
    if (answer.ok) withNames.replaceChildren(...answer.people.map((/** @type {{label: string}} */ p) => h("option", { value: p.label })));
  });
  controls.person_ids = addWho;
  for (const a of it.advice ?? []) addAdvice(a);
  for (const p of it.promises ?? []) addPromise(p);
  const remove = h("button", { type: "button", class: "button danger", onclick: () => deleteInteraction(screen, it, dialog) }, "Move to trash");
  const label = catalog?.interaction_kinds[it.kind] ?? it.kind;
  const dialog = formDialog(screen, `Edit: ${label}`, [
    field("fix-kind", "What was it?", kind),
    h("div", { class: "inline" }, field("fix-date", "Date", date), field("fix-time", "Time", time)),
    field("fix-notes", "Notes", notes),
    h("fieldset", { class: "field" }, h("legend", {}, "Who it was with"), withList,
      field("fix-add-with", "Add someone you saved", addWho, "Start typing their name."), withNames),
    h("fieldset", { class: "field" }, h("legend", {}, "Advice given"), adviceList,
      h("button", { type: "button", class: "button", onclick: () => addAdvice({ text: "", kind: "other", done_at: null }).focus() }, "Add advice")),
    h("fieldset", { class: "field" }, h("legend", {}, "Promises made"), promiseList,
      h("button", { type: "button", class: "button", onclick: () => addPromise({ text: "", due: localDate(new Date()), done_at: null }).focus() }, "Add a promise")),
  ], controls, { kind: "What was it", at: "Date", notes: "Notes", advice: "Advice", promises: "Promise", person_ids: "With" }, async () => {
    if (!date.value) return { ok: false, error: "missing-field", message: "Pick the day it happened.", field: "at" };
    const at = new Date(`${date.value}T${time.value || "12:00"}`);
    if (Number.isNaN(at.getTime())) return { ok: false, error: "bad-time", message: "That is not a day and time we understand.", field: "at" };
    const rows = (/** @type {HTMLElement} */ list) => [...list.children].map((li) => /** @type {HTMLElement} */ (li));
    const advice = rows(adviceList).map((li) => ({
      text: /** @type {HTMLInputElement} */ (li.querySelector("input")).value.trim(),
      kind: /** @type {HTMLSelectElement} */ (li.querySelector("select")).value,
      done_at: li.dataset.doneAt || null,
    }));
    const promises = rows(promiseList).map((li) => {
      const [text, due] = /** @type {NodeListOf<HTMLInputElement>} */ (li.querySelectorAll("input"));
      return { text: text.value.trim(), due: due.value, done_at: li.dataset.doneAt || null };
    });
    rows(adviceList).forEach((li, i) => { controls[`advice[${i}].text`] = /** @type {HTMLElement} */ (li.querySelector("input")); });
    rows(promiseList).forEach((li, i) => {
      const [text, due] = li.querySelectorAll("input");
      controls[`promises[${i}].text`] = /** @type {HTMLElement} */ (text);
      controls[`promises[${i}].due`] = /** @type {HTMLElement} */ (due);
    });
    const people = [...withList.querySelectorAll("input:checked")].map((box) => /** @type {HTMLElement} */ (box).dataset.id ?? "");
    const typed = addWho.value.trim();
    if (typed) {
      const found = await screen.ctx.backend.send("capture_introducer", { text: typed });
      if (!found.ok) return { ...found, field: "person_ids" };
      people.push(found.person.id);
    }
    if (people.length === 0) return { ok: false, error: "missing-field", message: "Keep at least one person it was with.", field: "person_ids" };
    /** @type {Record<string, unknown>} */
    const next = { kind: kind.value, at: at.toISOString(), notes: notes.value.trim(), advice, promises, person_ids: people };
    /** @type {Record<string, unknown>} */
    const changes = {};
    const was = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (it));
    for (const [key, value] of Object.entries(next)) {
      const before = key === "at" ? new Date(it.at).toISOString() : was[key] ?? (Array.isArray(value) ? [] : "");
      if (JSON.stringify(value) !== JSON.stringify(before)) changes[key] = value;
    }
    if (Object.keys(changes).length === 0) return null;
    return screen.ctx.backend.command("update_interaction", { id: it.id, ...changes });
  }, `Saved your changes to this ${label.toLowerCase()}.`, remove);
  kind.focus();
}

/** @param {Screen} screen @param {InteractionRecord} it @param {HTMLDialogElement} [dialog] */
export async function deleteInteraction(screen, it, dialog) {
  const label = catalogNow()?.interaction_kinds[it.kind] ?? it.kind;
  const done = await screen.ctx.command("delete", { records: [{ store: "interactions", id: it.id }] });
  if (!done) return;
  dialog?.close();
  screen.ctx.toast(`Moved this ${label.toLowerCase()} to the trash.`);
  await screen.refresh();
}

/** @param {Screen} screen @param {EventRecord} event */
export function openEvent(screen, event) {
  const name = input({ name: "name", required: "", autocapitalize: "words" }, event.name);
  const date = input({ type: "date", name: "date", required: "" }, event.date);
  const place = input({ name: "place" }, event.place ?? "");
  const controls = { name, date, place };
  formDialog(screen, `Edit the event`, [
    field("fix-event-name", "Event", name),
    field("fix-event-date", "Date", date),
    field("fix-event-place", "Place", place),
  ], controls, { name: "Event", date: "Date", place: "Place" }, async () => {
    /** @type {Record<string, string>} */
    const changes = {};
    const next = { name: name.value.trim(), date: date.value, place: place.value.trim() };
    for (const [key, value] of Object.entries(next)) {
      if (value !== (/** @type {Record<string, string>} */ (/** @type {unknown} */ (event)))[key]) changes[key] = value;
    }
    if (Object.keys(changes).length === 0) return null;
    return screen.ctx.backend.command("update_event", { id: event.id, ...changes });
  }, `Saved the event.`);
  name.focus();
}

/** @param {Screen} screen @param {IntroductionEntry} intro */
export function openIntroductionEdit(screen, intro) {
  const catalog = catalogNow();
  const kind = select(/** @type {Array<[string, string]>} */ (Object.entries(catalog?.introduction_kinds ?? { [intro.kind]: intro.kind })), intro.kind);
  const status = select(/** @type {Array<[string, string]>} */ (Object.entries(catalog?.introduction_statuses ?? { [intro.status]: intro.status })), intro.status);
  const context = input({ name: "context" }, intro.context);
  const outcome = input({ name: "outcome" }, intro.outcome);
  const date = input({ type: "date", name: "date", required: "" }, localDate(new Date(intro.at)));
  const controls = { kind, status, context, outcome, at: date };
  formDialog(screen, `${intro.introducer_name} → ${intro.introduced_name}`, [
    field("fix-intro-kind", "How", kind),
    field("fix-intro-date", "When", date),
    field("fix-intro-context", "Why, in their words", context),
    field("fix-intro-status", "Where it stands", status),
    field("fix-intro-outcome", "What came of it", outcome),
  ], controls, { kind: "How", at: "When", context: "Why", status: "Where it stands", outcome: "What came of it" }, async () => {
    if (!date.value) return { ok: false, error: "missing-field", message: "Pick the day it happened.", field: "at" };
    const was = new Date(intro.at);
    const at = localDate(was) === date.value ? intro.at : new Date(`${date.value}T12:00`).toISOString();
    /** @type {Record<string, string>} */
    const next = { kind: kind.value, status: status.value, context: context.value.trim(), outcome: outcome.value.trim(), at };
    /** @type {Record<string, string>} */
    const changes = {};
    const before = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (intro));
    for (const [key, value] of Object.entries(next)) if (value !== before[key]) changes[key] = value;
    if (Object.keys(changes).length === 0) return null;
    return screen.ctx.backend.command("update_introduction", { id: intro.id, ...changes });
  }, "Saved the introduction.",
  h("button", {
    type: "button", class: "button danger",
    onclick: async (/** @type {Event} */ e) => {
      const done = await screen.ctx.command("delete", { records: [{ store: "introductions", id: intro.id }] });
      if (!done) return;
      /** @type {HTMLElement} */ (e.target).closest("dialog")?.close();
      screen.ctx.toast("Moved the introduction to the trash.");
      await screen.refresh();
    },
  }, "Move to trash"));
  kind.focus();
}
