// @ts-check
/**
 * Settings: when each follow-up is due, the user's own message templates, keep-in-touch
 * cadences, how safe the data is on this device, and "My card" (a vCard QR code made here).
 * The card works before the engine is ready; the rest waits for the engine's `settings` op.
 */
import { h, localDate } from "../dom.js";
import * as store from "../store.js";
import { encodeQr, qrSvg } from "../qr.js";

/** What each rule is called, and what its timing counts from. Keep-in-touch has its own section. */
export const RULES = [
  { rule: "reach-out", title: "Reach out to a new referral", from: "after you get the name" },
  { rule: "thank-you", title: "Thank-you after a meeting, call or interview", from: "after the meeting" },
  { rule: "met-at-event", title: "Follow up with someone you met at an event", from: "after the event" },
  { rule: "rejection-thanks", title: "Thank-you after a rejection", from: "after you hear the news" },
  { rule: "close-loop", title: "Tell the introducer how it went", from: "after you contact or meet the person they introduced" },
  { rule: "close-loop-outcome", title: "Tell the introducer the final outcome", from: "after the outcome is final" },
  { rule: "act-on-advice", title: "Act on advice you were given", from: "after you get the advice" },
  { rule: "report-back", title: "Report back on advice you acted on", from: "after you act on it" },
  { rule: "promise", title: "Keep a promise", from: "after the date you promised" },
  { rule: "gratitude", title: "Thank everyone who helped you land the job", from: "after you accept the offer" },
  { rule: "courtesy-note", title: "Tell other employers you accepted a job", from: "after you accept the offer" },
  { rule: "keep-in-touch", title: "Keep in touch", from: "" },
];
const TITLE = Object.fromEntries(RULES.map((r) => [r.rule, r.title]));
const TIMED_RULES = RULES.filter((r) => r.rule !== "keep-in-touch");

/** The engine's limits (followup/settings.py `_RANGES`), checked here first for quick messages. */
export const RANGES = {
  due_hours: [0, 24 * 365],
  expire_days: [0, 3650],
  introducer: [0, 3650],
  reference: [0, 3650],
  met: [0, 3650],
  max_per_day: [0, 1000],
  lookback_days: [1, 3650],
  horizon_days: [0, 90],
  max_items: [1, 1000],
};

const CADENCES = [
  { name: "introducer", label: "People who introduced you" },
  { name: "reference", label: "Your references" },
  { name: "met", label: "Everyone else you met" },
];
const PHASES = [
  { name: "searching", legend: "While you are looking for work" },
  { name: "landed", legend: "After you have landed a job" },
];

/**
 * The card's fields and where each is stored in the `meta` profile record. The engine's profile
 * has only name, email and phone; the others are kept in the same record under a leading
 * underscore (the engine ignores those) until it stores them itself: then set `stored` to the
 * plain name and they go through `save_profile` too (old `_` values are still read).
 */
const CARD_FIELDS = [
  { name: "name", label: "Your name", type: "text", autocomplete: "name", stored: "name" },
  { name: "role", label: "Role", type: "text", autocomplete: "organization-title", stored: "_role", hint: "e.g. Sales lead, looking for my next role" },
  { name: "organisation", label: "Organisation", type: "text", autocomplete: "organization", stored: "_organisation" },
  { name: "email", label: "Email", type: "email", autocomplete: "email", stored: "email" },
  { name: "phone", label: "Phone", type: "tel", autocomplete: "tel", stored: "phone" },
  { name: "url", label: "Website or LinkedIn", type: "url", autocomplete: "url", stored: "_url" },
];

// --- The card as a vCard 4.0 (RFC 6350) -------------------------------------------------------

/** @typedef {{name: string, role: string, organisation: string, email: string, phone: string, url: string}} Card */

/** Escape a TEXT value (RFC 6350 §3.4). @param {string} text */
function escapeText(text) {
  return text.replace(/\\/g, "\\\\").replace(/,/g, "\\,").replace(/;/g, "\\;").replace(/\r\n|\r|\n/g, "\\n");
}

