// @ts-check
/**
 * Introductions (#graph): who introduced you to whom, drawn by the page as an SVG (no library).
 * The layout is deterministic: layers by introduction depth (the people nobody introduced at the
 * top), ordered within a layer by where their introducers sit, wrapped into rows on a phone.
 * Every node is a focusable link to the person; a list beside it says the same in words.
 */
import { h } from "../dom.js";

/** @typedef {import("../types.js").GraphAnswer} GraphAnswer */
/** @typedef {import("../types.js").GraphNode} GraphNode */
/** @typedef {import("../screen-types.js").ScreenContext} ScreenContext */

const SVG = "http://www.w3.org/2000/svg";
/** Most nodes drawn; the list below the picture always has everyone. */
export const MAX_NODES = 120;
const COL = 112;
const ROW = 112;
const R = 24;
const PAD = 24;
const PAD_X = 6;
const LABEL_CHARS = 14;

/**
 * An SVG element; attributes are set as attributes (presentation attributes are fine under CSP).
 * @param {string} tag @param {Record<string, string | number>} [attrs] @param {...(Node | null)} children
 * @returns {SVGElement}
 */
function s(tag, attrs = {}, ...children) {
  const element = /** @type {SVGElement} */ (document.createElementNS(SVG, tag));
  for (const [key, value] of Object.entries(attrs)) element.setAttribute(key, String(value));
  for (const child of children) if (child) element.append(child);
  return element;
}

/** @param {string} name */
export function shortLabel(name) {
  const chars = [...name.trim()];
  return chars.length > LABEL_CHARS ? `${chars.slice(0, LABEL_CHARS - 1).join("").trimEnd()}…` : name.trim();
}

/**
 * Which nodes to draw when there are too many: the people who opened the most doors, each with
 * the people they introduced, until `max`.
 * @param {{id: string, name: string, doors: number}[]} nodes
 * @param {{from: string, to: string}[]} edges
 * @param {number} max
 */
export function pickVisible(nodes, edges, max) {
  if (nodes.length <= max) return new Set(nodes.map((n) => n.id));
  /** @type {Map<string, string[]>} */
  const children = new Map();
  for (const e of edges) {
    if (!children.has(e.from)) children.set(e.from, []);
    /** @type {string[]} */ (children.get(e.from)).push(e.to);
  }
  const ranked = [...nodes].sort((a, b) => b.doors - a.doors || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  /** @type {Set<string>} */
  const keep = new Set();
  for (const node of ranked) {
    if (keep.size >= max) break;
    keep.add(node.id);
    for (const child of children.get(node.id) ?? []) {
      if (keep.size >= max) break;
      keep.add(child);
    }
  }
  return keep;
}

/**
 * Place nodes: layer = introduction depth from the people nobody introduced (a cycle starts
 * from its best-connected member), ordered by the mean position of their introducers, wrapped
 * at `maxCols` per row.
 * @param {{id: string, name: string, doors: number}[]} nodes
 * @param {{from: string, to: string}[]} edges
 * @param {number} maxCols
 */
export function layout(nodes, edges, maxCols) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  /** @type {Map<string, string[]>} */
  const out = new Map();
  /** @type {Map<string, string[]>} */
  const into = new Map();
  for (const n of nodes) { out.set(n.id, []); into.set(n.id, []); }
  for (const e of edges) {
    if (!byId.has(e.from) || !byId.has(e.to) || e.from === e.to) continue;
    /** @type {string[]} */ (out.get(e.from)).push(e.to);
    /** @type {string[]} */ (into.get(e.to)).push(e.from);
  }
  const rank = (/** @type {{id: string, name: string, doors: number}} */ a, /** @type {{id: string, name: string, doors: number}} */ b) =>
    b.doors - a.doors || a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
  /** @type {Map<string, number>} */
  const depth = new Map();
  const bfs = (/** @type {string[]} */ starts) => {
    const queue = [...starts];
    for (const id of starts) depth.set(id, 0);
    for (let i = 0; i < queue.length; i++) {
      const id = queue[i];
      for (const next of /** @type {string[]} */ (out.get(id))) {
        if (!depth.has(next)) {
          depth.set(next, /** @type {number} */ (depth.get(id)) + 1);
          queue.push(next);
        }
      }
    }
  };
  bfs(nodes.filter((n) => /** @type {string[]} */ (into.get(n.id)).length === 0).sort(rank).map((n) => n.id));
  for (const n of [...nodes].sort(rank)) if (!depth.has(n.id)) bfs([n.id]);

  /** @type {string[][]} */
  const layers = [];
  for (const n of nodes) (layers[/** @type {number} */ (depth.get(n.id))] ??= []).push(n.id);
  /** @type {Map<string, number>} order within the drawing, for barycenters */
  const order = new Map();
  /** @type {Map<string, {x: number, y: number}>} */
  const at = new Map();
  let rows = 0;
  let widest = 1;
  const placed = [];
  for (const layer of layers) {
    if (!layer) continue;
    const mean = (/** @type {string} */ id) => {
      const parents = /** @type {string[]} */ (into.get(id)).filter((p) => order.has(p));
      return parents.length ? parents.reduce((sum, p) => sum + /** @type {number} */ (order.get(p)), 0) / parents.length : Infinity;
    };
    const sorted = [...layer].sort((a, b) => mean(a) - mean(b) || rank(/** @type {GraphNode} */ (byId.get(a)), /** @type {GraphNode} */ (byId.get(b))));
    sorted.forEach((id, i) => order.set(id, (i + 0.5) / sorted.length));
    for (let start = 0; start < sorted.length; start += maxCols) {
      const row = sorted.slice(start, start + maxCols);
      widest = Math.max(widest, row.length);
      placed.push({ row, y: rows });
      rows += 1;
    }
  }
  const width = widest * COL + PAD_X * 2;
  for (const { row, y } of placed) {
    const offset = (width - row.length * COL) / 2;
    row.forEach((id, i) => at.set(id, { x: offset + i * COL + COL / 2, y: PAD + R + y * ROW }));
  }
  return { at, width, height: PAD * 2 + 2 * R + 26 + (Math.max(rows, 1) - 1) * ROW };
}

