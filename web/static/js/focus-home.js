// @ts-check
/**
 * Focus has a home after every action (issue 20). When what held the focus is re-rendered or
 * removed (a screen drawing itself again after a command, a list losing the item just handled, a
 * sheet closing over an opener that was redrawn), the focus goes to the same control in its new
 * form, else to the item that took its place in the list, else to the screen's heading, instead
 * of falling to `<body>` where a screen reader hears nothing.
 *
 * One observer for the whole page: screens need no code for it. A control is "the same" when it
 * has the same id, or the same role and name (`aria-label` or text) in the same place.
 */

const FOCUSABLE = "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])";

/**
 * What is needed to find an element again once it has been replaced.
 * @typedef {{element: HTMLElement, id: string, tag: string, type: string, name: string,
 *   list: string | null, index: number, dialog: string | null}} Descriptor
 */

/** @param {Element} element */
function nameOf(element) {
  return (element.getAttribute("aria-label") || element.textContent || "").trim().replace(/\s+/g, " ");
}

/** A selector for the list an item sits in (its id, else its class), to find its successor. */
function listOf(/** @type {HTMLElement} */ element) {
  const item = element.closest("li");
  const list = item?.parentElement;
  if (!item || !list) return { list: null, index: -1 };
  const selector = list.id ? `#${CSS.escape(list.id)}` : list.className ? `${list.tagName.toLowerCase()}.${[...list.classList].map((c) => CSS.escape(c)).join(".")}` : null;
  return { list: selector, index: [...list.children].indexOf(item) };
}

/** @param {HTMLElement} element @returns {Descriptor} */
export function describe(element) {
  return {
    element,
    id: element.id,
    tag: element.tagName,
    type: element.getAttribute("type") ?? "",
    name: nameOf(element),
    ...listOf(element),
    dialog: element.closest("dialog")?.id ?? null,
  };
}

/** @param {Element} element */
function shown(element) {
  return element.isConnected && element.getClientRects().length > 0 && !element.closest("[hidden], dialog:not([open])");
}

/** Where to look: the open modal dialog if there is one, else the page's main content. */
function scope() {
  const dialogs = [...document.querySelectorAll("dialog[open]")];
  return /** @type {HTMLElement} */ (dialogs.at(-1) ?? document.querySelector("main") ?? document.body);
}

/** The same control in its new form, if it is on screen. @param {Descriptor} lost */
function same(lost) {
  const root = scope();
  if (lost.id) {
    const byId = document.getElementById(lost.id);
    if (byId && byId !== lost.element && root.contains(byId) && shown(byId)) return byId;
  }
  if (!lost.name) return null;
  for (const candidate of root.querySelectorAll(lost.tag)) {
    if (candidate === lost.element || !shown(candidate)) continue;
    if ((candidate.getAttribute("type") ?? "") === lost.type && nameOf(candidate) === lost.name) return /** @type {HTMLElement} */ (candidate);
  }
  return null;
}

/** The item that took the lost one's place in its list (or the last one), its first control. */
function successor(/** @type {Descriptor} */ lost) {
  if (!lost.list) return null;
  const list = scope().querySelector(lost.list);
  if (!list || !list.children.length) return null;
  const items = [...list.children];
  const item = items[Math.min(lost.index, items.length - 1)];
  return /** @type {HTMLElement | null} */ ([...item.querySelectorAll(FOCUSABLE)].find(shown) ?? null);
}

