// @ts-check
/**
 * Person: who they are and how to reach them, what you owe them (with the draft, ready to send),
 * quick logging, the introduction chain that reached them and the people they introduced, the
 * timeline, and editing every field (person/edit.js).
 *
 * Everything shown comes from the engine's `person` op (it waits for the engine); changes go
 * through engine commands. There is no delete: the engine has no command for it yet.
 */
import { deleteButton } from "./trash/delete.js";
import { h, localDate } from "../dom.js";
import { catalogNow, loadCatalog, wordsOf } from "../catalog.js";
import { initials, roleLine } from "./people.js";
import { openDraft } from "./draft-sheet.js";
import { openMore, openSnooze } from "./followup-sheets.js";
import { openEdit, openIntroduction, openMeeting } from "./person/edit.js";
import { openNoReply, openReply, stopsAndBundle } from "./person/reply.js";
import { openMergeWith } from "./person/merge-with.js";
import { deleteInteraction, openEvent, openInteraction, openIntroductionEdit } from "./person/interaction.js";
import { openPasteReply } from "./person/paste-reply.js";
import { isIOS } from "./sheet.js";
import { dueText } from "./today/when.js";

/** @typedef {import("../screen-types.js").AppContext} AppContext */

/** @typedef {import("../types.js").FollowUp} FollowUp */
/** @typedef {import("../types.js").PersonRecord} PersonRecord */
/** @typedef {import("../types.js").EventRecord} EventRecord */
/** @typedef {import("../types.js").InteractionRecord} InteractionRecord */
/** @typedef {import("../types.js").PersonAnswer} PersonAnswer */

const QUICK = [
  { kind: "meeting", label: "Met today", done: "met" },
  { kind: "call", label: "Called", done: "called" },
  { kind: "thank_you_card", label: "Sent a card", done: "sent a card to" },
  { kind: "message_sent", label: "Sent a message", done: "sent a message to" },
];
/** @type {PersonScreen | null} */
let current = null;

/** First word of a name, for friendly headings. @param {string} name */
function first(name) {
  return String(name).trim().split(/\s+/)[0] || name;
}

