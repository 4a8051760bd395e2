// @ts-check
/**
 * Today: the engine's ranked follow-ups, each with who, why, when, and what to do about it.
 *
 * One tap opens the draft (op `draft`) in a dialog; "Send" is a link to the phone's own mail,
 * messages or phone app (mailto:, sms:, tel:). When the user comes back, Today asks "Sent?" and
 * logs the interaction with the follow-up's key, which closes it. Snooze, skip, "card sent" and
 * "done another way" are commands. The last list is cached, so Today shows at once on the next
 * boot, marked as updating until the engine has booted.
 */
import { h, byId, relativeTime, localDate } from "../dom.js";
import * as store from "../store.js";

const CACHE_ID = "today-cache";
const DRAFT_PREFIX = "followup:";
/** After tapping Send, ask "Sent?" this long after, if the page never lost sight or focus. */
const ASK_AFTER_MS = 1500;

/** What each rule is called on a card, and the verb of its main action. */
export const RULES = {
  "reach-out": { label: "New referral", verb: "Reach out" },
  "thank-you": { label: "Thank-you", verb: "Say thank you" },
  "met-at-event": { label: "Met at an event", verb: "Say thank you" },
  "rejection-thanks": { label: "Thank them anyway", verb: "Say thank you" },
  "close-loop": { label: "Close the loop", verb: "Send an update" },
  "close-loop-outcome": { label: "Close the loop", verb: "Tell them how it ended" },
  "act-on-advice": { label: "Act on advice", verb: "Report back" },
  "report-back": { label: "Report back", verb: "Report back" },
  promise: { label: "A promise you made", verb: "Follow through" },
  gratitude: { label: "Gratitude", verb: "Say thank you" },
  "courtesy-note": { label: "Courtesy note", verb: "Write the note" },
  "keep-in-touch": { label: "Keep in touch", verb: "Say hello" },
};

export const CHANNELS = {
  email: { label: "Email", send: "Open in your email app", field: "Message" },
  sms: { label: "Text message", send: "Open in Messages", field: "Text message" },
  call: { label: "Phone call", send: "Call", field: "Talking points" },
  card: { label: "Handwritten card", send: "I sent the card", field: "What to write on the card" },
};

/**
 * Each rule's channels, as the engine's rules prefer them. The engine's follow-ups keep only
 * the channels it has details for (an email, a phone); the draft offers them all, so an address
 * can be typed in the draft (or chosen in the mail app).
 */
export const RULE_CHANNELS = {
  "reach-out": ["call", "email", "sms"],
  "thank-you": ["email", "card", "call"],
  "met-at-event": ["email", "sms", "card"],
  "rejection-thanks": ["card", "email"],
  "close-loop": ["email", "sms", "call"],
  "close-loop-outcome": ["email", "call"],
  "act-on-advice": ["email", "call"],
  "report-back": ["email", "call"],
  promise: ["email"],
  gratitude: ["call", "card", "email"],
  "courtesy-note": ["email", "call"],
  "keep-in-touch": ["email", "call", "sms"],
};

/**
 * The channels a draft offers: the rule's, in its order of preference, and any other the engine
 * named. Which one is picked first depends on the details we have (see renderDraft).
 * @param {string} rule @param {string[]} usable
 */
export function draftChannels(rule, usable) {
  const all = [...(RULE_CHANNELS[/** @type {keyof typeof RULE_CHANNELS} */ (rule)] ?? ["email"]), ...(usable ?? [])];
  return [...new Set(all)].filter((c) => c in CHANNELS);
}

const THANKS = new Set(["thank-you", "met-at-event", "rejection-thanks", "gratitude"]);
const UPDATES = new Set(["close-loop", "close-loop-outcome"]);

/**
 * The interaction kind that answers a follow-up of `rule` sent through `channel`.
 * @param {string} rule @param {string} channel
 */
export function interactionKind(rule, channel) {
  if (channel === "card") return "thank_you_card";
  if (THANKS.has(rule)) return channel === "call" ? "thank_you_call" : "thank_you_email";
  if (UPDATES.has(rule)) return "introducer_update";
  return channel === "call" ? "call" : "message_sent";
}

/** "+44 (20) 7946-0000" → "+442079460000". @param {string} phone */
export function dialable(phone) {
  return phone.trim().replace(/[^\d+]/g, "").replace(/(?!^)\+/g, "");
}