/** Fold a content line at 75 octets without splitting a character (RFC 6350 §3.2). @param {string} line */
function fold(line) {
  const encoder = new TextEncoder();
  const parts = [];
  let current = "";
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    if (octets + size > (parts.length ? 74 : 75)) {
      parts.push(current);
      current = "";
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

/** A phone number as a tel: URI (RFC 3966): digits and a leading +. @param {string} phone */
export function telUri(phone) {
  const trimmed = phone.trim();
  return `tel:${trimmed.startsWith("+") ? "+" : ""}${trimmed.replace(/[^0-9]/g, "")}`;
}

/** A web address with its scheme (people type "linkedin.com/in/ana"). @param {string} url */
export function normaliseUrl(url) {
  const trimmed = url.trim();
  if (!trimmed) return "";
  return /^[a-z][a-z0-9+.-]*:/i.test(trimmed) ? trimmed : `https://${trimmed}`;
}

/**
 * The card as vCard 4.0 text, CRLF line endings, folded.
 * @param {Card} card
 */
export function vcard(card) {
  const words = card.name.trim().split(/\s+/).filter(Boolean);
  const family = words.length > 1 ? words[words.length - 1] : "";
  const given = words.length > 1 ? words.slice(0, -1).join(" ") : words.join(" ");
  const lines = ["BEGIN:VCARD", "VERSION:4.0", `FN:${escapeText(card.name.trim())}`];
  lines.push(`N:${escapeText(family)};${escapeText(given)};;;`);
  if (card.organisation.trim()) lines.push(`ORG:${escapeText(card.organisation.trim())}`);
  if (card.role.trim()) lines.push(`TITLE:${escapeText(card.role.trim())}`);
  if (card.email.trim()) lines.push(`EMAIL:${escapeText(card.email.trim())}`);
  if (card.phone.trim()) lines.push(`TEL;VALUE=uri;TYPE=cell:${telUri(card.phone)}`);
  if (card.url.trim()) lines.push(`URL:${normaliseUrl(card.url)}`);
  lines.push("END:VCARD");
  return `${lines.map(fold).join("\r\n")}\r\n`;
}

/**
 * The error for one card field, or null.
 * @param {string} name @param {string} value
 */
export function checkCardField(name, value) {
  const v = value.trim();
  if (name === "name" && !v) return "Your name: enter it, so people know whose card this is.";
  if (name === "email" && v && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) {
    return `Email: “${v}” does not look like an email address (for example ana@example.com).`;
  }
  if (name === "phone" && v) {
    if (!/^\+?[0-9 ()./-]+$/.test(v)) return "Phone: use digits, spaces and a leading + only (for example +44 20 7946 0123).";
    if (v.replace(/[^0-9]/g, "").length < 5) return "Phone: that number is too short.";
  }
  if (name === "url" && v) {
    try {
      const url = new URL(normaliseUrl(v));
      if (!/^https?:$/.test(url.protocol) || !url.hostname.includes(".")) throw new Error("no host");
    } catch {
      return `Website or LinkedIn: “${v}” is not a web address (for example linkedin.com/in/your-name).`;
    }
  }
  if (v.length > 200) return `${CARD_FIELDS.find((f) => f.name === name)?.label}: keep it under 200 characters.`;
  return null;
}

/** @param {any} profile @returns {Card} */
function cardOf(profile) {
  /** @type {any} */
  const card = {};
  for (const f of CARD_FIELDS) {
    const value = profile?.[f.name] ?? profile?.[`_${f.name}`];
    card[f.name] = typeof value === "string" ? value : "";
  }
  return card;
}

// --- Templates: the engine's little language, rendered here for the live preview ---------------

/** Example facts for the preview; flags are "yes" where the rule is about them. */
function sampleFacts(rule, myName) {
  const landed = rule === "gratitude" || rule === "courtesy-note" ? "yes" : "";
  return {
    name: "Maria Lopez", first_name: "Maria", their_company: "Northwind",
    my_name: myName || "Alex Kim", introducer: "Ashok Mehta", introducer_first_name: "Ashok",
    referral: "Maria Lopez", referral_first_name: "Maria", context: "media sales",
    event: "the Media Sales Meetup", meeting: "coffee", contact: "met",
    discussed: "how her team hires", advice: "talk to the agency side too",
    promise: "my portfolio", outcome: "an interview next week", company: "Northwind",
    position: "Account Director", new_job: "Head of Sales at Northwind",
    new_company: "Northwind", introduced_names: "Maria Lopez",
    is_chain: landed, is_reference: "", is_helper: landed, is_most_doors: "", is_landed: landed,
  };
}

const TOKEN = /\{([a-z_]+)\}|\{|\}|\[|\]|\|/g;
const MISSING = "\u0000";

export class TemplateError extends Error {}

/**
 * Parse a template (followup/template.py `_parse`); throws TemplateError with the engine's words.
 * @param {string} text @param {Record<string, string>} known
 * @returns {Array<string | {slot: string} | Array<Array<string | {slot: string}>>>}
 */
export function parseTemplate(text, known) {
  /** @type {any[]} */
  const nodes = [];
  /** @type {any[][] | null} */
  let section = null;
  let pos = 0;
  for (const m of text.matchAll(TOKEN)) {
    const literal = text.slice(pos, m.index);
    pos = /** @type {number} */ (m.index) + m[0].length;
    const target = section ? section[section.length - 1] : nodes;
    if (literal) target.push(literal);
    if (m[1]) {
      if (!(m[1] in known)) throw new TemplateError(`The template uses {${m[1]}}, which is not a known fact.`);
      target.push({ slot: m[1] });
    } else if (m[0] === "[") {
      if (section) throw new TemplateError("Optional sections [ ] cannot be nested.");
      section = [[]];
    } else if (m[0] === "]") {
      if (!section) throw new TemplateError("A ] has no matching [.");
      nodes.push(section);
      section = null;
    } else if (m[0] === "|") {
      if (!section) throw new TemplateError("A | may only separate choices inside [ ].");
      section.push([]);
    } else {
      throw new TemplateError("A { or } is not part of a {placeholder}; placeholders look like {first_name}.");
    }
  }
  if (section) throw new TemplateError("A [ is never closed with ].");
  if (pos < text.length) nodes.push(text.slice(pos));
  return nodes;
}

/**
 * Fill a template with facts (followup/template.py `render`): a missing fact drops its optional
 * section, or its whole sentence when outside one.
 * @param {string} text @param {Record<string, string>} facts @param {Record<string, string>} known
 */
export function renderTemplate(text, facts, known) {
  const value = (/** @type {string} */ name) => (name.startsWith("is_") ? "" : facts[name] ?? "");
  const out = parseTemplate(text, known).map((node) => {
    if (typeof node === "string") return node;
    if (!Array.isArray(node)) return value(node.slot) || MISSING;
    for (const alternative of node) {
      const slots = alternative.filter((p) => typeof p !== "string").map((p) => /** @type {any} */ (p).slot);
      if (slots.every((name) => facts[name])) {
        return alternative.map((p) => (typeof p === "string" ? p : value(p.slot))).join("");
      }
    }
    return "";
  });
  const tidyLine = (/** @type {string} */ line) => line
    .replace(/[ \t]+/g, " ").replace(/ +([,.;:!?])/g, "$1").replace(/([,;:])(?=[.!?])/g, "")
    .replace(/\(\s*\)/g, "").replace(/[ \t]+/g, " ").trim();
  const lines = [];
  for (const line of out.join("").split("\n")) {
    if (!line.trim()) {
      lines.push("");
      continue;
    }
    const kept = line.split(/(?<=[.!?])\s+/).filter((s) => !s.includes(MISSING));
    const joined = tidyLine(kept.join(" "));
    if (joined) lines.push(joined);
  }
  return lines.join("\n").replace(/\n{3,}/g, "\n\n").trim();
}

// --- Small helpers ----------------------------------------------------------------------------

/** @param {number} bytes */
function formatBytes(bytes) {
  const units = ["bytes", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** "24 hours = 1 day" in words. @param {number} hours */
export function describeHours(hours) {
  if (!Number.isInteger(hours) || hours < 0) return "";
  if (hours === 0) return "Due straight away.";
  if (hours % 24 === 0) return `That is ${hours / 24} day${hours === 24 ? "" : "s"}.`;
  if (hours > 24) return `That is ${Math.floor(hours / 24)} day${hours < 48 ? "" : "s"} and ${hours % 24} hours.`;
  return `That is ${hours} hour${hours === 1 ? "" : "s"}.`;
}

/**
 * A whole number in range, or an error naming the field.
 * @param {string} raw @param {keyof typeof RANGES} kind @param {string} label
 * @returns {{value: number, error: null} | {value: null, error: string}}
 */
export function readNumber(raw, kind, label) {
  const [low, high] = RANGES[kind];
  const text = raw.trim();
  if (!/^\d+$/.test(text)) return { value: null, error: `${label}: enter a whole number from ${low} to ${high}.` };
  const value = Number(text);
  if (value < low || value > high) return { value: null, error: `${label}: enter a whole number from ${low} to ${high}.` };
  return { value, error: null };
}

/** Replace an element's children, skipping empty ones. @param {Element} element @param {...(Node | null | false | undefined)} children */
function fill(element, ...children) {
  element.replaceChildren(.../** @type {Node[]} */ (children.filter(Boolean)));
}

let uid = 0;
/** An id unique on this page. @param {string} stem */
function idFor(stem) {
  uid += 1;
  return `set-${stem.replace(/[^a-zA-Z0-9_-]/g, "-")}-${uid}`;
}

/**
 * A labelled input with a hint and an error line.
 * @param {{name: string, label: string, value?: string, type?: string, hint?: string, attrs?: Record<string, any>, multiline?: boolean}} spec
 */
function field({ name, label, value = "", type = "text", hint, attrs = {}, multiline = false }) {
  const id = idFor(name);
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const control = multiline
    ? h("textarea", { id, name, rows: 6, "aria-describedby": [hintId, errorId].filter(Boolean).join(" "), ...attrs })
    : h("input", { id, name, type, "aria-describedby": [hintId, errorId].filter(Boolean).join(" "), ...attrs });
  /** @type {HTMLInputElement} */ (control).value = value;
  return h("div", { class: "field" },
    h("label", { for: id, text: label }),
    hint ? h("p", { class: "hint", id: hintId, text: hint }) : null,
    control,
    h("p", { class: "error", id: errorId, hidden: true }),
  );
}

/** @param {HTMLFormElement} form */
function clearErrors(form) {
  for (const error of form.querySelectorAll(".error")) {
    error.textContent = "";
    /** @type {HTMLElement} */ (error).hidden = true;
  }
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}

/**
 * Show an error under a control; open its <details> if closed. Returns the control.
 * @param {Element} control @param {string} message
 */
function showError(control, message) {
  control.setAttribute("aria-invalid", "true");
  const errorId = control.getAttribute("aria-describedby")?.split(" ").find((id) => id.endsWith("-error"));
  const error = errorId ? document.getElementById(errorId) : null;
  if (error) {
    error.textContent = message;
    error.hidden = false;
  }
  const details = control.closest("details");
  if (details) details.open = true;
  return control;
}

/**
 * Remember what is typed in a form (IndexedDB `drafts`), so a reload or a closed app loses
 * nothing. `restore()` puts a kept draft back and says whether there was one.
 * @param {HTMLFormElement} form @param {string} id @param {{track: <T>(p: Promise<T>) => Promise<T>}} tracker
 */
function keepDraft(form, id, tracker) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const values = () => {
    /** @type {Record<string, string | boolean>} */
    const out = {};
    for (const element of form.elements) {
      const input = /** @type {HTMLInputElement} */ (element);
      if (!input.name) continue;
      out[input.name] = input.type === "checkbox" ? input.checked : input.value;
    }
    return out;
  };
  const save = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      tracker.track(store.commit({ put: { drafts: [{ id, values: values(), at: new Date().toISOString() }] } }))
        .catch(() => {});
    }, 250);
  };
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  return {
    async restore() {
      const draft = await store.get("drafts", id).catch(() => null);
      if (!draft?.values) return false;
      for (const [name, value] of Object.entries(draft.values)) {
        const input = /** @type {HTMLInputElement | null} */ (form.elements.namedItem(name));
        if (!input || !("value" in input)) continue;
        if (input.type === "checkbox") input.checked = Boolean(value);
        else input.value = String(value);
      }
      form.dispatchEvent(new Event("draft-restored"));
      return true;
    },
    async clear() {
      clearTimeout(timer);
      await tracker.track(store.commit({ delete: { drafts: [id] } })).catch(() => {});
    },
  };
}