/** A link that is safe to follow: http(s) only; a bare domain gets https. @param {string} url */
export function safeUrl(url) {
  const text = url.trim();
  const candidate = /^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`;
  try {
    const parsed = new URL(candidate);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/** A date for the timeline: "Today", "Yesterday", or the date. @param {string} iso @param {Date} now */
function when(iso, now) {
  const day = localDate(new Date(iso));
  const today = localDate(now);
  const yesterday = localDate(new Date(now.getTime() - 86_400_000));
  const time = new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  if (day === today) return `Today, ${time}`;
  if (day === yesterday) return `Yesterday, ${time}`;
  return new Date(iso).toLocaleDateString([], { day: "numeric", month: "short", year: "numeric" });
}

/** The catalog's word for an interaction's kind ("Meeting"). @param {string} kind */
function kindWord(kind) {
  return catalogNow()?.timeline_words[kind] ?? kind;
}

/** Append the children that exist. @param {HTMLElement} parent @param {...(Node | null | false)} children */
function append(parent, ...children) {
  for (const child of children) if (child) parent.append(child);
}

/**
 * @param {HTMLElement} root
 * @param {AppContext} ctx
 * @param {string[]} params
 */
export async function mount(root, ctx, params) {
  const screen = new PersonScreen(root, ctx, params[0] ?? "");
  await screen.start();
}

class PersonScreen {
  /** @param {HTMLElement} root @param {AppContext} ctx @param {string} id */
  constructor(root, ctx, id) {
    this.root = root;
    this.ctx = ctx;
    this.id = id;
    /** @type {PersonRecord} the person, as the engine answers it (set before anything shows) */
    this.person = /** @type {PersonRecord} */ (/** @type {unknown} */ (null));
    /** @type {PersonAnswer | null} the `person` op's answer */
    this.details = null;
    /** @type {EventRecord[]} every event, for the edit form */
    this.events = [];
    /** @type {import("./draft-sheet.js").DraftHooks} */
    this.hooks = {
      backend: ctx.backend, command: ctx.command, toast: ctx.toast, tracker: ctx.tracker,
      done: () => this.changed(),
    };
    const back = () => h("a", { class: "person-back", href: "#people" }, h("span", { class: "person-chevron", "aria-hidden": "true" }, "‹"), "People");
    this.back = back;
    this.section = h("div", { class: "person-screen" }, back(),
      h("p", { class: "loading" }, ctx.backend.ready ? "Opening…" : "Waiting for the follow-up engine to start…"));
    this.heading = h("h2", { id: "person-name", class: "person-name", tabindex: "-1" });
    this.header = h("div", { class: "person-header" });
    this.contact = h("div", { class: "person-contact" });
    this.owedHeading = h("h3", { id: "person-owed", tabindex: "-1" });
    this.owed = h("div", { class: "person-owed" });
    this.chain = h("div", { class: "person-chain" });
    this.timeline = h("div", { class: "person-timeline" });
    this.quickHeading = h("h3", { id: "person-log" });
    this.avatar = h("span", { class: "person-avatar", "aria-hidden": "true" });
  }

  async start() {
    this.root.replaceChildren(this.section);
    const [answer] = await Promise.all([this.ask(), loadCatalog(this.ctx.backend).catch(() => null)]);
    if (!this.section.isConnected) return;
    if (!answer.ok) {
      if (answer.error === "unknown-person") this.renderMissing();
      else this.section.replaceChildren(this.back(), h("p", { class: "error", role: "alert" }, answer.message));
      return;
    }
    current = this;
    this.build();
    this.show(answer);
    this.heading.focus({ preventScroll: true });
    // Records changed elsewhere (a sync, another tab): show them.
    const onChanged = (/** @type {Event} */ event) => {
      if (!this.section.isConnected || current !== this) {
        this.ctx.backend.removeEventListener("changed", onChanged);
      } else if (/** @type {CustomEvent} */ (event).detail?.source !== "command") {
        this.refresh();
      }
    };
    this.ctx.backend.addEventListener("changed", onChanged);
  }

  /** The person, their chain, timeline and follow-ups, from the engine. */
  ask() {
    return this.ctx.backend.send("person", { id: this.id, ios: isIOS() });
  }

  renderMissing() {
    const heading = h("h2", { tabindex: "-1" }, "This person isn’t here");
    this.section.replaceChildren(
      this.back(),
      h("div", { class: "empty" },
        heading,
        h("p", {}, "They may have been merged into another record. Everything about them was kept there."),
        h("a", { class: "button primary", href: "#people" }, "Back to People"),
      ),
    );
    heading.focus();
  }

  build() {
    this.section.replaceChildren(
      this.back(),
      h("div", { class: "person-top" }, this.avatar, h("div", { class: "person-title" }, this.heading, this.header)),
      h("div", { class: "person-actions" },
        h("button", { type: "button", class: "button", onclick: () => openEdit(this) }, "Edit details"),
        h("button", { type: "button", class: "button", "aria-haspopup": "dialog", onclick: () => openMergeWith(this) }, "Merge with…"),
        deleteButton(this.ctx, () => [{ store: "people", id: this.id }], { after: () => this.ctx.navigate("#people") }),
      ),
      this.contact,
      h("section", { class: "person-block", "aria-labelledby": "person-owed" }, this.owedHeading, this.owed),
      h("section", { class: "person-block", "aria-labelledby": "person-log" },
        this.quickHeading,
        h("div", { class: "person-quick" },
          ...QUICK.map((q) => h("button", { type: "button", class: "button", onclick: (/** @type {Event} */ e) => this.quickLog(q, /** @type {HTMLButtonElement} */ (e.currentTarget)) }, q.label)),
        ),
        h("button", { type: "button", class: "button primary wide", onclick: () => openMeeting(this) }, "Log a meeting with notes…"),
        h("div", { class: "person-quick" },
          h("button", { type: "button", class: "button", "aria-haspopup": "dialog", onclick: () => openReply(this) }, "Reply received…"),
          h("button", { type: "button", class: "button", "aria-haspopup": "dialog", onclick: () => openNoReply(this) }, "No reply…"),
          h("button", {
            type: "button", class: "button", "aria-haspopup": "dialog", "data-action": "paste-reply",
            onclick: () => openPasteReply({ ctx: this.ctx, personId: this.id, name: this.person.name, done: () => this.refresh() }),
          }, "Paste their reply…"),
        ),
      ),
      h("section", { class: "person-block", "aria-labelledby": "person-intros" },
        h("h3", { id: "person-intros" }, "Introductions"),
        this.chain,
        h("button", { type: "button", class: "button wide", onclick: () => openIntroduction(this) }, "Record an introduction…"),
      ),
      h("section", { class: "person-block", "aria-labelledby": "person-timeline" },
        h("h3", { id: "person-timeline" }, "Timeline"),
        this.timeline,
      ),
    );
  }

  /** Show the engine's answer. @param {PersonAnswer} response */
  show(response) {
    const now = new Date();
    this.details = response;
    this.person = response.person;
    this.events = response.events;
    this.renderHeader();
    this.renderOwed(response.followups, now);
    this.owed.append(...stopsAndBundle(this, response));
    this.renderChain(response);
    this.renderTimeline(response.timeline, response.names ?? {}, now);
  }

  async refresh() {
    const response = await this.ask();
    if (!this.section.isConnected) return;
    if (!response.ok) {
      if (response.error === "unknown-person") {
        this.renderMissing();
        return;
      }
      for (const box of [this.owed, this.chain, this.timeline]) {
        box.replaceChildren(h("p", { class: "hint error" }, response.message));
      }
      return;
    }
    this.show(response);
  }

  renderHeader() {
    const p = this.person;
    const firstName = first(p.name);
    this.heading.textContent = p.name;
    this.avatar.textContent = initials(p.name);
    this.owedHeading.textContent = `What you owe ${firstName}`;
    this.quickHeading.textContent = `Log what happened with ${firstName}`;
    const event = this.details?.event;
    const met = [p.how_met, event && !p.how_met.includes(event.name) ? `at ${event.name}` : "", event?.date ? `(${event.date})` : ""]
      .filter(Boolean).join(" ");
    const doors = this.details?.doors ?? 0;
    this.header.replaceChildren(...[
      roleLine(p) ? h("p", { class: "person-role", text: roleLine(p) }) : null,
      met ? h("p", { class: "subtle person-met", text: met }) : null,
      (p.tags ?? []).length ? h("ul", { class: "person-tags", "aria-label": "Tags" },
        ...p.tags.map((/** @type {string} */ t) => h("li", { class: "badge", text: t }))) : null,
      doors > 0 && this.details?.doors_text ? h("p", { class: "person-doors", text: this.details.doors_text }) : null,
      p.notes ? h("p", { class: "person-notes", text: p.notes }) : null,
      event ? h("button", { type: "button", class: "button small", "aria-haspopup": "dialog", onclick: () => openEvent(this, event) }, `Edit the event: ${event.name}`) : null,
    ].filter((x) => x !== null));
    this.renderContact();
  }

  renderContact() {
    const p = this.person;
    const how = { email: "Email", call: "Call" };
    /** @type {HTMLElement[]} */
    const links = (this.details?.contact ?? []).map((c) => (
      c.channel === "sms"
        ? h("a", { class: "button", href: c.href, "aria-label": `Text ${c.value}` }, "Text")
        : h("a", { class: "button", href: c.href },
          h("span", { class: "person-how" }, how[/** @type {"email" | "call"} */ (c.channel)]), h("span", { class: "person-value", text: c.value }))
    ));
    for (const url of p.urls ?? []) {
      const href = safeUrl(url);
      if (href) {
        links.push(h("a", { class: "button", href, target: "_blank", rel: "noopener noreferrer" },
          h("span", { class: "person-how" }, "Open"), h("span", { class: "person-value", text: url.replace(/^https?:\/\/(www\.)?/, "") })));
      } else {
        // Not a web address (or one that would run script): shown, never followed.
        links.push(h("span", { class: "person-link-text subtle", text: url }));
      }
    }
    this.contact.replaceChildren(links.length
      ? h("div", { class: "person-links", role: "group", "aria-label": `Contact ${p.name}` }, ...links)
      : h("p", { class: "hint" }, "No email, phone or link yet: add them with “Edit details” to write from here."));
  }

  /** @param {FollowUp[]} followups @param {Date} now */
  renderOwed(followups, now) {
    const firstName = first(this.person.name);
    if (followups.length === 0) {
      this.owed.replaceChildren(h("p", { class: "subtle" },
        `Nothing owed to ${firstName} right now. When you meet, call or write, log it below and Followthrough says what comes next.`));
      return;
    }
    this.owed.replaceChildren(h("ul", { class: "cards" }, ...followups.map((f, i) => {
      const headingId = `person-fu-${i}`;
      const rule = wordsOf(f);
      const action = (/** @type {string} */ label, /** @type {() => void} */ open, primary = false) => h("button", {
        type: "button", class: primary ? "button primary" : "button", "aria-haspopup": "dialog", "aria-describedby": `${headingId}-why`, onclick: open,
      }, label);
      return h("li", { class: `card${f.overdue ? " overdue" : ""}`, "aria-labelledby": headingId, "data-key": f.key, "data-rule": f.rule },
        h("div", { class: "card-top" },
          h("h4", { class: "who", id: headingId, text: f.who }),
          h("span", { class: f.overdue ? "badge danger" : "badge" }, dueText(f, now)),
        ),
        h("p", { class: "rule-label", text: rule.label }),
        h("p", { class: "why", id: `${headingId}-why`, text: f.why }),
        h("div", { class: "card-actions" },
          action(rule.verb, () => openDraft(f, this.hooks), true),
          action("Snooze", () => openSnooze(f, this.hooks)),
          action("More", () => openMore(f, this.hooks)),
        ),
      );
    })));
  }

  /** A sheet settled a follow-up (sent, snoozed, skipped, done): show it. */
  async changed() {
    await this.refresh();
    // The sheet's opener was redrawn: the focus goes to what is owed now (once the sheet has
    // closed and given the focus back, so this comes last).
    const settle = () => {
      const block = this.owedHeading.parentElement;
      if (block && !block.contains(document.activeElement)) this.owedHeading.focus();
    };
    // After the focus home (focus-home.js) has placed a focus its redraw took away.
    const later = () => { setTimeout(settle, 60); setTimeout(settle, 400); };
    const open = document.querySelector("dialog[open]");
    if (open) open.addEventListener("close", later, { once: true });
    else later();
  }

  /** @param {PersonAnswer} r */
  renderChain(r) {
    const p = this.person;
    const firstName = first(p.name);
    const link = (/** @type {PersonRecord} */ x) => h("a", { href: `#person/${encodeURIComponent(x.id)}`, text: x.name });
    /** @type {HTMLElement[]} */
    const parts = [];
    if (r.chain.length) {
      parts.push(
        h("p", { class: "person-sub", id: "person-chain-label" }, `How you reached ${firstName}`),
        h("ol", { class: "person-path", "aria-labelledby": "person-chain-label" },
          ...r.chain.map((x) => h("li", {}, link(x))),
          h("li", { "aria-current": "page" }, h("span", { class: "person-here", text: p.name })),
        ),
      );
      const direct = r.chain[r.chain.length - 1]?.id;
      const others = r.introduced_by.filter((x) => x.id !== direct);
      if (others.length) {
        parts.push(h("p", { class: "subtle" }, "Also introduced by ", ...others.flatMap((x, i) => [i ? ", " : "", link(x)])));
      }
    } else {
      parts.push(h("p", { class: "subtle" }, `Nobody introduced you to ${firstName}: you found each other.`));
    }
    parts.push(h("p", { class: "person-sub", id: "person-introduced-label" }, `People ${firstName} introduced you to`));
    parts.push(r.introduced.length
      ? h("ul", { class: "person-introduced", "aria-labelledby": "person-introduced-label" },
        ...r.introduced.map((x) => h("li", {}, link(x), roleLine(x) ? h("span", { class: "subtle", text: ` · ${roleLine(x)}` }) : null)))
      : h("p", { class: "subtle" }, `None yet. When ${firstName} gives you a name, record it so you remember to thank them.`));
    const intros = r.introductions ?? [];
    if (intros.length) {
      parts.push(h("p", { class: "person-sub", id: "person-intro-records" }, "Introductions recorded"),
        h("ul", { class: "person-introduced", "aria-labelledby": "person-intro-records" }, ...intros.map((x) => {
          const words = `${x.introducer_name} → ${x.introduced_name}`;
          const state = catalogNow()?.introduction_statuses?.[x.status] ?? x.status;
          return h("li", {},
            h("span", { text: words }),
            h("span", { class: "subtle", text: ` · ${new Date(x.at).toLocaleDateString([], { day: "numeric", month: "short", year: "numeric" })} · ${state}` }),
            " ",
            h("button", { type: "button", class: "button small", "aria-haspopup": "dialog", "aria-label": `Edit the introduction ${words}`, onclick: () => openIntroductionEdit(this, x) }, "Edit"));
        })));
    }
    this.chain.replaceChildren(...parts);
  }

  /** @param {InteractionRecord[]} timeline @param {Record<string, string>} names @param {Date} now */
  renderTimeline(timeline, names, now) {
    const firstName = first(this.person.name);
    const items = timeline.map((it) => {
      const withWhom = it.person_ids.filter((/** @type {string} */ id) => id !== this.id).map((/** @type {string} */ id) => names[id]).filter(Boolean);
      return h("li", { class: "person-event" },
        h("div", { class: "person-event-top" },
          h("span", { class: "person-kind" }, catalogNow()?.timeline_words[it.kind] ?? it.kind),
          h("time", { class: "subtle", datetime: it.at }, when(it.at, now)),
        ),
        withWhom.length ? h("p", { class: "subtle", text: `With ${withWhom.join(", ")}` }) : null,
        it.followup_key ? h("p", { class: "subtle", text: it.followup_key.startsWith("bundle:")
          ? catalogNow()?.bundle?.answered ?? ""
          : `Done for the follow-up “${wordsOf({ rule: it.followup_key.split(":")[0] }).label}”.` }) : null,
        it.reply ? h("p", { class: "subtle", text: `They said: ${(catalogNow()?.reply_kinds ?? []).find((k) => k.id === it.reply)?.label ?? it.reply}` }) : null,
        // A sent draft keeps the text as it went out: shown as what was sent.
        it.notes && it.followup_key
          ? h("blockquote", { class: "sent-text person-event-notes" }, h("span", { class: "visually-hidden", text: "What you sent: " }), it.notes)
          : it.notes ? h("p", { class: "person-event-notes", text: it.notes }) : null,
        it.advice?.length ? h("ul", { class: "person-items", "aria-label": "Advice" }, ...it.advice.map((a) =>
          h("li", {}, h("span", { class: "person-item-kind" }, a.done_at ? "Advice, acted on: " : "Advice: "), h("span", { text: a.text })))) : null,
        it.promises?.length ? h("ul", { class: "person-items", "aria-label": "Promises" }, ...it.promises.map((pr) =>
          h("li", {}, h("span", { class: "person-item-kind" }, pr.done_at ? "Promise, kept: " : `You promised (by ${pr.due}): `), h("span", { text: pr.text })))) : null,
        h("div", { class: "person-event-actions" },
          h("button", { type: "button", class: "button", "aria-haspopup": "dialog", "aria-label": `Edit: ${kindWord(it.kind)}, ${when(it.at, now)}`, onclick: () => openInteraction(this, it, { ...names, [this.id]: this.person.name }) }, "Edit"),
          h("button", { type: "button", class: "button", "aria-label": `Move to trash: ${kindWord(it.kind)}, ${when(it.at, now)}`, onclick: () => deleteInteraction(this, it) }, "Move to trash"),
        ),
      );
    });
    const added = this.person.created_at
      ? h("li", { class: "person-event person-added" },
        h("div", { class: "person-event-top" }, h("span", { class: "person-kind" }, "Added"), h("time", { class: "subtle", datetime: this.person.created_at }, when(this.person.created_at, now))))
      : null;
    this.timeline.replaceChildren();
    append(this.timeline,
      timeline.length === 0
        && h("p", { class: "subtle" }, `Nothing logged with ${firstName} yet. After you meet, call or write, tap a button above: it keeps your promises and thank-yous on track.`),
      h("ol", { class: "person-events" }, ...items, added),
    );
  }

  /** @param {{kind: string, label: string, done: string}} q @param {HTMLButtonElement} button */
  async quickLog(q, button) {
    button.disabled = true;
    const done = await this.ctx.command("log_interaction", {
      id: crypto.randomUUID(), person_ids: [this.id], kind: q.kind, at: new Date().toISOString(),
    });
    button.disabled = false;
    if (!done) return;
    this.ctx.toast(`Logged: ${q.done} ${this.person.name} today.`);
    await this.refresh();
  }
}
