// @ts-check
/**
 * Building DOM safely: text is always set as text, never parsed as HTML, so anything a user
 * typed (or an import brought in) renders as the characters it is.
 */

/**
 * Create an element. `attrs` keys starting with "on" attach listeners; `class`, `text`,
 * `hidden` and data-/aria- attributes are set as such; children may be strings or nodes.
 * @param {string} tag
 * @param {Record<string, any>} [attrs]
 * @param {...(Node | string | null | undefined | false)} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      element.addEventListener(key.slice(2), value);
    } else if (key === "class") {
      element.className = value;
    } else if (key === "text") {
      element.textContent = String(value);
    } else if (value === true) {
      element.setAttribute(key, "");
    } else {
      element.setAttribute(key, String(value));
    }
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return element;
}

/** @param {string} id @returns {HTMLElement} */
export function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`missing #${id}`);
  return element;
}

/** @type {Intl.RelativeTimeFormat | null} */
let relativeFormat = null;

/**
 * "in 5 hours", "2 days ago": a due time relative to now.
 * @param {string} iso @param {Date} now
 */
export function relativeTime(iso, now) {
  // Built on first use: constructing it costs tens of milliseconds at first paint.
  relativeFormat ??= new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  const relative = relativeFormat;
  const ms = new Date(iso).getTime() - now.getTime();
  const minutes = Math.round(ms / 60000);
  if (Math.abs(minutes) < 60) return relative.format(minutes, "minute");
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 36) return relative.format(hours, "hour");
  return relative.format(Math.round(hours / 24), "day");
}

/** The user's local date as YYYY-MM-DD. @param {Date} date */
export function localDate(date) {
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
