// @ts-check
/**
 * Person: who they are and how to reach them, what you owe them (with the draft, ready to send),
 * quick logging, the introduction chain that reached them and the people they introduced, the
 * timeline, and editing every field.
 *
 * The header is read from IndexedDB at once; the chain, timeline and follow-ups come from the
 * engine's `person` op (queued until the engine is ready). Changes go through engine commands.
 * There is no delete: the engine has no command for it yet.
 */
import { h, localDate, relativeTime } from "../dom.js";
import * as store from "../store.js";
import { initials, roleLine } from "./people.js";
import { RULES, TodayView, dueText, sendHref } from "./today.js";

const KIND_WORDS = {
  meeting: "Met",
  call: "Call",
  coffee: "Coffee",
  interview: "Interview",
  informational_interview: "Informational interview",
  message_sent: "Message sent",
  message_received: "Message received",
  thank_you_email: "Thank-you email",
  thank_you_card: "Handwritten card",
  thank_you_call: "Thank-you call",
  introducer_update: "Update sent",
  note: "Note",
};
const QUICK = [
  { kind: "meeting", label: "Met today", done: "met" },
  { kind: "call", label: "Called", done: "called" },
  { kind: "thank_you_card", label: "Sent a card", done: "sent a card to" },
  { kind: "message_sent", label: "Sent a message", done: "sent a message to" },
];
const MEETING_KINDS = [
  ["meeting", "Meeting"], ["coffee", "Coffee"], ["call", "Call"], ["interview", "Interview"],
  ["informational_interview", "Informational interview"],
];
const ADVICE_KINDS = [["names", "Names to contact"], ["book", "Something to read"], ["resume", "Resume advice"], ["other", "Other advice"]];
const INTRO_KINDS = [["introduction", "Introduced us"], ["referral", "Referred me"], ["name", "Gave me their name"]];
/** The sheets Today uses for a follow-up (draft with Send/Copy and "Sent?", snooze, more), shared. */
/** @type {TodayView | null} */
let sheets = null;
/** @type {PersonScreen | null} */
let current = null;

/** @param {any} ctx */
function sheetsFor(ctx) {
  sheets ??= new TodayView({
    engine: ctx.engine,
    command: async (/** @type {string} */ name, /** @type {Record<string, unknown>} */ payload) => {
      const done = await ctx.command(name, payload);
      if (done) current?.changed();
      return done;
    },
    toast: ctx.toast,
    tracker: ctx.tracker,
  });
  return sheets;
}

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

const isIOS = () => /iP(?:hone|ad|od)/.test(navigator.userAgent)
  || (/Macintosh/.test(navigator.userAgent) && navigator.maxTouchPoints > 1);

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

/** ISO time for something logged on `date` (local): now if today, else midday that day. @param {string} date */
function atFor(date) {
  const now = new Date();
  if (!date || date === localDate(now)) return now.toISOString();
  return new Date(`${date}T12:00`).toISOString();
}

/** Append the children that exist. @param {HTMLElement} parent @param {...(Node | null | false)} children */
function append(parent, ...children) {
  for (const child of children) if (child) parent.append(child);
}

/** Lines of a textarea as a clean list. @param {string} text */
const lines = (text) => text.split(/[\n,;]+/).map((t) => t.trim()).filter(Boolean);

/**
 * @param {HTMLElement} root
 * @param {any} ctx
 * @param {string[]} params
 */
export async function mount(root, ctx, params) {
  const screen = new PersonScreen(root, ctx, params[0] ?? "");
  await screen.start();
}

class PersonScreen {
  /** @param {HTMLElement} root @param {any} ctx @param {string} id */
  constructor(root, ctx, id) {
    this.root = root;
    this.ctx = ctx;
    this.id = id;
    /** @type {any} */
    this.person = null;
    /** @type {any} */
    this.details = null;
    /** @type {any[]} */
    this.events = [];
    /** @type {Map<string, any>} */
    this.people = new Map();
  }

