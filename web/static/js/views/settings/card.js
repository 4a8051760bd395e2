// @ts-check
/**
 * My card: the user's own details as a QR code to show at events, and as a .vcf to download.
 * The engine keeps the card (`save_profile`), checks it (`check_profile`), and writes its vCard
 * and QR code (`my_card`); this screen only draws them.
 */
import { h } from "../../dom.js";
import { qrImage } from "../../qr-image.js";
import { clearErrors, field, fill, keepDraft, showError } from "./form-kit.js";

/** @typedef {import("./form-kit.js").SettingsCtx} SettingsCtx */
/** @typedef {import("../../types.js").CardField} CardField */
/** @typedef {import("../../types.js").MyCard} MyCard */

/** What the browser needs to help fill each field in (keyboards, autofill): its own business. */
/** @type {Record<string, Record<string, string>>} */
const INPUT = {
  name: { type: "text", autocomplete: "name", autocapitalize: "words" },
  role: { type: "text", autocomplete: "organization-title" },
  organisation: { type: "text", autocomplete: "organization" },
  email: { type: "email", autocomplete: "email", autocapitalize: "off", spellcheck: "false" },
  phone: { type: "tel", autocomplete: "tel", inputmode: "tel" },
  url: { type: "url", autocomplete: "url", autocapitalize: "off", spellcheck: "false" },
};

export class CardSection {
  /** @param {SettingsCtx} ctx */
  constructor(ctx) {
    this.ctx = ctx;
    /** @type {MyCard | null} */
    this.card = null;
    this.preview = h("div", { class: "qr-card", id: "my-card" });
    this.formBox = h("div", { class: "card-form-box" },
      h("p", { class: "loading", role: "status", text: "Loading your card…" }));
    /** @type {HTMLFormElement | null} */
    this.form = null;
    /** @type {ReturnType<typeof keepDraft> | null} */
    this.draft = null;
    // The code first: at an event, showing it is what the section is opened for.
    this.element = h("div", {},
      h("p", { class: "subtle", text: "Your own details as a QR code, to show at events: the other person's camera adds you to their contacts. Made on this device; nothing is sent anywhere." }),
      h("div", { class: "card-layout" }, this.preview, this.formBox));
  }

  /** Ask the engine for the card, build the form the first time, and draw the code. */
  async load() {
    const answer = await this.ctx.backend.send("my_card");
    if (!answer.ok) {
      fill(this.formBox, h("p", { class: "error", role: "alert", text: answer.message }));
      return;
    }
    this.card = /** @type {MyCard} */ (answer);
    if (!this.form) {
      this.form = this.buildForm(this.card.fields);
      fill(this.formBox, this.form);
      this.fillForm(this.card.profile);
      if (await this.draft?.restore()) this.note("Your unsaved changes are back. Save them, or change them first.");
    }
    this.render();
  }

  /** @param {CardField[]} fields */
  buildForm(fields) {
    const form = /** @type {HTMLFormElement} */ (h("form", { class: "form card-form", novalidate: true, "aria-labelledby": "card-form-heading" },
      h("h4", { id: "card-form-heading", text: "Your details" }),
      ...fields.map((f) => {
        const { type = "text", ...attrs } = INPUT[f.name] ?? {};
        return field({
          name: f.name, label: f.required ? f.label : `${f.label} (optional)`, type, hint: f.hint || undefined,
          attrs: { ...attrs, ...(f.required ? { required: true } : {}) },
        });
      }),
      h("button", { type: "submit", class: "button primary wide" }, "Save my card"),
    ));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.save();
    });
    this.draft = keepDraft(form, "settings:card", this.ctx);
    return form;
  }

  /** @param {Record<string, string>} profile */
  fillForm(profile) {
    const form = /** @type {HTMLFormElement} */ (this.form);
    for (const [name, value] of Object.entries(profile)) {
      const input = /** @type {HTMLInputElement | null} */ (form.elements.namedItem(name));
      if (input) input.value = value;
    }
  }

  /** @param {string} text */
  note(text) {
    const form = /** @type {HTMLFormElement} */ (this.form);
    let note = form.querySelector(".form-note");
    if (!note) {
      note = h("p", { class: "form-note", role: "status" });
      form.querySelector("h4")?.after(note);
    }
    note.textContent = text;
  }

  render() {
    const card = this.card;
    const box = this.preview;
    if (!card?.shareable) {
      fill(box, h("div", { class: "empty" },
        h("h4", { text: "Your card appears here" }),
        h("p", { text: "Add your name and at least one way to reach you (email, phone or website), then save. You get a QR code to show at events." })));
      return;
    }
    if (!card.qr) {
      fill(box, h("div", { class: "empty" },
        h("h4", { text: "Your card is too long for a QR code" }),
        h("p", { text: "Shorten the longest fields, or leave some out. You can still download the card." }),
        h("button", { type: "button", class: "button", onclick: () => this.download() }, "Download card (.vcf)")));
      return;
    }
    const svg = qrImage(card.qr, `QR code of your contact card: ${card.summary}`);
    svg.classList.add("qr");
    fill(box,
      h("figure", { class: "qr-figure" },
        svg,
        h("figcaption", { class: "subtle", text: "Ask them to point their camera at it. Turn your screen brightness up if it does not scan." })),
      h("button", { type: "button", class: "button wide", onclick: () => this.download() }, "Download card (.vcf)"),
    );
    box.dataset.version = String(card.qr.version);
  }

  async save() {
    const form = /** @type {HTMLFormElement} */ (this.form);
    clearErrors(form);
    /** @type {Record<string, string>} */
    const typed = {};
    for (const f of this.card?.fields ?? []) {
      typed[f.name] = /** @type {HTMLInputElement} */ (form.elements.namedItem(f.name)).value;
    }
    const button = /** @type {HTMLButtonElement} */ (form.querySelector("button[type=submit]"));
    button.disabled = true;
    button.textContent = "Saving…";
    try {
      // Every mistake at once, in the engine's words; the command checks again when it saves.
      const checked = await this.ctx.backend.send("check_profile", { profile: typed });
      if (!checked.ok) return this.ctx.toast(checked.message);
      /** @type {HTMLElement | null} */
      let first = null;
      for (const problem of /** @type {{field: string, message: string}[]} */ (checked.problems)) {
        const input = form.elements.namedItem(problem.field);
        if (input instanceof Element) {
          const shown = showError(input, problem.message);
          first ??= shown;
        }
      }
      if (first) return first.focus();
      const answer = await this.ctx.tracker.track(this.ctx.backend.command("save_profile", checked.profile));
      if (!answer.ok) {
        const input = form.elements.namedItem(String(answer.field ?? "name").split(".").pop() ?? "name");
        return showError(input instanceof Element ? input : form.elements[0], answer.message).focus();
      }
      this.ctx.refreshToday();
      await this.draft?.clear();
      form.querySelector(".form-note")?.remove();
      this.fillForm(checked.profile);
      await this.load();
      this.ctx.toast("Your card is saved.");
    } finally {
      button.disabled = false;
      button.textContent = "Save my card";
    }
  }

  download() {
    const card = this.card;
    if (!card?.vcard) return;
    const url = URL.createObjectURL(new Blob([card.vcard], { type: "text/vcard;charset=utf-8" }));
    const link = h("a", { href: url, download: card.filename, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
