// @ts-check
/**
 * People: everyone you know, searchable as you type (name, organisation, role, tag, notes, with
 * case and accents ignored), with tag chips, filters ("introduced by", "met at", "I owe" /
 * "owes me"), and merging two records of the same person.
 *
 * Everything is read straight from IndexedDB, so the list works before the engine is ready;
 * only "I owe" (open follow-ups) and merging need the engine. Rows are rendered in pages as the
 * list scrolls, so 5,000 people never means 5,000 nodes at once.
 *
 * "I owe them": the engine has an open follow-up for them (Today's list, up to its horizon).
 * "They owe me": you are waiting for their reply, i.e. the last exchange with them is a message
 * you sent (a reach-out or note, kind `message_sent`) and nothing came back since (no message
 * received, call, meeting, coffee or interview after it).
 */
import { h, localDate, relativeTime } from "../dom.js";
import * as store from "../store.js";

const PAGE = 60;
const SORTS = {
  attention: "Needs you first",
  name: "Name (A–Z)",
  recent: "Recently in touch",
  added: "Recently added",
};

/** Lower case, accents removed: "Zoë Ångström" → "zoe angstrom". @param {string} text */
export function normalise(text) {
  return String(text ?? "").normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/** Up to two initials, for the round badge before a name. @param {string} name */
export function initials(name) {
  const words = String(name).trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return letters.map((w) => Array.from(w)[0] ?? "").join("").toUpperCase() || "?";
}

/** "Role at Organisation", or whichever is known. @param {any} person */
export function roleLine(person) {
  if (person.role && person.organisation) return `${person.role} at ${person.organisation}`;
  return person.role || person.organisation || "";
}

/**
 * One person's row data: what search matches, what filters test, what sorting uses.
 * @typedef {{p: any, text: string, nameKey: string, introducers: Set<string>, touched: string,
 *   waitingSince: string | null, owe: number, emails: string[], phones: string[]}} Row
 */

/**
 * Everything the list needs, derived once from the stores.
 * @param {{people: any[], introductions: any[], interactions: any[], events: any[]}} data
 * @returns {Row[]}
 */
export function buildRows({ people, introductions, interactions }) {
  /** @type {Map<string, Set<string>>} */
  const introducers = new Map();
  for (const intro of introductions) {
    if (!introducers.has(intro.introduced_id)) introducers.set(intro.introduced_id, new Set());
    introducers.get(intro.introduced_id)?.add(intro.introducer_id);
  }
  /** Latest exchange per person, and the latest one that came back from them. */
  /** @type {Map<string, {at: string, kind: string}>} */
  const last = new Map();
  for (const it of interactions) {
    if (it.kind === "note") continue;
    for (const pid of it.person_ids ?? []) {
      const seen = last.get(pid);
      if (!seen || it.at > seen.at) last.set(pid, { at: it.at, kind: it.kind });
    }
  }
  return people.map((p) => {
    const touch = last.get(p.id);
    return {
      p,
      text: normalise([
        p.name, p.organisation, p.role, (p.tags ?? []).join(" "), p.notes, p.how_met,
        (p.emails ?? []).join(" "),
      ].join("\n")),
      nameKey: normalise(p.name),
      introducers: introducers.get(p.id) ?? new Set(),
      touched: touch?.at ?? p.created_at ?? "",
      waitingSince: touch && touch.kind === "message_sent" ? touch.at : null,
      owe: 0,
      emails: (p.emails ?? []).map((/** @type {string} */ e) => e.trim().toLowerCase()),
      phones: (p.phones ?? []).map((/** @type {string} */ t) => t.replace(/[^\d+]/g, "")).filter((/** @type {string} */ t) => t.length >= 6),
    };
  });
}

/**
 * The rows matching a query and filters, sorted.
 * @param {Row[]} rows
 * @param {{query: string, tag: string, introducer: string, event: string, owing: string, sort: string}} f
 * @param {Intl.Collator} collator
 */
export function select(rows, f, collator) {
  const terms = normalise(f.query).split(/\s+/).filter(Boolean);
  const out = rows.filter((r) =>
    terms.every((t) => r.text.includes(t))
    && (!f.tag || (r.p.tags ?? []).includes(f.tag))
    && (!f.introducer || r.introducers.has(f.introducer))
    && (!f.event || r.p.event_id === f.event)
    && (f.owing !== "i-owe" || r.owe > 0)
    && (f.owing !== "owes-me" || r.waitingSince !== null));
  const byName = (/** @type {Row} */ a, /** @type {Row} */ b) => collator.compare(a.nameKey, b.nameKey);
  const newer = (/** @type {string} */ a, /** @type {string} */ b) => (a < b ? 1 : a > b ? -1 : 0);
  /** @type {Record<string, (a: Row, b: Row) => number>} */
  const orders = {
    name: byName,
    recent: (a, b) => newer(a.touched, b.touched) || byName(a, b),
    added: (a, b) => newer(a.p.created_at ?? "", b.p.created_at ?? "") || byName(a, b),
    attention: (a, b) =>
      Number(b.owe > 0) - Number(a.owe > 0)
      || Number(b.waitingSince !== null) - Number(a.waitingSince !== null)
      || newer(a.touched, b.touched) || byName(a, b),
  };
  return out.sort(orders[f.sort] ?? byName);
}

/**
 * Pairs that look like one person twice: the same name (case and accents ignored), or a shared
 * email address or phone number.
 * @param {Row[]} rows
 * @returns {Array<[Row, Row, string]>}
 */
export function likelyDuplicates(rows, limit = 12) {
  /** @type {Array<[Row, Row, string]>} */
  const pairs = [];
  const seen = new Set();
  /** @param {Map<string, Row[]>} groups @param {string} why */
  const collect = (groups, why) => {
    for (const group of groups.values()) {
      for (let i = 1; i < group.length && pairs.length < limit; i++) {
        const [a, b] = [group[0], group[i]];
        const key = [a.p.id, b.p.id].sort().join("|");
        if (seen.has(key)) continue;
        seen.add(key);
        pairs.push([a, b, why]);
      }
    }
  };
  /** @param {(r: Row) => string[]} keysOf */
  const group = (keysOf) => {
    /** @type {Map<string, Row[]>} */
    const groups = new Map();
    for (const row of rows) {
      for (const key of new Set(keysOf(row))) {
        if (!key) continue;
        const list = groups.get(key);
        if (list) list.push(row);
        else groups.set(key, [row]);
      }
    }
    return groups;
  };
  collect(group((r) => r.emails), "same email");
  collect(group((r) => r.phones), "same phone");
  collect(group((r) => [r.nameKey.replace(/\s+/g, " ").trim()]), "same name");
  return pairs;
}

/**
 * What merge_people makes of two records (mirrors followup/merge.py): `keep` wins where both
 * have a value; lists are united; notes are joined.
 * @param {any} keep @param {any} drop
 */
export function mergedPreview(keep, drop) {
  const union = (/** @type {string[]} */ a, /** @type {string[]} */ b) => [...new Set([...(a ?? []), ...(b ?? [])])];
  const notes = [...new Set([(keep.notes ?? "").trim(), (drop.notes ?? "").trim()])].filter(Boolean).join("\n");
  return {
    ...keep,
    organisation: keep.organisation || drop.organisation,
    role: keep.role || drop.role,
    emails: union(keep.emails, drop.emails),
    phones: union(keep.phones, drop.phones),
    urls: union(keep.urls, drop.urls),
    tags: union(keep.tags, drop.tags),
    notes,
    how_met: keep.how_met || drop.how_met,
    event_id: keep.event_id || drop.event_id,
  };
}

/** The screen's choices, kept while the app is open so coming back from a person restores them. */
const remembered = { query: "", tag: "", introducer: "", event: "", owing: "", sort: "attention" };

/**
 * @param {HTMLElement} root
 * @param {any} ctx
 */
export async function mount(root, ctx) {
  const screen = new PeopleScreen(root, ctx);
  await screen.start();
}

class PeopleScreen {
  /** @param {HTMLElement} root @param {any} ctx */
  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    this.f = remembered;
    this.collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });
    /** @type {Row[]} */
    this.rows = [];
    /** @type {Row[]} */
    this.shown = [];
    this.rendered = 0;
    /** @type {Map<string, any>} */
    this.people = new Map();
    /** @type {any[]} */
    this.events = [];
    /** @type {any[]} */
    this.introductions = [];
    /** @type {any[]} */
    this.interactions = [];
    this.owedKnown = false;
    this.merging = false;
    /** @type {string[]} */
    this.picked = [];
    /** @type {number | undefined} */
    this.frame = undefined;
  }

  async start() {
    this.build();
    this.heading.focus({ preventScroll: true });
    await this.load();
    this.loadOwed();
  }

  async load() {
    const [people, introductions, interactions, events] = await Promise.all([
      store.getAll("people"), store.getAll("introductions"), store.getAll("interactions"), store.getAll("events"),
    ]);
    if (!this.section.isConnected) return;
    this.people = new Map(people.map((p) => [p.id, p]));
    this.introductions = introductions;
    this.interactions = interactions;
    this.events = events;
    const owe = new Map(this.rows.map((r) => [r.p.id, r.owe]));
    this.rows = buildRows({ people, introductions, interactions, events });
    for (const row of this.rows) row.owe = owe.get(row.p.id) ?? 0;
    this.renderControls();
    this.apply();
  }

  /** Open follow-ups per person, from the engine (queued until it is ready). */
  async loadOwed() {
    const now = new Date();
    const response = await this.ctx.engine.call({ op: "today", now: now.toISOString(), today: localDate(now) });
    if (!this.section.isConnected || !response.ok) return;
    /** @type {Map<string, number>} */
    const owe = new Map();
    for (const f of response.followups) {
      for (const pid of f.person_ids) owe.set(pid, (owe.get(pid) ?? 0) + 1);
    }
    for (const row of this.rows) row.owe = owe.get(row.p.id) ?? 0;
    this.owedKnown = true;
    this.owingHint.hidden = true;
    this.apply({ keepCount: true });
  }

  build() {
    this.heading = h("h2", { id: "people-heading", tabindex: "-1", text: "People" });
    this.mergeButton = h("button", {
      type: "button", class: "button", onclick: () => this.toggleMerge(),
    }, "Merge duplicates");
    this.search = /** @type {HTMLInputElement} */ (h("input", {
      id: "people-search", type: "search", autocomplete: "off", spellcheck: "false",
      enterkeyhint: "search", placeholder: "Name, organisation, tag or note",
      "aria-controls": "people-list",
      oninput: () => { this.f.query = this.search.value; this.schedule(); },
    }));
    this.search.value = this.f.query;
    this.tags = h("div", { class: "people-tags", role: "group", "aria-label": "Filter by tag" });
    this.introducerSelect = /** @type {HTMLSelectElement} */ (h("select", { id: "people-introducer", onchange: () => this.choose("introducer", this.introducerSelect.value) }));
    this.eventSelect = /** @type {HTMLSelectElement} */ (h("select", { id: "people-event", onchange: () => this.choose("event", this.eventSelect.value) }));
    this.owingSelect = /** @type {HTMLSelectElement} */ (h("select", {
      id: "people-owing", "aria-describedby": "people-owing-hint", onchange: () => this.choose("owing", this.owingSelect.value),
    },
    h("option", { value: "" }, "Everyone"),
    h("option", { value: "i-owe" }, "I owe them a follow-up"),
    h("option", { value: "owes-me" }, "They owe me a reply"),
    ));
    this.owingSelect.value = this.f.owing;
    this.owingHint = h("p", { class: "hint", id: "people-owing-hint" },
      "“They owe me a reply”: the last thing between you is a message you sent. “I owe them” appears once the follow-up engine is ready.");
    this.sortSelect = /** @type {HTMLSelectElement} */ (h("select", { id: "people-sort", onchange: () => this.choose("sort", this.sortSelect.value) },
      ...Object.entries(SORTS).map(([value, label]) => h("option", { value }, label))));
    this.sortSelect.value = this.f.sort;
    this.filterSummary = h("span", { class: "people-filter-count" });
    this.filters = h("details", { class: "people-filters" },
      h("summary", {}, h("span", {}, "Filters and order"), this.filterSummary),
      h("div", { class: "people-filter-grid" },
        h("div", { class: "field" }, h("label", { for: "people-introducer" }, "Introduced by"), this.introducerSelect),
        h("div", { class: "field" }, h("label", { for: "people-event" }, "Met at"), this.eventSelect),
        h("div", { class: "field" }, h("label", { for: "people-owing" }, "Follow-ups"), this.owingSelect, this.owingHint),
        h("div", { class: "field" }, h("label", { for: "people-sort" }, "Order"), this.sortSelect),
      ),
      h("button", { type: "button", class: "button", onclick: () => this.clearFilters() }, "Clear search and filters"),
    );
    if (this.activeFilters() > 0) this.filters.setAttribute("open", "");
    this.mergeHelp = h("div", { class: "people-merge-help", hidden: true },
      h("p", {}, "Tick the two records that are the same person, then compare them. Nothing changes until you confirm."),
      h("div", { class: "people-dupes" }),
    );
    this.status = h("p", { class: "subtle people-status", role: "status", "aria-live": "polite" }, "Reading your people…");
    this.list = h("ul", { class: "people-list", id: "people-list", "aria-labelledby": "people-heading" });
    this.more = h("button", { type: "button", class: "button wide people-more", hidden: true, onclick: () => this.renderMore() }, "Show more people");
    this.empty = h("div", { class: "empty", hidden: true });
    this.pickedBar = h("div", { class: "people-pickbar", hidden: true },
      h("p", { class: "people-pick-text", "aria-live": "polite" }),
      h("button", { type: "button", class: "button primary", onclick: () => this.compare() }, "Compare"),
    );
    this.section = h("div", { class: "people-screen" },
      h("div", { class: "view-head people-head" }, this.heading, this.mergeButton),
      h("div", { class: "field people-search" },
        h("label", { for: "people-search" }, "Search people"),
        this.search,
      ),
      this.tags,
      this.filters,
      this.mergeHelp,
      this.status,
      this.list,
      this.more,
      this.empty,
      this.pickedBar,
    );
    this.root.replaceChildren(this.section);
    const observer = new IntersectionObserver((entries) => {
      if (!this.section.isConnected) observer.disconnect();
      else if (entries.some((e) => e.isIntersecting)) this.renderMore();
    }, { rootMargin: "800px 0px" });
    observer.observe(this.more);
  }

  activeFilters() {
    return [this.f.tag, this.f.introducer, this.f.event, this.f.owing].filter(Boolean).length;
  }

  /** @param {"tag" | "introducer" | "event" | "owing" | "sort"} name @param {string} value */
  choose(name, value) {
    this.f[name] = value;
    if (name === "tag") this.renderTags();
    this.apply();
  }

  clearFilters() {
    Object.assign(this.f, { query: "", tag: "", introducer: "", event: "", owing: "" });
    this.search.value = "";
    this.renderControls();
    this.apply();
    this.search.focus();
  }

  /** Coalesce keystrokes into one filtering per frame. */
  schedule() {
    if (this.frame !== undefined) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      this.apply();
    });
  }

  renderControls() {
    this.renderTags();
    const byName = (/** @type {any} */ a, /** @type {any} */ b) => this.collator.compare(a.name, b.name);
    const introducerIds = new Set(this.introductions.map((i) => i.introducer_id));
    const introducers = [...introducerIds].map((id) => this.people.get(id)).filter(Boolean).sort(byName);
    this.introducerSelect.replaceChildren(
      h("option", { value: "" }, "Anyone"),
      ...introducers.map((p) => h("option", { value: p.id }, p.organisation ? `${p.name} (${p.organisation})` : p.name)),
    );
    this.introducerSelect.value = this.people.has(this.f.introducer) ? this.f.introducer : "";
    this.f.introducer = this.introducerSelect.value;
    const events = [...this.events].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
    this.eventSelect.replaceChildren(
      h("option", { value: "" }, "Any event"),
      ...events.map((e) => h("option", { value: e.id }, e.date ? `${e.name} (${e.date})` : e.name)),
    );
    this.eventSelect.value = events.some((e) => e.id === this.f.event) ? this.f.event : "";
    this.f.event = this.eventSelect.value;
    this.owingSelect.value = this.f.owing;
    this.sortSelect.value = this.f.sort;
  }

  renderTags() {
    /** @type {Map<string, number>} */
    const counts = new Map();
    for (const row of this.rows) for (const tag of row.p.tags ?? []) counts.set(tag, (counts.get(tag) ?? 0) + 1);
    const tags = [...counts.keys()].sort((a, b) => this.collator.compare(a, b));
    if (this.f.tag && !counts.has(this.f.tag)) this.f.tag = "";
    this.tags.hidden = tags.length === 0;
    this.tags.replaceChildren(...tags.map((tag) => h("button", {
      type: "button",
      class: "people-chip",
      "aria-pressed": String(this.f.tag === tag),
      onclick: () => this.choose("tag", this.f.tag === tag ? "" : tag),
    }, tag, h("span", { class: "people-chip-count", "aria-hidden": "true" }, String(counts.get(tag))))));
  }

  /** Filter, sort and render the first page (or as many rows as were shown). */
  apply({ keepCount = false } = {}) {
    const wanted = keepCount ? Math.max(this.rendered, PAGE) : PAGE;
    this.shown = select(this.rows, this.f, this.collator);
    this.list.replaceChildren();
    this.rendered = 0;
    this.renderMore(wanted);
    const total = this.rows.length;
    const active = this.activeFilters();
    this.filterSummary.textContent = active === 0 ? "" : active === 1 ? "1 filter on" : `${active} filters on`;
    const filtered = this.f.query.trim() || active;
    this.status.textContent = total === 0
      ? ""
      : !filtered ? (total === 1 ? "1 person" : `${total.toLocaleString()} people`)
        : this.shown.length === 0 ? "No matches." : `${this.shown.length.toLocaleString()} of ${total.toLocaleString()} match.`;
    this.renderEmpty(Boolean(filtered));
    if (this.merging) this.renderDupes();
  }

  /** @param {boolean} filtered */
  renderEmpty(filtered) {
    this.empty.hidden = this.shown.length > 0;
    if (this.shown.length > 0) return;
    if (this.rows.length === 0) {
      this.empty.replaceChildren(
        h("h3", {}, "No one here yet."),
        h("p", {}, "Everyone you capture lands here: who they are, who introduced you, and what you owe them."),
        h("a", { class: "button primary", href: "#capture" }, "Capture a person"),
      );
      return;
    }
    const query = this.f.query.trim();
    const wait = this.f.owing === "i-owe" && !this.owedKnown;
    this.empty.replaceChildren(
      h("h3", {}, query ? `Nobody matches “${query}”.` : "Nobody matches these filters."),
      h("p", {}, wait
        ? "The follow-up engine is still starting; people you owe something appear in a moment."
        : filtered ? "Try fewer letters, another spelling, or clear the filters." : ""),
      h("button", { type: "button", class: "button", onclick: () => this.clearFilters() }, "Clear search and filters"),
    );
  }

  renderMore(count = PAGE) {
    const end = Math.min(this.shown.length, this.rendered + count);
    const fragment = document.createDocumentFragment();
    const now = new Date();
    for (let i = this.rendered; i < end; i++) fragment.append(this.row(this.shown[i], now));
    this.list.append(fragment);
    this.rendered = end;
    const left = this.shown.length - this.rendered;
    this.more.hidden = left <= 0;
    this.more.textContent = `Show ${Math.min(left, PAGE)} more of ${left.toLocaleString()}`;
  }

  /** @param {Row} r @param {Date} now */
  row(r, now) {
    const p = r.p;
    const line = roleLine(p);
    const flags = [
      r.owe > 0 ? h("span", { class: "badge people-owe" }, r.owe === 1 ? "You owe 1" : `You owe ${r.owe}`) : null,
      r.waitingSince ? h("span", { class: "badge" }, `Awaiting reply · ${relativeTime(r.waitingSince, now)}`) : null,
    ];
    const body = [
      h("span", { class: "people-avatar", "aria-hidden": "true" }, initials(p.name)),
      h("span", { class: "people-main" },
        h("span", { class: "people-name", text: p.name }),
        line ? h("span", { class: "subtle people-line", text: line }) : null,
        (p.tags ?? []).length ? h("span", { class: "people-row-tags", text: p.tags.join(" · ") }) : null,
        flags.some(Boolean) ? h("span", { class: "people-flags" }, ...flags) : null,
      ),
    ];
    if (!this.merging) {
      return h("li", {}, h("a", { class: "people-row", href: `#person/${encodeURIComponent(p.id)}` }, ...body));
    }
    const id = `pick-${p.id}`;
    const picked = this.picked.includes(p.id);
    return h("li", {},
      h("label", { class: "people-row people-pick", for: id },
        h("input", {
          type: "checkbox", id, checked: picked, disabled: !picked && this.picked.length >= 2,
          onchange: (/** @type {Event} */ e) => this.pick(p.id, /** @type {HTMLInputElement} */ (e.target).checked),
        }),
        ...body,
      ),
    );
  }

  toggleMerge() {
    this.merging = !this.merging;
    this.picked = [];
    this.mergeButton.textContent = this.merging ? "Done merging" : "Merge duplicates";
    this.mergeHelp.hidden = !this.merging;
    this.section.classList.toggle("merging", this.merging);
    this.updatePickBar();
    this.apply({ keepCount: true });
  }

  renderDupes() {
    const box = /** @type {HTMLElement} */ (this.mergeHelp.querySelector(".people-dupes"));
    const pairs = likelyDuplicates(this.rows);
    box.replaceChildren(...(pairs.length === 0 ? [] : [
      h("h3", { class: "list-heading" }, "These look like the same person"),
      h("ul", { class: "plain-list" }, ...pairs.map(([a, b, why]) => h("li", { class: "people-dupe" },
        h("span", {}, h("span", { class: "people-name", text: a.p.name }), " and ",
          h("span", { class: "people-name", text: b.p.name }), h("span", { class: "subtle", text: ` (${why})` })),
        h("button", {
          type: "button", class: "button", "aria-label": `Compare ${a.p.name} and ${b.p.name}`,
          onclick: () => { this.picked = [a.p.id, b.p.id]; this.apply({ keepCount: true }); this.updatePickBar(); this.compare(); },
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
    const text = /** @type {HTMLElement} */ (this.pickedBar.querySelector(".people-pick-text"));
    const names = this.picked.map((id) => this.people.get(id)?.name ?? "");
    text.textContent = this.picked.length === 0
      ? "Choose two records."
      : this.picked.length === 1 ? `${names[0]} chosen. Choose one more.` : `${names[0]} and ${names[1]} chosen.`;
    const button = /** @type {HTMLButtonElement} */ (this.pickedBar.querySelector("button"));
    button.disabled = this.picked.length !== 2;
  }

  /** Side by side: what each record holds, which one keeps its name, and the result. */
  compare() {
    if (this.picked.length !== 2) return;
    const [a, b] = this.picked.map((id) => this.people.get(id));
    if (!a || !b) return;
    const links = (/** @type {any} */ p) => ({
      intros: this.introductions.filter((i) => i.introducer_id === p.id || i.introduced_id === p.id).length,
      interactions: this.interactions.filter((i) => (i.person_ids ?? []).includes(p.id)).length,
    });
    const eventName = (/** @type {string | null} */ id) => this.events.find((e) => e.id === id)?.name ?? "";
    /** @type {Array<[string, (p: any) => string]>} */
    const fields = [
      ["Organisation", (p) => p.organisation],
      ["Role", (p) => p.role],
      ["Email", (p) => (p.emails ?? []).join("\n")],
      ["Phone", (p) => (p.phones ?? []).join("\n")],
      ["Links", (p) => (p.urls ?? []).join("\n")],
      ["Tags", (p) => (p.tags ?? []).join(", ")],
      ["How you met", (p) => [p.how_met, eventName(p.event_id)].filter(Boolean).join(" · ")],
      ["Notes", (p) => p.notes],
    ];
    const dialog = /** @type {HTMLDialogElement} */ (h("dialog", { class: "people-dialog", "aria-labelledby": "merge-title" }));
    const result = h("dl", { class: "people-result" });
    const kept = h("p", { class: "subtle people-kept" });
    let keep = a.id;
    const showResult = () => {
      const [k, d] = keep === a.id ? [a, b] : [b, a];
      const merged = mergedPreview(k, d);
      result.replaceChildren(h("dt", {}, "Name"), h("dd", { text: merged.name }), ...fields.flatMap(([label, get]) => {
        const value = get(merged);
        return value ? [h("dt", {}, label), h("dd", { text: value })] : [];
      }));
      const la = links(a), lb = links(b);
      kept.textContent = `Kept with it: ${la.intros + lb.intros} introductions, ${la.interactions + lb.interactions} interactions, and every follow-up.`;
      confirm.textContent = `Merge into ${merged.name}`;
    };
    const radio = (/** @type {any} */ p, /** @type {number} */ n) => h("label", { class: "people-keep" },
      h("input", { type: "radio", name: "merge-keep", value: p.id, checked: n === 0, onchange: () => { keep = p.id; showResult(); } }),
      h("span", {}, "Keep ", h("strong", { text: p.name }), h("span", { class: "subtle" }, n === 0 ? " (first chosen)" : " (second chosen)")));
    const confirm = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", class: "button primary", value: "merge" }, "Merge"));
    const cancel = h("button", { type: "button", class: "button", onclick: () => dialog.close() }, "Cancel");
    const table = h("table", { class: "people-compare" },
      h("caption", { class: "subtle" }, "The two records, side by side"),
      h("thead", {}, h("tr", {}, h("td", {}), h("th", { scope: "col", text: a.name }), h("th", { scope: "col", text: b.name }))),
      h("tbody", {}, ...fields.map(([label, get]) => h("tr", {},
        h("th", { scope: "row" }, label),
        h("td", { text: get(a) || "—" }),
        h("td", { text: get(b) || "—" }),
      ))),
    );
    const form = h("form", { method: "dialog", class: "people-merge-form" },
      h("h2", { id: "merge-title" }, "Merge two records"),
      h("div", { class: "people-compare-wrap" }, table),
      h("fieldset", { class: "field" },
        h("legend", {}, "Which name and details win where both have one?"),
        radio(a, 0), radio(b, 1),
      ),
      h("h3", {}, "After merging"),
      result,
      kept,
      h("div", { class: "card-actions" }, confirm, cancel),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const drop = keep === a.id ? b.id : a.id;
      confirm.disabled = true;
      cancel.setAttribute("disabled", "");
      confirm.textContent = this.ctx.engine.ready ? "Merging…" : "Waiting for the engine…";
      const done = await this.ctx.command("merge_people", { keep_id: keep, drop_id: drop });
      if (!done) {
        confirm.disabled = false;
        cancel.removeAttribute("disabled");
        showResult();
        return;
      }
      const name = this.people.get(keep)?.name ?? "";
      dialog.close();
      this.ctx.toast(`Merged: one record for ${name} now.`);
      this.picked = [];
      if (this.merging) this.toggleMerge();
      await this.load();
      this.loadOwed();
      this.heading.focus();
    });
    dialog.append(form);
    dialog.addEventListener("close", () => dialog.remove());
    this.section.append(dialog);
    showResult();
    dialog.showModal();
    const first = /** @type {HTMLElement} */ (dialog.querySelector("input[type=radio]"));
    first.focus();
  }
}
