// @ts-check
/**
 * Reminders: the morning digest (on or off, its time, its days, whether this device shows it),
 * a test notification, the browser's permission asked only after a tap that says why, what each
 * platform can do, and the calendar file as the fallback that works everywhere. What is due and
 * its words come from the engine (op `schedule`); the browser's abilities from reminders.js.
 */
import { h } from "../../dom.js";
import { keepDigestRegistered, notifiesHere, support } from "../../reminders.js";
import { offer } from "../transfer/shared.js";
import { clearErrors, engineError, field, fill, keepDraft, restoredNote, saveSettings, submitting } from "./form-kit.js";
import { PushPart } from "./reminders-push.js";

/** @typedef {import("./form-kit.js").SettingsCtx} SettingsCtx */
/** @typedef {import("../../types.js").SettingsAnswer} SettingsAnswer */
/** @typedef {import("../../screen-types.js").ReminderSupport} ReminderSupport */

/** The engine's day names, Monday first; shown in the browser's own words for weekdays. */
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
/** A Monday, to name the days by (23 November 2026). */
const A_MONDAY = new Date(2026, 10, 23, 12);

/** What each platform offers, in the order people ask about them. */
const PLATFORMS = [
  ["Android (Chrome, Edge, Samsung Internet)", "Install the app (“Add to Home screen”). The phone then shows the digest by itself with periodic sync, no server needed. The browser picks the moment, usually soon after your time."],
  ["Computer (Chrome or Edge)", "Install the app. The digest comes while the browser runs, and the app’s icon shows how many follow-ups are due."],
  ["iPhone and iPad (iOS 16.4 or later)", "Add the app to the Home Screen, turn on sync, then “Get reminders through sync” here. The digest comes through the sync server, sealed so the server cannot read it."],
  ["Anywhere else (Firefox, Safari on a Mac)", "Add reminders to your calendar, below: each follow-up with an alarm."],
];

export class RemindersSection {
  /** @param {SettingsCtx} ctx */
  constructor(ctx) {
    this.ctx = ctx;
    this.device = "";
    /** @type {string[]} */
    this.quiet = [];
    /** @type {ReturnType<typeof keepDraft> | null} */
    this.draft = null;
    /** @type {HTMLFormElement | null} */
    this.form = null;
    this.status = h("div", { class: "reminders-status", role: "status", "aria-live": "polite" });
    this.ask = h("div", { class: "card reminders-ask", hidden: true });
    this.calendarStatus = h("p", { class: "hint", role: "status", "aria-live": "polite" });
    this.push = new PushPart(ctx, this);
  }

  /** The form's "Show it on this device" box (the device list toggles it too). */
  hereBox() {
    return /** @type {HTMLInputElement | null} */ (this.form?.elements.namedItem("reminders.here") ?? null);
  }