/**
 * @param {HTMLElement} root
 * @param {ScreenContext} ctx
 */
export async function mount(root, ctx) {
  const hash = location.hash;
  const heading = h("h2", { id: "graph-heading", tabindex: "-1", text: "Introductions" });
  const status = h("p", { class: "loading", role: "status", text: "Drawing who introduced whom…" });
  const body = h("div", { class: "graph-body" });
  root.append(h("div", { class: "graph-screen" },
    h("div", { class: "view-head" }, heading),
    h("p", { class: "subtle graph-intro", text: "Who introduced you to whom. Tap a person to open them." }),
    status, body,
  ));
  heading.focus({ preventScroll: true });

  /** @type {GraphAnswer | {ok: false, message: string}} */
  const response = await ctx.backend.send("graph");
  if (location.hash !== hash || !root.isConnected) return;
  status.hidden = true;
  if (!response.ok) {
    body.replaceChildren(h("p", { class: "error", role: "alert", text: response.message }));
    return;
  }
  /** @type {GraphNode[]} */
  const nodes = response.nodes.map((n) => ({ ...n, name: n.name?.trim() || "Unknown person" }));
  /** @type {{from: string, to: string, introduction_id: string}[]} */
  const edges = response.edges;
  if (nodes.length === 0) {
    body.replaceChildren(h("div", { class: "empty" },
      h("h3", { text: "No introductions yet." }),
      h("p", { text: "When you capture someone, fill in “Introduced by”. The chain of who led you to whom grows here, and the person who opened the most doors stands out." }),
      h("a", { class: "button primary", href: "#capture" }, "Capture a person"),
    ));
    return;
  }
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const most = response.most_doors ? byId.get(response.most_doors) : null;
  const visible = pickVisible(nodes, edges, MAX_NODES);
  const shown = nodes.filter((n) => visible.has(n.id));
  const shownEdges = edges.filter((e) => visible.has(e.from) && visible.has(e.to));
  const personHref = (/** @type {string} */ id) => `#person/${encodeURIComponent(id)}`;
  const doorsWords = (/** @type {number} */ n) => (n === 1 ? "1 door" : `${n} doors`);

  // --- The picture.
  // A phone's width of columns; a big graph gets wider rows, to pan across.
  const fitCols = Math.max(3, Math.floor((body.clientWidth - PAD_X * 2) / COL));
  const maxCols = shown.length <= 40 ? fitCols : Math.max(fitCols, Math.min(8, Math.ceil(Math.sqrt(shown.length))));
  const { at, width, height } = layout(shown, shownEdges, maxCols);
  const svg = s("svg", {
    class: "graph-svg", viewBox: `0 0 ${width} ${height}`, width, height,
    role: "group", "aria-labelledby": "graph-caption",
  });
  svg.append(s("defs", {},
    s("marker", { id: "graph-arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: "userSpaceOnUse", orient: "auto-start-reverse" },
      s("path", { d: "M0,0 L10,5 L0,10 z", class: "graph-arrowhead" })),
  ));
  const edgeLayer = s("g", { class: "graph-edges", "aria-hidden": "true" });
  for (const e of shownEdges) {
    const a = /** @type {{x: number, y: number}} */ (at.get(e.from));
    const b = /** @type {{x: number, y: number}} */ (at.get(e.to));
    if (a === b) continue;
    const down = b.y > a.y;
    // Leave from below the name when going down, so the line never crosses a label.
    const y1 = a.y + (down ? R + 24 : b.y === a.y ? 0 : -R);
    const y2 = b.y + (down ? -R - 3 : b.y === a.y ? 0 : R + 3);
    const x1 = a.x + (b.y === a.y ? Math.sign(b.x - a.x) * R : 0);
    const x2 = b.x - (b.y === a.y ? Math.sign(b.x - a.x) * (R + 3) : 0);
    const bend = b.y === a.y ? -40 : (y2 - y1) / 2;
    const d = b.y === a.y
      ? `M${x1},${y1} C${x1},${y1 + bend} ${x2},${y2 + bend} ${x2},${y2}`
      : `M${x1},${y1} C${x1},${y1 + bend} ${x2},${y2 - bend} ${x2},${y2}`;
    edgeLayer.append(s("path", {
      d, class: `graph-edge${most && e.from === most.id ? " is-most" : ""}`, "marker-end": "url(#graph-arrow)",
    }));
  }
  svg.append(edgeLayer);
  const nodeLayer = s("g", { class: "graph-nodes" });
  const labelLayer = s("g", { class: "graph-labels", "aria-hidden": "true" });
  const ordered = [...shown].sort((p, q) => {
    const a = /** @type {{x: number, y: number}} */ (at.get(p.id));
    const b = /** @type {{x: number, y: number}} */ (at.get(q.id));
    return a.y - b.y || a.x - b.x;
  });
  for (const n of ordered) {
    const { x, y } = /** @type {{x: number, y: number}} */ (at.get(n.id));
    const isMost = most?.id === n.id;
    const label = `${n.name}${isMost ? ", opened the most doors" : n.doors ? `, opened ${doorsWords(n.doors)}` : ""}`;
    const kind = `${isMost ? " is-most" : ""}${n.doors ? " is-introducer" : ""}`;
    // The link holds shapes only (its name is the full name); the drawn words sit beside it.
    const node = s("g", {
      class: `graph-node${kind}`, role: "link", tabindex: 0, "aria-label": label, "data-id": n.id,
      transform: `translate(${x} ${y})`,
    },
    s("title", {}, document.createTextNode(`${n.name}${n.doors ? ` · opened ${doorsWords(n.doors)}` : ""}`)),
    s("rect", { class: "graph-hit", x: -COL / 2 + 4, y: -R - 8, width: COL - 8, height: 2 * R + 36, rx: 10 }),
    s("circle", { r: R + 7, class: "graph-focus" }),
    s("circle", { r: R, class: "graph-dot" }),
    );
    const words = s("g", { class: `graph-words-layer${kind}`, transform: `translate(${x} ${y})`, "aria-hidden": "true", "data-for": n.id },
      s("text", { class: "graph-initials", "text-anchor": "middle", dy: "0.35em" }, document.createTextNode(n.initials)),
      s("text", { class: "graph-label", "text-anchor": "middle", y: R + 18 }, document.createTextNode(shortLabel(n.name))),
      isMost ? s("text", { class: "graph-star", "text-anchor": "middle", x: R - 2, y: -R + 6 }, document.createTextNode("★")) : null,
    );
    labelLayer.append(words);
    const open = () => ctx.navigate(personHref(n.id));
    node.addEventListener("click", open);
    node.addEventListener("keydown", (event) => {
      const key = /** @type {KeyboardEvent} */ (event).key;
      if (key === "Enter" || key === " ") { event.preventDefault(); open(); }
    });
    nodeLayer.append(node);
  }
  svg.append(nodeLayer, labelLayer);

  const scroller = h("div", { class: "graph-scroller", tabindex: "-1" }, svg);
  let scale = 1;
  const zoomLabel = h("span", { class: "graph-zoom-level", "aria-live": "polite", text: "100%" });
  const zoom = (/** @type {number} */ next) => {
    const centre = { x: (scroller.scrollLeft + scroller.clientWidth / 2) / scale, y: (scroller.scrollTop + scroller.clientHeight / 2) / scale };
    scale = Math.min(2, Math.max(0.3, next));
    svg.setAttribute("width", String(Math.round(width * scale)));
    svg.setAttribute("height", String(Math.round(height * scale)));
    scroller.scrollLeft = centre.x * scale - scroller.clientWidth / 2;
    scroller.scrollTop = centre.y * scale - scroller.clientHeight / 2;
    zoomLabel.textContent = `${Math.round(scale * 100)}%`;
  };
  const fit = () => zoom(Math.min(1, (scroller.clientWidth - 4) / width));
  const tools = h("div", { class: "graph-tools", role: "group", "aria-label": "Zoom" },
    h("button", { type: "button", class: "button", onclick: () => zoom(scale / 1.25) }, "Zoom out"),
    h("button", { type: "button", class: "button", onclick: () => zoom(scale * 1.25) }, "Zoom in"),
    h("button", { type: "button", class: "button", onclick: fit }, "Fit"),
    zoomLabel,
  );

  // --- In words: the same graph as a list, for screen readers and anyone who prefers it.
  /** @type {Map<string, string[]>} */
  const introduced = new Map();
  for (const e of edges) {
    if (!introduced.has(e.from)) introduced.set(e.from, []);
    const list = /** @type {string[]} */ (introduced.get(e.from));
    if (!list.includes(e.to)) list.push(e.to);
  }
  const introducers = [...introduced.keys()].map((id) => byId.get(id))
    .filter(/** @returns {p is GraphNode} */ (p) => p !== undefined)
    .sort((a, b) => b.doors - a.doors || a.name.localeCompare(b.name));
  const link = (/** @type {string} */ id) => h("a", { href: personHref(id), class: "graph-link" }, byId.get(id)?.name ?? "someone");
  const words = h("section", { class: "graph-words", "aria-labelledby": "graph-words-heading" },
    h("h3", { id: "graph-words-heading", text: "Who introduced whom" }),
    h("ul", { class: "plain-list graph-list" },
      ...introducers.map((p) => {
        const people = /** @type {string[]} */ (introduced.get(p.id));
        /** @type {(string | Node)[]} */
        const parts = [];
        people.forEach((id, i) => {
          if (i > 0) parts.push(i === people.length - 1 ? " and " : ", ");
          parts.push(link(id));
        });
        return h("li", { class: most?.id === p.id ? "is-most" : "" },
          link(p.id), " introduced you to ", ...parts,
          h("span", { class: "subtle" }, ` · opened ${doorsWords(p.doors)} in all`),
          most?.id === p.id ? h("span", { class: "badge graph-most-badge" }, h("span", { "aria-hidden": "true" }, "★ "), "Most doors") : null,
        );
      }),
    ),
  );

  const summary = `${nodes.length === 1 ? "1 person" : `${nodes.length} people`}, ${edges.length === 1 ? "1 introduction" : `${edges.length} introductions`}.`;
  body.replaceChildren(
    ...(most ? [h("p", { class: "card graph-most" },
      h("span", { class: "graph-most-star", "aria-hidden": "true" }, "★"),
      h("span", {}, link(most.id), ` opened the most doors: ${most.doors === 1 ? "1 person" : `${most.doors} people`} reached through them. Take them to dinner one day.`),
    )] : []),
    h("figure", { class: "graph-figure" },
      h("figcaption", { id: "graph-caption", class: "graph-caption" },
        `Introductions graph: ${summary}`,
        shown.length < nodes.length
          ? h("span", { class: "graph-cap" }, ` Showing ${shown.length} of ${nodes.length} people: those who opened the most doors, and whom they introduced. Everyone is in the list below.`)
          : null,
      ),
      tools,
      scroller,
    ),
    words,
  );
  // Start at a readable size, with the person who opened the most doors in view.
  if (width > scroller.clientWidth && width * 0.75 <= scroller.clientWidth) fit();
  const focusOn = most ? at.get(most.id) : null;
  if (focusOn) {
    scroller.scrollLeft = focusOn.x * scale - scroller.clientWidth / 2;
    scroller.scrollTop = Math.max(0, focusOn.y * scale - scroller.clientHeight / 3);
  }
}
