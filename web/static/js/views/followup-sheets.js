// @ts-check
/**
 * The sheets for a follow-up besides its draft, shared by Today and Person: snooze it, skip it
 * (with a reason), and "More" (a card sent, done another way, add to the calendar, open the
 * person's page). Each is an engine command.
 */
import { h, localDate } from "../dom.js";
import { logSent } from "./draft-sheet.js";
import { openPasteReply } from "./person/paste-reply.js";
import { sheet } from "./sheet.js";
import { itemWords } from "./today/bundle.js";
import { dayOf, morning, snoozeChoices, timeOf } from "./today/when.js";

/** @typedef {import("../types.js").FollowUp} FollowUp */
/** @typedef {import("./draft-sheet.js").DraftHooks} Hooks */

/** @param {FollowUp} f @param {Hooks} hooks */
export function openSnooze(f, hooks) {
  const now = new Date();
  const { dialog, body } = sheet("snooze-dialog", `Snooze ${f.who}`,
    "It leaves Today and comes back when you choose.");
  const pick = /** @type {HTMLInputElement} */ (h("input", {
    type: "date", id: "snooze-date", min: localDate(morning(now, 1)), value: localDate(morning(now, 3)),
  }));
  const choices = snoozeChoices(now).map((choice) => h("li", {},
    h("button", {
      type: "button", class: "button choice", "data-choice": choice.id,
      onclick: () => snooze(f, hooks, choice.until, `${choice.label.toLowerCase()} (${choice.detail})`, dialog),
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
            snooze(f, hooks, until, `${dayOf(until)}, ${timeOf(until)}`, dialog);
          },
        }, "Snooze until then"),
      ),
    ),
  );
  /** @type {HTMLElement} */ (body.querySelector("button.choice")).focus();
}

/** @param {FollowUp} f @param {Hooks} hooks @param {Date} until @param {string} words @param {HTMLDialogElement} dialog */
async function snooze(f, hooks, until, words, dialog) {
  if (until.getTime() <= Date.now()) {
    hooks.toast("Pick a time in the future.");
    return;
  }
  hooks.before?.(f);
  if (!await hooks.command("snooze", { key: f.key, until: until.toISOString() })) return;
  dialog.close();
  hooks.toast(`Snoozed until ${words}.`);
  hooks.done?.(f);
}

/** @param {FollowUp} f @param {Hooks} hooks */
export function openMore(f, hooks) {
  const { dialog, body } = sheet("more-dialog", f.who, itemWords(f).label);
  body.replaceChildren(
    h("div", { class: "stack" },
      f.channels.includes("card")
        ? h("button", { type: "button", class: "button wide", onclick: () => logSent(f, "card", hooks, dialog) }, "Handwritten card sent")
        : null,
      h("button", {
        type: "button", class: "button wide",
        onclick: async () => {
          hooks.before?.(f);
          if (await hooks.command("mark_done", { key: f.key })) {
            dialog.close();
            hooks.toast(`Marked done: ${f.who}.`);
            hooks.done?.(f);
          }
        },
      }, "Done another way"),
      h("button", { type: "button", class: "button wide", onclick: () => { dialog.close(); openSkip(f, hooks); } }, "Skip…"),
      f.person_ids.length
        ? h("button", {
          type: "button", class: "button wide", "data-action": "paste-reply",
          onclick: () => {
            dialog.close();
            openPasteReply({
              ctx: hooks, personId: f.person_ids[0], name: f.who,
              opportunityId: f.refs?.opportunity_id ?? null, done: () => hooks.done?.(f),
            });
          },
        }, "Paste their reply…")
        : null,
      h("button", {
        type: "button", class: "button wide",
        onclick: async () => {
          // A calendar event with an alarm: the phone reminds the user with no server.
          const response = await hooks.backend.send("export_ics", { keys: [f.key] });
          if (!response.ok) {
            hooks.toast(response.message);
            return;
          }
          const { download } = await import("../files.js");
          download(response.text, response.filename, response.mime);
          dialog.close();
          hooks.toast(`Added to your calendar file: ${f.who}.`);
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

const SKIP_REASONS = [
  "We are already in touch",
  "It is no longer relevant",
  "I would rather not contact them",
];

/** @param {FollowUp} f @param {Hooks} hooks */
export function openSkip(f, hooks) {
  const { dialog, body } = sheet("skip-dialog", "Skip this follow-up?",
    `Followthrough will not ask about it again. ${f.who}: ${itemWords(f).label}.`);
  const own = /** @type {HTMLInputElement} */ (h("input", { type: "text", id: "skip-own", maxlength: "200" }));
  const form = /** @type {HTMLFormElement} */ (h("form", { class: "form skip-form", novalidate: true },
    h("fieldset", { class: "field plain" },
      h("legend", { text: "Why? (optional)" }),
      ...SKIP_REASONS.map((reason, i) => h("div", { class: "switch-row" },
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
    hooks.before?.(f);
    if (await hooks.command("skip", { key: f.key, reason })) {
      dialog.close();
      hooks.toast(`Skipped: ${f.who}. It will not come back.`);
      hooks.done?.(f);
    }
  });
  body.replaceChildren(form);
  /** @type {HTMLElement} */ (form.querySelector("input")).focus();
}
