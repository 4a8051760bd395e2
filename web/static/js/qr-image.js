// @ts-check
/**
 * A QR code the engine made (followup/qr.py, with segno) drawn as SVG. Built with DOM APIs
 * only: the engine's path data is set as an attribute, never parsed as markup.
 */

const SVG = "http://www.w3.org/2000/svg";

/** @typedef {import("./types.js").Qr} Qr */

/**
 * The code as an accessible image: dark modules on white, with its margin.
 * @param {Qr} qr @param {string} label what the code holds, for people who cannot see it
 * @returns {SVGSVGElement}
 */
export function qrImage(qr, label) {
  const full = qr.size + qr.quiet_zone * 2;
  const svg = /** @type {SVGSVGElement} */ (document.createElementNS(SVG, "svg"));
  svg.setAttribute("viewBox", `0 0 ${full} ${full}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  svg.setAttribute("shape-rendering", "crispEdges");
  const title = document.createElementNS(SVG, "title");
  title.textContent = label;
  const background = document.createElementNS(SVG, "rect");
  background.setAttribute("width", String(full));
  background.setAttribute("height", String(full));
  background.setAttribute("fill", "#ffffff");
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", qr.path);
  path.setAttribute("fill", "#000000");
  svg.append(title, background, path);
  return svg;
}

/**
 * Ask the engine for the QR code of `text`; null when it is too long for one or the engine
 * cannot answer (the caller still shows the text itself).
 * @param {{send: (op: string, args?: Record<string, unknown>) => Promise<any>}} backend
 * @param {string} text @param {string} label
 * @returns {Promise<SVGSVGElement | null>}
 */
export async function qrFor(backend, text, label) {
  const answer = await backend.send("qr", { text });
  return answer.ok ? qrImage(answer.qr, label) : null;
}
