// @ts-check
/**
 * People: everyone you know, searchable as you type, with tag chips, filters ("introduced by",
 * "met at", "I owe" / "owes me", nothing logged yet, added together), orders, merging two records
 * of the same person, and choosing many people to tag, place, link or trash at once
 * (people-bulk.js).
 *
 * The engine decides everything shown (op `people`: rows, search, filters, order, likely
 * duplicates; op `merge_preview`: what a merge makes, from the merge command itself). This
 * module draws the answers, a page at a time as the list scrolls, so 5,000 people never means
 * 5,000 nodes at once.
 */
import { h, relativeTime } from "../dom.js";
import { openMergeDialog } from "./people-merge.js";
import { BulkBar, people } from "./people-bulk.js";

/** @typedef {import("../types.js").PeopleAnswer} PeopleAnswer */
/** @typedef {import("../types.js").PeopleRow} PeopleRow */
/** @typedef {import("../types.js").PeopleFilters} PeopleFilters */
/** @typedef {import("../types.js").MergePreviewAnswer} MergePreviewAnswer */
/** @typedef {import("../types.js").PreviewPerson} PreviewPerson */
/** @typedef {import("../screen-types.js").ScreenContext} ScreenContext */

const PAGE = 60;
const SORTS = {
  attention: "Needs you first",
  name: "Name (A–Z)",
  recent: "Recently in touch",
  added: "Recently added",
};
/** The stores the list is made from: a change to one of them redraws it. */
const SHOWN = ["people", "introductions", "interactions", "events", "opportunities", "decisions", "meta"];

// person.js reads these from here.
export { initials, roleLine } from "./names.js";

/** A labelled field. @param {string} id @param {string} label @param {...Node} nodes */
function field(id, label, ...nodes) {
  return h("div", { class: "field" }, h("label", { for: id }, label), ...nodes);
}

/** The screen's choices, kept while the app is open so coming back from a person restores them. */
/** @type {PeopleFilters} */
const remembered = { query: "", tag: "", introducer: "", event: "", owing: "", sort: "attention", logged: "", added: "" };

/** @param {HTMLElement} root @param {ScreenContext} ctx */
export async function mount(root, ctx) {
  const screen = new PeopleScreen(root, ctx);
  await screen.start();
}

