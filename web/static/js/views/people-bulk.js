// @ts-check
/**
 * Bulk triage on People: the chosen people (ticked one by one, or everyone the search and
 * filters match), and what to do with all of them at once: tag (or untag), set where you met,
 * set who introduced you, or move them to the trash. Each action is one engine command, all or
 * nothing (`tag_people`, `set_met_at`, `set_introduced_by`, `delete`).
 *
 * The choice is a set of ids kept here; "everyone matching" asks the engine for the ids
 * (op `people` with `all_ids`), so thousands are chosen without drawing thousands of rows.
 */
import { h } from "../dom.js";

/** @typedef {import("../screen-types.js").ScreenContext} ScreenContext */
/** @typedef {import("../types.js").PeopleAnswer} PeopleAnswer */
/** @typedef {import("../types.js").PeopleFilters} PeopleFilters */

/**
 * What the bar needs of the People screen.
 * @typedef {{ctx: ScreenContext, section: HTMLElement, list: HTMLElement, f: PeopleFilters,
 *   answer: PeopleAnswer | null, names: Map<string, string>}} Host
 */

/** "1 person" / "2,000 people". @param {number} n */
export const people = (n) => (n === 1 ? "1 person" : `${n.toLocaleString()} people`);

export class BulkBar {
  /** @param {Host} host */
  constructor(host) {
    this.host = host;
    /** @type {Set<string>} */
    this.chosen = new Set();
    this.count = h("p", { class: "people-pick-text", id: "bulk-count", "aria-live": "polite" });
    this.allButton = h("button", { type: "button", class: "button", onclick: () => this.chooseAll() }, "Choose all");
    this.clearButton = h("button", { type: "button", class: "button", onclick: () => this.clear() }, "Clear choice");
    /** @type {HTMLButtonElement[]} */
    this.actions = [
      this.action("Tag…", () => this.openTag()),
      this.action("Met at…", () => this.openMetAt()),
      this.action("Introduced by…", () => this.openIntroducedBy()),
      this.action("Move to trash…", () => this.openDelete(), "danger"),
    ];
    this.bar = h("div", { class: "people-pickbar people-bulkbar", role: "region", "aria-label": "Chosen people", hidden: true },
      h("div", { class: "people-bulk-top" }, this.count, this.allButton, this.clearButton),
      h("div", { class: "people-bulk-actions", role: "group", "aria-label": "Do with the chosen people" }, ...this.actions),
    );
    this.update();
  }

