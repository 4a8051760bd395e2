// @ts-check
/**
 * Merging two records of one person: both side by side, a choice of which one wins where both
 * hold a value, and the result as the engine will write it (op `merge_preview`, decided by the
 * `merge_people` command itself). Nothing changes until the user confirms.
 */
import { h } from "../dom.js";

/** @typedef {import("../types.js").MergePreviewAnswer} MergePreviewAnswer */
/** @typedef {import("../types.js").PreviewPerson} PreviewPerson */
/** @typedef {import("../screen-types.js").ScreenContext} ScreenContext */

/** @type {Array<[string, (p: PreviewPerson) => string]>} */
const FIELDS = [
  ["Organisation", (p) => p.organisation],
  ["Role", (p) => p.role],
  ["Email", (p) => p.emails.join("\n")],
  ["Phone", (p) => p.phones.join("\n")],
  ["Links", (p) => p.urls.join("\n")],
  ["Tags", (p) => p.tags.join(", ")],
  ["How you met", (p) => [p.how_met, p.event_name].filter(Boolean).join(" · ")],
  ["Notes", (p) => p.notes],
];

/**
 * @param {HTMLElement} host where the dialog lives while open
 * @param {ScreenContext} ctx
 * @param {MergePreviewAnswer} first the preview keeping the first chosen record
 * @param {(name: string) => Promise<void>} merged called once the merge is on disk
 */
export function openMergeDialog(host, ctx, first, merged) {
  const a = first.keep;
  const b = first.drop;
  /** @type {MergePreviewAnswer} */
  let preview = first;
  const dialog = /** @type {HTMLDialogElement} */ (h("dialog", { class: "people-dialog", "aria-labelledby": "merge-title" }));
  const result = h("dl", { class: "people-result" });
  const kept = h("p", { class: "subtle people-kept" });
  const confirm = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", class: "button primary", value: "merge" }, "Merge"));
  const cancel = h("button", { type: "button", class: "button", onclick: () => dialog.close() }, "Cancel");

  const showResult = () => {
    const m = preview.merged;
    result.replaceChildren(h("dt", {}, "Name"), h("dd", { text: m.name }), ...FIELDS.flatMap(([label, get]) => {
      const value = get(m);
      return value ? [h("dt", {}, label), h("dd", { text: value })] : [];
    }));
    const { introductions, interactions } = preview.kept;
    kept.textContent = `Kept with it: ${introductions} introductions, ${interactions} interactions, and every follow-up.`;
    confirm.textContent = `Merge into ${m.name}`;
  };
  /** Ask the engine again with the other record kept. @param {PreviewPerson} keep @param {PreviewPerson} drop */
  const choose = async (keep, drop) => {
    const answer = await ctx.backend.send("merge_preview", { keep_id: keep.id, drop_id: drop.id });
    if (!answer.ok) {
      ctx.toast(answer.message);
      return;
    }
    preview = answer;
    showResult();
  };
  const radio = (/** @type {PreviewPerson} */ p, /** @type {PreviewPerson} */ other, /** @type {number} */ n) => h("label", { class: "people-keep" },
    h("input", { type: "radio", name: "merge-keep", value: p.id, checked: n === 0, onchange: () => choose(p, other) }),
    h("span", {}, "Keep ", h("strong", { text: p.name }), h("span", { class: "subtle" }, n === 0 ? " (first chosen)" : " (second chosen)")));
  const table = h("table", { class: "people-compare" },
    h("caption", { class: "subtle" }, "The two records, side by side"),
    h("thead", {}, h("tr", {}, h("td", {}), h("th", { scope: "col", text: a.name }), h("th", { scope: "col", text: b.name }))),
    h("tbody", {}, ...FIELDS.map(([label, get]) => h("tr", {},
      h("th", { scope: "row" }, label),
      h("td", { text: get(a) || "—" }),
      h("td", { text: get(b) || "—" }),
    ))),
  );
  const form = h("form", { method: "dialog", class: "people-merge-form" },
    h("h2", { id: "merge-title" }, "Merge two records"),
    h("div", { class: "people-compare-wrap" }, table),
    h("fieldset", { class: "field" },
      h("legend", {}, "Which name and details win where both have one?"),
      radio(a, b, 0), radio(b, a, 1),
    ),
    h("h3", {}, "After merging"),
    result,
    kept,
    h("div", { class: "card-actions" }, confirm, cancel),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    confirm.disabled = true;
    cancel.setAttribute("disabled", "");
    confirm.textContent = ctx.backend.ready ? "Merging…" : "Waiting for the engine…";
    const { keep, drop } = preview;
    const done = await ctx.command("merge_people", { keep_id: keep.id, drop_id: drop.id });
    if (!done) {
      confirm.disabled = false;
      cancel.removeAttribute("disabled");
      showResult();
      return;
    }
    dialog.close();
    await merged(keep.name);
  });
  dialog.append(form);
  dialog.addEventListener("close", () => dialog.remove());
  host.append(dialog);
  showResult();
  dialog.showModal();
  /** @type {HTMLElement} */ (dialog.querySelector("input[type=radio]")).focus();
}
