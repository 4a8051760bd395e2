// @ts-check
/**
 * Live screens: a screen that does not follow the Backend's `changed` itself is drawn again
 * when a store it shows changed (a sync, another tab, a notification action, an import). The new
 * drawing is made beside the old one and swapped in when it is ready, keeping the scroll
 * position and the focus (by the focused element's id), so nothing jumps or blinks.
 */

/** Screens drawn again, by the stores they show. Those not named here follow `changed` themselves. */
const SHOWS = /** @type {Record<string, string[]>} */ ({
  graph: ["people", "introductions"],
  insights: ["people", "introductions", "interactions", "opportunities", "decisions", "meta"],
});

/**
 * @param {{
 *   backend: EventTarget,
 *   container: HTMLElement,
 *   current: () => {name: string, params: string[]},
 *   mount: (root: HTMLElement, name: string, params: string[]) => Promise<void>,
 * }} hooks
 */
export function liveScreens({ backend, container, current, mount }) {
  let queued = false;
  let running = false;
  const redraw = async () => {
    if (running) {
      queued = true;
      return;
    }
    running = true;
    try {
      const { name, params } = current();
      const old = /** @type {HTMLElement | null} */ (container.firstElementChild);
      if (!old || !(name in SHOWS)) return;
      const hash = location.hash;
      const focusedId = old.contains(document.activeElement) ? document.activeElement?.id ?? "" : null;
      const scroll = window.scrollY;
      const root = document.createElement("div");
      root.className = "screen";
      root.hidden = true;
      container.append(root);
      const focused = document.activeElement;
      await mount(root, name, params);
      if (location.hash !== hash || !old.isConnected) {
        root.remove();
        return;
      }
      old.remove();
      root.hidden = false;
      window.scrollTo({ top: scroll });
      if (focusedId) /** @type {HTMLElement | null} */ (document.getElementById(focusedId))?.focus({ preventScroll: true });
      else if (focusedId === null && focused instanceof HTMLElement && focused.isConnected) focused.focus({ preventScroll: true });
    } finally {
      running = false;
      if (queued) {
        queued = false;
        redraw();
      }
    }
  };
  backend.addEventListener("changed", (event) => {
    const { stores } = /** @type {CustomEvent<{stores: string[]}>} */ (event).detail;
    const { name } = current();
    if (SHOWS[name]?.some((store) => stores.includes(store))) redraw();
  });
}
