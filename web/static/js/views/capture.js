// @ts-check
/**
 * Capture: a person in seconds, with one hand, offline and before the engine is ready. The
 * records are written straight to IndexedDB here; the engine is told afterwards.
 *
 * Everything typed is kept as a draft (IndexedDB `drafts`, id "capture") a moment after each
 * keystroke and at once when the app is hidden, so a reload or a closed app loses nothing.
 */
import { h, byId, localDate } from "../dom.js";
import * as store from "../store.js";

const DRAFT_ID = "capture";
/** Every field of the form that the draft keeps, by its `name`. */
const TEXT_FIELDS = [
  "name", "context", "introducer", "event", "event_date",
  "organisation", "role", "email", "phone", "url", "paste",
];
const DETAIL_FIELDS = ["organisation", "role", "email", "phone", "url", "paste"];
const INTRODUCER_HINT = "Start typing someone you already saved.";
const MAX_OPTIONS = 6;

// --- Reading what was pasted or shared ----------------------------------------------------------

const LINKEDIN_PROFILE = /(?:https?:\/\/)?(?:[a-z]{2,3}\.)?(?:www\.)?linkedin\.com\/in\/([^\s/?#"'<>]+)\/?[^\s"'<>]*/i;
const ANY_URL = /https?:\/\/[^\s"'<>]+/i;
const EMAIL = /[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[a-z]{2,}/i;
const PHONE = /(?:\+|\b00)?\d[\d\s().-]{6,}\d/;
const PARTICLES = new Set(["de", "da", "di", "du", "del", "della", "der", "den", "van", "von", "la", "le", "y", "bin", "al"]);
/** Lines of a copied LinkedIn profile that are not about the person. */
const NOISE = /^(?:linkedin|message|connect|follow|following|more|pending|contact info|open to|view profile|[·•]?\s*\d(?:st|nd|rd|th)\+?(?:\s+degree connection)?|(?:he|she|they)\/(?:him|her|them)|\d[\d,.+k ]*\s*(?:connections?|followers?)|check out .*)$/i;

/**
 * "maria-lopez-0a1b2c3" → "Maria Lopez": a person's name from a LinkedIn profile slug, or ""
 * when the slug has no readable name.
 * @param {string} slug
 */
export function nameFromSlug(slug) {
  let text = slug;
  try {
    text = decodeURIComponent(slug);
  } catch {
    // A broken escape: read it as it is.
  }
  const words = text.split(/[-_.\s]+/).filter(Boolean);
  // LinkedIn appends a number or a hex id to names that were taken: drop those.
  while (words.length > 1 && /\d/.test(words[words.length - 1])) words.pop();
  if (words.length === 0 || words.some((w) => /\d/.test(w))) return "";
  return words
    .map((w, i) => (i > 0 && PARTICLES.has(w.toLowerCase()) ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1)))
    .join(" ");
}

/** A LinkedIn profile URL in canonical form, or "". @param {string} text */
export function linkedinUrl(text) {
  const match = LINKEDIN_PROFILE.exec(text);
  return match ? `https://www.linkedin.com/in/${match[1]}` : "";
}

/** Whether a line reads like a person's name. @param {string} line */
function nameLike(line) {
  if (line.length < 2 || line.length > 70 || /[\d@|:/\\]/.test(line)) return false;
  if (/\s(?:at|@)\s/i.test(line)) return false;
  const words = line.split(/\s+/);
  return words.length <= 5 && words.every((w) => /^[\p{L}][\p{L}'’.-]*,?$/u.test(w));
}

/** "Maria Lopez · 2nd", "Maria Lopez (She/Her)" → "Maria Lopez". @param {string} line */
function cleanNameLine(line) {
  return line
    .replace(/\s*[·•]\s*.*$/, "")
    .replace(/\s*\((?:he|she|they)\/[^)]*\)\s*$/i, "")
    .replace(/,$/, "")
    .trim();
}

/**
 * "Head of Sales at Northwind | Speaker" → {role: "Head of Sales", organisation: "Northwind"}.
 * @param {string} line @param {boolean} loose also split "Role | Company", "Role, Company"
 */
export function parseHeadline(line, loose = false) {
  const at = /^(.{2,100}?)\s+(?:at|@)\s+(.{2,100})$/i.exec(line);
  /** @param {string} text */
  const lastPart = (text) => text.split(/\s+[|·•]\s+/).pop()?.trim() ?? "";
  /** @param {string} text */
  const firstPart = (text) => text.split(/\s+[|·•]\s+|,\s+/)[0].trim();
  if (at) return { role: lastPart(at[1]), organisation: firstPart(at[2]) };
  if (loose) {
    const parts = line.split(/\s+[|·•–-]\s+|,\s+/).map((p) => p.trim()).filter(Boolean);
    if (parts.length === 2 && parts.every((p) => p.length <= 80 && !/[@]/.test(p))) {
      return { role: parts[0], organisation: parts[1] };
    }
  }
  return null;
}

/**
 * What can be read from a pasted LinkedIn profile link, copied profile text, an email signature,
 * or what another app shared (`{title, text, url}`): a name, role, organisation, profile link,
 * email and phone. Fields it cannot read are "". Pure: no DOM, no network.
 * @param {string | {title?: string | null, text?: string | null, url?: string | null}} input
 * @returns {{name: string, role: string, organisation: string, url: string, email: string, phone: string}}
 */
export function parseShared(input) {
  const parts = typeof input === "string" ? { title: "", text: input, url: "" } : input;
  const title = (parts.title ?? "").trim();
  const text = (parts.text ?? "").replace(/\r\n?/g, "\n");
  const sharedUrl = (parts.url ?? "").trim();
  const all = [title, text, sharedUrl].join("\n");
  const out = { name: "", role: "", organisation: "", url: "", email: "", phone: "" };

  const profile = linkedinUrl(all);
  out.url = profile || (ANY_URL.exec(all)?.[0] ?? "");
  out.email = EMAIL.exec(all.replace(ANY_URL, " "))?.[0] ?? "";
  const phone = PHONE.exec(all.replace(new RegExp(ANY_URL, "gi"), " ").replace(EMAIL, " "))?.[0] ?? "";
  if (phone.replace(/\D/g, "").length >= 8 && !/^\d{4}-\d{2}-\d{2}/.test(phone)) out.phone = phone.trim();

  // A page title: "Maria Lopez - Head of Sales - Northwind | LinkedIn", "Maria Lopez | LinkedIn".
  if (title && !ANY_URL.test(title)) {
    const bare = title.replace(/\s*[|–-]\s*LinkedIn\s*$/i, "").trim();
    const pieces = bare.split(/\s+[–-]\s+/).map((p) => p.trim()).filter(Boolean);
    if (pieces.length && nameLike(cleanNameLine(pieces[0]))) {
      out.name = cleanNameLine(pieces[0]);
      if (pieces.length === 3) {
        out.role = pieces[1];
        out.organisation = pieces[2];
      } else if (pieces.length === 2) {
        const headline = parseHeadline(pieces[1]);
        if (headline) Object.assign(out, headline);
        else out.role = pieces[1];
      }
    }
  }

  // "Check out Maria Lopez’s profile on LinkedIn https://…" (what the LinkedIn app shares).
  const checkOut = /check out (.+?)[’']s? profile on linkedin/i.exec(text);
  if (!out.name && checkOut && nameLike(checkOut[1].trim())) out.name = checkOut[1].trim();

  // Copied profile text or a signature: the first name-like line, then its headline.
  const lines = text.split("\n")
    .map((line) => line.replace(ANY_URL, "").replace(EMAIL, "").trim())
    .filter((line) => line && !NOISE.test(line));
  let nameAt = -1;
  if (!out.name) {
    nameAt = lines.findIndex((line) => nameLike(cleanNameLine(line)));
    if (nameAt >= 0) out.name = cleanNameLine(lines[nameAt]);
  } else {
    nameAt = lines.findIndex((line) => cleanNameLine(line) === out.name);
  }
  if (!out.role && !out.organisation) {
    const after = lines.slice(nameAt + 1, nameAt + 5);
    for (const [i, line] of after.entries()) {
      const headline = parseHeadline(line, i === 0 && nameAt >= 0);
      if (headline) {
        Object.assign(out, headline);
        break;
      }
    }
  }
  if (!out.name && profile) out.name = nameFromSlug(profile.split("/in/")[1]);
  return out;
}

// --- Records -----------------------------------------------------------------------------------

/**
 * Validate the form's values; returns the error for a field or null.
 * @param {{name: string, email?: string}} values
 */
export function validateCapture(values) {
  if (!values.name.trim()) return { field: "name", message: "Enter a name: it is the one thing a capture needs." };
  if (values.name.length > 200) return { field: "name", message: "That name is longer than 200 characters." };
  const email = (values.email ?? "").trim();
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    return { field: "email", message: "That email address looks incomplete: check it, or leave it empty." };
  }
  return null;
}

/**
 * @typedef {{
 *   name: string, context: string, organisation?: string, role?: string, email?: string,
 *   phone?: string, url?: string, introducerId: string | null, newIntroducer?: string | null,
 *   event: {id: string, name: string, date: string, isNew: boolean} | null,
 * }} CaptureValues
 */

/**
 * The records a capture writes, as the engine's schema wants them (docs/engine-api.md).
 * @param {CaptureValues} values
 * @param {{now: Date, today: string, newId: () => string}} env
 */
export function captureRecords(values, { now, today, newId }) {
  const at = now.toISOString();
  const text = (/** @type {string | undefined} */ value) => (value ?? "").trim();
  /** @param {string} name */
  const blank = (name) => ({
    id: newId(), name, organisation: "", role: "", emails: [], phones: [], urls: [], tags: [],
    notes: "", how_met: "", event_id: null, created_at: at, updated_at: at,
  });
  const person = {
    ...blank(values.name.trim()),
    organisation: text(values.organisation),
    role: text(values.role),
    emails: text(values.email) ? [text(values.email)] : [],
    phones: text(values.phone) ? [text(values.phone)] : [],
    urls: text(values.url) ? [text(values.url)] : [],
    notes: values.context.trim(),
    how_met: values.event ? `Met at ${values.event.name}` : "",
    event_id: values.event ? values.event.id : null,
  };
  /** @type {Record<string, any[]>} */
  const put = { people: [person] };
  let introducerId = values.introducerId;
  if (!introducerId && values.newIntroducer?.trim()) {
    const introducer = blank(values.newIntroducer.trim());
    put.people.push(introducer);
    introducerId = introducer.id;
  }
  if (values.event?.isNew) {
    put.events = [{ id: values.event.id, name: values.event.name, date: values.event.date || today, place: "", created_at: at }];
  }
  if (introducerId) {
    put.introductions = [{
      id: newId(),
      introducer_id: introducerId,
      introduced_id: person.id,
      at,
      kind: "introduction",
      context: values.context.trim(),
      status: "offered",
      outcome: "",
      created_at: at,
    }];
  }
  return put;
}

// --- Type-ahead over known people --------------------------------------------------------------

/** Lower case, accents removed: "José" matches "jose". @param {string} text */
export function fold(text) {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().trim();
}

/**
 * The known people that match what was typed, best first: names that start with it, then names
 * with a word that does, then organisations, then names that contain it.
 * @param {any[]} people @param {string} query @param {number} [limit]
 */
export function matchPeople(people, query, limit = MAX_OPTIONS) {
  const q = fold(query);
  if (!q) return [];
  /** @type {Array<[number, string, any]>} */
  const scored = [];
  for (const person of people) {
    const name = fold(person.name ?? "");
    const org = fold(person.organisation ?? "");
    let score = -1;
    if (name.startsWith(q)) score = 0;
    else if (name.split(/\s+/).some((w) => w.startsWith(q))) score = 1;
    else if (org && (org.startsWith(q) || org.split(/\s+/).some((w) => w.startsWith(q)))) score = 2;
    else if (name.includes(q)) score = 3;
    if (score >= 0) scored.push([score, name, person]);
  }
  scored.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return scored.slice(0, limit).map((s) => s[2]);
}

/** "Maria Lopez (Northwind)": organisation tells people with the same name apart. @param {any} person */
export function personLabel(person) {
  return person.organisation ? `${person.name} (${person.organisation})` : person.name;
}

// --- The screen --------------------------------------------------------------------------------

export class CaptureView {
  /**
   * @param {{onSaved: (put: Record<string, any[]>) => void, onMet: (person: any) => void, toast: (text: string) => void, tracker: {track: <T>(p: Promise<T>) => Promise<T>}}} hooks
   */
  constructor({ onSaved, onMet, toast, tracker }) {
    this.onSaved = onSaved;
    this.onMet = onMet;
    this.toast = toast;
    this.tracker = tracker;
    this.form = /** @type {HTMLFormElement} */ (byId("capture-form"));
    this.combo = /** @type {HTMLInputElement} */ (byId("capture-introducer"));
    this.listbox = byId("introducer-options");
    /** @type {any[]} */
    this.people = [];
    /** @type {any[]} */
    this.events = [];
    /** The introducer picked from the list: a saved person, or a new one to save too. @type {{id: string, label: string} | {newName: string} | null} */
    this.introducer = null;
    /** @type {Array<{person: any} | {newName: string}>} */
    this.options = [];
    this.active = -1;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.draftTimer = undefined;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.pasteTimer = undefined;
    this.saving = false;
    /** @type {Promise<void>} */
    this.restored = Promise.resolve();

    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.save();
    });
    this.form.addEventListener("input", (event) => {
      const target = /** @type {HTMLElement} */ (event.target);
      if (target === this.input("name")) this.onNameInput();
      if (target === this.input("paste")) {
        // Read once the paste (or the typing) settles, not on every key.
        clearTimeout(this.pasteTimer);
        this.pasteTimer = setTimeout(() => this.fillFrom(this.input("paste").value, "paste"), 300);
      }
      if (target === this.input("event") || target === this.input("event_date")) this.renderBanner();
      this.keepDraft();
    });
    this.form.addEventListener("change", () => this.keepDraft());
    this.input("name").addEventListener("paste", (event) => this.onNamePaste(event));
    this.input("name").addEventListener("keydown", (event) => {
      // Enter in the name goes on to the one line of context; Enter there saves.
      if (event.key === "Enter" && !event.isComposing) {
        event.preventDefault();
        this.input("context").focus();
      }
    });
    byId("event-mode").addEventListener("change", () => this.onEventMode());
    byId("event-end").addEventListener("click", () => this.endEvent());
    byId("capture-paste").addEventListener("click", () => this.pasteFromClipboard());
    this.setupCombobox();
    // Closing the app right after typing: keep the draft now, not in 250 ms.
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") this.flushDraft();
    });
    window.addEventListener("pagehide", () => this.flushDraft());
  }

  /** @param {string} name @returns {HTMLInputElement} */
  input(name) {
    return /** @type {HTMLInputElement} */ (this.form.elements.namedItem(name));
  }

  /** Restore what was typed before a reload or a closed app, and read known people. */
  restore() {
    this.restored = this.readSaved();
    return this.restored;
  }

  async readSaved() {
    const [draft, people, events] = await Promise.all([
      store.get("drafts", DRAFT_ID), store.getAll("people"), store.getAll("events"),
    ]);
    this.people = people;
    this.events = events;
    this.renderEventNames();
    this.renderRecent();
    if (draft) {
      for (const name of TEXT_FIELDS) {
        const input = this.input(name);
        // Never overwrite what was typed (or shared) while the draft was being read.
        if (input && !input.value && typeof draft[name] === "string") input.value = draft[name];
      }
      /** @type {HTMLInputElement} */ (byId("event-mode")).checked = Boolean(draft.event_mode);
      if (draft.introducer_id && this.combo.value) {
        const person = this.people.find((p) => p.id === draft.introducer_id);
        if (person) this.introducer = { id: person.id, label: this.combo.value };
      } else if (draft.introducer_new && this.combo.value) {
        this.introducer = { newName: draft.introducer_new };
      }
      if (DETAIL_FIELDS.some((name) => this.input(name).value)) {
        /** @type {HTMLDetailsElement} */ (byId("capture-more")).open = true;
      }
    }
    if (!this.input("event_date").value) this.input("event_date").value = localDate(new Date());
    this.renderBanner();
  }

  /** Read the saved people and events again: other screens add, merge and import people. */
  async refresh() {
    await this.restored;
    const [people, events] = await Promise.all([store.getAll("people"), store.getAll("events")]);
    this.people = people;
    this.events = events;
    this.renderEventNames();
    this.renderRecent();
  }

  values() {
    /** @type {Record<string, any>} */
    const values = {};
    for (const name of TEXT_FIELDS) values[name] = this.input(name).value;
    values.event_mode = /** @type {HTMLInputElement} */ (byId("event-mode")).checked;
    values.introducer_id = this.introducer && "id" in this.introducer ? this.introducer.id : null;
    values.introducer_new = this.introducer && "newName" in this.introducer ? this.introducer.newName : null;
    return values;
  }

  keepDraft() {
    clearTimeout(this.draftTimer);
    this.draftTimer = setTimeout(() => this.flushDraft(), 250);
  }

  /** Write the draft now. @param {boolean} [force] even if nothing was typed since the last write */
  flushDraft(force = false) {
    if ((this.draftTimer === undefined && !force) || this.saving) return;
    clearTimeout(this.draftTimer);
    this.draftTimer = undefined;
    this.tracker.track(store.commit({ put: { drafts: [{ id: DRAFT_ID, ...this.values() }] } }))
      .catch(() => {});
  }

  // --- Paste and share ---

  onNameInput() {
    const value = this.input("name").value;
    // A link typed or pasted without a paste event (a keyboard's clipboard strip).
    if (/linkedin\.com\/in\//i.test(value) || /^https?:\/\//i.test(value.trim())) this.fillFrom(value, "name");
  }

  /** @param {ClipboardEvent} event */
  onNamePaste(event) {
    const text = event.clipboardData?.getData("text/plain") ?? "";
    if (!text.includes("\n") && !/https?:\/\/|linkedin\.com|@/i.test(text)) return;
    const parsed = parseShared(text);
    // Nothing readable: let the browser paste it as it is.
    if (!parsed.name && !parsed.url && !parsed.email && !parsed.phone) return;
    event.preventDefault();
    if (!parsed.name) this.input("name").value = "";
    this.announceFilled(this.fill(parsed), /linkedin/i.test(text) ? "LinkedIn" : "what you pasted");
    this.keepDraft();
  }

  async pasteFromClipboard() {
    let text = "";
    try {
      text = await navigator.clipboard.readText();
    } catch {
      /** @type {HTMLDetailsElement} */ (byId("capture-more")).open = true;
      this.input("paste").focus();
      this.toast("This browser did not let Followthrough read the clipboard. Paste into this box instead.");
      return;
    }
    if (!text.trim()) {
      this.toast("The clipboard is empty. Copy a LinkedIn profile link or text first.");
      return;
    }
    this.fillFrom(text, "button");
    this.keepDraft();
  }

  /**
   * Open Capture with what another app shared (the manifest's share target).
   * @param {{title?: string | null, text?: string | null, url?: string | null}} shared
   */
  async prefill(shared) {
    await this.restored;
    const filled = this.fill(parseShared(shared));
    if (!filled.includes("name")) {
      const leftover = [shared.title, shared.text].filter(Boolean).join(" — ").trim();
      if (leftover && !this.input("context").value) this.input("context").value = leftover.slice(0, 200);
    }
    this.announceFilled(filled, "what you shared");
    this.flushDraft(true);
  }

  /**
   * @param {string} text
   * @param {"name" | "paste" | "button"} from
   */
  fillFrom(text, from) {
    const parsed = parseShared(text);
    if (from === "name" && !parsed.name && !parsed.url) return;
    if (from === "name" && !parsed.name) this.input("name").value = "";
    const filled = this.fill(parsed);
    this.announceFilled(filled, /linkedin/i.test(text) ? "LinkedIn" : "what you pasted");
  }

  /**
   * Put what was read into the fields; returns the names of the fields filled.
   * @param {ReturnType<typeof parseShared>} parsed
   */
  fill(parsed) {
    /** @type {string[]} */
    const filled = [];
    const pairs = /** @type {const} */ ([
      ["name", "name"], ["role", "role"], ["organisation", "organisation"],
      ["email", "email"], ["phone", "phone"], ["url", "url"],
    ]);
    for (const [key, field] of pairs) {
      if (parsed[key]) {
        this.input(field).value = parsed[key];
        filled.push(key);
      }
    }
    if (filled.some((f) => f !== "name")) /** @type {HTMLDetailsElement} */ (byId("capture-more")).open = true;
    if (filled.includes("name")) this.clearErrors();
    return filled;
  }

  /** @param {string[]} filled @param {string} source */
  announceFilled(filled, source) {
    const words = {
      name: "name", role: "role", organisation: "organisation", email: "email", phone: "phone", url: "profile link",
    };
    const status = byId("capture-filled");
    if (filled.length === 0) {
      status.textContent = `Nothing could be read from ${source}. Type the name instead.`;
      return;
    }
    const list = filled.map((f) => words[/** @type {keyof typeof words} */ (f)]);
    const joined = list.length > 1 ? `${list.slice(0, -1).join(", ")} and ${list[list.length - 1]}` : list[0];
    status.textContent = `Filled in the ${joined} from ${source}. Check them, then save.`;
  }

  // --- Event mode ---

  onEventMode() {
    const on = /** @type {HTMLInputElement} */ (byId("event-mode")).checked;
    if (on && !this.input("event").value.trim()) {
      this.input("event").focus();
      byId("event-mode-hint").textContent = "Name the event, and it stays here for your next captures.";
    } else {
      byId("event-mode-hint").textContent = "Keeps the event and date for your next captures.";
    }
    this.renderBanner();
    this.keepDraft();
  }

  endEvent() {
    /** @type {HTMLInputElement} */ (byId("event-mode")).checked = false;
    this.input("event").value = "";
    this.input("event_date").value = localDate(new Date());
    this.renderBanner();
    this.flushDraft(true);
    this.toast("Event mode is off.");
    this.input("name").focus();
  }

  renderBanner() {
    const on = /** @type {HTMLInputElement} */ (byId("event-mode")).checked;
    const name = this.input("event").value.trim();
    const banner = byId("event-banner");
    banner.hidden = !(on && name);
    if (banner.hidden) return;
    const date = this.input("event_date").value;
    const when = date === localDate(new Date()) ? "today" : formatDay(date);
    byId("event-banner-text").textContent = `${name}, ${when}. Everyone you save is linked to it.`;
  }

  renderEventNames() {
    let list = document.getElementById("event-names");
    if (!list) {
      list = h("datalist", { id: "event-names" });
      this.form.append(list);
      this.input("event").setAttribute("list", "event-names");
    }
    const recent = [...this.events].sort((a, b) => (a.date < b.date ? 1 : -1)).slice(0, 8);
    list.replaceChildren(...recent.map((e) => h("option", { value: e.name })));
  }

  // --- The "introduced by" combobox ---

  setupCombobox() {
    const combo = this.combo;
    combo.addEventListener("input", () => {
      const value = combo.value;
      if (this.introducer && ("id" in this.introducer ? this.introducer.label : this.introducer.newName) !== value) {
        this.introducer = null;
      }
      this.resetIntroducerHint();
      this.updateOptions(true);
    });
    combo.addEventListener("keydown", (event) => {
      const open = !this.listbox.hidden;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!open) this.updateOptions(true, true);
        if (this.options.length === 0) return;
        const step = event.key === "ArrowDown" ? 1 : -1;
        const count = this.options.length;
        this.setActive(this.active < 0 ? (step > 0 ? 0 : count - 1) : (this.active + step + count) % count);
      } else if (event.key === "Enter" && !event.isComposing) {
        event.preventDefault();
        if (open && this.active >= 0) this.choose(this.active);
        else if (open && this.options.length > 0 && "person" in this.options[0]) this.choose(0);
        else {
          this.closeOptions();
          this.input("event").focus();
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          this.closeOptions();
        } else if (combo.value) {
          event.preventDefault();
          combo.value = "";
          this.introducer = null;
          this.keepDraft();
        }
      } else if (event.key === "Tab") {
        this.closeOptions();
      }
    });
    combo.addEventListener("blur", () => {
      // Let a tap on an option land first.
      setTimeout(() => {
        if (document.activeElement !== combo) this.closeOptions();
      }, 150);
    });
    this.listbox.addEventListener("pointerdown", (event) => event.preventDefault());
    this.listbox.addEventListener("click", (event) => {
      const option = /** @type {HTMLElement} */ (event.target).closest("[role=option]");
      if (!option) return;
      this.choose(Number(option.getAttribute("data-index")));
    });
  }

  /**
   * @param {boolean} open open the list if there is anything to show
   * @param {boolean} [all] with nothing typed, show the most recently saved people
   */
  updateOptions(open, all = false) {
    const query = this.combo.value.trim();
    const matches = query
      ? matchPeople(this.people, query)
      : all
        ? [...this.people].sort((a, b) => (a.created_at < b.created_at ? 1 : -1)).slice(0, MAX_OPTIONS)
        : [];
    /** @type {Array<{person: any} | {newName: string}>} */
    const options = matches.map((person) => ({ person }));
    const exact = this.people.some((p) => fold(p.name) === fold(query) || fold(personLabel(p)) === fold(query));
    if (query && !exact) options.push({ newName: query });
    this.options = options;
    this.active = -1;
    this.combo.removeAttribute("aria-activedescendant");
    this.listbox.replaceChildren(...options.map((option, index) => {
      const id = `introducer-option-${index}`;
      if ("person" in option) {
        const p = option.person;
        const detail = [p.role, p.organisation].filter(Boolean).join(", ");
        return h("li", { role: "option", id, "data-index": index, "aria-selected": "false", class: "combo-option" },
          h("span", { class: "option-name", text: p.name }),
          detail ? h("span", { class: "option-detail", text: detail }) : null,
        );
      }
      return h("li", { role: "option", id, "data-index": index, "aria-selected": "false", class: "combo-option new" },
        h("span", { class: "option-name", text: `Add “${option.newName}” as a new person` }),
      );
    }));
    if (open && options.length) this.openOptions();
    else this.closeOptions();
  }

  openOptions() {
    this.listbox.hidden = false;
    this.combo.setAttribute("aria-expanded", "true");
  }

  closeOptions() {
    this.listbox.hidden = true;
    this.combo.setAttribute("aria-expanded", "false");
    this.combo.removeAttribute("aria-activedescendant");
    this.active = -1;
  }

  /** @param {number} index */
  setActive(index) {
    this.active = index;
    for (const option of this.listbox.children) {
      const on = Number(option.getAttribute("data-index")) === index;
      option.setAttribute("aria-selected", String(on));
      if (on) option.scrollIntoView({ block: "nearest" });
    }
    this.combo.setAttribute("aria-activedescendant", `introducer-option-${index}`);
  }

  /** @param {number} index */
  choose(index) {
    const option = this.options[index];
    if (!option) return;
    if ("person" in option) {
      const label = personLabel(option.person);
      this.combo.value = label;
      this.introducer = { id: option.person.id, label };
      this.setIntroducerHint(`${option.person.name} introduced you. The follow-ups will name them.`);
    } else {
      this.combo.value = option.newName;
      this.introducer = { newName: option.newName };
      this.setIntroducerHint(`${option.newName} will be saved as a new person too.`);
    }
    this.combo.removeAttribute("aria-invalid");
    this.closeOptions();
    this.keepDraft();
  }

  /** @param {string} text */
  setIntroducerHint(text) {
    const hint = byId("capture-introducer-hint");
    hint.textContent = text;
    hint.classList.remove("error");
  }

  resetIntroducerHint() {
    this.setIntroducerHint(INTRODUCER_HINT);
    this.combo.removeAttribute("aria-invalid");
  }

  /**
   * Who introduced this person: a saved person's id, a new person's name, or an error.
   * @returns {{introducerId: string | null, newIntroducer: string | null} | {error: string}}
   */
  resolveIntroducer() {
    const text = this.combo.value.trim();
    if (!text) return { introducerId: null, newIntroducer: null };
    const chosen = this.introducer;
    if (chosen && "id" in chosen && chosen.label === this.combo.value) return { introducerId: chosen.id, newIntroducer: null };
    if (chosen && "newName" in chosen && chosen.newName.trim() === text) return { introducerId: null, newIntroducer: text };
    const byLabel = this.people.filter((p) => fold(personLabel(p)) === fold(text));
    if (byLabel.length === 1) return { introducerId: byLabel[0].id, newIntroducer: null };
    const byName = this.people.filter((p) => fold(p.name) === fold(text));
    if (byName.length === 1) return { introducerId: byName[0].id, newIntroducer: null };
    if (byName.length > 1) {
      return { error: `${byName.length} saved people are called “${text}”. Pick the right one from the list.` };
    }
    return { error: `Nobody called “${text}” is saved yet. Pick “Add ${text} as a new person” from the list, or clear this field.` };
  }

  // --- Recently captured ---

  renderRecent() {
    const recent = [...this.people]
      .sort((a, b) => (a.created_at < b.created_at ? 1 : -1))
      .slice(0, 5);
    const eventName = new Map(this.events.map((e) => [e.id, e.name]));
    byId("recent-list").replaceChildren(
      ...recent.map((p) => h("li", { class: "recent" },
        h("div", { class: "recent-text" },
          h("a", { class: "name", href: `#person/${encodeURIComponent(p.id)}`, text: p.name }),
          p.notes ? h("span", { class: "subtle recent-line", text: p.notes }) : null,
          p.event_id && eventName.has(p.event_id)
            ? h("span", { class: "subtle recent-line", text: `Met at ${eventName.get(p.event_id)}` })
            : null,
        ),
        // Heard as "Met Maria Lopez today"; seen as "Met today".
        h("button", { type: "button", class: "button", onclick: () => this.onMet(p) },
          "Met ", h("span", { class: "visually-hidden", text: `${p.name} ` }), "today"),
      )),
    );
    byId("recent-heading").hidden = recent.length === 0;
  }

  // --- Errors ---

  /** @param {string} field @param {string} message */
  showError(field, message) {
    const input = this.input(field);
    const error = byId(`capture-${field}-error`);
    error.textContent = message;
    error.hidden = false;
    input.setAttribute("aria-invalid", "true");
    if (field !== "name") /** @type {HTMLDetailsElement} */ (byId("capture-more")).open = true;
    input.focus();
  }

  clearErrors() {
    for (const error of this.form.querySelectorAll("p.error")) /** @type {HTMLElement} */ (error).hidden = true;
    for (const input of this.form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
    const hint = byId("capture-introducer-hint");
    if (hint.classList.contains("error")) this.resetIntroducerHint();
  }

  /** @param {string} message */
  showIntroducerError(message) {
    const hint = byId("capture-introducer-hint");
    hint.textContent = message;
    hint.classList.add("error");
    this.combo.setAttribute("aria-invalid", "true");
    this.combo.focus();
    this.updateOptions(true);
  }

  // --- Saving ---

  async save() {
    if (this.saving) return;
    this.clearErrors();
    const values = this.values();
    const problem = validateCapture({ name: values.name, email: values.email });
    if (problem) {
      this.showError(problem.field, problem.message);
      return;
    }
    await this.restored;
    const introducer = this.resolveIntroducer();
    if ("error" in introducer) {
      this.showIntroducerError(introducer.error);
      return;
    }
    const now = new Date();
    const today = localDate(now);
    let event = null;
    const eventName = values.event.trim();
    if (eventName) {
      const date = /^\d{4}-\d{2}-\d{2}$/.test(values.event_date) ? values.event_date : today;
      const known = this.events.find((e) => fold(e.name) === fold(eventName) && e.date === date);
      event = known
        ? { id: known.id, name: known.name, date: known.date, isNew: false }
        : { id: crypto.randomUUID(), name: eventName, date, isNew: true };
    }
    const put = captureRecords(
      {
        name: values.name, context: values.context, organisation: values.organisation, role: values.role,
        email: values.email, phone: values.phone, url: values.url, event, ...introducer,
      },
      { now, today, newId: () => crypto.randomUUID() },
    );
    const keepEvent = values.event_mode
      ? { event: values.event, event_date: values.event_date, event_mode: true }
      : { event_date: today };
    const cleared = Object.fromEntries(TEXT_FIELDS.map((name) => [name, ""]));
    this.saving = true;
    clearTimeout(this.draftTimer);
    this.draftTimer = undefined;
    try {
      await this.tracker.track(store.commit({
        put: { ...put, drafts: [{ id: DRAFT_ID, ...cleared, event_mode: false, introducer_id: null, introducer_new: null, ...keepEvent }] },
      }));
    } catch (error) {
      this.toast(error instanceof Error ? error.message : String(error));
      return;
    } finally {
      this.saving = false;
    }
    this.people.push(...put.people);
    if (put.events) this.events.push(...put.events);
    this.form.reset();
    this.introducer = null;
    this.resetIntroducerHint();
    this.closeOptions();
    byId("capture-filled").textContent = "";
    if (values.event_mode) {
      /** @type {HTMLInputElement} */ (byId("event-mode")).checked = true;
      this.input("event").value = values.event;
      this.input("event_date").value = values.event_date;
    } else {
      this.input("event_date").value = today;
    }
    /** @type {HTMLDetailsElement} */ (byId("capture-more")).open = false;
    this.renderBanner();
    this.renderEventNames();
    this.renderRecent();
    const also = put.people[1] ? ` Also saved ${put.people[1].name}, who introduced you.` : "";
    this.toast(`Saved ${put.people[0].name}.${also}`);
    // Back to the top for the next person: the event banner and the name in view.
    window.scrollTo({ top: 0 });
    this.input("name").focus({ preventScroll: true });
    this.onSaved(put);
  }
}

/** "2026-11-23" → "Mon 23 Nov". @param {string} day */
export function formatDay(day) {
  const [y, m, d] = day.split("-").map(Number);
  if (!y || !m || !d) return day;
  return new Date(y, m - 1, d).toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short" });
}