  async start() {
    this.section = h("div", { class: "person-screen" },
      h("a", { class: "person-back", href: "#people" }, h("span", { class: "person-chevron", "aria-hidden": "true" }, "‹"), "People"),
      h("p", { class: "loading" }, "Opening…"),
    );
    this.root.replaceChildren(this.section);
    const [person, events] = await Promise.all([store.get("people", this.id), store.getAll("events")]);
    if (!this.section.isConnected) return;
    this.events = events;
    if (!person) {
      this.renderMissing();
      return;
    }
    this.person = person;
    current = this;
    this.build();
    this.heading.focus({ preventScroll: true });
    await this.refresh();
  }

  renderMissing() {
    const heading = h("h2", { tabindex: "-1" }, "This person isn’t here");
    this.section.replaceChildren(
      h("a", { class: "person-back", href: "#people" }, h("span", { class: "person-chevron", "aria-hidden": "true" }, "‹"), "People"),
      h("div", { class: "empty" },
        heading,
        h("p", {}, "They may have been merged into another record. Everything about them was kept there."),
        h("a", { class: "button primary", href: "#people" }, "Back to People"),
      ),
    );
    heading.focus();
  }

  build() {
    const name = this.person.name;
    this.heading = h("h2", { id: "person-name", class: "person-name", tabindex: "-1", text: name });
    this.header = h("div", { class: "person-header" });
    this.contact = h("div", { class: "person-contact" });
    this.owedHeading = h("h3", { id: "person-owed", tabindex: "-1" });
    const waiting = (/** @type {string} */ text) => h("p", { class: "loading" },
      this.ctx.engine.ready ? text : "Waiting for the follow-up engine to start…");
    this.owed = h("div", { class: "person-owed" }, waiting("Working out what you owe…"));
    this.chain = h("div", { class: "person-chain" }, waiting("Reading introductions…"));
    this.timeline = h("div", { class: "person-timeline" }, waiting("Reading the timeline…"));
    this.quickHeading = h("h3", { id: "person-log" });
    this.section.replaceChildren(
      h("a", { class: "person-back", href: "#people" }, h("span", { class: "person-chevron", "aria-hidden": "true" }, "‹"), "People"),
      h("div", { class: "person-top" },
        h("span", { class: "person-avatar", "aria-hidden": "true" }, initials(name)),
        h("div", { class: "person-title" }, this.heading, this.header),
      ),
      h("div", { class: "person-actions" },
        h("button", { type: "button", class: "button", onclick: () => this.openEdit() }, "Edit details"),
      ),
      this.contact,
      h("section", { class: "person-block", "aria-labelledby": "person-owed" }, this.owedHeading, this.owed),
      h("section", { class: "person-block", "aria-labelledby": "person-log" },
        this.quickHeading,
        h("div", { class: "person-quick" },
          ...QUICK.map((q) => h("button", { type: "button", class: "button", onclick: (/** @type {Event} */ e) => this.quickLog(q, /** @type {HTMLButtonElement} */ (e.currentTarget)) }, q.label)),
        ),
        h("button", { type: "button", class: "button primary wide", onclick: () => this.openMeeting() }, "Log a meeting with notes…"),
      ),
      h("section", { class: "person-block", "aria-labelledby": "person-intros" },
        h("h3", { id: "person-intros" }, "Introductions"),
        this.chain,
        h("button", { type: "button", class: "button wide", onclick: () => this.openIntroduction() }, "Record an introduction…"),
      ),
      h("section", { class: "person-block", "aria-labelledby": "person-timeline" },
        h("h3", { id: "person-timeline" }, "Timeline"),
        this.timeline,
      ),
    );
    this.renderHeader();
  }

