// @ts-check
/**
 * When, in the user's words and their own time zone: due dates, snooze choices. (The engine
 * says when a follow-up is due; the shell, which knows the local clock, says it.)
 */
import { localDate, relativeTime } from "../../dom.js";

/** @typedef {import("../../types.js").FollowUp} FollowUp */

/** @param {Date} date */
export function timeOf(date) {
  return date.toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit" });
}

/** @param {Date} date */
export function dayOf(date) {
  return date.toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short" });
}

/** Local 09:00 on the day `days` after `now`. @param {Date} now @param {number} days */
export function morning(now, days) {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + days, 9, 0, 0, 0);
}

/**
 * The quick snooze choices at `now`: later today (3 hours on, while the day lasts), tomorrow
 * morning and next week, each at a time the user can read.
 * @param {Date} now
 */
export function snoozeChoices(now) {
  const choices = [];
  const later = new Date(Math.ceil((now.getTime() + 3 * 3600_000) / 900_000) * 900_000);
  if (later.getDate() === now.getDate() && later.getHours() < 22) {
    choices.push({ id: "later", label: "Later today", detail: `at ${timeOf(later)}`, until: later });
  }
  const tomorrow = morning(now, 1);
  choices.push({ id: "tomorrow", label: "Tomorrow morning", detail: `${dayOf(tomorrow)}, ${timeOf(tomorrow)}`, until: tomorrow });
  const week = morning(now, 7);
  choices.push({ id: "week", label: "Next week", detail: `${dayOf(week)}, ${timeOf(week)}`, until: week });
  return choices;
}

/**
 * "Due in 5 hours", "Due today", "Overdue by 2 days".
 * @param {Pick<FollowUp, "overdue" | "overdue_hours" | "all_day" | "due">} f @param {Date} now
 */
export function dueText(f, now) {
  if (f.overdue) {
    const hours = f.overdue_hours;
    if (hours < 1) return "Overdue";
    if (hours < 36) return `Overdue by ${Math.round(hours)} h`;
    return `Overdue by ${Math.round(hours / 24)} days`;
  }
  if (f.all_day) {
    const today = localDate(now);
    const tomorrow = localDate(morning(now, 1));
    if (f.due <= today) return "Due today";
    if (f.due === tomorrow) return "Due tomorrow";
    const [y, m, d] = f.due.split("-").map(Number);
    return `Due ${dayOf(new Date(y, m - 1, d))}`;
  }
  return `Due ${relativeTime(f.due, now)}`;
}

/** Due now (late, or within a day), as opposed to coming up. @param {FollowUp} f @param {Date} now */
export function isSoon(f, now) {
  if (f.overdue) return true;
  if (f.all_day) return f.due <= localDate(now);
  return new Date(f.due).getTime() <= now.getTime() + 24 * 3600_000;
}
