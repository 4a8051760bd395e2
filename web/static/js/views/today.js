// @ts-check
/**
 * Today: the engine's ranked follow-ups, each with who, why, when, and what to do about it.
 *
 * One tap opens the draft sheet (draft-sheet.js); snooze, skip, "card sent" and "done another
 * way" are the follow-up sheets (followup-sheets.js). A rule's words come from the engine's
 * catalog. The last list is cached with its words, so Today shows at once on the next boot,
 * marked as updating until the engine has booted.
 */
import { h, byId, relativeTime } from "../dom.js";
import { catalogNow, loadCatalog, wordsOf } from "../catalog.js";
import { openDraft } from "./draft-sheet.js";
import { openMore, openSnooze } from "./followup-sheets.js";
import { dueText, isSoon } from "./today/when.js";
import { itemWords, whyOf } from "./today/bundle.js";

export { dueText, snoozeChoices } from "./today/when.js";

/** @typedef {import("../types.js").FollowUp} FollowUp */
/** @typedef {import("../types.js").Agenda} Agenda */
/** @typedef {import("./draft-sheet.js").DraftHooks} DraftHooks */

const CACHE_ID = "today-cache";

/** @param {string} key */
function domId(key) {
  return key.replace(/[^a-zA-Z0-9_-]/g, "_");
}

/**
 * @typedef {{
 *   backend: DraftHooks["backend"] & EventTarget,
 *   command: DraftHooks["command"],
 *   toast: (text: string) => void,
 *   tracker: {track: <T>(p: Promise<T>) => Promise<T>},
 * }} TodayHooks
 */

/**
 * Make `parent`'s children `nodes`, in order, moving as few as it can: the ones that left are
 * removed first, so one gone from the middle moves nothing else.
 * @param {HTMLElement} parent @param {HTMLElement[]} nodes
 */
function sameChildren(parent, nodes) {
  const keep = new Set(nodes);
  for (const child of [...parent.children]) if (!keep.has(/** @type {HTMLElement} */ (child))) child.remove();
  let at = parent.firstElementChild;
  for (const node of nodes) {
    if (node === at) at = at.nextElementSibling;
    else parent.insertBefore(node, at);
  }
}

export class TodayView {
  /** @param {TodayHooks} hooks */
  constructor({ backend, command, toast, tracker }) {
    this.backend = backend;
    this.command = command;
    this.toast = toast;
    this.tracker = tracker;
    /** @type {Agenda | null} */
    this.agenda = null;
    /** @type {Set<string>} people with more than one card now */
    this.twice = new Set();
    /** Set once the engine has answered: the cache never replaces a fresh list. */
    this.fresh = false;
    this.lastCache = "";
    /** A follow-up whose draft to open once the list is fresh (a notification's deep link). @type {string | null} */
    this.pendingKey = null;
    /** Where the follow-up a sheet settles was in the list, to focus what takes its place. */
    this.settledAt = -1;
    /** Each item on screen by its key, with what it was built from (`render` keeps the same). */
    this.built = /** @type {Map<string, {sig: string, node: HTMLElement}>} */ (new Map());
    /** @type {DraftHooks} */
    this.hooks = {
      backend, command, toast, tracker,
      before: (f) => { this.settledAt = this.indexOf(f); },
      done: () => this.focusNear(this.settledAt),
    };
    // The catalog is asked for as the engine becomes ready, before Today's first list.
    const whenReady = () => loadCatalog(backend).then(() => this.wordsArrived(), () => {});
    if (backend.ready) whenReady();
    else {
      backend.addEventListener("stage", (event) => {
        if (/** @type {CustomEvent} */ (event).detail?.stage === "ready") whenReady();
      });
    }
  }

  // --- The list ---

  /** @param {string} text */
  showLoading(text) {
    byId("today-loading-text").textContent = text;
    byId("today-loading").hidden = false;
  }

  /** Show the last list this device computed, until the engine answers. @param {Date} now */
  async showCached(now) {
    /** @type {{agenda: Agenda, computed_at: string} | null | undefined} */
    const cached = await this.backend.drafts.get(CACHE_ID);
    if (!cached || this.fresh) return;
    this.render(cached.agenda, now, { stale: true, computedAt: cached.computed_at });
  }

  /** The catalog came after a fresh list was shown: show it again, with the rules' words. */
  wordsArrived() {
    if (this.fresh && this.agenda && !this.agenda.followups.every((f) => f.words)) this.render(this.agenda, new Date());
  }