class PeopleScreen {
  /** @param {HTMLElement} root @param {ScreenContext} ctx */
  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    this.f = remembered;
    /** @type {PeopleAnswer | null} the last answer (its first page) */
    this.answer = null;
    /** @type {PeopleRow[]} rows drawn so far */
    this.shown = [];
    /** @type {Map<string, string>} names of the people seen, for the pick bar */
    this.names = new Map();
    this.asked = 0;
    this.merging = false;
    this.selecting = false;
    /** @type {string[]} */
    this.picked = [];
    /** @type {number | undefined} */
    this.frame = undefined;
    this.fetchingMore = false;
    this.onChanged = (/** @type {Event} */ event) => {
      if (!this.section.isConnected) {
        ctx.backend.removeEventListener("changed", this.onChanged);
        return;
      }
      const { stores } = /** @type {CustomEvent<{stores: string[]}>} */ (event).detail;
      if (stores.some((s) => SHOWN.includes(s))) this.load({ keepCount: true });
    };
    this.heading = h("h2", { id: "people-heading", tabindex: "-1", text: "People" });
    this.mergeButton = h("button", { type: "button", class: "button", onclick: () => this.toggleMerge() }, "Merge duplicates");
    this.selectButton = h("button", { type: "button", class: "button", "aria-pressed": "false", onclick: () => this.toggleSelect() }, "Choose many");
    this.search = /** @type {HTMLInputElement} */ (h("input", {
      id: "people-search", type: "search", autocomplete: "off", spellcheck: "false",
      enterkeyhint: "search", placeholder: "Name, organisation, tag or note",
      "aria-controls": "people-list",
      oninput: () => { this.f.query = this.search.value; this.schedule(); },
    }));
    this.search.value = this.f.query;
    this.tags = h("div", { class: "people-tags", role: "group", "aria-label": "Filter by tag", hidden: true });
    this.introducerSelect = this.select("people-introducer", "introducer");
    this.eventSelect = this.select("people-event", "event");
    this.owingSelect = this.select("people-owing", "owing",
      h("option", { value: "" }, "Everyone"),
      h("option", { value: "i-owe" }, "I owe them a follow-up"),
      h("option", { value: "owes-me" }, "They owe me a reply"));
    this.owingSelect.setAttribute("aria-describedby", "people-owing-hint");
    this.sortSelect = this.select("people-sort", "sort",
      ...Object.entries(SORTS).map(([value, label]) => h("option", { value }, label)));
    this.loggedSelect = this.select("people-logged", "logged",
      h("option", { value: "" }, "Anyone"),
      h("option", { value: "none" }, "Nothing logged yet"));
    this.addedSelect = this.select("people-added", "added");
    this.owingSelect.value = this.f.owing;
    this.sortSelect.value = this.f.sort;
    this.filterSummary = h("span", { class: "people-filter-count" });
    this.filters = h("details", { class: "people-filters" },
      h("summary", {}, h("span", {}, "Filters and order"), this.filterSummary),
      h("div", { class: "people-filter-grid" },
        field("people-introducer", "Introduced by", this.introducerSelect),
        field("people-event", "Met at", this.eventSelect),
        field("people-owing", "Follow-ups", this.owingSelect, h("p", { class: "hint", id: "people-owing-hint" },
          "“They owe me a reply”: the last thing between you is a message you sent.")),
        field("people-logged", "Logged with them", this.loggedSelect),
        field("people-added", "Added together (an import)", this.addedSelect),
        field("people-sort", "Order", this.sortSelect),
      ),
      h("button", { type: "button", class: "button", onclick: () => this.clearFilters() }, "Clear search and filters"),
    );
    if (this.activeFilters() > 0) this.filters.setAttribute("open", "");
    this.dupes = h("div", { class: "people-dupes" });
    this.mergeHelp = h("div", { class: "people-merge-help", hidden: true },
      h("p", {}, "Tick the two records that are the same person, then compare them. Nothing changes until you confirm."),
      this.dupes,
    );
    this.status = h("p", { class: "subtle people-status", role: "status", "aria-live": "polite" }, "Reading your people…");
    this.list = h("ul", { class: "people-list", id: "people-list", "aria-labelledby": "people-heading" });
    this.more = h("button", { type: "button", class: "button wide people-more", hidden: true, onclick: () => this.loadMore() }, "Show more people");
    this.empty = h("div", { class: "empty", hidden: true });
    this.pickText = h("p", { class: "people-pick-text", "aria-live": "polite" });
    this.compareButton = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "button primary", onclick: () => this.compare() }, "Compare"));
    this.pickedBar = h("div", { class: "people-pickbar", hidden: true }, this.pickText, this.compareButton);
    this.section = h("div", { class: "people-screen" },
      h("div", { class: "view-head people-head" }, this.heading,
        h("div", { class: "people-head-actions" }, this.selectButton, this.mergeButton)),
      h("div", { class: "field people-search" }, h("label", { for: "people-search" }, "Search people"), this.search),
      this.tags, this.filters, this.mergeHelp, this.status, this.list, this.more, this.empty, this.pickedBar,
    );
    this.bulk = new BulkBar(this);
    this.section.append(this.bulk.bar);
    this.root.replaceChildren(this.section);
    const observer = new IntersectionObserver((entries) => {
      if (!this.section.isConnected) observer.disconnect();
      else if (entries.some((e) => e.isIntersecting)) this.loadMore();
    }, { rootMargin: "800px 0px" });
    observer.observe(this.more);
  }

  async start() {
    this.heading.focus({ preventScroll: true });
    this.ctx.backend.addEventListener("changed", this.onChanged);
    await this.load();
  }

  /**
   * Ask the engine for the rows matching the current choices and draw them.
   * @param {{keepCount?: boolean}} [options] keep as many rows drawn as now
   */
  async load({ keepCount = false } = {}) {
    const ask = ++this.asked;
    const limit = keepCount ? Math.max(this.shown.length, PAGE) : PAGE;
    /** @type {PeopleAnswer | {ok: false, message: string}} */
    const answer = await this.ctx.backend.send("people", { ...this.f, offset: 0, limit, duplicates: this.merging });
    if (ask !== this.asked || !this.section.isConnected) return;
    if (!answer.ok) {
      this.status.textContent = answer.message;
      return;
    }
    this.answer = answer;
    // A filter naming someone or something gone is dropped by the engine; the query stays as typed.
    const { tag, introducer, event, added } = answer.filters;
    Object.assign(this.f, { tag, introducer, event, added });
    this.shown = [];
    this.list.replaceChildren();
    this.renderControls(answer);
    this.append(answer.rows);
    this.renderStatus(answer);
    if (this.merging) this.renderDupes(answer);
    this.bulk.update();
  }

  /** The next page, asked for as the list scrolls. */
  async loadMore() {
    const answer = this.answer;
    if (!answer || this.fetchingMore || this.shown.length >= answer.matched) return;
    this.fetchingMore = true;
    const ask = this.asked;
    /** @type {PeopleAnswer | {ok: false}} */
    const more = await this.ctx.backend.send("people", { ...this.f, offset: this.shown.length, limit: PAGE });
    this.fetchingMore = false;
    if (ask !== this.asked || !more.ok || !this.section.isConnected) return;
    this.append(more.rows);
  }

  /**
   * @param {string} id @param {"introducer" | "event" | "owing" | "sort" | "logged" | "added"} name @param {...Node} options
   * @returns {HTMLSelectElement}
   */
  select(id, name, ...options) {
    const select = /** @type {HTMLSelectElement} */ (h("select", { id, onchange: () => this.choose(name, select.value) }, ...options));
    return select;
  }

  activeFilters() {
    return [this.f.tag, this.f.introducer, this.f.event, this.f.owing, this.f.logged, this.f.added].filter(Boolean).length;
  }

  /** @param {"tag" | "introducer" | "event" | "owing" | "sort" | "logged" | "added"} name @param {string} value */
  choose(name, value) {
    this.f[name] = value;
    this.load();
  }

  clearFilters() {
    Object.assign(this.f, { query: "", tag: "", introducer: "", event: "", owing: "", logged: "", added: "" });
    this.search.value = "";
    this.load();
    this.search.focus();
  }

  /** Coalesce keystrokes into one question per frame. */
  schedule() {
    if (this.frame !== undefined) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      this.load();
    });
  }

  /** @param {PeopleAnswer} answer */
  renderControls(answer) {
    this.tags.hidden = answer.tags.length === 0;
    this.tags.replaceChildren(...answer.tags.map(({ tag, count }) => h("button", {
      type: "button",
      class: "people-chip",
      "aria-pressed": String(this.f.tag === tag),
      onclick: () => this.choose("tag", this.f.tag === tag ? "" : tag),
    }, tag, h("span", { class: "people-chip-count", "aria-hidden": "true" }, String(count)))));
    this.introducerSelect.replaceChildren(h("option", { value: "" }, "Anyone"),
      ...answer.introducers.map((p) => h("option", { value: p.id }, p.label)));
    this.eventSelect.replaceChildren(h("option", { value: "" }, "Any event"),
      ...answer.events.map((e) => h("option", { value: e.id }, e.label)));
    this.addedSelect.replaceChildren(h("option", { value: "" }, "Any time"),
      ...answer.added.map((b) => h("option", { value: b.at },
        `${new Date(b.at).toLocaleString([], { dateStyle: "medium", timeStyle: "short" })} · ${people(b.count)}`)));
    this.introducerSelect.value = this.f.introducer;
    this.eventSelect.value = this.f.event;
    this.loggedSelect.value = this.f.logged;
    this.addedSelect.value = this.f.added;
    this.owingSelect.value = this.f.owing;
    this.sortSelect.value = this.f.sort;
    const active = this.activeFilters();
    this.filterSummary.textContent = active === 0 ? "" : active === 1 ? "1 filter on" : `${active} filters on`;
  }

  /** @param {PeopleAnswer} answer */
  renderStatus(answer) {
    const { total, matched } = answer;
    const filtered = Boolean(this.f.query.trim() || this.activeFilters());
    this.status.textContent = total === 0
      ? ""
      : !filtered ? (total === 1 ? "1 person" : `${total.toLocaleString()} people`)
        : matched === 0 ? "No matches." : `${matched.toLocaleString()} of ${total.toLocaleString()} match.`;
    this.empty.hidden = matched > 0;
    if (matched > 0) return;
    if (total === 0) {
      this.empty.replaceChildren(
        h("h3", {}, "No one here yet."),
        h("p", {}, "Everyone you capture lands here: who they are, who introduced you, and what you owe them."),
        h("a", { class: "button primary", href: "#capture" }, "Capture a person"),
      );
      return;
    }
    const query = this.f.query.trim();
    this.empty.replaceChildren(
      h("h3", {}, query ? `Nobody matches “${query}”.` : "Nobody matches these filters."),
      h("p", {}, "Try fewer letters, another spelling, or clear the filters."),
      h("button", { type: "button", class: "button", onclick: () => this.clearFilters() }, "Clear search and filters"),
    );
  }

  /** Draw more rows under those already drawn. @param {PeopleRow[]} rows */
  append(rows) {
    const fragment = document.createDocumentFragment();
    const now = new Date();
    for (const row of rows) {
      this.names.set(row.id, row.name);
      fragment.append(this.row(row, now));
    }
    this.list.append(fragment);
    this.shown.push(...rows);
    const left = (this.answer?.matched ?? 0) - this.shown.length;
    this.more.hidden = left <= 0;
    this.more.textContent = `Show ${Math.min(left, PAGE)} more of ${left.toLocaleString()}`;
  }

  /** @param {PeopleRow} r @param {Date} now */
  row(r, now) {
    const flags = [
      r.owe > 0 ? h("span", { class: "badge people-owe" }, r.owe === 1 ? "You owe 1" : `You owe ${r.owe}`) : null,
      r.waiting_since ? h("span", { class: "badge" }, `Awaiting reply · ${relativeTime(r.waiting_since, now)}`) : null,
    ];
    const body = [
      h("span", { class: "people-avatar", "aria-hidden": "true" }, r.initials),
      h("span", { class: "people-main" },
        h("span", { class: "people-name", text: r.name }),
        r.line ? h("span", { class: "subtle people-line", text: r.line }) : null,
        r.tags.length ? h("span", { class: "people-row-tags", text: r.tags.join(" · ") }) : null,
        flags.some(Boolean) ? h("span", { class: "people-flags" }, ...flags) : null,
        r.match ? h("span", { class: "subtle people-match" }, h("span", { class: "people-match-label", text: `${r.match.label}: ` }), h("span", { text: r.match.text })) : null,
      ),
    ];
    if (this.selecting) {
      const id = `choose-${r.id}`;
      return h("li", {},
        h("label", { class: "people-row people-pick", for: id },
          h("input", {
            type: "checkbox", id, "data-id": r.id, checked: this.bulk.chosen.has(r.id),
            onchange: (/** @type {Event} */ e) => this.bulk.toggle(r.id, /** @type {HTMLInputElement} */ (e.target).checked),
          }),
          ...body,
        ),
      );
    }
    if (!this.merging) {
      return h("li", {}, h("a", { class: "people-row", href: `#person/${encodeURIComponent(r.id)}` }, ...body));
    }
    const id = `pick-${r.id}`;
    const picked = this.picked.includes(r.id);
    return h("li", {},
      h("label", { class: "people-row people-pick", for: id },
        h("input", {
          type: "checkbox", id, checked: picked, disabled: !picked && this.picked.length >= 2,
          onchange: (/** @type {Event} */ e) => this.pick(r.id, /** @type {HTMLInputElement} */ (e.target).checked),
        }),
        ...body,
      ),
    );
  }

  /** Choosing many people for a bulk action, or back to the list of links. */
  toggleSelect() {
    if (this.merging) this.toggleMerge();
    this.selecting = !this.selecting;
    this.selectButton.setAttribute("aria-pressed", String(this.selecting));
    this.selectButton.textContent = this.selecting ? "Done choosing" : "Choose many";
    this.section.classList.toggle("selecting", this.selecting);
    this.bulk.show(this.selecting);
    this.redraw();
  }

  /** Draw the rows already fetched again (links or checkboxes), without asking the engine. */
  redraw() {
    const rows = this.shown;
    this.shown = [];
    this.list.replaceChildren();
    this.append(rows);
  }

  toggleMerge() {
    if (this.selecting) this.toggleSelect();
    this.merging = !this.merging;
    this.picked = [];
    this.mergeButton.textContent = this.merging ? "Done merging" : "Merge duplicates";
    this.mergeHelp.hidden = !this.merging;
    this.section.classList.toggle("merging", this.merging);
    this.updatePickBar();
    if (!this.merging) this.dupes.replaceChildren();
    this.load({ keepCount: true });
  }

  /** @param {PeopleAnswer} answer */
  renderDupes(answer) {
    const pairs = answer.duplicates ?? [];
    for (const { a, b } of pairs) { this.names.set(a.id, a.name); this.names.set(b.id, b.name); }
    this.dupes.replaceChildren(...(pairs.length === 0 ? [] : [
      h("h3", { class: "list-heading" }, "These look like the same person"),
      h("ul", { class: "plain-list" }, ...pairs.map(({ a, b, why }) => h("li", { class: "people-dupe" },
        h("span", {}, h("span", { class: "people-name", text: a.name }), " and ",
          h("span", { class: "people-name", text: b.name }), h("span", { class: "subtle", text: ` (${why})` })),
        h("button", {
          type: "button", class: "button", "aria-label": `Compare ${a.name} and ${b.name}`,
          onclick: () => { this.picked = [a.id, b.id]; this.load({ keepCount: true }); this.updatePickBar(); this.compare(); },
        }, "Compare"),
      ))),
    ]));
  }

  /** @param {string} id @param {boolean} on */
  pick(id, on) {
    this.picked = on ? [...this.picked.filter((x) => x !== id), id].slice(-2) : this.picked.filter((x) => x !== id);
    for (const box of this.list.querySelectorAll("input[type=checkbox]")) {
      const input = /** @type {HTMLInputElement} */ (box);
      input.disabled = !input.checked && this.picked.length >= 2;
    }
    this.updatePickBar();
  }

  updatePickBar() {
    this.pickedBar.hidden = !this.merging;
    const names = this.picked.map((id) => this.names.get(id) ?? "");
    this.pickText.textContent = this.picked.length === 0
      ? "Choose two records."
      : this.picked.length === 1 ? `${names[0]} chosen. Choose one more.` : `${names[0]} and ${names[1]} chosen.`;
    this.compareButton.disabled = this.picked.length !== 2;
  }

  /** Side by side: what each record holds, which one keeps its name, and the engine's result. */
  async compare() {
    if (this.picked.length !== 2) return;
    const [first, second] = this.picked;
    /** @type {MergePreviewAnswer | {ok: false, message: string}} */
    const preview = await this.ctx.backend.send("merge_preview", { keep_id: first, drop_id: second });
    if (!preview.ok) {
      this.ctx.toast(preview.message);
      return;
    }
    openMergeDialog(this.section, this.ctx, preview, async (name) => {
      this.ctx.toast(`Merged: one record for ${name} now.`);
      this.picked = [];
      if (this.merging) this.toggleMerge();
      else await this.load();
      this.heading.focus();
    });
  }
}
