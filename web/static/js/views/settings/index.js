// @ts-check
/**
 * Settings: my card, when each follow-up is due, the user's own message templates, keep-in-touch
 * cadences, the morning digest (reminders), and how safe the data is on this device. One module per section; this one lays
 * them out, asks the engine once for what they show (`settings` and `catalog`), and redraws
 * them when their records change elsewhere (another tab, a sync, an import).
 */
import { h } from "../../dom.js";
import { CadencesSection } from "./cadences.js";
import { CardSection } from "./card.js";
import { RemindersSection } from "./reminders.js";
import { StorageSection } from "./storage.js";
import { TemplatesSection } from "./templates.js";
import { TimingsSection } from "./timings.js";

/** @typedef {import("./form-kit.js").SettingsCtx & {engine: import("../../engine.js").Engine}} Ctx engine: for sync's status (storage.js) */

/**
 * @param {HTMLElement} root
 * @param {Ctx} ctx
 * @param {string[]} [params] an optional section to open at: card, timings, messages, keep, reminders, storage
 */
export async function mount(root, ctx, params = []) {
  await new SettingsScreen(root, ctx).mount(params[0]);
}

class SettingsScreen {
  /** @param {HTMLElement} root @param {Ctx} ctx */
  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    /** @type {Map<string, HTMLElement>} */
    this.heads = new Map();
    /** @type {Map<string, HTMLElement>} sections that fill in when the engine answers */
    this.bodies = new Map();
    this.card = new CardSection(ctx);
    this.storage = new StorageSection(ctx);
    this.timings = new TimingsSection(ctx, root, () => this.heads.get("timings"));
    this.templates = new TemplatesSection(ctx, () => this.settings());
    this.keep = new CadencesSection(ctx);
    this.reminders = new RemindersSection(ctx);
  }

  /** @param {string | undefined} section */
  async mount(section) {
    const sections = [
      { id: "card", title: "My card", short: "My card", body: this.card.element },
      { id: "timings", title: "Follow-up timings", short: "Timings", body: this.pending("timings") },
      { id: "messages", title: "Message templates", short: "Messages", body: this.pending("messages") },
      { id: "keep", title: "Keep in touch", short: "Keep in touch", body: this.pending("keep") },
      { id: "reminders", title: "Reminders", short: "Reminders", body: this.pending("reminders") },
      { id: "storage", title: "Storage and backup", short: "Storage", body: this.storage.element },
    ];
    this.heading = h("h2", { id: "settings-heading", tabindex: "-1", text: "Settings" });
    const parts = sections.map((s) => {
      const head = h("h3", { id: `settings-${s.id}-heading`, tabindex: "-1", text: s.title });
      this.heads.set(s.id, head);
      return h("section", { class: "settings-section", id: `settings-${s.id}`, "aria-labelledby": head.id }, head, s.body);
    });
    this.root.append(
      h("div", { class: "view-head" }, this.heading,
        h("p", { class: "subtle", text: "Saved on this device. Changes apply to Today at once." })),
      h("nav", { class: "settings-nav", "aria-label": "Settings sections" },
        h("ul", {}, ...sections.map((s) => h("li", {},
          h("button", { type: "button", class: "button", onclick: () => this.jump(s.id) }, s.short))))),
      ...parts,
      this.templates.dialog,
    );
    if (section && this.heads.has(section)) this.jump(section);
    else this.heading.focus({ preventScroll: true });
    this.listen();
    await Promise.all([this.card.load(), this.storage.refresh(), this.load()]);
  }

  /** Scroll to a section (below the sticky app bar) and put focus on its heading. @param {string} id */
  jump(id) {
    const head = this.heads.get(id);
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

  /** The engine's `settings` answer, or null (its error shown in every waiting section). */
  async settings() {
    const answer = await this.ctx.backend.send("settings");
    if (answer.ok) return answer;
    for (const body of this.bodies.values()) {
      body.replaceChildren(h("p", { class: "error", role: "alert", text: answer.message }));
    }
    return null;
  }

  async load() {
    const [answer, catalog] = await Promise.all([this.settings(), this.ctx.backend.send("catalog")]);
    if (!answer) return;
    if (!catalog.ok) {
      this.ctx.toast(catalog.message);
      return;
    }
    /** @type {Record<string, {title: string, from: string, timed: boolean}>} */
    const rules = catalog.rules;
    const titles = Object.fromEntries(Object.entries(rules).map(([rule, words]) => [rule, words.title]));
    this.bodies.get("timings")?.replaceChildren(this.timings.build(answer, rules));
    this.bodies.get("messages")?.replaceChildren(this.templates.build(answer, titles));
    this.bodies.get("keep")?.replaceChildren(this.keep.build(answer));
    this.bodies.get("reminders")?.replaceChildren(await this.reminders.build(answer));
    await Promise.all([this.timings.restore(), this.keep.restore(), this.reminders.restore()]);
    this.root.dataset.settingsReady = "true";
  }

  /** Records changed elsewhere (another tab, a sync, an import): show them. */
  listen() {
    /** @param {Event} event */
    const changed = async (event) => {
      if (!this.root.isConnected) {
        this.ctx.backend.removeEventListener("changed", changed);
        return;
      }
      const { stores, source } = /** @type {CustomEvent<{stores: string[], source: string}>} */ (event).detail;
      if (source === "command") return; // this screen's own saves redraw what they changed
      if (stores.includes("meta")) {
        await this.card.load();
        const answer = await this.settings();
        if (answer) this.templates.update(answer);
      }
      if (stores.includes("people") || stores.includes("meta")) await this.storage.refresh();
    };
    this.ctx.backend.addEventListener("changed", changed);
  }
}