  /** @param {string} label @param {() => void} run @param {string} [extra] */
  action(label, run, extra = "") {
    return /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: `button ${extra}`.trim(), "aria-haspopup": "dialog", onclick: run }, label));
  }

  /** @param {boolean} on */
  show(on) {
    this.bar.hidden = !on;
    if (!on) this.chosen.clear();
    this.update();
  }

  /** @param {string} id @param {boolean} on */
  toggle(id, on) {
    if (on) this.chosen.add(id);
    else this.chosen.delete(id);
    this.update();
  }

  /** Everyone the current search and filters match (not only the rows drawn so far). */
  async chooseAll() {
    const answer = await this.host.ctx.backend.send("people", { ...this.host.f, offset: 0, limit: 1, all_ids: true });
    if (!answer.ok) {
      this.host.ctx.toast(answer.message);
      return;
    }
    for (const id of /** @type {string[]} */ (answer.ids)) this.chosen.add(id);
    this.sync();
  }

  clear() {
    this.chosen.clear();
    this.sync();
  }

  /** The drawn checkboxes follow the choice. */
  sync() {
    for (const box of this.host.list.querySelectorAll("input[type=checkbox][data-id]")) {
      const input = /** @type {HTMLInputElement} */ (box);
      input.checked = this.chosen.has(input.dataset.id ?? "");
    }
    this.update();
  }

  update() {
    const n = this.chosen.size;
    const matched = this.host.answer?.matched ?? 0;
    this.count.textContent = n === 0 ? "Nobody chosen yet." : `${people(n)} chosen.`;
    this.allButton.textContent = `Choose all ${matched.toLocaleString()}`;
    this.allButton.hidden = matched === 0;
    this.clearButton.hidden = n === 0;
    for (const button of this.actions) button.disabled = n === 0;
  }

  /**
   * A dialog with a title, what it does, its fields, and a button that runs `act`; `act`
   * answers true when done (the dialog closes) or false (it stays, the error shown).
   * @param {string} title @param {string} lead @param {Node[]} fields @param {string} go
   * @param {(fail: (message: string, control?: HTMLElement) => void) => Promise<boolean>} act
   * @param {string} [goClass]
   * @param {string} [working] what the button says while it works ("Tagging 500 people…")
   */
  dialog(title, lead, fields, go, act, goClass = "primary", working = "Saving…") {
    const dialog = /** @type {HTMLDialogElement} */ (h("dialog", { class: "people-dialog", "aria-labelledby": "bulk-title" }));
    const error = h("p", { class: "error", role: "alert", hidden: true });
    const submit = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", class: `button ${goClass}` }, go));
    const form = h("form", { class: "people-merge-form form", novalidate: true },
      h("h2", { id: "bulk-title", text: title }),
      h("p", { class: "subtle", text: lead }),
      ...fields,
      error,
      h("div", { class: "card-actions" }, submit,
        h("button", { type: "button", class: "button", onclick: () => dialog.close() }, "Cancel")),
    );
    /** @param {string} message @param {HTMLElement} [control] */
    const fail = (message, control) => {
      error.textContent = message;
      error.hidden = false;
      if (control) {
        control.setAttribute("aria-invalid", "true");
        control.focus();
      }
    };
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.hidden = true;
      for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
      submit.disabled = true;
      const label = submit.textContent;
      submit.textContent = this.host.ctx.backend.ready ? working : "Waiting for the engine…";
      form.setAttribute("aria-busy", "true");
      const done = await act(fail);
      form.removeAttribute("aria-busy");
      submit.disabled = false;
      submit.textContent = label;
      if (done) dialog.close();
    });
    dialog.append(form);
    dialog.addEventListener("close", () => dialog.remove());
    this.host.section.append(dialog);
    dialog.showModal();
    /** @type {HTMLElement | null} */ (form.querySelector("input, select, button"))?.focus();
    return dialog;
  }

  /**
   * Run a bulk command; its error is shown in the dialog, naming the field.
   * @param {string} name @param {Record<string, unknown>} payload
   * @param {(message: string) => void} fail
   */
  async run(name, payload, fail) {
    const answer = await this.host.ctx.backend.command(name, payload);
    if (!answer.ok) {
      fail(this.explain(answer.message, answer.field));
      return false;
    }
    return true;
  }

  /** An error naming one of the chosen people says who. @param {string} message @param {string | null | undefined} field */
  explain(message, field) {
    const at = /^ids\[(\d+)\]$/.exec(String(field ?? ""));
    if (!at) return message;
    const id = [...this.chosen][Number(at[1])];
    const name = id ? this.host.names.get(id) : undefined;
    return name ? `${name}: ${message}` : message;
  }

  openTag() {
    const n = this.chosen.size;
    const tag = /** @type {HTMLInputElement} */ (h("input", { id: "bulk-tag", autocomplete: "off", list: "bulk-tags", "aria-describedby": "bulk-tag-hint" }));
    const known = h("datalist", { id: "bulk-tags" }, ...(this.host.answer?.tags ?? []).map((t) => h("option", { value: t.tag })));
    const add = /** @type {HTMLInputElement} */ (h("input", { type: "radio", name: "bulk-tag-how", id: "bulk-tag-add", value: "add", checked: true }));
    const remove = /** @type {HTMLInputElement} */ (h("input", { type: "radio", name: "bulk-tag-how", id: "bulk-tag-remove", value: "remove" }));
    this.dialog(`Tag ${people(n)}`, "Add a tag to everyone chosen, or take one away.", [
      h("div", { class: "field" }, h("label", { for: "bulk-tag" }, "Tag"), tag, known,
        h("p", { class: "hint", id: "bulk-tag-hint" }, "For example: media, recruiter, LinkedIn 2026.")),
      h("fieldset", { class: "field plain" }, h("legend", {}, "Add or remove"),
        h("div", { class: "switch-row" }, add, h("label", { for: "bulk-tag-add" }, "Add this tag")),
        h("div", { class: "switch-row" }, remove, h("label", { for: "bulk-tag-remove" }, "Remove this tag"))),
    ], "Save tags", async (fail) => {
      const text = tag.value.trim();
      if (!text) {
        fail("Tag: type the tag to add or remove.", tag);
        return false;
      }
      const how = remove.checked ? "remove" : "add";
      const ok = await this.run("tag_people", { ids: [...this.chosen], [how]: [text] }, (m) => fail(`Tag: ${m}`, tag));
      if (ok) this.host.ctx.toast(how === "add" ? `Tagged ${people(n)} “${text}”.` : `Took “${text}” off ${people(n)}.`);
      return ok;
    }, "primary", `Tagging ${people(n)}…`);
  }

  openMetAt() {
    const n = this.chosen.size;
    const events = this.host.answer?.events ?? [];
    const select = /** @type {HTMLSelectElement} */ (h("select", { id: "bulk-event" },
      h("option", { value: "" }, "Choose an event"),
      ...events.map((e) => h("option", { value: e.id }, e.label)),
      h("option", { value: "-" }, "No event (clear “met at”)")));
    this.dialog(`Where you met ${people(n)}`, events.length
      ? "Sets “met at” for everyone chosen. How you met, in your own words, stays as it is."
      : "No events saved yet: capture someone at an event first, then come back.", [
      h("div", { class: "field" }, h("label", { for: "bulk-event" }, "Met at"), select),
    ], "Save", async (fail) => {
      if (!select.value) {
        fail("Met at: choose an event.", select);
        return false;
      }
      const event = select.value === "-" ? null : select.value;
      const ok = await this.run("set_met_at", { ids: [...this.chosen], event_id: event }, (m) => fail(`Met at: ${m}`, select));
      if (ok) {
        const label = select.options[select.selectedIndex].text;
        this.host.ctx.toast(event ? `Saved: you met ${people(n)} at ${label}.` : `Cleared “met at” for ${people(n)}.`);
      }
      return ok;
    }, "primary", `Saving for ${people(n)}…`);
  }

  async openIntroducedBy() {
    const n = this.chosen.size;
    const everyone = await this.host.ctx.backend.send("capture_people", { query: "", order: "name", limit: 5000 });
    /** @type {{id: string, label: string}[]} */
    const options = everyone.ok ? everyone.people : [];
    const who = /** @type {HTMLInputElement} */ (h("input", { id: "bulk-introducer", autocomplete: "off", list: "bulk-introducers", autocapitalize: "words", "aria-describedby": "bulk-introducer-hint" }));
    this.dialog(`Who introduced you to ${people(n)}?`, "Records an introduction from them to each person chosen (those they already introduced are left as they are).", [
      h("div", { class: "field" }, h("label", { for: "bulk-introducer" }, "Introduced by"), who,
        h("datalist", { id: "bulk-introducers" }, ...options.map((p) => h("option", { value: p.label }))),
        h("p", { class: "hint", id: "bulk-introducer-hint" }, "Someone you saved: start typing their name.")),
    ], "Save introductions", async (fail) => {
      const typed = who.value.trim();
      if (!typed) {
        fail("Introduced by: type the name of someone you saved.", who);
        return false;
      }
      const found = await this.host.ctx.backend.send("capture_introducer", { text: typed });
      if (!found.ok) {
        fail(`Introduced by: ${found.error === "unknown-person" ? `nobody called “${typed}” is saved yet.` : found.message}`, who);
        return false;
      }
      const payload = { ids: [...this.chosen], introducer_id: found.person.id, id: crypto.randomUUID(), at: new Date().toISOString() };
      const ok = await this.run("set_introduced_by", payload, (m) => fail(`Introduced by: ${m}`, who));
      if (ok) this.host.ctx.toast(`Saved: ${found.person.name} introduced you to ${people(n)}.`);
      return ok;
    }, "primary", `Saving ${people(n)}…`);
  }

  async openDelete() {
    const n = this.chosen.size;
    const records = [...this.chosen].map((id) => ({ store: "people", id }));
    // What goes with them, in the engine's words (the trash's `delete_preview`), when it has one.
    const preview = await this.host.ctx.backend.send("delete_preview", { records });
    /** @type {string} */
    const words = preview.ok && typeof preview.words === "string"
      ? preview.words
      : `Their interactions and introductions go with them. Restore them from the Trash for 30 days.`;
    this.dialog(`Move ${people(n)} to the trash?`, words, [], `Move ${people(n)} to the trash`, async (fail) => {
      const answer = await this.host.ctx.backend.command("delete", { records });
      if (!answer.ok) {
        fail(answer.message);
        return false;
      }
      this.chosen.clear();
      this.sync();
      this.host.ctx.toast(`Moved ${people(n)} to the trash.`);
      return true;
    }, "danger", `Moving ${people(n)} to the trash…`);
  }
}
