// @ts-check
/**
 * The draft sheet, one for Today, Person and the gratitude round: the engine's draft (op
 * `draft`), editable, with a choice of channel; "Send" is a link to the phone's own mail,
 * messages or phone app, built by the engine (op `send_links`) for the text as edited. When the
 * user comes back, the sheet asks "Sent?" and logs the interaction with the follow-up's key,
 * which closes it. Edits are kept (`drafts`, on every input) until the follow-up is settled.
 */
import { h, byId } from "../dom.js";
import { loadCatalog } from "../catalog.js";
import { closeSheets, isIOS, sheet } from "./sheet.js";
import { itemWords } from "./today/bundle.js";
import { voiceArgs, voiceControls } from "./draft-voice.js";

/** @typedef {import("../types.js").FollowUp} FollowUp */
/** @typedef {import("../types.js").Draft} Draft */
/** @typedef {import("../types.js").DraftEdits} DraftEdits */
/** @typedef {import("../types.js").SendLinks} SendLinks */
/** @typedef {import("../types.js").Catalog} Catalog */
/** @typedef {import("../types.js").Answer} Answer */

/**
 * What a screen lends the sheet (`drafts.get` answers what was kept, in the shape the caller names).
 * @typedef {{
 *   backend: {send: <K extends string>(op: K, args?: Record<string, unknown>) => Promise<import("../types.js").AnswerOf<K>>, ready: boolean,
 *     drafts: {get: <T = Record<string, unknown>>(id: string) => Promise<T | null | undefined>, put: (id: string, value: Record<string, unknown>) => Promise<unknown>,
 *       drop: (id: string) => Promise<unknown>}},
 *   command: (name: string, payload: Record<string, unknown>) => Promise<Answer | null>,
 *   toast: (text: string) => void,
 *   tracker?: {track: <T>(p: Promise<T>) => Promise<T>},
 *   before?: (f: FollowUp) => void,
 *   done?: (f: FollowUp) => void,
 * }} DraftHooks
 */

/**
 * How the caller opens it: the sheet's title, the channel to open on when it is offered and
 * reachable, and what takes the focus ("heading" by default: no keyboard pops up over the draft).
 * @typedef {{title?: string, prefer?: string, focus?: "heading" | "message"}} DraftOptions
 */

export const DRAFT_PREFIX = "followup:";
/** After tapping Send, ask "Sent?" this long after, if the page never lost sight or focus. */
const ASK_AFTER_MS = 1500;

/** @typedef {{f: FollowUp, channel: string, hooks: DraftHooks, left: boolean, text?: string}} Awaiting */

/**
 * The message as it goes out on `channel` (kept on the logged interaction, so the person's
 * timeline shows what was sent); a call has none.
 * @param {string} channel @param {DraftEdits} edits
 */
function sentText(channel, edits) {
  if (channel === "call") return "";
  if (channel === "email") return edits.subject ? `${edits.subject}\n\n${edits.body}` : edits.body;
  return channel === "sms" ? edits.sms : edits.body;
}
/** What the user went to send: asked about when they come back. @type {Awaiting | null} */
let awaiting = null;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let askTimer;

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "hidden") left();
  else cameBack();
});
window.addEventListener("blur", () => left());
window.addEventListener("focus", () => cameBack());

function left() {
  if (awaiting) awaiting.left = true;
}

function cameBack() {
  if (awaiting?.left && document.visibilityState === "visible") {
    clearTimeout(askTimer);
    // Let the page settle (the keyboard, the dialog) before asking.
    setTimeout(() => { if (awaiting) askSent(awaiting); }, 300);
  }
}

/** @param {string} name */
const firstWord = (name) => name.trim().split(/\s+/)[0] || name;

/**
 * Open the draft for a follow-up.
 * @param {FollowUp} f @param {DraftHooks} hooks @param {DraftOptions} [options]
 */
export async function openDraft(f, hooks, options = {}) {
  const catalogAnswer = loadCatalog(hooks.backend).catch(() => null);
  const title = options.title ?? `${itemWords(f).verb}: ${f.who}`;
  // A bundle's sheet says what the one message covers ("3 things for Ana: …").
  const { dialog, body } = sheet("draft-dialog", title, f.parts?.length ? f.label : f.why);
  body.replaceChildren(h("p", { class: "loading with-spinner", role: "status" },
    h("span", { class: "spinner", "aria-hidden": "true" }),
    hooks.backend.ready ? "Writing the draft…" : "Waiting for the follow-up engine to start…"));
  // The tone and answers kept with earlier edits shape the draft asked for.
  const saved = await /** @type {Promise<Partial<DraftEdits> | null | undefined>} */ (hooks.backend.drafts.get(DRAFT_PREFIX + f.key));
  const [response, catalog] = await Promise.all([
    hooks.backend.send("draft", { key: f.key, ios: isIOS(), ...voiceArgs(saved) }),
    catalogAnswer,
  ]);
  if (!dialog.open) return;
  if (!response.ok || !catalog) {
    body.replaceChildren(
      h("p", { class: "error", role: "alert", text: response.ok ? "The follow-up engine did not answer." : response.message }),
      h("div", { class: "sheet-actions" },
        h("button", { type: "button", class: "button", onclick: () => dialog.close() }, "Close")),
    );
    return;
  }
  renderDraft({ dialog, body, f, draft: response.draft, saved, catalog, hooks, options });
}

