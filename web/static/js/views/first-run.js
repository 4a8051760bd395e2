// @ts-check
/**
 * The first run, on Today: three short steps, each skippable, all offline — your name as you
 * sign (the `save_profile` command), what happens to your data (and the browser is asked to keep
 * it: persistent storage), and the first person (Capture or Import). Whether it is offered, and
 * every word of it, is the engine's (op `first_run`); finishing or skipping it is the setting
 * `first_run.done`. What is typed is kept as a draft ("first-run") on every input.
 *
 * Installing: where the browser offers it (`beforeinstallprompt`) Today shows an Install button;
 * on an iPhone or iPad, where it does not, how to add the app to the home screen.
 */
import { h, byId } from "../dom.js";

const DRAFT_ID = "first-run";
const INSTALL_DRAFT_ID = "install-hint";

/** @typedef {{id: string, title: string, text: string, label?: string, hint?: string, action: string, other?: string}} Step */
/**
 * @typedef {{ok: true, show: boolean, steps: Step[], name: string, signature: string, skip: string,
 *   skip_all: string, progress: string[], install: {prompt: string, button: string, ios: string},
 *   next: string, done: string}} FirstRunAnswer
 */

/** @type {(Event & {prompt: () => Promise<void>, userChoice: Promise<{outcome: string}>}) | null} */
let installPrompt = null;
/** @type {(() => void) | null} */
let onInstallable = null;
// Listened for from the start: the browser fires it once, early.
addEventListener("beforeinstallprompt", (event) => {
  event.preventDefault();
  installPrompt = /** @type {any} */ (event); // BeforeInstallPromptEvent is not in lib.dom yet
  onInstallable?.();
});

/** Ask the browser to keep this site's data when space runs low; true when it will. */
export async function askForPersistence() {
  if (!navigator.storage?.persist) return false;
  const persisted = (await navigator.storage.persisted()) || (await navigator.storage.persist());
  document.documentElement.dataset.persisted = String(persisted);
  return persisted;
}

export class FirstRun {
  /**
   * @param {{backend: import("../backend.js").Backend, command: import("../screen-types.js").Command,
   *   toast: (text: string) => void, navigate: (hash: string) => void}} ctx
   */
  constructor(ctx) {
    this.ctx = ctx;
    this.root = byId("first-run");
    this.install = byId("install-hint");
    /** @type {FirstRunAnswer | null} */
    this.answer = null;
    this.step = 0;
    this.asked = 0;
    onInstallable = () => this.renderInstall();
  }

  /** Whether the first run is offered, by the engine; shown (or hidden) at once. */
  async refresh() {
    const asked = ++this.asked;
    const answer = /** @type {FirstRunAnswer | {ok: false}} */ (await this.ctx.backend.send("first_run"));
    if (asked !== this.asked || !answer.ok) return;
    const wasShown = Boolean(this.answer?.show);
    this.answer = answer;
    if (!answer.show) {
      this.root.hidden = true;
      this.root.replaceChildren();
      this.renderInstall();
      return;
    }
    if (!wasShown) {
      /** @type {{step?: number} | null | undefined} */
      const draft = await this.ctx.backend.drafts.get(DRAFT_ID);
      this.step = Math.min(Math.max(Number(draft?.step) || 0, 0), answer.steps.length - 1);
      await this.render(draft);
    }
    this.renderInstall();
  }

