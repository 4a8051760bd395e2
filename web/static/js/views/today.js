// @ts-check
/**
 * Today: the engine's ranked follow-ups, each with who, why, when, and what to do about it.
 */
import { h, byId, relativeTime } from "../dom.js";

/** @param {number} hours */
function overdueText(hours) {
  if (hours < 1) return "Overdue";
  if (hours < 36) return `Overdue by ${Math.round(hours)} h`;
  return `Overdue by ${Math.round(hours / 24)} days`;
}

export class TodayView {
  /**
   * @param {{onAction: (action: string, followup: any) => void}} hooks
   */
  constructor({ onAction }) {
    this.onAction = onAction;
    /** @type {any[]} */
    this.followups = [];
  }

  /** @param {string} text */
  showLoading(text) {
    const loading = byId("today-loading");
    loading.textContent = text;
    loading.hidden = false;
  }

  /**
   * @param {{followups: any[], counts: {due: number, overdue: number, upcoming: number}}} agenda
   * @param {Date} now
   */
  render(agenda, now) {
    this.followups = agenda.followups;
    byId("today-loading").hidden = true;
    const list = byId("today-list");
    list.replaceChildren(...agenda.followups.map((f) => this.card(f, now)));
    byId("today-empty").hidden = agenda.followups.length > 0;
    const { due, overdue } = agenda.counts;
    byId("today-summary").textContent = agenda.followups.length === 0
      ? ""
      : `${due} due${overdue ? `, ${overdue} overdue` : ""}`;
  }

  /** @param {any} f @param {Date} now */
  card(f, now) {
    const headingId = `fu-${f.key.replace(/[^a-zA-Z0-9_-]/g, "_")}`;
    return h("li", { class: `card${f.overdue ? " overdue" : ""}`, "data-key": f.key, "data-rule": f.rule, "aria-labelledby": headingId },
      h("div", { class: "card-top" },
        h("h3", { class: "who", id: headingId, text: f.who }),
        h("span", { class: f.overdue ? "badge danger" : "badge" },
          f.overdue ? overdueText(f.overdue_hours) : `Due ${relativeTime(f.due, now)}`),
      ),
      h("p", { class: "why", text: f.why }),
      h("div", { class: "card-actions" },
        h("button", { type: "button", class: "button", onclick: () => this.onAction("done", f) }, "Mark done"),
      ),
    );
  }
}