  renderHeader() {
    const p = this.person;
    const firstName = first(p.name);
    this.heading.textContent = p.name;
    this.owedHeading.textContent = `What you owe ${firstName}`;
    this.quickHeading.textContent = `Log what happened with ${firstName}`;
    const event = p.event_id ? this.events.find((e) => e.id === p.event_id) : null;
    const met = [p.how_met, event && !p.how_met.includes(event.name) ? `at ${event.name}` : "", event?.date ? `(${event.date})` : ""]
      .filter(Boolean).join(" ");
    const doors = this.details?.doors ?? 0;
    this.header.replaceChildren(...[
      roleLine(p) ? h("p", { class: "person-role", text: roleLine(p) }) : null,
      met ? h("p", { class: "subtle person-met", text: met }) : null,
      (p.tags ?? []).length ? h("ul", { class: "person-tags", "aria-label": "Tags" },
        ...p.tags.map((/** @type {string} */ t) => h("li", { class: "badge", text: t }))) : null,
      doors > 0 ? h("p", { class: "person-doors" }, doors === 1 ? "Opened 1 door for you" : `Opened ${doors} doors for you`) : null,
      p.notes ? h("p", { class: "person-notes", text: p.notes }) : null,
    ].filter((x) => x !== null));
    this.renderContact();
  }

