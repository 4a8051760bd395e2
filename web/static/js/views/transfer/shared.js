// @ts-check
/** Small helpers the Import and export sections share. (What they say about files, columns and
 * merges comes from the engine: interop/words.py.) */
import { download, share } from "../../files.js";

/** @param {HTMLElement} element @param {string} text */
export function showError(element, text) {
  element.textContent = text;
  element.hidden = !text;
}

/** Hand a file to the share sheet, or download it. @param {{text: string, filename: string, mime: string}} file @param {boolean} viaShare @param {string} title */
export async function offer(file, viaShare, title) {
  if (viaShare && (await share(file.text, file.filename, file.mime, title))) return;
  download(file.text, file.filename, file.mime);
}
