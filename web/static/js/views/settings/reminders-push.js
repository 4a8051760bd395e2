// @ts-check
/**
 * Settings → Reminders, through sync: the morning digest by Web Push, for iPhone and iPad Home
 * Screen apps and browsers that cannot wake the app by themselves. Shown only when sync is on
 * and this browser has Web Push. Turning it on explains first, asks the browser after that tap,
 * subscribes, registers with the server, lists this device in the synced `push_devices` record
 * and seals the coming mornings at once (push/index.js). The list of devices that notify lives
 * from that synced record: each one shown or kept quiet (`settings.reminders.quiet_devices`).
 */
import { h } from "../../dom.js";
import { disablePush, enablePush, pushDevices, pushSupport, syncOn } from "../../push/index.js";
import { fill, saveSettings } from "./form-kit.js";

/** @typedef {import("./form-kit.js").SettingsCtx} SettingsCtx */
/** @typedef {import("../../push/index.js").PushCtx} PushCtx */

/**
 * What the part needs from the Reminders section: the device ids kept quiet (shared with its
 * "Show it on this device" box) and this device's id.
 * @typedef {{quiet: string[], device: string, hereBox: () => HTMLInputElement | null}} Owner
 */

export class PushPart {
  /** @param {SettingsCtx} ctx @param {Owner} owner */
  constructor(ctx, owner) {
    this.ctx = ctx;
    this.owner = owner;
    this.element = h("div", { class: "reminders-push", id: "reminders-push", hidden: true });
    this.status = h("p", { class: "hint", role: "status", "aria-live": "polite" });
    this.ask = h("div", { class: "card reminders-ask", hidden: true });
    this.busy = false;
    /** @param {Event} event */
    this.changed = (event) => {
      if (!this.element.isConnected && this.shown) {
        this.ctx.backend.removeEventListener("changed", this.changed);
        return;
      }
      const { stores } = /** @type {CustomEvent<{stores: string[]}>} */ (event).detail;
      if (stores.includes("meta") && !this.busy) this.refresh().catch(() => {});
    };
    this.shown = false;
    ctx.backend.addEventListener("changed", this.changed);
  }

  /** The push module takes the app's context (engine, backend). */
  get pushCtx() {
    return /** @type {PushCtx} */ (/** @type {unknown} */ (this.ctx));
  }

  /** Draw it again from the synced record (and hide it when sync is off or push is absent). */
  async refresh() {
    const [can, on] = await Promise.all([pushSupport(), syncOn(this.pushCtx)]);
    if (!can.push || !on) {
      this.element.hidden = true;
      return;
    }
    const devices = await pushDevices(this.pushCtx).catch(() => []);
    const here = devices.find((d) => d.here);
    const action = here
      ? h("button", { type: "button", class: "button", id: "reminders-push-off", onclick: () => this.turnOff() }, "Stop reminders through sync here")
      : h("button", { type: "button", class: "button", id: "reminders-push-button", onclick: () => this.start() }, "Get reminders through sync");
    fill(this.element,
      h("h4", { text: "Get reminders through sync (for iPhone/iPad and browsers without periodic sync)" }),
      h("p", { class: "hint", text: "The digest comes through the sync server at your time. Your devices seal it before it leaves them, so the server cannot read who or why." }),
      here ? h("p", { text: "This device gets the digest through sync." }) : null,
      h("div", { class: "form-actions" }, action),
      this.ask,
      this.status,
      devices.length ? this.list(devices) : null);
    this.element.hidden = false;
    this.shown = true;
  }

  /** The explaining tap: say why the browser will ask, then ask on "Allow and turn on". */
  start() {
    if (typeof Notification === "function" && Notification.permission === "granted") {
      this.turnOn();
      return;
    }
    if (typeof Notification !== "function" || Notification.permission === "denied") {
      this.status.textContent = "Notifications are blocked for Followthrough in this browser’s settings. Allow them there first.";
      return;
    }
    const allow = h("button", { type: "button", class: "button primary", id: "reminders-push-allow", onclick: () => this.turnOn() }, "Allow and turn on");
    fill(this.ask,
      h("h4", { text: "Allow notifications?" }),
      h("p", { text: "Your browser asks once. Followthrough then notifies this device only on mornings when a follow-up is due. The sync server sends the digest sealed: it learns when, never who or why." }),
      h("div", { class: "form-actions" }, allow,
        h("button", { type: "button", class: "button", onclick: () => { this.ask.hidden = true; } }, "Not now")));
    this.ask.hidden = false;
    allow.focus();
  }

  /** Inside the user's tap: ask the browser (Safari asks only then), subscribe, list, seal. */
  async turnOn() {
    this.ask.hidden = true;
    const asked = typeof Notification === "function" && Notification.permission === "default"
      ? Notification.requestPermission().catch(() => "denied")
      : Promise.resolve(typeof Notification === "function" ? Notification.permission : "denied");
    this.busy = true;
    this.status.textContent = "Turning on reminders through sync…";
    try {
      if ((await asked) !== "granted") {
        this.status.textContent = "Notifications were not allowed. Your calendar (below) can remind you instead.";
        return;
      }
      const result = await enablePush(this.pushCtx);
      await this.refresh();
      const sealed = typeof result?.sealed === "number" ? result.sealed : 0;
      this.status.textContent = sealed
        ? `Reminders through sync are on for this device: ${sealed} ${sealed === 1 ? "morning" : "mornings"} sealed and sent to the server.`
        : "Reminders through sync are on for this device. Nothing is due on the coming mornings yet.";
    } catch (error) {
      this.status.textContent = `Could not turn on reminders through sync: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.busy = false;
    }
  }

  async turnOff() {
    this.busy = true;
    try {
      await disablePush(this.pushCtx);
      await this.refresh();
      this.status.textContent = "This device no longer gets reminders through sync.";
    } catch (error) {
      this.status.textContent = `Could not stop reminders through sync: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.busy = false;
    }
  }

  /**
   * Which devices notify: every device listed for push, this one first, each shown or kept quiet.
   * @param {Array<{device: string, name: string, here: boolean}>} devices
   */
  list(devices) {
    const sorted = [...devices].sort((a, b) => Number(b.here) - Number(a.here));
    return h("fieldset", { class: "field", id: "reminders-push-devices" },
      h("legend", { text: "Devices that show the digest" }),
      ...sorted.map((d, i) => h("div", { class: "switch-row" },
        h("input", {
          type: "checkbox", id: `reminders-device-${i}`, checked: !this.owner.quiet.includes(d.device),
          onchange: (/** @type {Event} */ event) => this.quietDevice(d.device, !(/** @type {HTMLInputElement} */ (event.target)).checked),
        }),
        h("label", { for: `reminders-device-${i}`, text: d.here ? `This device (${d.name || "unnamed"})` : d.name || "A device" }))));
  }

  /** Keep one device quiet, or not. @param {string} device @param {boolean} quiet */
  async quietDevice(device, quiet) {
    const list = this.owner.quiet.filter((d) => d !== device);
    if (quiet) list.push(device);
    const answer = await saveSettings(this.ctx, { reminders: { quiet_devices: list } });
    if (!answer.ok) {
      this.ctx.toast(answer.message);
      return;
    }
    this.owner.quiet = list;
    const box = device === this.owner.device ? this.owner.hereBox() : null;
    if (box) box.checked = !quiet;
    this.ctx.toast(quiet ? "That device will stay quiet." : "That device will show the digest.");
  }
}
