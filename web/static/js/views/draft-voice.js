// @ts-check
/**
 * The draft sheet's voice controls: the tone of this draft (warm, brief, formal: the engine's
 * choices, the setting's by default) and a one-line field for each thing the engine asks
 * because the records don't say it (`needs`: "How did it go with Bea?", your name to sign
 * with). Each change asks the engine for the draft again (op `draft` with `tone` and
 * `answers`); the latest answer wins. Your name is also saved to your card (`save_profile`).
 */
import { h } from "../dom.js";
import { isIOS } from "./sheet.js";

/** @typedef {import("../types.js").Draft} Draft */
/** @typedef {import("../types.js").DraftEdits} DraftEdits */
/** @typedef {import("../types.js").FollowUp} FollowUp */
/** @typedef {import("./draft-sheet.js").DraftHooks} DraftHooks */

/** The arguments op `draft` takes for what the user chose and answered. @param {Partial<DraftEdits> | null | undefined} edits */
export function voiceArgs(edits) {
  /** @type {Record<string, unknown>} */
  const args = {};
  if (edits?.tone) args.tone = edits.tone;
  if (edits?.answers && Object.keys(edits.answers).length) args.answers = edits.answers;
  return args;
}

/**
 * @param {{draft: Draft, f: FollowUp, hooks: DraftHooks, edits: DraftEdits,
 *   redraft: (d: Draft) => void, persist: () => void}} parts
 * @returns {HTMLElement}
 */
export function voiceControls({ draft, f, hooks, edits, redraft, persist }) {
  let asked = 0;
  const ask = async () => {
    const mine = ++asked;
    const answer = await hooks.backend.send("draft", { key: f.key, ios: isIOS(), ...voiceArgs(edits) });
    if (mine !== asked) return; // a newer change has asked again
    if (!answer.ok) {
      hooks.toast(answer.message);
      return;
    }
    redraft(answer.draft);
  };
  const changed = () => { persist(); ask(); };

  const tone = /** @type {HTMLSelectElement} */ (h("select", { id: "draft-tone" },
    ...draft.tones.map((t) => h("option", { value: t.value, selected: t.value === (edits.tone ?? draft.tone), text: t.label }))));
  tone.addEventListener("change", () => { edits.tone = tone.value; changed(); });
  const toneField = h("div", { class: "field draft-tone" }, h("label", { for: "draft-tone", text: "Tone" }), tone);

  const questions = draft.needs.map((need, index) => {
    const id = `draft-need-${index}`;
    const isName = need.field === "my_name";
    const input = /** @type {HTMLInputElement} */ (h("input", {
      id, type: "text", name: need.field, autocomplete: isName ? "name" : "off",
      "aria-describedby": `${id}-hint`, value: edits.answers?.[need.field] ?? "",
    }));
    input.addEventListener("input", () => {
      edits.answers = { ...(edits.answers ?? {}), [need.field]: input.value };
      changed();
    });
    if (isName) input.addEventListener("change", () => saveName(hooks, input.value));
    const hint = isName
      ? "Every message is signed with your name; it is saved to your card."
      : "One line is enough: it goes into the message.";
    return h("div", { class: "field draft-need" },
      h("label", { for: id, text: need.question }), input,
      h("p", { class: "hint", id: `${id}-hint`, text: hint }));
  });
  return h("div", { class: "draft-voice" }, toneField, ...questions);
}

/** Save the name typed into the draft to the user's card, keeping the rest of it. @param {DraftHooks} hooks @param {string} name */
async function saveName(hooks, name) {
  if (!name.trim()) return;
  const card = await hooks.backend.send("my_card", {});
  if (!card.ok) return;
  const answer = await hooks.command("save_profile", { ...card.profile, name: name.trim() });
  if (answer) hooks.toast("Your name is saved to your card: drafts are signed with it.");
}
