// @ts-check
/**
 * LinkedIn's archive on the Import screen (issue #18): the ZIP from "Get a copy of your data",
 * or CSV files taken from it. The page reads the chosen files; the ZIP goes to the engine as
 * base64 (only JSON crosses the worker boundary; the engine's `zipfile` opens it, in the
 * worker, so the page stays responsive); the engine says what it read, who "you" are, what is
 * kept. This module only reads files and draws the engine's answer.
 */
import { h } from "../../dom.js";
import { FileProblem, formatSize, readText } from "../../files.js";

/** @typedef {import("../../types.js").ArchiveSummary} ArchiveSummary */
/** @typedef {{zip?: string, files?: Record<string, string>}} ArchivePayload */
/** @typedef {{me?: string, strangers: boolean, first_line: boolean}} ArchiveOptions */

// The largest archive read here (LinkedIn's are a few MB; the engine refuses above 200 MB).
const MAX_ZIP_BYTES = 200 * 1024 * 1024;

/**
 * Whether the chosen files are LinkedIn's archive (a ZIP) or several files from it; a single
 * CSV goes the ordinary way (Connections.csv alone is a contacts file).
 * @param {File[]} files
 */
export function isArchive(files) {
  return files.some((f) => /\.zip$/i.test(f.name) || f.type === "application/zip") || files.length > 1;
}

/**
 * The files as the engine takes them: `{zip}` (base64) or `{files: {name: text}}`.
 * @param {File[]} files
 * @param {(words: string) => void} progress
 * @returns {Promise<ArchivePayload>}
 */
export async function readArchive(files, progress) {
  const zip = files.find((f) => /\.zip$/i.test(f.name) || f.type === "application/zip");
  if (zip) {
    if (zip.size > MAX_ZIP_BYTES) {
      throw new FileProblem("too-large", `“${zip.name}” is ${formatSize(zip.size)}; the largest archive Followthrough reads is ${formatSize(MAX_ZIP_BYTES)}.`);
    }
    progress(`Reading “${zip.name}” (${formatSize(zip.size)})…`);
    return { zip: await base64(zip) };
  }
  /** @type {Record<string, string>} */
  const texts = {};
  for (const [i, file] of files.entries()) {
    progress(`Reading “${file.name}” (${i + 1} of ${files.length})…`);
    texts[file.name] = (await readText(file)).text;
  }
  return { files: texts };
}

/**
 * A file's bytes in base64, by the browser's own encoder (a data: URL), not a JS loop.
 * @param {Blob} blob
 * @returns {Promise<string>}
 */
function base64(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(",") + 1));
    };
    reader.onerror = () => reject(new FileProblem("unreadable", "The browser could not read this file."));
    reader.readAsDataURL(blob);
  });
}

/**
 * What the archive holds and what is kept, in the engine's words; who "you" are (asked once
 * when the archive does not say); whether to add people you wrote with who are not connections.
 * @param {ArchiveSummary} archive the preview's `archive`
 * @param {ArchiveOptions} options the current choices (changed in place)
 * @param {() => void} again preview again with the new choices
 */
export function archivePreview(archive, options, again) {
  const c = archive.counts;
  const n = (/** @type {number} */ x) => x.toLocaleString("en");
  const list = h("ul", { class: "transfer-summary", "aria-label": "What the archive holds" },
    h("li", {}, h("strong", { text: n(archive.connections) }), " connections"),
    h("li", {}, h("strong", { text: n(archive.messages) }), ` messages in ${n(archive.conversations)} conversations`,
      archive.inmail ? ` (${n(archive.inmail)} InMail)` : ""),
    c ? h("li", {}, h("strong", { text: n(c.messages_sent + c.messages_received) }), " messages with people you know will be kept",
      c.messages_already ? ` (${n(c.messages_already)} already here)` : "") : null,
    archive.invitations ? h("li", {}, h("strong", { text: n(archive.invitations) }), " invitations") : null,
    archive.applications ? h("li", {}, h("strong", { text: n(archive.applications) }), " job applications",
      c && c.applications_matched ? ` (${n(c.applications_matched)} already here)` : "") : null,
    archive.sponsored ? h("li", {}, h("strong", { text: n(archive.sponsored) }), " sponsored messages left out") : null,
  );
  const me = h("div", { class: "field" },
    h("label", { for: "archive-me", text: "Which one is you?" }),
    h("select", {
      id: "archive-me",
      onchange: (/** @type {Event} */ e) => { options.me = /** @type {HTMLSelectElement} */ (e.target).value; again(); },
    }, ...archive.me.choices.map((name) => h("option", { value: name, selected: name === archive.me.name }, name))),
    archive.ask_me ? h("p", { class: "hint", text: "The archive does not say which sender is you; choose once." }) : null);
  const strangers = archive.strangers.length
    ? h("div", { class: "field checkbox" },
      h("input", {
        type: "checkbox", id: "archive-strangers", checked: options.strangers,
        onchange: (/** @type {Event} */ e) => { options.strangers = /** @type {HTMLInputElement} */ (e.target).checked; again(); },
      }),
      h("label", { for: "archive-strangers", text: `Add ${archive.strangers.length === 1 ? "the 1 person" : `the ${n(archive.strangers.length)} people`} you exchanged messages with who ${archive.strangers.length === 1 ? "is" : "are"} not a connection (${archive.strangers.slice(0, 3).join(", ")}${archive.strangers.length > 3 ? "…" : ""})` }))
    : null;
  const firstLine = h("div", { class: "field checkbox" },
    h("input", {
      type: "checkbox", id: "archive-first-line", checked: options.first_line,
      onchange: (/** @type {Event} */ e) => { options.first_line = /** @type {HTMLInputElement} */ (e.target).checked; again(); },
    }),
    h("label", { for: "archive-first-line", text: "Also keep the first line of each message" }));
  return h("div", { class: "transfer-archive", id: "archive-preview" },
    h("p", { text: archive.read_words }),
    h("p", { id: "archive-privacy", text: archive.privacy_words }),
    archive.missing.length ? h("p", { class: "hint", text: `Not in this export: ${archive.missing.join("; ")}.` }) : null,
    list,
    archive.me.choices.length ? me : null,
    strangers,
    firstLine);
}