/**
 * The link that hands a message to the phone's own app: mailto: (RFC 6068, CRLF line breaks),
 * sms: (RFC 5724 `?body=`; iOS wants `&body=`), tel: (RFC 3966).
 * @param {string} channel
 * @param {{to: string, subject?: string, body?: string}} message
 * @param {{ios?: boolean}} [platform]
 */
export function sendHref(channel, { to, subject = "", body = "" }, { ios = false } = {}) {
  const encode = (/** @type {string} */ text) => encodeURIComponent(text.replace(/\r?\n/g, "\r\n"));
  if (channel === "email") {
    const address = to.split(/[\s,;]+/).filter(Boolean)
      .map((a) => encodeURIComponent(a).replace(/%40/g, "@")).join(",");
    const query = [subject && `subject=${encode(subject)}`, body && `body=${encode(body)}`].filter(Boolean);
    return `mailto:${address}${query.length ? `?${query.join("&")}` : ""}`;
  }
  if (channel === "sms") {
    return `sms:${dialable(to)}${body ? `${ios ? "&" : "?"}body=${encodeURIComponent(body)}` : ""}`;
  }
  if (channel === "call") return `tel:${dialable(to)}`;
  return "";
}

function isIOS() {
  return /iP(?:hone|ad|od)/.test(navigator.userAgent)
    || (/Macintosh/.test(navigator.userAgent) && navigator.maxTouchPoints > 1);
}

/** @param {Date} date */
function timeOf(date) {
  return date.toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit" });
}

/** @param {Date} date */
function dayOf(date) {
  return date.toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short" });
}

/** Local 09:00 on the day `days` after `now`. @param {Date} now @param {number} days */
function morning(now, days) {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + days, 9, 0, 0, 0);
}

/**
 * The quick snooze choices at `now`: later today (3 hours on, while the day lasts), tomorrow
 * morning and next week, each at a time the user can read.
 * @param {Date} now
 */
export function snoozeChoices(now) {
  const choices = [];
  const later = new Date(Math.ceil((now.getTime() + 3 * 3600_000) / 900_000) * 900_000);
  if (later.getDate() === now.getDate() && later.getHours() < 22) {
    choices.push({ id: "later", label: "Later today", detail: `at ${timeOf(later)}`, until: later });
  }
  const tomorrow = morning(now, 1);
  choices.push({ id: "tomorrow", label: "Tomorrow morning", detail: `${dayOf(tomorrow)}, ${timeOf(tomorrow)}`, until: tomorrow });
  const week = morning(now, 7);
  choices.push({ id: "week", label: "Next week", detail: `${dayOf(week)}, ${timeOf(week)}`, until: week });
  return choices;
}

/** "Due in 5 hours", "Due today", "Overdue by 2 days". @param {any} f @param {Date} now */
export function dueText(f, now) {
  if (f.overdue) {
    const hours = f.overdue_hours;
    if (hours < 1) return "Overdue";
    if (hours < 36) return `Overdue by ${Math.round(hours)} h`;
    return `Overdue by ${Math.round(hours / 24)} days`;
  }
  if (f.all_day) {
    const today = localDate(now);
    const tomorrow = localDate(morning(now, 1));
    if (f.due <= today) return "Due today";
    if (f.due === tomorrow) return "Due tomorrow";
    const [y, m, d] = f.due.split("-").map(Number);
    return `Due ${dayOf(new Date(y, m - 1, d))}`;
  }
  return `Due ${relativeTime(f.due, now)}`;
}

/** Due now (late, or within a day), as opposed to coming up. @param {any} f @param {Date} now */
function isSoon(f, now) {
  if (f.overdue) return true;
  if (f.all_day) return f.due <= localDate(now);
  return new Date(f.due).getTime() <= now.getTime() + 24 * 3600_000;
}

/** @param {string} key */
function domId(key) {
  return key.replace(/[^a-zA-Z0-9_-]/g, "_");
}

/**
 * @typedef {{
 *   engine: {call: (request: Record<string, unknown>) => Promise<any>, ready: boolean},
 *   command: (name: string, payload: Record<string, unknown>) => Promise<any>,
 *   toast: (text: string) => void,
 *   tracker: {track: <T>(p: Promise<T>) => Promise<T>},
 * }} TodayHooks
 */

