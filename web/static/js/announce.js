// @ts-check
/**
 * Every change is said once: ONE polite live region for news (`#news`) and one assertive
 * region for errors (`#alert`, role=alert), both in the page from the start (a region added
 * with its text already in it is not read). A message is cleared once it has had time to be
 * read, and the same words within a few seconds are not said again (a toast and the status
 * line beside it used to both speak). Screens keep their own visible status lines, without
 * `aria-live`: what is said goes through here.
 */

/** How long a message stays in a region before it is cleared (read by then). */
const CLEAR_MS = 7000;
/** The same words again within this time are the same news. */
const REPEAT_MS = 3000;

/** @type {Record<string, {text: string, at: number, timer: ReturnType<typeof setTimeout> | undefined}>} */
const said = {};

/**
 * Say `text` once, politely (news) or at once (an error).
 * @param {string} text
 * @param {{error?: boolean}} [options]
 */
export function announce(text, { error = false } = {}) {
  const id = error ? "alert" : "news";
  const region = document.getElementById(id);
  const words = text.trim();
  if (!region || !words) return;
  const now = performance.now();
  const last = said[id];
  if (last && last.text === words && now - last.at < REPEAT_MS) return;
  clearTimeout(last?.timer);
  // A region already holding these words would not speak them again: empty it first.
  region.textContent = "";
  const timer = setTimeout(() => {
    if (region.textContent === words) region.textContent = "";
  }, CLEAR_MS);
  said[id] = { text: words, at: now, timer };
  queueMicrotask(() => { region.textContent = words; });
}

/** @param {string} text an error, said at once (role=alert) */
export function announceError(text) {
  announce(text, { error: true });
}