/** The heading of what is on screen: the open dialog's, else the visible view's. */
export function screenHeading() {
  const root = scope();
  const heading = /** @type {HTMLElement | null} */ (root.tagName === "DIALOG"
    ? root.querySelector("h2, h3")
    : root.querySelector(".view:not([hidden]) h2"));
  if (heading && !heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
  return heading;
}

/** Whether nothing (the page itself) has the focus. */
function lost() {
  const active = document.activeElement;
  return !active || active === document.body || active === document.documentElement;
}

/**
 * Give the focus a home after `from` was removed: the same control, else its list's next item,
 * else the screen's heading (only when `fallback`: a screen drawing in steps gets a moment).
 * @param {Descriptor} from @param {boolean} [fallback]
 * @returns {boolean} whether the focus was placed
 */
export function rehome(from, fallback = true) {
  const target = same(from) ?? (fallback ? successor(from) ?? screenHeading() : null);
  if (!target) return false;
  target.focus({ preventScroll: false });
  return true;
}

/** Watch the page: wherever the focus is lost to a redraw, give it a home. */
export function keepFocusHome() {
  /** @type {Descriptor | null} */
  let last = null;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  document.addEventListener("focusin", (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    if (target instanceof HTMLElement && target !== document.body) last = describe(target);
    clearTimeout(timer);
    timer = undefined;
  });
  /** A focused button disabled while its command runs loses the focus; it gets it back. */
  /** @type {Descriptor | null} */
  let disabled = null;
  const check = () => {
    if (!last || !lost()) return;
    if (shown(last.element)) {
      if (last.element.matches(":disabled")) disabled = last;
      else if (disabled === last) {
        disabled = null;
        last.element.focus();
      }
      return;
    }
    const from = last;
    if (rehome(from, false)) return;
    if (timer === undefined) {
      timer = setTimeout(() => {
        timer = undefined;
        if (lost() && last === from && !shown(from.element)) rehome(from);
      }, 200);
    }
  };
  new MutationObserver(check).observe(document.body, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["hidden", "open", "disabled"],
  });
}

/** The nearest ancestor that scrolls (a sheet, a list), else the page. @param {Element} element */
function scrollerOf(element) {
  for (let at = element.parentElement; at; at = at.parentElement) {
    const { overflowY } = getComputedStyle(at);
    if ((overflowY === "auto" || overflowY === "scroll") && at.scrollHeight > at.clientHeight + 1) return at;
  }
  return document.scrollingElement ?? document.documentElement;
}

/** The sticky or fixed bar drawn over `element`'s centre, if any. @param {HTMLElement} element */
export function coveredBy(element) {
  const box = element.getBoundingClientRect();
  if (!box.width || !box.height) return null;
  const x = Math.min(Math.max(box.left + box.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(box.top + box.height / 2, 0), innerHeight - 1);
  const hit = document.elementFromPoint(x, y);
  if (!hit || hit === element || element.contains(hit) || hit.contains(element)) return null;
  for (let at = /** @type {Element | null} */ (hit); at; at = at.parentElement) {
    const { position } = getComputedStyle(at);
    if (position === "sticky" || position === "fixed") return /** @type {HTMLElement} */ (at);
  }
  return null;
}

/** The toast (it lets clicks through, so no hit test finds it), if it lies over `element`. */
function toastOver(/** @type {HTMLElement} */ element) {
  const toast = document.getElementById("toast");
  if (!toast || !toast.classList.contains("show") || toast.contains(element)) return null;
  const a = toast.getBoundingClientRect();
  const b = element.getBoundingClientRect();
  const overlaps = a.width && a.height && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  return overlaps ? toast : null;
}

/**
 * Scroll the focused element out from under a sticky or fixed bar (a save bar, a sheet's
 * buttons, the app bar, a toast), at any size and zoom; CSS scroll padding does most of it.
 * @param {Element | null} [element]
 */
export function keepInSight(element = document.activeElement) {
  if (!(element instanceof HTMLElement) || element === document.body) return;
  const toast = toastOver(element);
  // A toast moves to the edge of the screen away from the focus rather than sit over it.
  if (toast) {
    const box = element.getBoundingClientRect();
    toast.classList.toggle("toast-away", box.top + box.height / 2 < innerHeight / 2);
  }
  const bar = coveredBy(element);
  if (!bar) return;
  const box = element.getBoundingClientRect();
  const over = bar.getBoundingClientRect();
  const scroller = scrollerOf(element);
  // A bar below the element's top pushes it up; a bar above pushes it down.
  const by = over.top > box.top ? box.bottom - over.top + 12 : -(over.bottom - box.top + 12);
  scroller.scrollBy({ top: by, behavior: "instant" });
  // An ancestor that only seemed to scroll (overflow-x makes overflow-y auto too): the page then.
  const page = document.scrollingElement ?? document.documentElement;
  if (scroller !== page && element.getBoundingClientRect().top === box.top) page.scrollBy({ top: by, behavior: "instant" });
}

/** After every focus move (and when asked, e.g. when a toast appears): nothing focused hidden. */
export function keepFocusInSight() {
  document.addEventListener("focusin", (event) => {
    // Once the browser has scrolled it into view, and again once a redraw or resize settled.
    const check = () => { if (document.activeElement === event.target) keepInSight(); };
    requestAnimationFrame(check);
    setTimeout(check, 120);
  });
}