  /**
   * @param {Agenda} agenda
   * @param {Date} now
   * @param {{stale?: boolean, computedAt?: string}} [options]
   */
  render(agenda, now, { stale = false, computedAt } = {}) {
    if (!stale) {
      this.fresh = true;
      // Each card carries its rule's words, so the cached list can show them before the engine.
      if (catalogNow()) agenda = { ...agenda, followups: agenda.followups.map((f) => ({ ...f, words: wordsOf(f) })) };
    }
    this.agenda = agenda;
    // Keep the focus on the same card and button across a re-render.
    const active = /** @type {HTMLElement | null} */ (document.activeElement);
    const focusKey = active?.closest?.("[data-key]")?.getAttribute("data-key");
    const focusAction = active?.getAttribute?.("data-action");

    byId("today-loading").hidden = true;
    const stalePara = byId("today-stale");
    stalePara.hidden = !stale;
    stalePara.textContent = stale
      ? `Your list from ${computedAt ? relativeTime(computedAt, now) : "last time"}. Updating…`
      : "";

    const gratitude = agenda.followups.filter((f) => f.group === "gratitude");
    const others = agenda.followups.filter((f) => f.group !== "gratitude");
    const soon = others.filter((f) => isSoon(f, now));
    const later = others.filter((f) => !isSoon(f, now));

    // A person with two cards: their buttons also name the rule, so each name is unique.
    /** @type {Map<string, number>} */
    const cards = new Map();
    for (const f of others) cards.set(f.who, (cards.get(f.who) ?? 0) + 1);
    this.twice = new Set([...cards].filter(([, n]) => n > 1).map(([who]) => who));
    // Only what changed is built again: a card whose follow-up reads the same is kept as it is.
    /** @type {Map<string, {sig: string, node: HTMLElement}>} */
    const built = new Map();
    /** @param {FollowUp} f @param {"card" | "check"} kind */
    const item = (f, kind) => {
      const sig = `${kind}|${this.twice.has(f.who)}|${dueText(f, now)}|${JSON.stringify(f)}`;
      const old = this.built.get(f.key);
      const node = old && old.sig === sig ? old.node : kind === "card" ? this.card(f, now) : this.checkItem(f, now);
      built.set(f.key, { sig, node });
      return node;
    };
    const list = byId("today-list");
    sameChildren(list, soon.map((f) => item(f, "card")));
    list.hidden = soon.length === 0;
    byId("today-gratitude").hidden = gratitude.length === 0;
    sameChildren(byId("gratitude-list"), gratitude.map((f) => item(f, "check")));
    const employers = gratitude.filter((f) => f.rule === "courtesy-note").length;
    byId("gratitude-hint").textContent = `You landed the job! Thank everyone who helped${
      employers ? `, and tell ${employers === 1 ? "the other employer" : `the ${employers} other employers`} that you accepted another position` : ""
    }. Write to each, or tick them off once done another way.`;
    byId("today-upcoming").hidden = later.length === 0;
    sameChildren(byId("upcoming-list"), later.map((f) => item(f, "card")));
    this.built = built;

    const dueNow = soon.length + gratitude.filter((f) => isSoon(f, now)).length;
    byId("today-empty").hidden = dueNow > 0;
    byId("today-empty-text").textContent = agenda.followups.length === 0
      ? "Met someone, or got a name? Capture them, and Followthrough tells you when to follow up, with a draft ready to send."
      : "You are up to date. What comes next is below; capture anyone new you meet.";

    const counts = agenda.counts ?? {};
    const overdue = counts.overdue ?? 0;
    const parts = [];
    if (dueNow) parts.push(`${dueNow} to do`);
    if (overdue) parts.push(`${overdue} overdue`);
    if (later.length) parts.push(`${later.length} coming up`);
    byId("today-summary").textContent = parts.join(" · ");

    const notes = [];
    if (counts.snoozed) notes.push(`${counts.snoozed} snoozed ${counts.snoozed === 1 ? "follow-up comes" : "follow-ups come"} back when you said.`);
    if (counts.hidden) notes.push(`${counts.hidden} more are not shown: work through these first.`);
    if (counts.resting) notes.push(`${counts.resting} keep-in-touch ${counts.resting === 1 ? "note waits" : "notes wait"} for another day.`);
    const footnote = byId("today-footnote");
    footnote.textContent = notes.join(" ");
    footnote.hidden = notes.length === 0;

    if (focusKey) {
      const selector = `[data-key="${CSS.escape(focusKey)}"] ${focusAction ? `[data-action="${CSS.escape(focusAction)}"]` : "h3"}`;
      /** @type {HTMLElement | null} */ (document.querySelector(selector))?.focus();
    }
    if (!stale) this.saveCache(agenda, now);
    if (!stale && this.pendingKey) this.openPending();
  }

  /** Open a follow-up's draft by its key (`#/today/<key>`), once the list is fresh. @param {string} key */
  openKey(key) {
    this.pendingKey = key;
    if (this.fresh) this.openPending();
  }