export class TodayView {
  /** @param {TodayHooks} hooks */
  constructor({ engine, command, toast, tracker }) {
    this.engine = engine;
    this.command = command;
    this.toast = toast;
    this.tracker = tracker;
    /** @type {any[]} */
    this.followups = [];
    /** Set once the engine has answered: the cache never replaces a fresh list. */
    this.fresh = false;
    this.lastCache = "";
    /** What the user went to send: asked about when they come back. @type {{f: any, channel: string, left: boolean} | null} */
    this.awaiting = null;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.askTimer = undefined;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.editTimer = undefined;
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") this.left();
      else this.cameBack();
    });
    window.addEventListener("blur", () => this.left());
    window.addEventListener("focus", () => this.cameBack());
  }

  // --- The list ---

  /** @param {string} text */
  showLoading(text) {
    byId("today-loading-text").textContent = text;
    byId("today-loading").hidden = false;
  }

  /** Show the last list this device computed, until the engine answers. @param {Date} now */
  async showCached(now) {
    let cached = null;
    try {
      cached = await store.get("drafts", CACHE_ID);
    } catch {
      return;
    }
    if (!cached || this.fresh) return;
    this.render(cached.agenda, now, { stale: true, computedAt: cached.computed_at });
  }

  /**
   * @param {{followups: any[], counts: Record<string, number>}} agenda
   * @param {Date} now
   * @param {{stale?: boolean, computedAt?: string}} [options]
   */
  render(agenda, now, { stale = false, computedAt } = {}) {
    if (!stale) this.fresh = true;
    this.agenda = agenda;
    this.followups = agenda.followups;
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

    const list = byId("today-list");
    list.replaceChildren(...soon.map((f) => this.card(f, now)));
    list.hidden = soon.length === 0;
    byId("today-gratitude").hidden = gratitude.length === 0;
    byId("gratitude-list").replaceChildren(...gratitude.map((f) => this.checkItem(f, now)));
    const employers = gratitude.filter((f) => f.rule === "courtesy-note").length;
    byId("gratitude-hint").textContent = `You landed the job! Thank everyone who helped${
      employers ? `, and tell ${employers === 1 ? "the other employer" : `the ${employers} other employers`} that you accepted another position` : ""
    }. Write to each, or tick them off once done another way.`;
    byId("today-upcoming").hidden = later.length === 0;
    byId("upcoming-list").replaceChildren(...later.map((f) => this.card(f, now)));

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
  }

  /** @param {any} agenda @param {Date} now */
  saveCache(agenda, now) {
    const text = JSON.stringify(agenda);
    if (text === this.lastCache) return;
    this.lastCache = text;
    store.commit({ put: { drafts: [{ id: CACHE_ID, agenda, computed_at: now.toISOString() }] } }).catch(() => {});
  }

  /** @param {any} f @param {Date} now */
  card(f, now) {
    const id = `fu-${domId(f.key)}`;
    const rule = RULES[/** @type {keyof typeof RULES} */ (f.rule)] ?? { label: "Follow-up", verb: "Open the draft" };
    return h("li", {
      class: `card today-card${f.overdue ? " overdue" : ""}`,
      "data-key": f.key, "data-rule": f.rule, "aria-labelledby": id,
    },
      h("div", { class: "card-top" },
        h("h3", { class: "who", id, tabindex: "-1", text: f.who }),
        h("span", { class: f.overdue ? "badge danger" : "badge", text: dueText(f, now) }),
      ),
      h("p", { class: "rule-label", text: rule.label }),
      h("p", { class: "why", text: f.why }),
      h("div", { class: "card-actions" },
        h("button", {
          type: "button", class: "button primary", "data-action": "draft", "aria-haspopup": "dialog",
          "aria-label": `${rule.verb}: ${f.who}`, onclick: () => this.openDraft(f),
        }, rule.verb),
        h("button", {
          type: "button", class: "button", "data-action": "snooze", "aria-haspopup": "dialog",
          "aria-label": `Snooze ${f.who}`, onclick: () => this.openSnooze(f),
        }, "Snooze"),
        h("button", {
          type: "button", class: "button", "data-action": "more", "aria-haspopup": "dialog",
          "aria-label": `More for ${f.who}`, onclick: () => this.openMore(f),
        }, "More"),
      ),
    );
  }

  /** One person in the gratitude round: tick them off, or write to them. @param {any} f @param {Date} now */
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
      h("p", { class: "subtle check-why", id: why, text: `${f.why} ${f.overdue ? dueText(f, now) : ""}`.trim() }),
      h("button", {
        type: "button", class: "button", "data-action": "draft", "aria-haspopup": "dialog",
        "aria-label": `Write to ${f.who}`, onclick: () => this.openDraft(f),
      }, "Write"),
    );
  }

  /** @param {any} f @param {HTMLInputElement} box */
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

  /** @param {any} f */
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

  // --- Dialogs ---

  /**
   * A modal sheet with a heading; `showModal()` traps the focus and Esc closes it. Focus goes
   * back to what opened it, or to the nearest card if that is gone.
   * @param {string} id @param {string} title @param {string} [description]
   */
  sheet(id, title, description) {
    document.getElementById(id)?.remove();
    const opener = /** @type {HTMLElement | null} */ (document.activeElement);
    const dialog = /** @type {HTMLDialogElement} */ (h("dialog", {
      class: "sheet", id, "aria-labelledby": `${id}-title`, "aria-describedby": description ? `${id}-desc` : null,
    }));
    const body = h("div", { class: "sheet-body" });
    dialog.append(
      h("div", { class: "sheet-head" },
        h("h2", { id: `${id}-title`, tabindex: "-1", text: title }),
        h("button", { type: "button", class: "button sheet-close", onclick: () => dialog.close() }, "Close"),
      ),
      description ? h("p", { class: "subtle sheet-desc", id: `${id}-desc`, text: description }) : null,
      body,
    );
    dialog.addEventListener("close", () => {
      dialog.remove();
      if (document.querySelector("dialog[open]")) return;
      if (opener && opener.isConnected) opener.focus();
    });
    document.body.append(dialog);
    dialog.showModal();
    return { dialog, body };
  }

  /** @param {any} f */
  async openDraft(f) {
    const rule = RULES[/** @type {keyof typeof RULES} */ (f.rule)] ?? { verb: "Write" };
    const { dialog, body } = this.sheet("draft-dialog", `${rule.verb}: ${f.who}`, f.why);
    const waiting = h("p", { class: "loading with-spinner", role: "status" },
      h("span", { class: "spinner", "aria-hidden": "true" }),
      this.engine.ready ? "Writing the draft…" : "Waiting for the follow-up engine to start…");
    body.replaceChildren(waiting);
    const now = new Date();
    const [response, saved] = await Promise.all([
      this.engine.call({ op: "draft", key: f.key, now: now.toISOString(), today: localDate(now) }),
      store.get("drafts", DRAFT_PREFIX + f.key).catch(() => null),
    ]);
    if (!dialog.open) return;
    if (!response.ok) {
      body.replaceChildren(
        h("p", { class: "error", role: "alert", text: response.message }),
        h("div", { class: "sheet-actions" },
          h("button", { type: "button", class: "button", onclick: () => dialog.close() }, "Close")),
      );
      return;
    }
    this.renderDraft(dialog, body, f, response.draft, saved);
  }

  /**
   * @param {HTMLDialogElement} dialog @param {HTMLElement} body @param {any} f
   * @param {{subject: string, body: string, sms: string, channels: string[], to: {name: string, email: string, phone: string}}} draft
   * @param {any} saved the user's earlier edits of this draft, if any
   */
  renderDraft(dialog, body, f, draft, saved) {
    const channels = draftChannels(f.rule, draft.channels);
    // The first way the rule suggests that we have an address for; else email, typed by hand.
    const reachable = (/** @type {string} */ c) => (c === "email" ? draft.to.email : c === "card" ? "" : draft.to.phone);
    const edits = {
      channel: channels.find(reachable) ?? (channels.includes("email") ? "email" : channels[0]),
      email: draft.to.email,
      phone: draft.to.phone,
      subject: draft.subject,
      body: draft.body,
      sms: draft.sms,
      ...(saved ?? {}),
    };
    if (!channels.includes(edits.channel)) edits.channel = channels[0];
    const key = f.key;
    const first = (draft.to.name || f.who).split(/\s+/)[0];

    const channelBox = h("fieldset", { class: "channels" },
      h("legend", { text: "Send by" }),
      h("div", { class: "segmented" },
        ...channels.map((c) => h("label", { class: "segment" },
          h("input", {
            type: "radio", name: "draft-channel", value: c, checked: c === edits.channel,
            onchange: () => { edits.channel = c; update(true); },
          }),
          h("span", { text: CHANNELS[/** @type {keyof typeof CHANNELS} */ (c)].label }),
        )),
      ),
    );
    channelBox.hidden = channels.length < 2;

    const field = (/** @type {string} */ id, /** @type {string} */ label, /** @type {HTMLElement} */ control, /** @type {string} */ hintText = "") => {
      const hint = hintText ? h("p", { class: "hint", id: `${id}-hint`, text: hintText }) : null;
      if (hint) control.setAttribute("aria-describedby", `${id}-hint`);
      control.id = id;
      return h("div", { class: "field" }, h("label", { for: id, text: label }), control, hint);
    };
    const email = /** @type {HTMLInputElement} */ (h("input", { type: "email", inputmode: "email", autocapitalize: "off", spellcheck: "false", autocomplete: "off" }));
    const phone = /** @type {HTMLInputElement} */ (h("input", { type: "tel", inputmode: "tel", autocomplete: "off" }));
    const subject = /** @type {HTMLInputElement} */ (h("input", { type: "text" }));
    const message = /** @type {HTMLTextAreaElement} */ (h("textarea", { rows: "9" }));
    email.value = edits.email;
    phone.value = edits.phone;
    subject.value = edits.subject;
    const emailField = field("draft-email", "Email address", email,
      draft.to.email ? "" : `No email saved for ${first}. Type it here, or choose in your email app.`);
    const phoneField = field("draft-phone", "Phone number", phone,
      draft.to.phone ? "" : `No phone number saved for ${first}. Type it here to text or call.`);
    const subjectField = field("draft-subject", "Subject", subject);
    const messageLabel = h("label", { for: "draft-message" });
    message.id = "draft-message";
    const count = h("p", { class: "hint", id: "draft-count" });
    const messageField = h("div", { class: "field" }, messageLabel, message, count);

    const actions = h("div", { class: "sheet-actions sticky" });
    const restored = saved ? h("p", { class: "hint", text: "Your earlier edits are back." }) : null;
    body.replaceChildren(...[channelBox, emailField, phoneField, subjectField, messageField, restored, actions]
      .filter((x) => x !== null));

    const persist = () => {
      clearTimeout(this.editTimer);
      this.editTimer = setTimeout(() => {
        this.tracker.track(store.commit({ put: { drafts: [{ id: DRAFT_PREFIX + key, ...edits }] } })).catch(() => {});
      }, 250);
    };
    const messageText = () => (edits.channel === "sms" || edits.channel === "call" ? edits.sms : edits.body);

    const update = (/** @type {boolean} */ rebuild) => {
      const c = edits.channel;
      emailField.hidden = c !== "email";
      phoneField.hidden = c !== "sms" && c !== "call";
      subjectField.hidden = c !== "email";
      messageLabel.textContent = CHANNELS[/** @type {keyof typeof CHANNELS} */ (c)].field;
      if (rebuild) message.value = messageText();
      count.textContent = c === "sms" ? `${message.value.length} characters` : "";
      count.hidden = c !== "sms";
      if (rebuild) buildActions();
      else refreshLink();
    };

    /** @type {HTMLAnchorElement | null} */
    let link = null;
    const refreshLink = () => {
      if (!link) return;
      const c = edits.channel;
      link.href = sendHref(c, {
        to: c === "email" ? edits.email : edits.phone, subject: edits.subject, body: messageText(),
      }, { ios: isIOS() });
    };
    const buildActions = () => {
      const c = edits.channel;
      /** @type {HTMLElement} */
      let primary;
      link = null;
      if (c === "card") {
        primary = h("button", {
          type: "button", class: "button primary", "data-action": "send",
          onclick: () => this.logSent(f, "card", edits, dialog),
        }, CHANNELS.card.send);
      } else if ((c === "sms" || c === "call") && !dialable(edits.phone)) {
        primary = h("button", { type: "button", class: "button primary", disabled: true }, c === "call" ? `Call ${first}` : CHANNELS.sms.send);
      } else {
        link = /** @type {HTMLAnchorElement} */ (h("a", {
          class: "button primary", "data-action": "send",
          onclick: () => this.handOff(f, c, edits),
        }, c === "call" ? `Call ${first}` : CHANNELS[/** @type {keyof typeof CHANNELS} */ (c)].send));
        primary = link;
        refreshLink();
      }
      actions.replaceChildren(...[
        primary,
        h("button", { type: "button", class: "button", onclick: () => this.copy(f, c, edits, message) }, "Copy"),
        c === "card" ? null : h("button", {
          type: "button", class: "button quiet", onclick: () => this.askSent({ f, channel: c, edits }),
        }, c === "call" ? "Already called" : "Already sent"),
      ].filter((x) => x !== null));
    };

    /** An address typed where none was saved is kept on the person when the draft goes. */
    const hintTyped = (/** @type {string} */ id, /** @type {string} */ value, /** @type {string} */ empty) => {
      const hint = document.getElementById(`${id}-hint`);
      if (hint) hint.textContent = value.trim() ? `Saved to ${first}’s details when you send.` : empty;
    };
    email.addEventListener("input", () => {
      edits.email = email.value;
      if (!draft.to.email) hintTyped("draft-email", email.value, `No email saved for ${first}. Type it here, or choose in your email app.`);
      refreshLink();
      persist();
    });
    phone.addEventListener("input", () => {
      if (!draft.to.phone) hintTyped("draft-phone", phone.value, `No phone number saved for ${first}. Type it here to text or call.`);
      const before = Boolean(dialable(edits.phone));
      edits.phone = phone.value;
      if (before !== Boolean(dialable(edits.phone))) buildActions();
      else refreshLink();
      persist();
    });
    subject.addEventListener("input", () => { edits.subject = subject.value; refreshLink(); persist(); });
    message.addEventListener("input", () => {
      if (edits.channel === "sms" || edits.channel === "call") edits.sms = message.value;
      else edits.body = message.value;
      count.textContent = edits.channel === "sms" ? `${message.value.length} characters` : "";
      refreshLink();
      persist();
    });
    update(true);
    // The heading, not a field: no keyboard pops up over the draft, and it is read from the top.
    byId("draft-dialog-title").focus();
    dialog.scrollTop = 0;
    this.draftEdits = { key, edits, draft };
  }

  /**
   * The user tapped Send: their own app opens. Ask "Sent?" when they come back.
   * @param {any} f @param {string} channel @param {any} edits
   */
  handOff(f, channel, edits) {
    this.rememberContact(f, edits);
    this.awaiting = { f, channel, edits, left: false };
    clearTimeout(this.askTimer);
    // Nothing took the page away (a desktop without a mail app, say): ask anyway.
    this.askTimer = setTimeout(() => {
      if (this.awaiting && !this.awaiting.left) this.askSent(this.awaiting);
    }, ASK_AFTER_MS);
  }

  left() {
    if (this.awaiting) this.awaiting.left = true;
  }

  cameBack() {
    if (this.awaiting?.left && document.visibilityState === "visible") {
      clearTimeout(this.askTimer);
      // Let the page settle (the keyboard, the dialog) before asking.
      setTimeout(() => { if (this.awaiting) this.askSent(this.awaiting); }, 300);
    }
  }

  /**
   * A phone number or email typed into the draft is saved on the person, once.
   * @param {any} f @param {any} edits
   */
  rememberContact(f, edits) {
    const draft = this.draftEdits?.key === f.key ? this.draftEdits.draft : null;
    if (!draft || f.person_ids.length !== 1) return;
    const id = f.person_ids[0];
    const email = (edits.email ?? "").trim();
    const phone = (edits.phone ?? "").trim();
    /** @type {Record<string, unknown>} */
    const changes = {};
    if (!draft.to.email && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) changes.emails = [email];
    if (!draft.to.phone && dialable(phone).length >= 5) changes.phones = [phone];
    if (Object.keys(changes).length === 0) return;
    draft.to = { ...draft.to, email: draft.to.email || email, phone: draft.to.phone || phone };
    this.command("update_person", { id, ...changes });
  }

  /**
   * @param {any} f @param {string} channel @param {any} edits @param {HTMLTextAreaElement} message
   */
  async copy(f, channel, edits, message) {
    const text = channel === "email" && edits.subject
      ? `${edits.subject}\n\n${edits.body}`
      : channel === "sms" || channel === "call" ? edits.sms : edits.body;
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      message.focus();
      message.select();
      this.toast("Copying was blocked here: the message is selected, copy it yourself.");
      return;
    }
    if (channel === "card") {
      this.toast("Copied. Write it on the card, then tap “I sent the card”.");
      return;
    }
    this.rememberContact(f, edits);
    this.awaiting = { f, channel, edits, left: false };
    clearTimeout(this.askTimer);
    this.toast("Copied. Paste it into any app; Followthrough asks when you are back.");
  }

  /** Ask whether the message went, and log it if so. @param {{f: any, channel: string, edits?: any}} about */
  askSent({ f, channel, edits }) {
    clearTimeout(this.askTimer);
    this.awaiting = null;
    if (!f || document.getElementById("sent-dialog")) return;
    const first = f.who.split(/\s+/)[0];
    const question = channel === "call" ? `Did you talk to ${first}?` : `Did you send it to ${first}?`;
    const { dialog, body } = this.sheet("sent-dialog", question,
      "If you did, Followthrough logs it and ticks this follow-up off.");
    const yes = h("button", {
      type: "button", class: "button primary", autofocus: true,
      onclick: () => this.logSent(f, channel, edits ?? {}, dialog),
    }, channel === "call" ? "Yes, we talked" : "Yes, it’s sent");
    body.append(h("div", { class: "sheet-actions" },
      yes,
      h("button", { type: "button", class: "button", onclick: () => dialog.close() }, "Not yet"),
    ));
    if (channel !== "call" && channel !== "card") {
      body.append(h("p", { class: "hint", text: "No app opened? Close this, tap Copy, and paste the message where you want." }));
    }
    yes.focus();
  }

  /**
   * Log the interaction that answers the follow-up (its key closes it), then close the sheets.
   * @param {any} f @param {string} channel @param {any} edits @param {HTMLDialogElement} dialog
   */
  async logSent(f, channel, edits, dialog) {
    for (const button of dialog.querySelectorAll("button")) /** @type {HTMLButtonElement} */ (button).disabled = true;
    const index = this.indexOf(f);
    const now = new Date();
    let response;
    if (f.person_ids.length === 0) {
      response = await this.command("mark_done", { key: f.key });
    } else {
      /** @type {Record<string, unknown>} */
      const payload = {
        id: crypto.randomUUID(),
        person_ids: f.person_ids,
        kind: interactionKind(f.rule, channel),
        at: now.toISOString(),
        notes: "",
        followup_key: f.key,
      };
      if (f.refs?.opportunity_id) payload.opportunity_id = f.refs.opportunity_id;
      response = await this.command("log_interaction", payload);
    }
    if (!response) {
      for (const button of dialog.querySelectorAll("button")) /** @type {HTMLButtonElement} */ (button).disabled = false;
      return;
    }
    this.tracker.track(store.commit({ delete: { drafts: [DRAFT_PREFIX + f.key] } })).catch(() => {});
    for (const open of document.querySelectorAll("dialog.sheet")) /** @type {HTMLDialogElement} */ (open).close();
    const what = channel === "card" ? "Card logged" : channel === "call" ? "Call logged" : "Logged as sent";
    this.toast(`${what}: ${f.who} is done for now.`);
    this.focusNear(index);
  }

  /** @param {any} f */
  openSnooze(f) {
    const now = new Date();
    const { dialog, body } = this.sheet("snooze-dialog", `Snooze ${f.who}`,
      "It leaves Today and comes back when you choose.");
    const pick = /** @type {HTMLInputElement} */ (h("input", {
      type: "date", id: "snooze-date", min: localDate(morning(now, 1)), value: localDate(morning(now, 3)),
    }));
    const choices = snoozeChoices(now).map((choice) => h("li", {},
      h("button", {
        type: "button", class: "button choice", "data-choice": choice.id,
        onclick: () => this.snooze(f, choice.until, `${choice.label.toLowerCase()} (${choice.detail})`, dialog),
      },
        h("span", { class: "choice-label", text: choice.label }),
        h("span", { class: "choice-detail", text: choice.detail }),
      ),
    ));
    body.replaceChildren(
      h("ul", { class: "choice-list" }, ...choices),
      h("div", { class: "field pick-date" },
        h("label", { for: "snooze-date", text: "Or pick a date" }),
        h("div", { class: "inline" },
          pick,
          h("button", {
            type: "button", class: "button",
            onclick: () => {
              const [y, m, d] = pick.value.split("-").map(Number);
              if (!y || !m || !d) {
                pick.focus();
                return;
              }
              const until = new Date(y, m - 1, d, 9, 0, 0, 0);
              this.snooze(f, until, `${dayOf(until)}, ${timeOf(until)}`, dialog);
            },
          }, "Snooze until then"),
        ),
      ),
    );
    /** @type {HTMLElement} */ (body.querySelector("button.choice")).focus();
  }

  /** @param {any} f @param {Date} until @param {string} words @param {HTMLDialogElement} dialog */
  async snooze(f, until, words, dialog) {
    if (until.getTime() <= Date.now()) {
      this.toast("Pick a time in the future.");
      return;
    }
    const index = this.indexOf(f);
    const done = await this.command("snooze", { key: f.key, until: until.toISOString() });
    if (!done) return;
    dialog.close();
    this.toast(`Snoozed until ${words}.`);
    this.focusNear(index);
  }

  /** @param {any} f */
  openMore(f) {
    const rule = RULES[/** @type {keyof typeof RULES} */ (f.rule)];
    const { dialog, body } = this.sheet("more-dialog", f.who, rule ? rule.label : undefined);
    const card = f.channels.includes("card")
      ? h("button", {
        type: "button", class: "button wide", onclick: () => this.logSent(f, "card", {}, dialog),
      }, "Handwritten card sent")
      : null;
    body.replaceChildren(
      h("div", { class: "stack" },
        card,
        h("button", {
          type: "button", class: "button wide",
          onclick: async () => {
            const index = this.indexOf(f);
            if (await this.command("mark_done", { key: f.key })) {
              dialog.close();
              this.toast(`Marked done: ${f.who}.`);
              this.focusNear(index);
            }
          },
        }, "Done another way"),
        h("button", { type: "button", class: "button wide", onclick: () => { dialog.close(); this.openSkip(f); } }, "Skip…"),
        h("button", {
          type: "button", class: "button wide",
          onclick: async () => {
            // A calendar event with an alarm: the phone reminds the user with no server.
            const now = new Date();
            const response = await this.engine.call({
              op: "export_ics", keys: [f.key], now: now.toISOString(), today: localDate(now),
            });
            if (!response.ok) {
              this.toast(response.message);
              return;
            }
            const { download } = await import("../files.js");
            download(response.text, response.filename, response.mime);
            dialog.close();
            this.toast(`Added to your calendar file: ${f.who}.`);
          },
        }, "Add to calendar"),
        f.person_ids.length
          ? h("a", {
            class: "button wide", href: `#person/${encodeURIComponent(f.person_ids[0])}`, onclick: () => dialog.close(),
          }, `Open ${f.who.split(/\s+/)[0]}’s page`)
          : null,
      ),
    );
    /** @type {HTMLElement} */ (body.querySelector("button, a")).focus();
  }

  /** @param {any} f */
  openSkip(f) {
    const reasons = [
      "We are already in touch",
      "It is no longer relevant",
      "I would rather not contact them",
    ];
    const { dialog, body } = this.sheet("skip-dialog", "Skip this follow-up?",
      `Followthrough will not ask about it again. ${f.who}: ${RULES[/** @type {keyof typeof RULES} */ (f.rule)]?.label ?? "follow-up"}.`);
    const own = /** @type {HTMLInputElement} */ (h("input", { type: "text", id: "skip-own", maxlength: "200" }));
    const form = /** @type {HTMLFormElement} */ (h("form", { class: "form skip-form", novalidate: true },
      h("fieldset", { class: "field plain" },
        h("legend", { text: "Why? (optional)" }),
        ...reasons.map((reason, i) => h("div", { class: "switch-row" },
          h("input", { type: "radio", name: "skip-reason", id: `skip-reason-${i}`, value: reason }),
          h("label", { for: `skip-reason-${i}`, text: reason }),
        )),
      ),
      h("div", { class: "field" }, h("label", { for: "skip-own", text: "Or in your own words" }), own),
      h("div", { class: "sheet-actions" },
        h("button", { type: "submit", class: "button primary" }, "Skip it"),
        h("button", { type: "button", class: "button", onclick: () => dialog.close() }, "Cancel"),
      ),
    ));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const chosen = /** @type {HTMLInputElement | null} */ (form.querySelector("input[name=skip-reason]:checked"));
      const reason = own.value.trim() || chosen?.value || "";
      const index = this.indexOf(f);
      if (await this.command("skip", { key: f.key, reason })) {
        dialog.close();
        this.toast(`Skipped: ${f.who}. It will not come back.`);
        this.focusNear(index);
      }
    });
    body.replaceChildren(form);
    /** @type {HTMLElement} */ (form.querySelector("input")).focus();
  }
}