  renderContact() {
    const p = this.person;
    /** @type {HTMLElement[]} */
    const links = [];
    for (const email of p.emails ?? []) {
      links.push(h("a", { class: "button", href: sendHref("email", { to: email }) }, h("span", { class: "person-how" }, "Email"), h("span", { class: "person-value", text: email })));
    }
    for (const phone of p.phones ?? []) {
      links.push(h("a", { class: "button", href: sendHref("call", { to: phone }) }, h("span", { class: "person-how" }, "Call"), h("span", { class: "person-value", text: phone })));
      links.push(h("a", { class: "button", href: sendHref("sms", { to: phone }, { ios: isIOS() }), "aria-label": `Text ${phone}` }, "Text"));
    }
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

  /** Chain, timeline and follow-ups from the engine. */
  async refresh() {
    const now = new Date();
    const response = await this.ctx.engine.call({ op: "person", id: this.id, now: now.toISOString(), today: localDate(now) });
    if (!this.section?.isConnected) return;
    if (!response.ok) {
      if (response.error === "unknown-person") {
        const still = await store.get("people", this.id);
        if (!still) {
          this.renderMissing();
          return;
        }
      }
      for (const box of [this.owed, this.chain, this.timeline]) {
        box.replaceChildren(h("p", { class: "hint error" }, response.message));
      }
      return;
    }
    this.details = response;
    this.person = response.person;
    const all = [...response.chain, ...response.introduced, ...response.introduced_by];
    for (const p of all) this.people.set(p.id, p);
    this.renderHeader();
    this.renderOwed(response.followups, now);
    this.renderChain(response);
    await this.renderTimeline(response.timeline, now);
  }

  /** @param {any[]} followups @param {Date} now */
  renderOwed(followups, now) {
    const firstName = first(this.person.name);
    if (followups.length === 0) {
      this.owed.replaceChildren(h("p", { class: "subtle" },
        `Nothing owed to ${firstName} right now. When you meet, call or write, log it below and Followthrough says what comes next.`));
      return;
    }
    const today = sheetsFor(this.ctx);
    this.owed.replaceChildren(h("ul", { class: "cards" }, ...followups.map((f, i) => {
      const headingId = `person-fu-${i}`;
      const rule = RULES[/** @type {keyof typeof RULES} */ (f.rule)] ?? { label: "Follow-up", verb: "Write" };
      return h("li", { class: `card${f.overdue ? " overdue" : ""}`, "aria-labelledby": headingId, "data-key": f.key, "data-rule": f.rule },
        h("div", { class: "card-top" },
          h("h4", { class: "who", id: headingId, text: f.who }),
          h("span", { class: f.overdue ? "badge danger" : "badge" }, dueText(f, now)),
        ),
        h("p", { class: "rule-label", text: rule.label }),
        h("p", { class: "why", id: `${headingId}-why`, text: f.why }),
        h("div", { class: "card-actions" },
          h("button", {
            type: "button", class: "button primary", "aria-haspopup": "dialog", "aria-describedby": `${headingId}-why`,
            onclick: () => today.openDraft(f),
          }, rule.verb),
          h("button", { type: "button", class: "button", "aria-haspopup": "dialog", "aria-describedby": `${headingId}-why`, onclick: () => today.openSnooze(f) }, "Snooze"),
          h("button", { type: "button", class: "button", "aria-haspopup": "dialog", "aria-describedby": `${headingId}-why`, onclick: () => today.openMore(f) }, "More"),
        ),
      );
    })));
  }

  /** A sheet changed something (sent, snoozed, skipped, a contact saved): show it. */
  async changed() {
    await this.refresh();
    // The sheet's opener was redrawn: keep the focus in this screen.
    if (!this.section?.contains(document.activeElement) && !document.querySelector("dialog[open]")) {
      this.owedHeading.focus();
    }
  }

  /** @param {any} r */
  renderChain(r) {
    const p = this.person;
    const firstName = first(p.name);
    const link = (/** @type {any} */ x) => h("a", { href: `#person/${encodeURIComponent(x.id)}`, text: x.name });
    /** @type {HTMLElement[]} */
    const parts = [];
    if (r.chain.length) {
      parts.push(
        h("p", { class: "person-sub", id: "person-chain-label" }, `How you reached ${firstName}`),
        h("ol", { class: "person-path", "aria-labelledby": "person-chain-label" },
          ...r.chain.map((/** @type {any} */ x) => h("li", {}, link(x))),
          h("li", { "aria-current": "page" }, h("span", { class: "person-here", text: p.name })),
        ),
      );
      const direct = r.chain[r.chain.length - 1]?.id;
      const others = r.introduced_by.filter((/** @type {any} */ x) => x.id !== direct);
      if (others.length) {
        parts.push(h("p", { class: "subtle" }, "Also introduced by ", ...others.flatMap((/** @type {any} */ x, /** @type {number} */ i) => [i ? ", " : "", link(x)])));
      }
    } else {
      parts.push(h("p", { class: "subtle" }, `Nobody introduced you to ${firstName}: you found each other.`));
    }
    parts.push(h("p", { class: "person-sub", id: "person-introduced-label" }, `People ${firstName} introduced you to`));
    parts.push(r.introduced.length
      ? h("ul", { class: "person-introduced", "aria-labelledby": "person-introduced-label" },
        ...r.introduced.map((/** @type {any} */ x) => h("li", {}, link(x), roleLine(x) ? h("span", { class: "subtle", text: ` · ${roleLine(x)}` }) : null)))
      : h("p", { class: "subtle" }, `None yet. When ${firstName} gives you a name, record it so you remember to thank them.`));
    this.chain.replaceChildren(...parts);
  }

  /** @param {any[]} timeline @param {Date} now */
  async renderTimeline(timeline, now) {
    const firstName = first(this.person.name);
    const others = new Set(timeline.flatMap((it) => it.person_ids).filter((id) => id !== this.id && !this.people.has(id)));
    await Promise.all([...others].map(async (id) => {
      const found = await store.get("people", id);
      if (found) this.people.set(id, found);
    }));
    const items = timeline.map((it) => {
      const withWhom = it.person_ids.filter((/** @type {string} */ id) => id !== this.id).map((/** @type {string} */ id) => this.people.get(id)?.name).filter(Boolean);
      return h("li", { class: "person-event" },
        h("div", { class: "person-event-top" },
          h("span", { class: "person-kind" }, KIND_WORDS[/** @type {keyof typeof KIND_WORDS} */ (it.kind)] ?? it.kind),
          h("time", { class: "subtle", datetime: it.at }, when(it.at, now)),
        ),
        withWhom.length ? h("p", { class: "subtle", text: `With ${withWhom.join(", ")}` }) : null,
        it.followup_key ? h("p", { class: "subtle", text: `Answered the follow-up: ${(RULES[/** @type {keyof typeof RULES} */ (it.followup_key.split(":")[0])]?.label ?? "follow-up").toLowerCase()}` }) : null,
        it.notes ? h("p", { class: "person-event-notes", text: it.notes }) : null,
        it.advice?.length ? h("ul", { class: "person-items", "aria-label": "Advice" }, ...it.advice.map((/** @type {any} */ a) =>
          h("li", {}, h("span", { class: "person-item-kind" }, a.done_at ? "Advice, acted on: " : "Advice: "), h("span", { text: a.text })))) : null,
        it.promises?.length ? h("ul", { class: "person-items", "aria-label": "Promises" }, ...it.promises.map((/** @type {any} */ pr) =>
          h("li", {}, h("span", { class: "person-item-kind" }, pr.done_at ? "Promise, kept: " : `You promised (by ${pr.due}): `), h("span", { text: pr.text })))) : null,
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

  /**
   * A modal dialog with a heading, a form and Save/Cancel; returns its parts.
   * @param {string} title @param {string} save
   */
  dialog(title, save) {
    const dialog = /** @type {HTMLDialogElement} */ (h("dialog", { class: "person-dialog", "aria-labelledby": "person-dialog-title" }));
    const form = /** @type {HTMLFormElement} */ (h("form", { class: "form", novalidate: true }));
    const submit = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", class: "button primary" }, save));
    const cancel = h("button", { type: "button", class: "button", onclick: () => dialog.close() }, "Cancel");
    const error = h("p", { class: "error", role: "alert", hidden: true });
    const body = h("div", { class: "person-dialog-body" });
    form.append(h("h2", { id: "person-dialog-title", text: title }), body, error, h("div", { class: "card-actions person-dialog-actions" }, submit, cancel));
    dialog.append(form);
    dialog.addEventListener("close", () => dialog.remove());
    this.section.append(dialog);
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
  field(id, label, control, hint) {
    control.id = id;
    if (hint) control.setAttribute("aria-describedby", `${id}-hint`);
    return h("div", { class: "field" }, h("label", { for: id }, label), control, hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null);
  }

  /** @param {string} name @param {string} value @param {Record<string, any>} [attrs] */
  input(name, value, attrs = {}) {
    const input = /** @type {HTMLInputElement} */ (h("input", { name, ...attrs }));
    input.value = value ?? "";
    return input;
  }

  /** @param {string} name @param {string} value @param {number} rows */
  textarea(name, value, rows = 3) {
    const area = /** @type {HTMLTextAreaElement} */ (h("textarea", { name, rows: String(rows) }));
    area.value = value ?? "";
    return area;
  }

  /** @param {string} name @param {string[][]} options @param {string} value */
  select(name, options, value) {
    const select = /** @type {HTMLSelectElement} */ (h("select", { name }, ...options.map(([v, label]) => h("option", { value: v }, label))));
    select.value = value;
    return select;
  }

  openEdit() {
    const p = this.person;
    const { dialog, form, body, submit, fail } = this.dialog(`Edit ${p.name}`, "Save changes");
    const name = this.input("name", p.name, { required: true, autocapitalize: "words", autocomplete: "off" });
    const organisation = this.input("organisation", p.organisation, { autocomplete: "off" });
    const role = this.input("role", p.role, { autocomplete: "off" });
    const emails = this.textarea("emails", (p.emails ?? []).join("\n"), 2);
    const phones = this.textarea("phones", (p.phones ?? []).join("\n"), 2);
    const urls = this.textarea("urls", (p.urls ?? []).join("\n"), 2);
    const tags = this.input("tags", (p.tags ?? []).join(", "), { autocomplete: "off" });
    const howMet = this.input("how_met", p.how_met, { autocomplete: "off" });
    const event = this.select("event_id", [["", "No event"], ...this.events.map((e) => [e.id, e.date ? `${e.name} (${e.date})` : e.name])], p.event_id ?? "");
    const notes = this.textarea("notes", p.notes, 4);
    const cadence = this.input("cadence_days", p.cadence_days == null ? "" : String(p.cadence_days), { type: "number", inputmode: "numeric", min: "0", max: "3650" });
    emails.inputMode = "email";
    phones.inputMode = "tel";
    body.append(
      this.field("edit-name", "Name", name),
      this.field("edit-organisation", "Organisation", organisation),
      this.field("edit-role", "Role", role),
      this.field("edit-emails", "Email addresses", emails, "One per line."),
      this.field("edit-phones", "Phone numbers", phones, "One per line."),
      this.field("edit-urls", "Links", urls, "LinkedIn or a website, one per line."),
      this.field("edit-tags", "Tags", tags, "Separated by commas, e.g. media, recruiter."),
      this.field("edit-how-met", "How you met", howMet),
      this.field("edit-event", "Met at event", event),
      this.field("edit-notes", "Notes", notes),
      this.field("edit-cadence", "Keep in touch every … days", cadence, "Leave empty for the usual rhythm; 0 turns reminders off."),
    );
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
      const next = {
        name: name.value.trim(),
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
      const bad = next.emails.find((x) => !/^[^\s@]+@[^\s@]+$/.test(x));
      if (bad) return fail(`“${bad}” does not look like an email address.`, emails);
      if (next.cadence_days !== null && !(Number.isInteger(next.cadence_days) && next.cadence_days >= 0 && next.cadence_days <= 3650)) {
        return fail("Keep in touch: a whole number of days, up to 3650.", cadence);
      }
      /** @type {Record<string, any>} */
      const changes = {};
      for (const [key, value] of Object.entries(next)) {
        if (JSON.stringify(value) !== JSON.stringify(p[key] ?? (key === "cadence_days" || key === "event_id" ? null : ""))) changes[key] = value;
      }
      if (Object.keys(changes).length === 0) {
        dialog.close();
        return;
      }
      submit.disabled = true;
      submit.textContent = "Saving…";
      const done = await this.ctx.command("update_person", { id: this.id, ...changes });
      submit.disabled = false;
      submit.textContent = "Save changes";
      if (!done) return;
      const saved = done.put?.people?.find((/** @type {any} */ x) => x.id === this.id);
      if (saved) this.person = saved;
      dialog.close();
      this.renderHeader();
      this.ctx.toast(`Saved ${this.person.name}.`);
      this.refresh();
    });
    dialog.showModal();
    name.focus();
  }

  openMeeting() {
    const firstName = first(this.person.name);
    const { dialog, form, body, submit, fail } = this.dialog(`Log a meeting with ${firstName}`, "Save meeting");
    const kind = this.select("kind", MEETING_KINDS, "meeting");
    const today = localDate(new Date());
    const date = this.input("date", today, { type: "date", max: today });
    const notes = this.textarea("notes", "", 4);
    const adviceList = h("ol", { class: "person-rows" });
    const promiseList = h("ol", { class: "person-rows" });
    let rows = 0;
    const addAdvice = () => {
      const n = ++rows;
      const text = this.input(`advice-${n}`, "", { autocomplete: "off" });
      const what = this.select(`advice-kind-${n}`, ADVICE_KINDS, "other");
      const li = h("li", { class: "person-row-item" },
        this.field(`advice-text-${n}`, `Advice ${adviceList.children.length + 1}`, text),
        this.field(`advice-type-${n}`, "Kind of advice", what),
        h("button", { type: "button", class: "button", "aria-label": `Remove advice ${adviceList.children.length + 1}`, onclick: () => { li.remove(); adviceButton.focus(); } }, "Remove"),
      );
      li.dataset.row = "advice";
      adviceList.append(li);
      text.focus();
    };
    const addPromise = () => {
      const n = ++rows;
      const text = this.input(`promise-${n}`, "", { autocomplete: "off" });
      const due = this.input(`promise-due-${n}`, localDate(new Date(Date.now() + 3 * 86_400_000)), { type: "date", min: today });
      const li = h("li", { class: "person-row-item" },
        this.field(`promise-text-${n}`, `Promise ${promiseList.children.length + 1}`, text),
        this.field(`promise-date-${n}`, "Do it by", due),
        h("button", { type: "button", class: "button", "aria-label": `Remove promise ${promiseList.children.length + 1}`, onclick: () => { li.remove(); promiseButton.focus(); } }, "Remove"),
      );
      li.dataset.row = "promise";
      promiseList.append(li);
      text.focus();
    };
    const adviceButton = h("button", { type: "button", class: "button", onclick: addAdvice }, "Add advice they gave");
    const promiseButton = h("button", { type: "button", class: "button", onclick: addPromise }, "Add a promise you made");
    body.append(
      this.field("meeting-kind", "What was it?", kind),
      this.field("meeting-date", "When", date),
      this.field("meeting-notes", "What you talked about", notes, "Your thank-you note will remind them of it."),
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
      const done = await this.ctx.command("log_interaction", {
        id: crypto.randomUUID(), person_ids: [this.id], kind: kind.value, at: atFor(date.value),
        notes: notes.value.trim(), advice, promises,
      });
      submit.disabled = false;
      submit.textContent = "Save meeting";
      if (!done) return;
      dialog.close();
      this.ctx.toast(`Logged your ${kind.options[kind.selectedIndex].text.toLowerCase()} with ${this.person.name}.`);
      await this.refresh();
    });
    dialog.showModal();
    kind.focus();
  }

  async openIntroduction() {
    const p = this.person;
    const firstName = first(p.name);
    const everyone = await store.getAll("people");
    const others = everyone.filter((x) => x.id !== this.id);
    const label = (/** @type {any} */ x) => (x.organisation ? `${x.name} (${x.organisation})` : x.name);
    const { dialog, form, body, submit, fail } = this.dialog(`Record an introduction from ${firstName}`, "Save introduction");
    const who = this.input("introduced", "", { list: "person-intro-names", autocomplete: "off", autocapitalize: "words", required: true });
    const list = h("datalist", { id: "person-intro-names" }, ...others.map((x) => h("option", { value: label(x) })));
    const org = this.input("organisation", "", { autocomplete: "off" });
    const kind = this.select("kind", INTRO_KINDS, "introduction");
    const context = this.input("context", "", { autocomplete: "off", placeholder: "e.g. talk to her about media sales" });
    const today = localDate(new Date());
    const date = this.input("date", today, { type: "date", max: today });
    body.append(
      this.field("intro-who", `Who did ${firstName} introduce you to?`, who, "Pick someone you saved, or type a new name: they are added."),
      list,
      this.field("intro-org", "Their organisation (for someone new, optional)", org),
      this.field("intro-kind", "How", kind),
      this.field("intro-context", "Why, in their words", context),
      this.field("intro-date", "When", date),
    );
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const typed = who.value.trim();
      if (!typed) return fail("Type the name of the person you were introduced to.", who);
      const match = others.find((x) => label(x) === typed) ?? others.find((x) => x.name.toLowerCase() === typed.toLowerCase());
      if (!match && typed.toLowerCase() === p.name.toLowerCase()) return fail(`${firstName} cannot introduce you to themselves.`, who);
      submit.disabled = true;
      submit.textContent = "Saving…";
      const at = atFor(date.value);
      let introducedId = match?.id;
      let name = match?.name ?? typed;
      if (!introducedId) {
        introducedId = crypto.randomUUID();
        const added = await this.ctx.command("add_person", {
          id: introducedId, name: typed, organisation: org.value.trim(), role: "", emails: [], phones: [], urls: [],
          tags: [], notes: context.value.trim(), how_met: `Introduced by ${p.name}`, event_id: null,
        });
        if (!added) {
          submit.disabled = false;
          submit.textContent = "Save introduction";
          return;
        }
        name = typed;
      }
      const done = await this.ctx.command("record_introduction", {
        id: crypto.randomUUID(), introducer_id: this.id, introduced_id: introducedId, at,
        kind: kind.value, context: context.value.trim(), outcome: "",
      });
      submit.disabled = false;
      submit.textContent = "Save introduction";
      if (!done) return;
      dialog.close();
      this.ctx.toast(`Saved: ${firstName} introduced you to ${name}. Reach out within a day.`);
      await this.refresh();
    });
    dialog.showModal();
    who.focus();
  }
}