  /** @param {SettingsAnswer} answer */
  async build({ settings }) {
    const r = settings.reminders;
    this.device = await this.ctx.backend.deviceId();
    this.quiet = r.quiet_devices;
    const here = !this.quiet.includes(this.device);
    const others = this.quiet.filter((d) => d !== this.device).length;
    const form = /** @type {HTMLFormElement} */ (h("form", { class: "form", novalidate: true, "aria-labelledby": "settings-reminders-heading" },
      h("p", { class: "subtle", text: "Quiet when nothing is due: never a “nothing to do”." }),
      h("div", { class: "switch-row" },
        h("input", { type: "checkbox", id: "reminders-enabled", name: "reminders.enabled", checked: r.enabled }),
        h("label", { for: "reminders-enabled", text: "Send me a morning digest" })),
      field({ name: "reminders.time", label: "At", type: "time", value: r.time, hint: "Your local time." }),
      h("fieldset", { class: "field reminders-days" },
        h("legend", { text: "On these days" }),
        ...DAYS.map((day, i) => h("div", { class: "switch-row" },
          h("input", { type: "checkbox", id: `reminders-day-${day}`, name: "reminders.days", value: day, checked: r.days.includes(day) }),
          h("label", { for: `reminders-day-${day}`, text: weekday(i) })))),
      h("div", { class: "switch-row" },
        h("input", { type: "checkbox", id: "reminders-here", name: "reminders.here", checked: here }),
        h("label", { for: "reminders-here", text: "Show it on this device" })),
      others ? h("p", { class: "hint", text: `Kept quiet on ${others} other ${others === 1 ? "device" : "devices"}.` }) : null,
      h("div", { class: "form-actions" },
        h("button", { type: "submit", class: "button primary" }, "Save reminders"),
        h("button", { type: "button", class: "button", id: "reminders-test", onclick: () => this.test() }, "Send a test notification")),
    ));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.save(form);
    });
    this.draft = keepDraft(form, "settings:reminders", this.ctx);
    this.form = form;
    const element = h("div", { class: "reminders" },
      h("p", { class: "subtle", text: "One notification in the morning, naming whom you owe a follow-up and why; tap it to open the draft." }),
      this.status,
      form,
      this.ask,
      // Web Push through the sync server (reminders-push.js): shown when sync is on.
      this.push.element,
      h("h4", { text: "What each device can do" }),
      h("dl", { class: "reminders-platforms" }, ...PLATFORMS.flatMap(([name, text]) => [h("dt", { text: name }), h("dd", { text })])),
      h("h4", { text: "Add reminders to my calendar" }),
      h("p", { class: "hint", text: "Works everywhere, with or without notifications: a calendar file of the follow-ups due in the coming days, each with an alarm. Import it into your phone’s or computer’s calendar." }),
      h("div", { class: "form-actions" },
        h("button", { type: "button", class: "button", id: "reminders-calendar", onclick: () => this.calendar() }, "Add reminders to my calendar")),
      this.calendarStatus,
    );
    this.push.refresh().catch(() => {});
    await this.showStatus();
    return element;
  }

  /** Put a kept draft back, saying so. */
  async restore() {
    if (this.form && await this.draft?.restore()) restoredNote(this.form);
  }

  /** What this device does now, in words. @param {string} [done] what just happened */
  async showStatus(done) {
    const can = await support();
    const lines = [done ?? null, ...this.facts(can)].filter(Boolean);
    fill(this.status, ...lines.map((text) => h("p", { text })));
  }

  /** @param {ReminderSupport} can @returns {string[]} */
  facts(can) {
    if (!can.notifications) return ["This browser cannot show notifications: add reminders to your calendar instead (below)."];
    if (can.permission === "denied") return ["Notifications are blocked for Followthrough in this browser’s settings. Allow them there, or use your calendar (below)."];
    const out = [];
    if (can.permission === "default") out.push("This device has not been allowed to show notifications yet.");
    if (can.registered) out.push("This device shows the digest each morning (the browser picks the moment, soon after your time).");
    else if (can.periodicSync && can.periodicPermission !== "granted") out.push("To get the digest here with no server, install the app; this browser wakes only installed apps.");
    else if (!can.periodicSync) out.push(can.push ? "This browser cannot wake the app each morning by itself: with sync on, get the digest through sync, or use your calendar (below)." : "This browser cannot wake the app each morning: use your calendar (below).");
    return out;
  }

  /** @param {HTMLFormElement} form */
  async save(form) {
    clearErrors(form);
    const value = (/** @type {string} */ name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name));
    const enabled = value("reminders.enabled").checked;
    const here = value("reminders.here").checked;
    const days = [...form.querySelectorAll("input[name='reminders.days']")]
      .filter((box) => /** @type {HTMLInputElement} */ (box).checked)
      .map((box) => /** @type {HTMLInputElement} */ (box).value);
    const others = this.quiet.filter((d) => d !== this.device);
    const patch = {
      reminders: { enabled, time: value("reminders.time").value, days, quiet_devices: here ? others : [...others, this.device] },
    };
    await submitting(form, "Saving…", async () => {
      const answer = await saveSettings(this.ctx, patch);
      if (!answer.ok) return engineError(form, answer, this.ctx.toast);
      this.quiet = patch.reminders.quiet_devices;
      await this.draft?.clear();
      this.ctx.toast("Reminders saved.");
      if (enabled && here && "Notification" in self && Notification.permission === "default") this.explain("Save reminders");
      else await this.register();
    });
  }

  /** Keep the periodic sync as the settings now say, and say what that means here. */
  async register() {
    const result = await keepDigestRegistered(await notifiesHere(this.ctx.backend));
    await this.showStatus(result === "registered" ? "Reminders are on for this device." : undefined);
  }

  /**
   * Say why the browser is about to ask, and ask only when the user taps "Allow".
   * @param {string} after what the user tapped, to say what happens next
   */
  explain(after) {
    this.ask.hidden = false;
    const allow = h("button", { type: "button", class: "button primary", onclick: () => this.allow(after) }, "Allow notifications");
    fill(this.ask,
      h("h4", { text: "Allow notifications?" }),
      h("p", { text: "To show the morning digest, your browser needs your permission. It asks once. Followthrough notifies you only on mornings when a follow-up is due, and for the test you ask for." }),
      h("div", { class: "form-actions" }, allow,
        h("button", { type: "button", class: "button", onclick: () => { this.ask.hidden = true; } }, "Not now")));
    allow.focus();
  }

  /** The tap that asks the browser. @param {string} after */
  async allow(after) {
    const granted = (await Notification.requestPermission().catch(() => "denied")) === "granted";
    this.ask.hidden = true;
    if (!granted) {
      await this.showStatus("Notifications were not allowed. Your calendar (below) can remind you instead.");
      return;
    }
    if (after === "test") await this.test();
    else await this.register();
  }

  /** A notification now, so the user sees what the digest looks like and that it arrives. */
  async test() {
    if (!("Notification" in self)) {
      await this.showStatus();
      return;
    }
    if (Notification.permission === "default") {
      this.explain("test");
      return;
    }
    if (Notification.permission !== "granted") {
      await this.showStatus();
      return;
    }
    const registration = await navigator.serviceWorker?.getRegistration();
    if (!registration) {
      this.ctx.toast("The app is still installing; try again in a moment.");
      return;
    }
    await registration.showNotification("Followthrough reminders work", {
      body: "On mornings when a follow-up is due, the digest names who and why. Tap it to open the draft.",
      tag: "followthrough-test",
      icon: "./icons/icon-192.png",
      data: { url: "./#today" },
    });
    this.ctx.toast("Test notification sent.");
  }

  /** The calendar file of follow-ups, with alarms (op `export_ics`). */
  async calendar() {
    const answer = await this.ctx.backend.send("export_ics");
    if (!answer.ok) {
      this.calendarStatus.textContent = answer.message;
      return;
    }
    await offer(answer, true, "Follow-ups");
    this.calendarStatus.textContent = `${answer.filename}: ${answer.count} ${answer.count === 1 ? "follow-up" : "follow-ups"}, each with an alarm.`;
  }
}

/** The browser's name for a weekday, Monday first. @param {number} i */
function weekday(i) {
  const day = new Date(A_MONDAY.getFullYear(), A_MONDAY.getMonth(), A_MONDAY.getDate() + i, 12);
  return day.toLocaleDateString(undefined, { weekday: "long" });
}