  openPending() {
    const key = this.pendingKey;
    this.pendingKey = null;
    // Back to plain Today, so a reload does not open the draft again.
    history.replaceState(null, "", "#today");
    const f = this.agenda?.followups.find((x) => x.key === key);
    if (f) openDraft(f, this.hooks);
    else this.toast("That follow-up is no longer due: it was done, snoozed or changed since.");
  }

  /** @param {Agenda} agenda @param {Date} now */
  saveCache(agenda, now) {
    if (!agenda.followups.every((f) => f.words)) return;
    const text = JSON.stringify(agenda);
    if (text === this.lastCache) return;
    this.lastCache = text;
    this.backend.drafts.put(CACHE_ID, { agenda, computed_at: now.toISOString() }).catch(() => {});
  }

  /** @param {FollowUp} f @param {Date} now */
  card(f, now) {
    const id = `fu-${domId(f.key)}`;
    const rule = itemWords(f);
    const which = this.twice.has(f.who) ? `, ${rule.label}` : "";
    return h("li", {
      class: `card today-card${f.overdue ? " overdue" : ""}`,
      "data-key": f.key, "data-rule": f.rule, "aria-labelledby": id,
    },
      h("div", { class: "card-top" },
        h("h3", { class: "who", id, tabindex: "-1", text: f.who }),
        h("span", { class: f.overdue ? "badge danger" : "badge", text: dueText(f, now) }),
      ),
      h("p", { class: "rule-label", text: rule.label }),
      ...whyOf(f),
      h("div", { class: "card-actions" },
        h("button", {
          type: "button", class: "button primary", "data-action": "draft", "aria-haspopup": "dialog",
          "aria-label": `${rule.verb}: ${f.who}${which}`, onclick: () => openDraft(f, this.hooks),
        }, rule.verb),
        h("button", {
          type: "button", class: "button", "data-action": "snooze", "aria-haspopup": "dialog",
          "aria-label": `Snooze ${f.who}${which}`, onclick: () => openSnooze(f, this.hooks),
        }, "Snooze"),
        h("button", {
          type: "button", class: "button", "data-action": "more", "aria-haspopup": "dialog",
          "aria-label": `More for ${f.who}${which}`, onclick: () => openMore(f, this.hooks),
        }, "More"),
      ),
    );
  }

  /** One person in the gratitude round: tick them off, or write to them. @param {FollowUp} f @param {Date} now */
  checkItem(f, now) {
    const id = `chk-${domId(f.key)}`;
    const why = `${id}-why`;
    return h("li", { class: "check-item", "data-key": f.key, "data-rule": f.rule },
      // The box sits in a 44 px target of its own; its name comes from the label beside it.
      h("label", { class: "tick-target" },
        h("input", {
          type: "checkbox", id, "data-action": "tick", "aria-describedby": why,
          onchange: (/** @type {Event} */ event) => this.tick(f, /** @type {HTMLInputElement} */ (event.target)),
        }),
      ),
      h("div", { class: "check-text" },
        h("label", { for: id, text: f.who }),
        f.mark === "most-doors" ? h("span", { class: "badge star", text: "Opened the most doors" }) : null,
      ),
      f.parts?.length
        ? h("div", { class: "subtle check-why", id: why },
          h("p", { class: "bundle-label", text: `${f.label}${f.overdue ? `. ${dueText(f, now)}` : ""}` }),
          ...whyOf(f))
        : h("p", { class: "subtle check-why", id: why, text: `${f.why} ${f.overdue ? dueText(f, now) : ""}`.trim() }),
      h("button", {
        type: "button", class: "button", "data-action": "draft", "aria-haspopup": "dialog",
        "aria-label": `Write to ${f.who}`, onclick: () => openDraft(f, this.hooks),
      }, "Write"),
    );
  }

  /** @param {FollowUp} f @param {HTMLInputElement} box */
  async tick(f, box) {
    box.disabled = true;
    const index = this.indexOf(f);
    const done = await this.command("mark_done", { key: f.key });
    if (!done) {
      box.checked = false;
      box.disabled = false;
      return;
    }
    this.toast(`Ticked off ${f.who}.`);
    this.focusNear(index);
  }

  /** @param {FollowUp} f */
  indexOf(f) {
    const keys = [...document.querySelectorAll("#view-today [data-key]")].map((e) => e.getAttribute("data-key"));
    return keys.indexOf(f.key);
  }

  /** After a follow-up left the list, focus what took its place. @param {number} index */
  focusNear(index) {
    const items = [...document.querySelectorAll("#view-today [data-key]")];
    const next = items[Math.min(Math.max(index, 0), items.length - 1)];
    const target = /** @type {HTMLElement | null} */ (next?.querySelector("[data-action=draft], [data-action=tick]"));
    (target ?? byId("today-heading")).focus();
  }
}