  /** @param {Record<string, unknown> | null | undefined} [draft] */
  async render(draft) {
    const answer = this.answer;
    if (!answer) return;
    const step = answer.steps[this.step];
    // The user may be typing in this card: a refresh never redraws under them.
    if (this.root.contains(document.activeElement) && this.root.dataset.step === step.id) return;
    this.root.hidden = false;
    this.root.dataset.step = step.id;
    const heading = h("h3", { id: "first-run-heading", tabindex: "-1", text: step.title });
    const count = h("p", { class: "step-count", text: answer.progress[this.step] });
    const skip = h("button", { type: "button", class: "button", onclick: () => this.next() }, answer.skip,
      h("span", { class: "visually-hidden", text: `: ${step.title}` }));
    const skipAll = h("button", { type: "button", class: "button", onclick: () => this.finish() }, answer.skip_all);
    /** @type {HTMLElement[]} */
    const body = [count, heading, h("p", { text: step.text })];
    if (step.id === "name") {
      const typed = typeof draft?.name === "string" ? draft.name : answer.name;
      const input = /** @type {HTMLInputElement} */ (h("input", {
        id: "first-run-name", name: "name", autocomplete: "name", autocapitalize: "words",
        "aria-describedby": "first-run-name-hint first-run-name-error", value: typed,
      }));
      input.addEventListener("input", () => this.keep({ name: input.value }));
      const form = h("form", { class: "form", novalidate: true, onsubmit: (/** @type {Event} */ e) => { e.preventDefault(); this.saveName(input); } },
        h("div", { class: "field" },
          h("label", { for: "first-run-name", text: step.label ?? "" }),
          input,
          h("p", { class: "hint", id: "first-run-name-hint", text: step.hint ?? "" }),
          h("p", { class: "error", id: "first-run-name-error", hidden: true }),
        ),
        h("div", { class: "actions" },
          h("button", { type: "submit", class: "button primary", text: step.action }), skip, skipAll),
      );
      body.push(form);
    } else if (step.id === "data") {
      body.push(h("div", { class: "actions" },
        h("button", { type: "button", class: "button primary", onclick: () => this.keepData(), text: step.action }), skip, skipAll));
    } else {
      body.push(h("div", { class: "actions" },
        h("button", { type: "button", class: "button primary", onclick: () => this.finish("#capture"), text: step.action }),
        h("button", { type: "button", class: "button", onclick: () => this.finish("#transfer"), text: step.other ?? "" }),
        skip));
    }
    this.root.replaceChildren(...body);
  }

  /** @param {Record<string, unknown>} values */
  keep(values) {
    this.ctx.backend.drafts.put(DRAFT_ID, { step: this.step, ...values }).catch(() => {});
  }

  /** Step 1: the name every draft is signed with, saved on the card (`save_profile`). @param {HTMLInputElement} input */
  async saveName(input) {
    const error = byId("first-run-name-error");
    const card = /** @type {{ok: boolean, profile?: Record<string, string>}} */ (await this.ctx.backend.send("my_card"));
    const profile = { ...(card.ok ? card.profile : {}), name: input.value };
    const answer = await this.ctx.backend.command("save_profile", profile);
    if (!answer.ok) {
      error.textContent = answer.message;
      error.hidden = false;
      input.setAttribute("aria-invalid", "true");
      input.focus();
      return;
    }
    await this.next();
  }

  /** Step 2: the user said to keep their data here: now is the moment to ask the browser. */
  async keepData() {
    await askForPersistence();
    await this.next();
  }

  async next() {
    if (!this.answer) return;
    if (this.step + 1 >= this.answer.steps.length) {
      await this.finish();
      return;
    }
    this.step += 1;
    this.keep({});
    await this.render();
    byId("first-run-heading").focus();
  }

  /** Done (or skipped): the engine's setting, so it is not offered again. @param {string} [go] */
  async finish(go) {
    const done = await this.ctx.command("save_settings", { settings: { first_run: { done: true } } });
    if (!done) return;
    this.ctx.backend.drafts.drop(DRAFT_ID).catch(() => {});
    this.root.hidden = true;
    this.root.replaceChildren();
    if (this.answer) this.ctx.toast(`${this.answer.done} ${go ? "" : this.answer.next}`.trim());
    if (go) this.ctx.navigate(go);
    else byId("today-heading").focus();
    this.refresh();
  }

  /** How to install, where the browser offers it (or on iOS, where it cannot), until dismissed. */
  async renderInstall() {
    const answer = this.answer;
    const ios = /iPad|iPhone|iPod/.test(navigator.userAgent) && !("standalone" in navigator && navigator.standalone);
    const installed = matchMedia("(display-mode: standalone)").matches;
    if (!answer || answer.show || installed || (!installPrompt && !ios)) {
      this.install.hidden = true;
      return;
    }
    if (await this.ctx.backend.drafts.get(INSTALL_DRAFT_ID)) {
      this.install.hidden = true;
      return;
    }
    const dismiss = h("button", { type: "button", class: "button", text: "Not now", onclick: () => {
      this.install.hidden = true;
      this.ctx.backend.drafts.put(INSTALL_DRAFT_ID, { dismissed: true }).catch(() => {});
    } });
    if (installPrompt) {
      const prompt = installPrompt;
      this.install.replaceChildren(h("p", { text: answer.install.prompt }),
        h("button", { type: "button", class: "button primary", text: answer.install.button, onclick: async () => {
          await prompt.prompt();
          await prompt.userChoice.catch(() => null);
          installPrompt = null;
          this.install.hidden = true;
        } }), dismiss);
    } else {
      this.install.replaceChildren(h("p", { text: answer.install.ios }), dismiss);
    }
    this.install.hidden = false;
  }
}