// --- The screen -------------------------------------------------------------------------------

/**
 * @param {HTMLElement} root
 * @param {any} ctx
 * @param {string[]} [params] an optional section to open at: card, timings, messages, keep, storage
 */
export async function mount(root, ctx, params = []) {
  const screen = new SettingsScreen(root, ctx);
  await screen.mount(params[0]);
}

class SettingsScreen {
  /** @param {HTMLElement} root @param {any} ctx */
  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    /** @type {any} */
    this.settings = null;
    /** @type {Record<string, string>} */
    this.placeholders = {};
    /** @type {Record<string, {subject: string, body: string, sms: string}>} */
    this.builtIn = {};
    /** @type {Card} */
    this.card = cardOf(null);
    /** @type {any} */
    this.profile = { id: "profile", name: "", email: "", phone: "" };
    /** @type {Map<string, HTMLElement>} sections that fill in when the engine answers */
    this.bodies = new Map();
  }

  /** @param {string | undefined} section */
  async mount(section) {
    const sections = [
      { id: "card", title: "My card", short: "My card", build: () => this.cardSection() },
      { id: "timings", title: "Follow-up timings", short: "Timings", build: () => this.pending("timings") },
      { id: "messages", title: "Message templates", short: "Messages", build: () => this.pending("messages") },
      { id: "keep", title: "Keep in touch", short: "Keep in touch", build: () => this.pending("keep") },
      { id: "storage", title: "Storage and backup", short: "Storage", build: () => this.storageSection() },
    ];
    this.heading = h("h2", { id: "settings-heading", tabindex: "-1", text: "Settings" });
    this.sectionHeads = new Map();
    const bodies = sections.map((s) => {
      const head = h("h3", { id: `settings-${s.id}-heading`, tabindex: "-1", text: s.title });
      this.sectionHeads.set(s.id, head);
      return h("section", { class: "settings-section", id: `settings-${s.id}`, "aria-labelledby": head.id },
        head, s.build());
    });
    this.root.append(
      h("div", { class: "view-head" }, this.heading,
        h("p", { class: "subtle", text: "Saved on this device. Changes apply to Today at once." })),
      h("nav", { class: "settings-nav", "aria-label": "Settings sections" },
        h("ul", {}, ...sections.map((s) => h("li", {},
          h("button", { type: "button", class: "button", onclick: () => this.jump(s.id) }, s.short))))),
      ...bodies,
      this.templateDialog(),
    );
    if (section && this.sectionHeads.has(section)) this.jump(section);
    else this.heading.focus({ preventScroll: true });
    // The card and storage need no engine; the rest fills in when the engine answers.
    await this.loadCard();
    this.refreshStorage();
    this.loadSettings();
  }

  /** Scroll to a section (below the sticky app bar) and put focus on its heading. @param {string} id */
  jump(id) {
    const head = this.sectionHeads.get(id);
    if (!head) return;
    const bar = document.querySelector(".app-bar")?.getBoundingClientRect().height ?? 0;
    window.scrollTo({ top: Math.max(0, head.getBoundingClientRect().top + window.scrollY - bar - 12) });
    head.focus({ preventScroll: true });
  }

  /** A section waiting for the engine. @param {string} id */
  pending(id) {
    const body = h("div", { class: "settings-body" },
      h("p", { class: "loading", role: "status", text: "Loading your settings…" }));
    this.bodies.set(id, body);
    return body;
  }

  async loadSettings() {
    const response = await this.ctx.engine.call({ op: "settings" });
    if (!response.ok) {
      for (const body of this.bodies.values()) {
        body.replaceChildren(h("p", { class: "error", role: "alert", text: response.message }));
      }
      return;
    }
    this.settings = response.settings;
    this.placeholders = response.placeholders;
    this.builtIn = response.built_in;
    this.bodies.get("timings")?.replaceChildren(this.timingsForm());
    this.bodies.get("messages")?.replaceChildren(this.messagesList());
    this.bodies.get("keep")?.replaceChildren(this.keepForm());
    const [timings, keep] = await Promise.all([this.timingsDraft?.restore(), this.keepDraft?.restore()]);
    for (const [restored, id] of /** @type {const} */ ([[timings, "timings"], [keep, "keep"]])) {
      if (!restored) continue;
      const form = this.bodies.get(id)?.querySelector("form");
      form?.querySelector(".subtle")?.after(h("p", { class: "form-note", role: "status", text: "Your unsaved changes are back. Save them, or change them first." }));
    }
    this.root.dataset.settingsReady = "true";
  }

  /**
   * Save a settings patch through the engine. Errors come back naming the field
   * (`settings.rules.reach-out.due_hours`), so they are shown next to it.
   * @param {Record<string, any>} patch
   */
  async saveSettings(patch) {
    const response = await this.send("save_settings", { settings: patch });
    if (response.ok) {
      const saved = response.put?.meta?.find((/** @type {any} */ m) => m.id === "settings");
      if (saved) this.settings = saved;
    }
    return response;
  }

  /**
   * A command, with its error kept for the form (ctx.command only toasts it).
   * @param {string} name @param {Record<string, unknown>} payload
   */
  async send(name, payload) {
    const now = new Date();
    const response = await this.ctx.tracker.track(this.ctx.engine.call({
      op: "command", name, payload, now: now.toISOString(), today: localDate(now),
    }));
    if (response.ok) this.ctx.refreshToday();
    return response;
  }

  // --- My card --------------------------------------------------------------------------------

  cardSection() {
    this.cardForm = /** @type {HTMLFormElement} */ (h("form", { class: "form card-form", novalidate: true, "aria-labelledby": "card-form-heading" },
      h("h4", { id: "card-form-heading", text: "Your details" }),
      ...CARD_FIELDS.map((f) => field({
        name: f.name, label: f.name === "name" ? f.label : `${f.label} (optional)`, type: f.type, hint: f.hint,
        attrs: {
          autocomplete: f.autocomplete,
          ...(f.name === "name" ? { required: true, autocapitalize: "words" } : {}),
          ...(f.type === "email" || f.type === "url" ? { autocapitalize: "off", spellcheck: "false" } : {}),
          ...(f.type === "tel" ? { inputmode: "tel" } : {}),
        },
      })),
      h("button", { type: "submit", class: "button primary wide" }, "Save my card"),
    ));
    this.cardForm.addEventListener("submit", (event) => {
      event.preventDefault();
      this.saveCard();
    });
    this.cardDraft = keepDraft(this.cardForm, "settings:card", this.ctx.tracker);
    this.cardPreview = h("div", { class: "qr-card", id: "my-card" });
    // The code first: at an event, showing it is what the section is opened for.
    return h("div", {},
      h("p", { class: "subtle", text: "Your own details as a QR code, to show at events: the other person's camera adds you to their contacts. Made on this device; nothing is sent anywhere." }),
      h("div", { class: "card-layout" }, this.cardPreview, this.cardForm));
  }

  async loadCard() {
    const profile = await store.get("meta", "profile").catch(() => null);
    if (profile) this.profile = profile;
    this.card = cardOf(profile);
    const form = /** @type {HTMLFormElement} */ (this.cardForm);
    for (const f of CARD_FIELDS) {
      /** @type {HTMLInputElement} */ (form.elements.namedItem(f.name)).value = this.card[/** @type {keyof Card} */ (f.name)];
    }
    if (await this.cardDraft?.restore()) {
      this.showCardNote("Your unsaved changes are back. Save them, or change them first.");
    }
    this.renderCard();
  }

  /** @param {string} text */
  showCardNote(text) {
    const form = /** @type {HTMLFormElement} */ (this.cardForm);
    let note = form.querySelector(".form-note");
    if (!note) {
      note = h("p", { class: "form-note", role: "status" });
      form.querySelector("h4")?.after(note);
    }
    note.textContent = text;
  }

  renderCard() {
    const card = this.card;
    const box = /** @type {HTMLElement} */ (this.cardPreview);
    if (!card.name.trim() || !(card.email.trim() || card.phone.trim() || card.url.trim())) {
      box.replaceChildren(h("div", { class: "empty" },
        h("h4", { text: "Your card appears here" }),
        h("p", { text: "Add your name and at least one way to reach you (email, phone or website), then save. You get a QR code to show at events." })));
      return;
    }
    const text = vcard(card);
    const summary = [card.name, card.role, card.organisation, card.email, card.phone, card.url]
      .map((s) => s.trim()).filter(Boolean).join(", ");
    let qr;
    try {
      qr = encodeQr(text, { level: "M" });
    } catch {
      box.replaceChildren(h("div", { class: "empty" },
        h("h4", { text: "Your card is too long for a QR code" }),
        h("p", { text: "Shorten the longest fields, or leave some out. You can still download the card." }),
        h("button", { type: "button", class: "button", onclick: () => this.downloadCard() }, "Download card (.vcf)")));
      return;
    }
    const svg = qrSvg(qr, { label: `QR code of your contact card: ${summary}` });
    svg.classList.add("qr");
    box.replaceChildren(
      h("figure", { class: "qr-figure" },
        svg,
        h("figcaption", { class: "subtle", text: "Ask them to point their camera at it. Turn your screen brightness up if it does not scan." })),
      h("button", { type: "button", class: "button wide", onclick: () => this.downloadCard() }, "Download card (.vcf)"),
    );
    box.dataset.version = String(qr.version);
  }

  async saveCard() {
    const form = /** @type {HTMLFormElement} */ (this.cardForm);
    clearErrors(form);
    /** @type {any} */
    const values = {};
    /** @type {Element | null} */
    let first = null;
    for (const f of CARD_FIELDS) {
      const input = /** @type {HTMLInputElement} */ (form.elements.namedItem(f.name));
      values[f.name] = input.value.trim();
      const problem = checkCardField(f.name, input.value);
      if (problem) {
        const shown = showError(input, problem);
        first ??= shown;
      }
    }
    if (first) {
      /** @type {HTMLElement} */ (first).focus();
      return;
    }
    if (values.url) values.url = normaliseUrl(values.url);
    const button = /** @type {HTMLButtonElement} */ (form.querySelector("button[type=submit]"));
    button.disabled = true;
    button.textContent = "Saving…";
    try {
      // The fields the engine knows go through its command; the others ride along (see CARD_FIELDS).
      const known = Object.fromEntries(CARD_FIELDS.filter((f) => f.stored === f.name).map((f) => [f.name, values[f.name]]));
      let response = await this.send("save_profile", known);
      if (!response.ok && response.error === "engine-unavailable") {
        // The card is only a record: without the engine it is still saved, and read at next boot.
        response = { ok: true, put: { meta: [{ id: "profile", ...known }] } };
      }
      if (!response.ok) {
        const input = form.elements.namedItem(String(response.field ?? "name").split(".").pop() ?? "name");
        /** @type {HTMLElement} */ (showError(/** @type {Element} */ (input ?? form.elements[0]), response.message)).focus();
        return;
      }
      const saved = response.put?.meta?.find((/** @type {any} */ m) => m.id === "profile") ?? {};
      // Until the engine keeps role, organisation and website, they ride along in the record.
      const record = { ...this.profile, ...saved, id: "profile" };
      for (const f of CARD_FIELDS) {
        if (!(f.stored in saved)) record[f.stored] = values[f.name];
      }
      await this.ctx.tracker.track(store.commit({ put: { meta: [record] } }));
      this.profile = record;
      this.card = cardOf(record);
      await this.cardDraft?.clear();
      form.querySelector(".form-note")?.remove();
      this.renderCard();
      this.ctx.toast("Your card is saved.");
    } catch (error) {
      this.ctx.toast(error instanceof Error ? error.message : String(error));
    } finally {
      button.disabled = false;
      button.textContent = "Save my card";
    }
  }

  downloadCard() {
    const blob = new Blob([vcard(this.card)], { type: "text/vcard;charset=utf-8" });
    const url = URL.createObjectURL(blob);
    const slug = this.card.name.trim().toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "my-card";
    const link = h("a", { href: url, download: `${slug}.vcf`, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  // --- Timings --------------------------------------------------------------------------------

  timingsForm() {
    const rules = this.settings.rules;
    const form = /** @type {HTMLFormElement} */ (h("form", { class: "form", novalidate: true, "aria-labelledby": "settings-timings-heading" },
      h("p", { class: "subtle", text: "When each follow-up is due, counted from what sets it off. Turn off the ones you do not want." }),
      h("ul", { class: "rule-list" }, ...TIMED_RULES.map((r) => h("li", {}, this.ruleTiming(r, rules[r.rule])))),
      h("fieldset", { class: "field" },
        h("legend", { text: "Today's list" }),
        field({ name: "today.horizon_days", label: "Show what is due in the next (days)", type: "number", value: String(this.settings.today.horizon_days), attrs: { inputmode: "numeric", min: 0, max: 90 } }),
        field({ name: "today.max_items", label: "Show at most (follow-ups)", type: "number", value: String(this.settings.today.max_items), attrs: { inputmode: "numeric", min: 1, max: 1000 } }),
        field({ name: "gratitude.lookback_days", label: "Gratitude round: thank those who helped in the last (days)", type: "number", value: String(this.settings.gratitude.lookback_days), attrs: { inputmode: "numeric", min: 1, max: 3650 } }),
      ),
      h("div", { class: "form-actions" },
        h("button", { type: "submit", class: "button primary" }, "Save timings"),
        h("button", { type: "button", class: "button", onclick: () => this.resetTimings(form) }, "Restore the defaults"),
      ),
    ));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.saveTimings(form);
    });
    form.addEventListener("input", (event) => this.describe(/** @type {HTMLInputElement} */ (event.target)));
    form.addEventListener("draft-restored", () => {
      for (const input of form.querySelectorAll("input[name$='.due_hours'], input[name$='.enabled']")) this.describe(/** @type {HTMLInputElement} */ (input));
    });
    this.timingsDraft = keepDraft(form, "settings:timings", this.ctx.tracker);
    return form;
  }

  /** @param {{rule: string, title: string, from: string}} r @param {any} timing */
  ruleTiming(r, timing) {
    const summary = h("span", { class: "rule-when subtle", "data-summary": r.rule });
    const details = h("details", { class: "rule" },
      h("summary", {}, h("span", { class: "rule-text" }, h("span", { class: "rule-title", text: r.title }), summary)),
      h("div", { class: "rule-body" },
        h("div", { class: "switch-row" },
          h("input", { type: "checkbox", id: `rule-${r.rule}-enabled`, name: `rules.${r.rule}.enabled`, checked: timing.enabled }),
          h("label", { for: `rule-${r.rule}-enabled`, text: "Suggest this follow-up" })),
        h("div", { class: "number-row" },
          field({ name: `rules.${r.rule}.due_hours`, label: "Due after (hours)", type: "number", value: String(timing.due_hours), hint: `Counted ${r.from}.`, attrs: { inputmode: "numeric", min: 0, max: 8760 } }),
          field({ name: `rules.${r.rule}.expire_days`, label: "Stop suggesting it after (days late)", type: "number", value: String(timing.expire_days), attrs: { inputmode: "numeric", min: 0, max: 3650 } }),
        ),
      ),
    );
    details.dataset.rule = r.rule;
    queueMicrotask(() => this.describe(/** @type {HTMLInputElement} */ (details.querySelector("input[name$='.due_hours']"))));
    return details;
  }

  /** Keep a rule's summary line in step with its fields. @param {HTMLInputElement} input */
  describe(input) {
    const details = input?.closest("details.rule");
    if (!details) return;
    const enabled = /** @type {HTMLInputElement} */ (details.querySelector("input[type=checkbox]")).checked;
    const hours = Number(/** @type {HTMLInputElement} */ (details.querySelector("input[name$='.due_hours']")).value);
    const summary = /** @type {HTMLElement} */ (details.querySelector(".rule-when"));
    summary.textContent = !enabled ? "Off"
      : !Number.isInteger(hours) || hours < 0 ? "Check the hours"
        : hours === 0 ? (details.dataset.rule === "promise" ? "Due on the day you promised" : "Due at once")
          : hours % 24 === 0 ? `Due after ${hours / 24} day${hours === 24 ? "" : "s"}`
            : `Due after ${hours} h`;
  }

  /** @param {HTMLFormElement} form */
  async saveTimings(form) {
    clearErrors(form);
    /** @type {any} */
    const patch = { rules: {}, today: {}, gratitude: {} };
    /** @type {Element | null} */
    let first = null;
    for (const element of form.elements) {
      const input = /** @type {HTMLInputElement} */ (element);
      if (!input.name) continue;
      const [group, key, leaf] = input.name.split(".");
      if (input.type === "checkbox") {
        (patch.rules[key] ??= {}).enabled = input.checked;
        continue;
      }
      const kind = /** @type {keyof typeof RANGES} */ (leaf ?? key);
      const label = group === "rules" ? `${TITLE[key]}, “${input.labels?.[0]?.textContent}”` : `“${input.labels?.[0]?.textContent}”`;
      const read = readNumber(input.value, kind, label);
      if (read.error !== null) {
        {
          const shown = showError(input, read.error);
          first ??= shown;
        }
        continue;
      }
      if (group === "rules") (patch.rules[key] ??= {})[leaf] = read.value;
      else patch[group][key] = read.value;
    }
    if (first) {
      /** @type {HTMLElement} */ (first).focus();
      this.ctx.toast("Some timings need fixing: see the highlighted fields.");
      return;
    }
    await this.submitting(form, "Saving…", async () => {
      const response = await this.saveSettings(patch);
      if (!response.ok) return this.engineError(form, response);
      await this.timingsDraft?.clear();
      this.ctx.toast("Timings saved. Today now follows them.");
    });
  }

  /** Put every timing back to the engine's default, after asking. @param {HTMLFormElement} form */
  async resetTimings(form) {
    if (!(await this.confirm("Restore the default timings?", "Every rule goes back to its built-in timing and is turned on. Your message templates and cadences stay as they are.", "Restore the defaults"))) return;
    await this.submitting(form, "Saving…", async () => {
      const response = await this.saveSettings(structuredClone(DEFAULTS));
      if (!response.ok) return this.engineError(form, response);
      await this.timingsDraft?.clear();
      const fresh = this.timingsForm();
      form.replaceWith(fresh);
      /** @type {HTMLElement} */ (this.sectionHeads.get("timings")).focus();
      this.ctx.toast("Timings are back to the defaults.");
    });
  }

  /**
   * Ask a yes/no question in a modal dialog; resolves true on yes.
   * @param {string} title @param {string} text @param {string} yes
   * @returns {Promise<boolean>}
   */
  confirm(title, text, yes) {
    const opener = /** @type {HTMLElement | null} */ (document.activeElement);
    const dialog = /** @type {HTMLDialogElement} */ (h("dialog", { class: "confirm-dialog", "aria-labelledby": "confirm-title", "aria-describedby": "confirm-text" },
      h("h3", { id: "confirm-title", text: title }),
      h("p", { id: "confirm-text", text }),
      h("form", { method: "dialog", class: "form-actions dialog-actions" },
        h("button", { class: "button primary", value: "yes" }, yes),
        h("button", { class: "button", value: "no", autofocus: true }, "Cancel")),
    ));
    this.root.append(dialog);
    return new Promise((resolve) => {
      dialog.addEventListener("close", () => {
        resolve(dialog.returnValue === "yes");
        dialog.remove();
        opener?.focus();
      });
      dialog.showModal();
    });
  }

  /**
   * Disable a form's buttons and show progress while `work` runs.
   * @param {HTMLFormElement} form @param {string} label @param {() => Promise<unknown>} work
   */
  async submitting(form, label, work) {
    const button = /** @type {HTMLButtonElement} */ (form.querySelector("button[type=submit]"));
    const text = button.textContent;
    const buttons = [...form.querySelectorAll("button")];
    for (const b of buttons) b.disabled = true;
    button.textContent = label;
    try {
      await work();
    } finally {
      for (const b of buttons) b.disabled = false;
      button.textContent = text;
    }
  }

  /**
   * Show the engine's error next to the field it names (`settings.a.b.c` → input `a.b.c`).
   * @param {HTMLFormElement} form @param {any} response
   */
  engineError(form, response) {
    const name = String(response.field ?? "").replace(/^settings\./, "");
    const input = name ? form.querySelector(`[name="${CSS.escape(name)}"]`) : null;
    if (input) {
      const label = /** @type {HTMLInputElement} */ (input).labels?.[0]?.textContent ?? name;
      /** @type {HTMLElement} */ (showError(input, `${label}: ${response.message}`)).focus();
    } else {
      this.ctx.toast(response.message);
    }
  }

  // --- Keep in touch ----------------------------------------------------------------------------

  keepForm() {
    const kit = this.settings.keep_in_touch;
    const form = /** @type {HTMLFormElement} */ (h("form", { class: "form", novalidate: true, "aria-labelledby": "settings-keep-heading" },
      h("p", { class: "subtle", text: "So your network does not end when the search does: a gentle note to each person every so many days. 0 turns it off for that group." }),
      h("div", { class: "switch-row" },
        h("input", { type: "checkbox", id: "keep-enabled", name: "rules.keep-in-touch.enabled", checked: this.settings.rules["keep-in-touch"].enabled }),
        h("label", { for: "keep-enabled", text: "Suggest keep-in-touch notes" })),
      ...PHASES.map((phase) => h("fieldset", { class: "field" },
        h("legend", { text: phase.legend }),
        ...CADENCES.map((c) => field({
          name: `keep_in_touch.${phase.name}.${c.name}`, label: `${c.label}: every (days)`, type: "number",
          value: String(kit[phase.name][c.name]), attrs: { inputmode: "numeric", min: 0, max: 3650 },
        })))),
      field({ name: "keep_in_touch.max_per_day", label: "At most this many notes a day", type: "number", value: String(kit.max_per_day), attrs: { inputmode: "numeric", min: 0, max: 1000 } }),
      h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button primary" }, "Save cadences")),
    ));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.saveKeep(form);
    });
    this.keepDraft = keepDraft(form, "settings:keep", this.ctx.tracker);
    return form;
  }

  /** @param {HTMLFormElement} form */
  async saveKeep(form) {
    clearErrors(form);
    /** @type {any} */
    const patch = { keep_in_touch: { searching: {}, landed: {} }, rules: { "keep-in-touch": {} } };
    /** @type {Element | null} */
    let first = null;
    for (const element of form.elements) {
      const input = /** @type {HTMLInputElement} */ (element);
      if (!input.name) continue;
      if (input.type === "checkbox") {
        patch.rules["keep-in-touch"].enabled = input.checked;
        continue;
      }
      const parts = input.name.split(".");
      const leaf = /** @type {keyof typeof RANGES} */ (parts[parts.length - 1]);
      const phase = PHASES.find((p) => p.name === parts[1]);
      const label = phase ? `${phase.legend}, “${input.labels?.[0]?.textContent}”` : `“${input.labels?.[0]?.textContent}”`;
      const read = readNumber(input.value, leaf, label);
      if (read.error !== null) {
        {
          const shown = showError(input, read.error);
          first ??= shown;
        }
        continue;
      }
      if (parts.length === 3) patch.keep_in_touch[parts[1]][leaf] = read.value;
      else patch.keep_in_touch[leaf] = read.value;
    }
    if (first) {
      /** @type {HTMLElement} */ (first).focus();
      return;
    }
    await this.submitting(form, "Saving…", async () => {
      const response = await this.saveSettings(patch);
      if (!response.ok) return this.engineError(form, response);
      await this.keepDraft?.clear();
      this.ctx.toast("Keep-in-touch cadences saved.");
    });
  }

  // --- Message templates -------------------------------------------------------------------------

  messagesList() {
    this.messageItems = new Map();
    return h("div", {},
      h("p", { class: "subtle", text: "Write the drafts in your own words. Each message starts from the built-in wording; empty a part to go back to the built-in one." }),
      h("ul", { class: "card template-list" }, ...RULES.map((r) => {
        const item = h("li", { class: "template-item" });
        this.messageItems.set(r.rule, item);
        this.renderMessageItem(r.rule);
        return item;
      })),
    );
  }

  /** One rule's line: its name, whose wording, the subject as it would read, and Edit. @param {string} rule */
  renderMessageItem(rule) {
    const item = this.messageItems?.get(rule);
    if (!item) return;
    const own = this.settings.templates[rule];
    const custom = Boolean(own && (own.subject || own.body || own.sms));
    let subject = "";
    try {
      subject = renderTemplate(own?.subject || this.builtIn[rule]?.subject || "", sampleFacts(rule, this.card.name), this.placeholders);
    } catch {
      subject = "";
    }
    fill(item,
      h("div", { class: "template-text" },
        h("h4", { class: "template-title", text: TITLE[rule] }),
        h("p", { class: "template-meta" },
          h("span", { class: custom ? "badge own" : "badge", text: custom ? "Your wording" : "Built-in" }),
          subject ? h("span", { class: "subtle", text: ` “${subject}”` }) : null)),
      h("button", {
        type: "button", class: "button", "aria-label": `Edit the message: ${TITLE[rule]}`,
        onclick: (/** @type {Event} */ event) => this.openTemplate(rule, /** @type {HTMLElement} */ (event.currentTarget)),
      }, "Edit"),
    );
  }

  templateDialog() {
    this.dialog = /** @type {HTMLDialogElement} */ (h("dialog", { class: "template-dialog", "aria-labelledby": "template-dialog-title" }));
    // The opener may have been redrawn meanwhile: find it again by its rule.
    this.dialog.addEventListener("close", () => {
      const rule = this.dialog?.dataset.rule ?? "";
      const again = /** @type {HTMLElement | null} */ (this.messageItems?.get(rule)?.querySelector("button") ?? null);
      (again ?? this.returnFocus)?.focus();
    });
    return this.dialog;
  }

  /** @param {string} rule @param {HTMLElement} opener */
  async openTemplate(rule, opener) {
    const dialog = /** @type {HTMLDialogElement} */ (this.dialog);
    this.returnFocus = opener;
    const own = this.settings.templates[rule] ?? { subject: "", body: "", sms: "" };
    const base = this.builtIn[rule] ?? { subject: "", body: "", sms: "" };
    const parts = [
      { name: "subject", label: "Email subject", multiline: false },
      { name: "body", label: "Email", multiline: true },
      { name: "sms", label: "Text message", multiline: true },
    ];
    const previews = Object.fromEntries(parts.map((p) => [p.name, h("p", { class: "preview-text" })]));
    /** @type {HTMLTextAreaElement | HTMLInputElement | null} */
    let lastField = null;
    const form = /** @type {HTMLFormElement} */ (h("form", { class: "form", method: "dialog", novalidate: true },
      ...parts.map((p) => field({
        name: p.name, label: p.label, multiline: p.multiline,
        value: /** @type {any} */ (own)[p.name] || /** @type {any} */ (base)[p.name],
        attrs: { spellcheck: "true", ...(p.multiline ? { rows: p.name === "body" ? 9 : 4 } : {}) },
      })),
      h("details", { class: "placeholders" },
        h("summary", { text: "Facts you can use" }),
        h("p", { class: "hint", text: "Tap one to insert it where you are typing. [ … ] shows its words only when every fact in it is known; [a|b] uses the first choice that is known." }),
        h("ul", { class: "placeholder-list" }, ...Object.entries(this.placeholders).map(([name, words]) => h("li", {},
          h("button", {
            type: "button", class: "button chip", "aria-label": `Insert {${name}}: ${words}`,
            onclick: () => insert(`{${name}}`),
          }, `{${name}}`), h("span", { class: "subtle", text: words })))),
      ),
      h("section", { class: "preview", "aria-labelledby": "template-preview-title" },
        h("h4", { id: "template-preview-title", text: "Preview, with example details" }),
        ...parts.map((p) => h("div", { class: "preview-part" },
          h("p", { class: "preview-label", text: p.label }), previews[p.name]))),
      h("div", { class: "form-actions" },
        h("button", { type: "button", class: "button", onclick: () => useBuiltIn() }, "Use the built-in wording")),
      h("div", { class: "form-actions dialog-actions" },
        h("button", { type: "button", class: "button", onclick: () => cancel() }, "Cancel"),
        h("button", { type: "submit", class: "button primary", value: "save" }, "Save message"),
      ),
    ));
    const draft = keepDraft(form, `settings:template:${rule}`, this.ctx.tracker);
    const control = (/** @type {string} */ name) => /** @type {HTMLTextAreaElement} */ (form.elements.namedItem(name));
    const insert = (/** @type {string} */ token) => {
      const target = lastField ?? control("body");
      const start = target.selectionStart ?? target.value.length;
      const end = target.selectionEnd ?? start;
      target.setRangeText(token, start, end, "end");
      target.focus();
      target.dispatchEvent(new Event("input", { bubbles: true }));
    };
    const update = () => {
      const facts = sampleFacts(rule, this.card.name || this.profile.name);
      for (const p of parts) {
        const input = control(p.name);
        const error = /** @type {HTMLElement} */ (form.querySelector(`#${input.id}-error`));
        try {
          const text = renderTemplate(input.value || /** @type {any} */ (base)[p.name], facts, this.placeholders);
          previews[p.name].textContent = text || "(empty)";
          error.hidden = true;
          input.removeAttribute("aria-invalid");
        } catch (problem) {
          error.textContent = `${p.label}: ${problem instanceof Error ? problem.message : problem}`;
          error.hidden = false;
          input.setAttribute("aria-invalid", "true");
          previews[p.name].textContent = "(fix the message to see the preview)";
        }
      }
    };
    form.addEventListener("focusin", (event) => {
      const target = /** @type {HTMLElement} */ (event.target);
      if (target.matches("input[name], textarea[name]")) lastField = /** @type {HTMLTextAreaElement} */ (target);
    });
    form.addEventListener("input", update);
    const close = async () => {
      await draft.clear();
      dialog.close();
    };
    const cancel = () => close();
    const useBuiltIn = async () => {
      const response = await this.saveSettings({ templates: { [rule]: { subject: "", body: "", sms: "" } } });
      if (!response.ok) return this.engineError(form, response);
      this.renderMessageItem(rule);
      await close();
      this.ctx.toast(`“${TITLE[rule]}” uses the built-in wording again.`);
    };
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearErrors(form);
      /** @type {Record<string, string>} */
      const template = {};
      /** @type {Element | null} */
      let first = null;
      for (const p of parts) {
        const input = control(p.name);
        try {
          parseTemplate(input.value, this.placeholders);
        } catch (problem) {
          {
          const shown = showError(input, `${p.label}: ${problem instanceof Error ? problem.message : problem}`);
          first ??= shown;
        }
        }
        // Unchanged built-in wording is stored as "use the built-in", so it follows app updates.
        template[p.name] = input.value.trim() === /** @type {any} */ (base)[p.name].trim() ? "" : input.value;
      }
      if (first) {
        /** @type {HTMLElement} */ (first).focus();
        return;
      }
      await this.submitting(form, "Saving…", async () => {
        const response = await this.saveSettings({ templates: { [rule]: template } });
        if (!response.ok) {
          const part = String(response.field ?? "").split(".").pop() ?? "";
          const input = parts.some((p) => p.name === part) ? control(part) : null;
          if (input) /** @type {HTMLElement} */ (showError(input, response.message)).focus();
          else this.ctx.toast(response.message);
          return;
        }
        this.renderMessageItem(rule);
        await close();
        this.ctx.toast(`Your message for “${TITLE[rule]}” is saved.`);
      });
    });
    dialog.replaceChildren(
      h("div", { class: "dialog-head" },
        h("h3", { id: "template-dialog-title", text: TITLE[rule] }),
        h("p", { class: "subtle", text: "Your own wording for this follow-up's draft." })),
      form,
    );
    dialog.dataset.rule = rule;
    const restored = await draft.restore();
    if (restored) {
      form.prepend(h("p", { class: "form-note", role: "status", text: "Your unsaved changes are back." }));
    }
    update();
    dialog.showModal();
    // Escape closes the dialog: the draft stays, so nothing typed is lost.
    const subject = control("subject");
    subject.setSelectionRange(0, 0);
    subject.focus();
  }

  // --- Storage and backup -------------------------------------------------------------------------

  storageSection() {
    this.storageBody = h("div", { class: "storage" }, h("p", { class: "loading", text: "Checking this device's storage…" }));
    return this.storageBody;
  }

  async refreshStorage(/** @type {string | null} */ message = null) {
    const body = /** @type {HTMLElement} */ (this.storageBody);
    const storage = navigator.storage;
    const persisted = storage?.persisted ? await storage.persisted().catch(() => false) : false;
    const estimate = storage?.estimate ? await storage.estimate().catch(() => null) : null;
    // A backup file (meta `backup`, written by Import and export) or sync (the server keeps an
    // encrypted copy) both count: the newer one says how old the last copy is.
    const [backup, syncStatus, syncAccount, people] = await Promise.all([
      store.get("meta", "backup").catch(() => null),
      store.get("sync_meta", "status").catch(() => null),
      store.get("sync_meta", "account").catch(() => null),
      store.getAll("people").then((p) => p.length).catch(() => 0),
    ]);
    const dateOf = (/** @type {unknown} */ iso) => {
      const date = typeof iso === "string" ? new Date(iso) : null;
      return date && !Number.isNaN(date.getTime()) ? date : null;
    };
    const backupAt = dateOf(backup?.at);
    const syncedAt = syncAccount ? dateOf(syncStatus?.last_synced_at) : null;
    const newest = [backupAt, syncedAt].filter(Boolean).sort((a, b) => Number(b) - Number(a))[0] ?? null;
    const daysSince = (/** @type {Date | null} */ date) => (date ? Math.floor((Date.now() - date.getTime()) / 86_400_000) : null);
    const days = daysSince(newest);
    const stale = days === null || days >= 7;

    const status = persisted
      ? h("p", { class: "storage-status" }, h("span", { class: "badge ok", text: "Kept" }),
        " The browser will not clear Followthrough's data to free space.")
      : h("p", { class: "storage-status" }, h("span", { class: "badge danger", text: "Not guaranteed" }),
        " The browser may clear Followthrough's data when the device runs low on space, or after weeks without use.");
    const usage = estimate && typeof estimate.usage === "number" && estimate.quota
      ? h("p", { class: "subtle", text: `Using ${formatBytes(estimate.usage)} of the ${formatBytes(estimate.quota)} this browser allows.` })
      : null;
    const ask = persisted ? null : h("div", { class: "form-actions" },
      h("button", { type: "button", class: "button", onclick: () => this.askPersistence() }, "Ask the browser to keep my data"));
    const ago = (/** @type {Date} */ date) => {
      const d = /** @type {number} */ (daysSince(date));
      const words = d <= 0 ? "today" : d === 1 ? "yesterday" : `${d} days ago`;
      return `${words} (${date.toLocaleDateString(undefined, { day: "numeric", month: "long", year: "numeric" })})`;
    };
    const when = [
      backupAt ? `Last backup: ${ago(backupAt)}.` : "No backup file yet.",
      syncedAt ? `Last synced: ${ago(syncedAt)}.` : null,
    ].filter(Boolean).join(" ");
    const remind = stale && people > 0 && !persisted;
    const backupBox = h("div", { class: remind ? "card backup-reminder warn" : "card backup-reminder" },
      h("h4", { text: remind ? "Back up your contacts" : "Backup" }),
      h("p", { text: when }),
      remind ? h("p", { text: `You have ${people} ${people === 1 ? "person" : "people"} saved only on this device. Export a backup file, or turn on sync, so a cleared browser does not lose them.` }) : null,
      h("div", { class: "form-actions" },
        h("a", { class: "button primary", href: "#transfer" }, "Back up or export"),
        h("a", { class: "button", href: "#sync" }, "Set up sync")),
    );
    fill(body, status, usage, ask,
      message ? h("p", { class: "form-note", role: "status", tabindex: "-1", text: message }) : null,
      backupBox);
    body.dataset.persisted = String(persisted);
  }

  async askPersistence() {
    const storage = navigator.storage;
    if (!storage?.persist) {
      await this.refreshStorage("This browser cannot promise to keep data. Back up regularly, or turn on sync.");
      return;
    }
    const granted = await storage.persist().catch(() => false);
    document.documentElement.dataset.persisted = String(granted);
    await this.refreshStorage(granted
      ? "Done: the browser will keep your data."
      : "The browser said no for now. Browsers usually agree once the app is installed on the home screen or used often. Meanwhile, back up regularly.");
    /** @type {HTMLElement | null} */ (this.storageBody?.querySelector(".form-note") ?? null)?.focus?.();
  }
}

/** The engine's defaults (followup/settings.py `DEFAULT_TIMINGS`, `Settings`), for "Restore the defaults". */
const DEFAULTS = {
  rules: {
    "reach-out": { enabled: true, due_hours: 24, expire_days: 30 },
    "thank-you": { enabled: true, due_hours: 24, expire_days: 7 },
    "met-at-event": { enabled: true, due_hours: 24, expire_days: 7 },
    "rejection-thanks": { enabled: true, due_hours: 24, expire_days: 30 },
    "close-loop": { enabled: true, due_hours: 48, expire_days: 60 },
    "close-loop-outcome": { enabled: true, due_hours: 48, expire_days: 60 },
    "act-on-advice": { enabled: true, due_hours: 168, expire_days: 60 },
    "report-back": { enabled: true, due_hours: 48, expire_days: 60 },
    promise: { enabled: true, due_hours: 0, expire_days: 30 },
    gratitude: { enabled: true, due_hours: 72, expire_days: 60 },
    "courtesy-note": { enabled: true, due_hours: 24, expire_days: 60 },
  },
  today: { horizon_days: 7, max_items: 100 },
  gratitude: { lookback_days: 365 },
};