/**
 * @param {{dialog: HTMLDialogElement, body: HTMLElement, f: FollowUp, draft: Draft,
 *   saved: Partial<DraftEdits> | null | undefined, catalog: Catalog, hooks: DraftHooks, options: DraftOptions}} parts
 */
function renderDraft({ dialog, body, f, draft, saved, catalog, hooks, options }) {
  const channels = draft.offer;
  const words = (/** @type {string} */ c) => catalog.channels[c] ?? { label: c, send: "Send", field: "Message" };
  const reachable = (/** @type {string} */ c) => (c === "email" ? draft.to.email : c === "card" ? "" : draft.to.phone);
  const prefer = options.prefer && channels.includes(options.prefer) && reachable(options.prefer) ? options.prefer : draft.pick;
  /** @type {DraftEdits} */
  const edits = {
    channel: prefer, email: draft.to.email, phone: draft.to.phone,
    subject: draft.subject, body: draft.body, sms: draft.sms,
    ...(saved ?? {}),
  };
  if (!channels.includes(edits.channel)) edits.channel = channels[0];
  const first = firstWord(draft.to.name || f.who);
  /** The engine's links for the edits as they are, and whether typed addresses are worth keeping. */
  let links = /** @type {SendLinks} */ ({ links: draft.links, valid: draft.valid });
  let asked = 0;
  let answered = 0;
  /** @type {Promise<void>} */
  let linksReady = Promise.resolve();

  const channelBox = h("fieldset", { class: "channels" },
    h("legend", { text: "Send by" }),
    h("div", { class: "segmented" },
      ...channels.map((c) => h("label", { class: "segment" },
        h("input", {
          type: "radio", name: "draft-channel", value: c, checked: c === edits.channel,
          onchange: () => { edits.channel = c; persist(); update(true); },
        }),
        h("span", { text: words(c).label }),
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
  const noEmail = `No email saved for ${first}. Type it here, or choose in your email app.`;
  const noPhone = `No phone number saved for ${first}. Type it here to text or call.`;
  const emailField = field("draft-email", "Email address", email, draft.to.email ? "" : noEmail);
  const phoneField = field("draft-phone", "Phone number", phone, draft.to.phone ? "" : noPhone);
  const subjectField = field("draft-subject", "Subject", subject);
  const messageLabel = h("label", { for: "draft-message" });
  message.id = "draft-message";
  const count = h("p", { class: "hint", id: "draft-count" });
  const messageField = h("div", { class: "field" }, messageLabel, message, count);

  const actions = h("div", { class: "sheet-actions sticky" });
  const restored = saved ? h("p", { class: "hint", text: "Your earlier edits are back." }) : null;
  const persist = () => {
    const write = hooks.backend.drafts.put(DRAFT_PREFIX + f.key, { ...edits });
    (hooks.tracker ? hooks.tracker.track(write) : write).catch(() => {});
  };
  /** The engine's latest wording: a part still as the engine wrote it follows a new draft. */
  let written = { subject: draft.subject, body: draft.body, sms: draft.sms };
  const redraft = (/** @type {Draft} */ next) => {
    for (const part of /** @type {const} */ (["subject", "body", "sms"])) {
      if (edits[part] === written[part]) edits[part] = next[part];
    }
    written = { subject: next.subject, body: next.body, sms: next.sms };
    subject.value = edits.subject;
    persist();
    update(true);
    refreshLinks();
  };
  const voice = voiceControls({ draft, f, hooks, edits, redraft, persist });
  body.replaceChildren(...[channelBox, emailField, phoneField, subjectField, voice, messageField, restored, actions]
    .filter((x) => x !== null));

  const isSpoken = () => edits.channel === "sms" || edits.channel === "call";
  const messageText = () => (isSpoken() ? edits.sms : edits.body);
  /** The link's own channel has a link (a text or call needs a number). */
  const hasLink = (/** @type {string} */ c) => c === "email" || Boolean(links.links[/** @type {"sms" | "call"} */ (c)]);

  /** Ask the engine for the links of the edits as they are now; the latest answer wins. */
  const refreshLinks = () => {
    const mine = ++asked;
    linksReady = hooks.backend.send("send_links", {
      email: edits.email, phone: edits.phone, subject: edits.subject, body: edits.body, sms: edits.sms, ios: isIOS(),
    }).then((answer) => {
      if (!answer.ok || mine < answered) return;
      answered = mine;
      const before = hasLink(edits.channel);
      links = /** @type {SendLinks} */ (/** @type {unknown} */ (answer));
      if (before !== hasLink(edits.channel)) buildActions();
      else showLink();
    });
  };

  /** @type {HTMLAnchorElement | null} */
  let link = null;
  const showLink = () => {
    const c = /** @type {"email" | "sms" | "call"} */ (edits.channel);
    if (link) link.href = links.links[c] ?? "";
  };
  const buildActions = () => {
    const c = edits.channel;
    /** @type {HTMLElement} */
    let primary;
    link = null;
    if (c === "card") {
      primary = h("button", {
        type: "button", class: "button primary", "data-action": "send",
        onclick: () => logSent(f, "card", hooks, undefined, sentText("card", edits)),
      }, words("card").send);
    } else if (!hasLink(c)) {
      primary = h("button", { type: "button", class: "button primary", disabled: true }, c === "call" ? `Call ${first}` : words(c).send);
    } else {
      link = /** @type {HTMLAnchorElement} */ (h("a", {
        class: "button primary", "data-action": "send",
        onclick: (/** @type {MouseEvent} */ event) => {
          if (asked !== answered) {
            // The last edit's link is still being made: follow it once it is.
            event.preventDefault();
            linksReady.then(() => { if (link) location.href = link.href; });
          }
          handOff(f, c, hooks, draft, edits, links);
        },
      }, c === "call" ? `Call ${first}` : words(c).send));
      primary = link;
      showLink();
    }
    actions.replaceChildren(...[
      primary,
      h("button", { type: "button", class: "button", onclick: () => copy(f, c, hooks, draft, edits, links, message) }, "Copy"),
      c === "card" ? null : h("button", {
        type: "button", class: "button quiet", onclick: () => askSent({ f, channel: c, hooks, left: false, text: sentText(c, edits) }),
      }, c === "call" ? "Already called" : "Already sent"),
    ].filter((x) => x !== null));
  };

  const update = (/** @type {boolean} */ rebuild) => {
    const c = edits.channel;
    emailField.hidden = c !== "email";
    phoneField.hidden = c !== "sms" && c !== "call";
    subjectField.hidden = c !== "email";
    messageLabel.textContent = words(c).field;
    if (rebuild) message.value = messageText();
    count.textContent = c === "sms" ? `${message.value.length} characters` : "";
    count.hidden = c !== "sms";
    if (rebuild) buildActions();
  };

  /** An address typed where none was saved is kept on the person when the draft goes. */
  const hintTyped = (/** @type {string} */ id, /** @type {string} */ value, /** @type {string} */ empty) => {
    const hint = document.getElementById(`${id}-hint`);
    if (hint) hint.textContent = value.trim() ? `Saved to ${first}’s details when you send.` : empty;
  };
  /** @param {() => void} change */
  const edited = (change) => () => { change(); persist(); refreshLinks(); };
  email.addEventListener("input", edited(() => {
    edits.email = email.value;
    if (!draft.to.email) hintTyped("draft-email", email.value, noEmail);
  }));
  phone.addEventListener("input", edited(() => {
    edits.phone = phone.value;
    if (!draft.to.phone) hintTyped("draft-phone", phone.value, noPhone);
  }));
  subject.addEventListener("input", edited(() => { edits.subject = subject.value; }));
  message.addEventListener("input", edited(() => {
    if (isSpoken()) edits.sms = message.value;
    else edits.body = message.value;
    count.textContent = edits.channel === "sms" ? `${message.value.length} characters` : "";
  }));
  update(true);
  if (saved) refreshLinks();
  if (options.focus === "message") {
    message.focus();
    message.setSelectionRange(0, 0);
  } else {
    byId("draft-dialog-title").focus();
  }
  dialog.scrollTop = 0;
}

/**
 * The user tapped Send: their own app opens. Ask "Sent?" when they come back.
 * @param {FollowUp} f @param {string} channel @param {DraftHooks} hooks
 * @param {Draft} draft @param {DraftEdits} edits @param {SendLinks} links
 */
function handOff(f, channel, hooks, draft, edits, links) {
  rememberContact(f, hooks, draft, edits, links);
  awaiting = { f, channel, hooks, left: false, text: sentText(channel, edits) };
  clearTimeout(askTimer);
  // Nothing took the page away (a desktop without a mail app, say): ask anyway.
  askTimer = setTimeout(() => {
    if (awaiting && !awaiting.left) askSent(awaiting);
  }, ASK_AFTER_MS);
}

/**
 * A phone number or email typed into the draft (and that the engine finds usable) is saved on
 * the person, once.
 * @param {FollowUp} f @param {DraftHooks} hooks @param {Draft} draft @param {DraftEdits} edits @param {SendLinks} links
 */
function rememberContact(f, hooks, draft, edits, links) {
  if (f.person_ids.length !== 1) return;
  /** @type {Record<string, unknown>} */
  const changes = {};
  if (!draft.to.email && links.valid.email) changes.emails = [edits.email.trim()];
  if (!draft.to.phone && links.valid.phone) changes.phones = [edits.phone.trim()];
  if (Object.keys(changes).length === 0) return;
  draft.to = { ...draft.to, email: draft.to.email || edits.email.trim(), phone: draft.to.phone || edits.phone.trim() };
  hooks.command("update_person", { id: f.person_ids[0], ...changes });
}

/**
 * @param {FollowUp} f @param {string} channel @param {DraftHooks} hooks @param {Draft} draft
 * @param {DraftEdits} edits @param {SendLinks} links @param {HTMLTextAreaElement} message
 */
async function copy(f, channel, hooks, draft, edits, links, message) {
  const text = channel === "email" && edits.subject
    ? `${edits.subject}\n\n${edits.body}`
    : channel === "sms" || channel === "call" ? edits.sms : edits.body;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    message.focus();
    message.select();
    hooks.toast("Copying was blocked here: the message is selected, copy it yourself.");
    return;
  }
  if (channel === "card") {
    hooks.toast("Copied. Write it on the card, then tap “I sent the card”.");
    return;
  }
  rememberContact(f, hooks, draft, edits, links);
  awaiting = { f, channel, hooks, left: false, text };
  clearTimeout(askTimer);
  hooks.toast("Copied. Paste it into any app; Followthrough asks when you are back.");
}

/** Ask whether the message went, and log it if so. @param {Awaiting} about */
function askSent({ f, channel, hooks, text }) {
  clearTimeout(askTimer);
  awaiting = null;
  if (document.getElementById("sent-dialog")) return;
  const first = firstWord(f.who);
  const question = channel === "call" ? `Did you talk to ${first}?` : `Did you send it to ${first}?`;
  const { dialog, body } = sheet("sent-dialog", question,
    "If you did, Followthrough logs it and ticks this follow-up off.");
  const yes = h("button", {
    type: "button", class: "button primary", autofocus: true,
    onclick: () => logSent(f, channel, hooks, dialog, text),
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
 * Log the interaction that answers the follow-up (its key closes it; the catalog says which
 * kind) with the text as it was sent, then close the sheets.
 * @param {FollowUp} f @param {string} channel @param {DraftHooks} hooks @param {HTMLDialogElement} [dialog]
 * @param {string} [text] the message as sent
 */
export async function logSent(f, channel, hooks, dialog, text = "") {
  const buttons = /** @type {HTMLButtonElement[]} */ ([...(dialog ? dialog.querySelectorAll("button") : document.querySelectorAll("dialog.sheet button"))]);
  for (const button of buttons) button.disabled = true;
  hooks.before?.(f);
  let response = null;
  if (f.person_ids.length === 0) {
    response = await hooks.command("mark_done", { key: f.key });
  } else {
    const catalog = await loadCatalog(hooks.backend).catch(() => null);
    const kind = catalog?.rules[f.rule]?.answers[channel];
    if (kind) {
      /** @type {Record<string, unknown>} */
      const payload = {
        id: crypto.randomUUID(), person_ids: f.person_ids, kind, at: new Date().toISOString(), notes: text.trim(), followup_key: f.key,
      };
      if (f.refs?.opportunity_id) payload.opportunity_id = f.refs.opportunity_id;
      response = await hooks.command("log_interaction", payload);
    }
  }
  if (!response) {
    for (const button of buttons) button.disabled = false;
    return;
  }
  const drop = hooks.backend.drafts.drop(DRAFT_PREFIX + f.key);
  (hooks.tracker ? hooks.tracker.track(drop) : drop).catch(() => {});
  closeSheets();
  const what = channel === "card" ? "Card logged" : channel === "call" ? "Call logged" : "Logged as sent";
  hooks.toast(`${what}: ${f.who} is done for now.`);
  hooks.done?.(f);
}
