// @ts-check
/**
 * Opportunities: the pipeline by stage (#opportunities), and the gratitude round of a landing as
 * one checklist (#opportunities/thanks/<id>).
 *
 * The pipeline is read straight from IndexedDB, so it shows before the engine is ready; moves,
 * adds and edits are engine commands (written to IndexedDB before they resolve). Every text a
 * user typed is set as text, never parsed as HTML.
 */
import { h, localDate, relativeTime } from "../dom.js";
import * as store from "../store.js";
import { landed, mountThanks } from "./round.js";

/** @typedef {{id: string, organisation: string, role: string, stage: string, stage_at: string, people: {person_id: string, role: string}[], introduction_id: string | null, notes: string, created_at: string}} Opportunity */

export const STAGES = [
  { id: "lead", one: "Lead", many: "Leads", hint: "Worth pursuing; nothing sent yet." },
  { id: "applied", one: "Applied", many: "Applied", hint: "Your application is in." },
  { id: "interviewing", one: "Interviewing", many: "Interviewing", hint: "You are talking to them." },
  { id: "offer", one: "Offer", many: "Offers", hint: "They made you an offer." },
  { id: "accepted", one: "Accepted", many: "Accepted", hint: "You landed the job: opens the gratitude round." },
  { id: "declined", one: "Declined", many: "Declined", hint: "You said no to them." },
  { id: "rejected", one: "Rejected", many: "Rejected", hint: "They said no. Followthrough suggests a thank-you anyway." },
  { id: "withdrawn", one: "Withdrawn", many: "Withdrawn", hint: "You stepped back." },
];
const ACTIVE = ["lead", "applied", "interviewing", "offer"];
/** The usual next step from each active stage, as a one-tap button. */
const NEXT = {
  lead: { stage: "applied", label: "I applied" },
  applied: { stage: "interviewing", label: "Got an interview" },
  interviewing: { stage: "offer", label: "Got an offer" },
  offer: { stage: "accepted", label: "I landed the job" },
};
export const ROLES = [
  { id: "contact", label: "Contact" },
  { id: "recruiter", label: "Recruiter" },
  { id: "hiring_manager", label: "Hiring manager" },
  { id: "interviewer", label: "Interviewer" },
  { id: "reference", label: "Reference" },
];
export const ROLE_WORDS = {
  chain: "Introduced you along the way",
  reference: "Your reference",
  helper: "Gave time, advice or names",
};
const FORM_DRAFT = "opportunity-form";

export const dayFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });

/** @param {string} id */
const stageOf = (id) => STAGES.find((s) => s.id === id) ?? STAGES[0];
/** @param {string} id */
const roleLabel = (id) => ROLES.find((r) => r.id === id)?.label ?? id;
/** @param {string} text */
export const slug = (text) => text.replace(/[^a-zA-Z0-9_-]/g, "_");

export function clock() {
  const now = new Date();
  return { now, iso: now.toISOString(), today: localDate(now) };
}

/** "Product designer at Initech", or just the organisation. @param {Opportunity} opp */
export function jobTitle(opp) {
  return opp.role ? `${opp.role} at ${opp.organisation}` : opp.organisation;
}

/**
 * @param {HTMLElement} root
 * @param {any} ctx
 * @param {string[]} params
 */
export async function mount(root, ctx, params) {
  const hash = location.hash;
  const stillHere = () => location.hash === hash && root.isConnected;
  if (params[0] === "thanks" && params[1]) {
    await mountThanks(root, ctx, params[1], stillHere);
  } else {
    await mountPipeline(root, ctx, stillHere);
  }
}

// --- Pipeline ------------------------------------------------------------------------------------

/**
 * @param {HTMLElement} root @param {any} ctx @param {() => boolean} stillHere
 */
async function mountPipeline(root, ctx, stillHere) {
  const heading = h("h2", { id: "opp-heading", tabindex: "-1", text: "Pipeline" });
  const addButton = h("button", { type: "button", class: "button primary", onclick: () => openForm(null) }, "Add opportunity");
  const banner = h("div", { class: "opp-banner-slot" });
  const board = h("div", { class: "opp-board" });
  const status = h("p", { class: "loading", role: "status", text: "Reading your opportunities…" });
  const wrapper = h("div", { class: "opp-screen" },
    h("div", { class: "view-head" },
      heading,
      addButton,
    ),
    h("p", { class: "subtle opp-intro", text: "Every job you are pursuing, by stage. Move a card when something happens." }),
    banner,
    status,
    board,
  );
  root.append(wrapper);
  heading.focus({ preventScroll: true });

  /** @type {{opps: Opportunity[], people: Map<string, any>, intros: Map<string, any>}} */
  let data = { opps: [], people: new Map(), intros: new Map() };
  /** @type {any[]} */
  let followups = [];

  async function load() {
    const [opps, people, intros] = await Promise.all([
      store.getAll("opportunities"), store.getAll("people"), store.getAll("introductions"),
    ]);
    data = {
      opps,
      people: new Map(people.map((p) => [p.id, p])),
      intros: new Map(intros.map((i) => [i.id, i])),
    };
  }

  async function loadFollowups() {
    const { iso, today } = clock();
    const response = await ctx.engine.call({ op: "today", now: iso, today });
    followups = response.ok ? response.followups : [];
  }

  /** @param {string | null} [focusId] the card to put focus on after drawing */
  function render(focusId = null) {
    status.hidden = true;
    renderBanner();
    if (data.opps.length === 0) {
      board.replaceChildren(h("div", { class: "empty" },
        h("h3", { text: "No opportunities yet." }),
        h("p", { text: "Add a job you are pursuing and the introduction it came from. When it moves on, Followthrough tells you whom to thank and whom to keep posted." }),
        h("button", { type: "button", class: "button primary", onclick: () => openForm(null) }, "Add your first opportunity"),
      ));
      return;
    }
    /** @type {Record<string, Opportunity[]>} */
    const byStage = {};
    for (const opp of data.opps) (byStage[opp.stage] ??= []).push(opp);
    for (const list of Object.values(byStage)) list.sort((a, b) => b.stage_at.localeCompare(a.stage_at));
    const shown = STAGES.filter((s) => ACTIVE.includes(s.id) || byStage[s.id]?.length);
    const jump = h("nav", { class: "opp-jump", "aria-label": "Stages" },
      ...shown.map((s) => h("button", {
        type: "button", class: "opp-chip",
        onclick: () => {
          const target = document.getElementById(`opp-stage-${s.id}-heading`);
          target?.scrollIntoView({ block: "start", behavior: "smooth" });
          target?.focus({ preventScroll: true });
        },
      }, s.many, " ", h("span", { class: "opp-chip-count", text: String(byStage[s.id]?.length ?? 0) }))),
    );
    const sections = shown.map((s) => {
      const cards = byStage[s.id] ?? [];
      const headingId = `opp-stage-${s.id}-heading`;
      return h("section", { class: `opp-stage opp-stage-${s.id}`, "aria-labelledby": headingId, "data-stage": s.id },
        h("h3", { class: "opp-stage-title", id: headingId, tabindex: "-1" },
          s.many, " ", h("span", { class: "badge", text: String(cards.length) })),
        cards.length
          ? h("ul", { class: "cards opp-cards" }, ...cards.map((opp) => card(opp)))
          : h("p", { class: "subtle opp-none", text: s.id === "lead" ? "No leads. Add a job you are curious about." : "Nothing here right now." }),
      );
    });
    board.replaceChildren(jump, ...sections);
    if (focusId) document.getElementById(`opp-card-${slug(focusId)}`)?.focus();
  }

  function renderBanner() {
    const landed = data.opps.filter((o) => o.stage === "accepted").sort((a, b) => b.stage_at.localeCompare(a.stage_at))[0];
    const open = followups.filter((f) => f.group === "gratitude");
    if (!landed || open.length === 0) {
      banner.replaceChildren();
      return;
    }
    banner.replaceChildren(h("div", { class: "card opp-banner" },
      h("p", { class: "opp-banner-title", text: `You landed ${jobTitle(landed)}.` }),
      h("p", { text: `${open.length} ${open.length === 1 ? "thank-you or note is" : "thank-yous and notes are"} still owed in your gratitude round.` }),
      h("a", { class: "button primary", href: `#opportunities/thanks/${encodeURIComponent(landed.id)}` }, "Open the gratitude round"),
    ));
  }

  /** @param {Opportunity} opp */
  function card(opp) {
    const stage = stageOf(opp.stage);
    const id = slug(opp.id);
    const headingId = `opp-card-${id}`;
    const intro = opp.introduction_id ? data.intros.get(opp.introduction_id) : null;
    const name = (/** @type {string} */ pid) => data.people.get(pid)?.name ?? "someone";
    const next = NEXT[/** @type {keyof typeof NEXT} */ (opp.stage)];
    const rejectionOpen = opp.stage === "rejected" && followups.some((f) => f.key === `rejection-thanks:${opp.id}`);
    const gratitudeOpen = opp.stage === "accepted";
    return h("li", { class: "card opp-card", "data-id": opp.id, "aria-labelledby": headingId },
      h("div", { class: "card-top" },
        h("h4", { class: "opp-org", id: headingId, tabindex: "-1", text: opp.organisation }),
        h("span", { class: "badge", title: new Date(opp.stage_at).toLocaleString() }, `${stage.one} ${relativeTime(opp.stage_at, new Date())}`),
      ),
      opp.role ? h("p", { class: "opp-role", text: opp.role }) : null,
      intro ? h("p", { class: "opp-from" },
        h("span", { class: "subtle", text: "Came from: " }),
        personLink(intro.introducer_id, name(intro.introducer_id)),
        " introduced you to ",
        personLink(intro.introduced_id, name(intro.introduced_id)),
      ) : null,
      opp.people.length ? h("ul", { class: "opp-people", "aria-label": `People at ${opp.organisation}` },
        ...opp.people.map((link) => h("li", {},
          personLink(link.person_id, name(link.person_id)),
          h("span", { class: "subtle", text: ` · ${roleLabel(link.role)}` }),
        )),
      ) : null,
      opp.notes ? h("p", { class: "opp-notes", text: opp.notes }) : null,
      rejectionOpen ? h("p", { class: "opp-nudge" },
        "A thank-you-anyway note is waiting in ", h("a", { href: "#today" }, "Today"), ": it keeps the door open.") : null,
      h("div", { class: "card-actions" },
        next ? h("button", {
          type: "button", class: next.stage === "accepted" ? "button primary" : "button",
          "aria-label": `${next.label} at ${opp.organisation}`,
          onclick: () => (next.stage === "accepted" ? confirmLanding(opp) : move(opp, next.stage)),
        }, next.label) : null,
        gratitudeOpen ? h("a", { class: "button primary", href: `#opportunities/thanks/${encodeURIComponent(opp.id)}` }, "Gratitude round") : null,
        h("button", { type: "button", class: "button", "aria-label": `Move ${opp.organisation} to another stage`, onclick: () => openMove(opp) }, "Move…"),
        h("button", { type: "button", class: "button", "aria-label": `Edit ${opp.organisation}`, onclick: () => openForm(opp) }, "Edit"),
      ),
    );
  }

  /** @param {Opportunity} opp @param {string} stage */
  async function move(opp, stage) {
    const { iso } = clock();
    const done = await ctx.command("move_opportunity", { id: opp.id, stage, at: iso });
    if (!done || !stillHere()) return;
    await Promise.all([load(), loadFollowups()]);
    render(opp.id);
    const words = stage === "rejected"
      ? `Moved ${opp.organisation} to Rejected. A thank-you-anyway note is now in Today.`
      : `Moved ${opp.organisation} to ${stageOf(stage).one}.`;
    ctx.toast(words);
  }

  /** Move dialog: every stage as a radio, with what it means. @param {Opportunity} opp */
  function openMove(opp) {
    const titleId = "opp-move-title";
    const warn = h("p", { class: "opp-dialog-note", hidden: true });
    const submit = h("button", { type: "submit", class: "button primary" }, "Move");
    const form = h("form", { class: "form", novalidate: true },
      h("fieldset", { class: "field opp-stages" },
        h("legend", { text: "New stage" }),
        ...STAGES.map((s) => h("label", { class: "opp-radio" },
          h("input", { type: "radio", name: "stage", value: s.id, checked: s.id === opp.stage, "aria-describedby": `opp-move-hint-${s.id}` }),
          h("span", { class: "opp-radio-text" },
            h("span", { class: "opp-radio-name" }, s.one, s.id === opp.stage ? h("span", { class: "badge", text: "Now" }) : null),
            h("span", { class: "subtle opp-radio-hint", id: `opp-move-hint-${s.id}`, text: s.hint }),
          ),
        )),
      ),
      warn,
      h("div", { class: "opp-dialog-actions opp-sticky" },
        h("button", { type: "button", class: "button", onclick: () => dialog.close() }, "Cancel"),
        submit,
      ),
    );
    const dialog = makeDialog(titleId, [
      h("h2", { id: titleId, text: `Move ${opp.organisation}` }),
      opp.role ? h("p", { class: "subtle opp-dialog-sub", text: opp.role }) : null,
      form,
    ]);
    const chosen = () => /** @type {HTMLInputElement | null} */ (form.querySelector("input[name=stage]:checked"))?.value ?? opp.stage;
    form.addEventListener("change", () => {
      const stage = chosen();
      warn.hidden = stage !== "accepted" && stage !== "rejected";
      warn.textContent = stage === "accepted"
        ? "Congratulations! Next you confirm the landing, and Followthrough opens your gratitude round."
        : "Followthrough adds a thank-you-anyway note to Today: a gracious note keeps the door open.";
      submit.textContent = stage === "accepted" ? "Continue" : "Move";
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const stage = chosen();
      dialog.close();
      if (stage === opp.stage) return;
      if (stage === "accepted") confirmLanding(opp);
      else await move(opp, stage);
    });
    root.append(dialog);
    dialog.showModal();
    /** @type {HTMLInputElement | null} */ (form.querySelector("input[name=stage]:checked"))?.focus();
  }

  /** "I landed the job": confirm, then the `landed` command and the gratitude round. @param {Opportunity} opp */
  function confirmLanding(opp) {
    const titleId = "opp-landed-title";
    const yes = h("button", { type: "button", class: "button primary" }, "Yes, I landed the job");
    const dialog = makeDialog(titleId, [
      h("h2", { id: titleId, text: `Did you accept ${jobTitle(opp)}?` }),
      h("p", { text: "Congratulations! Followthrough then opens your gratitude round: one checklist with everyone who helped you get here, to thank, and every other employer where you are still a candidate, to tell." }),
      h("div", { class: "opp-dialog-actions" },
        h("button", { type: "button", class: "button", onclick: () => dialog.close() }, "Not yet"),
        yes,
      ),
    ]);
    yes.addEventListener("click", async () => {
      yes.setAttribute("disabled", "");
      yes.textContent = "Opening your gratitude round…";
      const ok = await landed(ctx, opp);
      dialog.close();
      if (ok) ctx.navigate(`#opportunities/thanks/${encodeURIComponent(opp.id)}`);
    });
    root.append(dialog);
    dialog.showModal();
    yes.focus();
  }

  /** Add (opp = null) or edit an opportunity. @param {Opportunity | null} opp */
  async function openForm(opp) {
    const isNew = opp === null;
    const draftId = isNew ? FORM_DRAFT : `${FORM_DRAFT}:${opp.id}`;
    const saved = await store.get("drafts", draftId).catch(() => null);
    const values = saved ?? {
      organisation: opp?.organisation ?? "",
      role: opp?.role ?? "",
      stage: opp?.stage ?? "lead",
      introduction_id: opp?.introduction_id ?? "",
      notes: opp?.notes ?? "",
      people: (opp?.people ?? []).map((l) => ({ name: data.people.get(l.person_id)?.name ?? "", role: l.role })),
    };
    const titleId = "opp-form-title";
    const people = [...data.people.values()].sort((a, b) => a.name.localeCompare(b.name));
    // Names as typed in the people fields, made unique with the organisation where two share one.
    const counts = new Map();
    for (const p of people) counts.set(p.name, (counts.get(p.name) ?? 0) + 1);
    /** @type {Map<string, string>} label -> person id */
    const byLabel = new Map();
    for (const p of people) {
      const label = counts.get(p.name) > 1 && p.organisation ? `${p.name} (${p.organisation})` : p.name;
      if (!byLabel.has(label)) byLabel.set(label, p.id);
    }
    const labelOf = (/** @type {string} */ pid) => [...byLabel].find(([, id]) => id === pid)?.[0] ?? "";
    if (!saved && opp) values.people = opp.people.map((l) => ({ name: labelOf(l.person_id), role: l.role }));

    const orgError = h("p", { class: "error", id: "opp-org-error", hidden: true });
    const org = /** @type {HTMLInputElement} */ (h("input", { id: "opp-org", name: "organisation", required: true, autocapitalize: "words", "aria-describedby": "opp-org-error", value: values.organisation }));
    const role = /** @type {HTMLInputElement} */ (h("input", { id: "opp-role", name: "role", autocapitalize: "sentences", value: values.role, placeholder: "e.g. Product designer" }));
    const stage = /** @type {HTMLSelectElement} */ (h("select", { id: "opp-stage", name: "stage" },
      ...STAGES.filter((s) => ACTIVE.includes(s.id)).map((s) => h("option", { value: s.id, selected: s.id === values.stage }, s.one))));
    const intros = [...data.intros.values()].sort((a, b) => b.at.localeCompare(a.at));
    const introName = (/** @type {string} */ pid) => data.people.get(pid)?.name ?? "someone";
    const intro = /** @type {HTMLSelectElement} */ (h("select", { id: "opp-intro", name: "introduction_id", "aria-describedby": "opp-intro-hint" },
      h("option", { value: "" }, "None, or I don't know"),
      ...intros.map((i) => h("option", { value: i.id, selected: i.id === values.introduction_id },
        `${introName(i.introducer_id)} introduced ${introName(i.introduced_id)} (${dayFormat.format(new Date(i.at))})`)),
    ));
    const notes = /** @type {HTMLTextAreaElement} */ (h("textarea", { id: "opp-notes", name: "notes", rows: "3" }));
    notes.value = values.notes;
    const rows = h("ul", { class: "opp-person-rows" });
    const peopleError = h("p", { class: "error", id: "opp-people-error", hidden: true });
    const datalist = h("datalist", { id: "opp-people-names" }, ...[...byLabel.keys()].map((label) => h("option", { value: label })));
    let rowCount = 0;
    /** @param {{name: string, role: string}} link @param {boolean} [focus] */
    const addRow = (link, focus = false) => {
      const n = ++rowCount;
      const nameInput = /** @type {HTMLInputElement} */ (h("input", { id: `opp-person-${n}`, class: "opp-person-name", list: "opp-people-names", autocomplete: "off", value: link.name }));
      const roleSelect = h("select", { id: `opp-person-role-${n}`, class: "opp-person-role" },
        ...ROLES.map((r) => h("option", { value: r.id, selected: r.id === link.role }, r.label)));
      const row = h("li", { class: "opp-person-row" },
        h("div", { class: "field" }, h("label", { for: `opp-person-${n}`, text: `Person ${n}` }), nameInput),
        h("div", { class: "field" }, h("label", { for: `opp-person-role-${n}`, text: `Role of person ${n}` }), roleSelect),
        h("button", { type: "button", class: "button opp-remove", "aria-label": `Remove person ${n}`, onclick: () => { row.remove(); saveDraft(); addPersonButton.focus(); } }, "Remove"),
      );
      rows.append(row);
      if (focus) nameInput.focus();
    };
    const addPersonButton = h("button", { type: "button", class: "button", onclick: () => addRow({ name: "", role: "contact" }, true) }, "Add a person");
    for (const link of values.people) addRow(link);

    const cancel = h("button", { type: "button", class: "button", onclick: () => dialog.close() }, "Cancel");
    const form = /** @type {HTMLFormElement} */ (h("form", { class: "form", novalidate: true, autocomplete: "off" },
      h("div", { class: "field" }, h("label", { for: "opp-org", text: "Organisation" }), org, orgError),
      h("div", { class: "field" }, h("label", { for: "opp-role", text: "Role" }), role),
      isNew ? h("div", { class: "field" }, h("label", { for: "opp-stage", text: "Stage" }), stage) : null,
      h("div", { class: "field" },
        h("label", { for: "opp-intro", text: "Came from the introduction" }), intro,
        h("p", { class: "hint", id: "opp-intro-hint", text: intros.length ? "Who opened this door? It tells Followthrough whom to thank." : "No introductions saved yet. Capture someone with \"Introduced by\" to link one." }),
      ),
      h("fieldset", { class: "field opp-people-field" },
        h("legend", { text: "People there" }),
        h("p", { class: "hint", text: "Recruiters, interviewers, your references: type a name you saved." }),
        rows, datalist, peopleError, addPersonButton,
      ),
      h("div", { class: "field" }, h("label", { for: "opp-notes", text: "Notes" }), notes),
      h("div", { class: "opp-dialog-actions opp-sticky" },
        cancel,
        h("button", { type: "submit", class: "button primary" }, isNew ? "Add opportunity" : "Save changes"),
      ),
    ));
    const dialog = makeDialog(titleId, [h("h2", { id: titleId, text: isNew ? "Add an opportunity" : `Edit ${opp.organisation}` }), form], "opp-form-dialog");

    const read = () => ({
      organisation: org.value, role: role.value, stage: stage.value, introduction_id: intro.value, notes: notes.value,
      people: [...rows.querySelectorAll(".opp-person-row")].map((row) => ({
        name: /** @type {HTMLInputElement} */ (row.querySelector(".opp-person-name")).value,
        role: /** @type {HTMLSelectElement} */ (row.querySelector(".opp-person-role")).value,
      })),
    });
    // Every keystroke is on disk at once (IndexedDB keeps the order), so a reload loses nothing.
    let discarded = false;
    const saveDraft = () => {
      if (discarded) return;
      ctx.tracker.track(store.commit({ put: { drafts: [{ id: draftId, ...read() }] } })).catch(() => {});
    };
    const discard = () => {
      discarded = true;
      return ctx.tracker.track(store.commit({ delete: { drafts: [draftId] } })).catch(() => {});
    };
    form.addEventListener("input", saveDraft);
    form.addEventListener("change", saveDraft);
    // Choosing the introduction links the person it introduced, if nobody is linked yet.
    intro.addEventListener("change", () => {
      const chosen = data.intros.get(intro.value);
      if (!chosen) return;
      const label = labelOf(chosen.introduced_id);
      const filled = read().people.filter((p) => p.name.trim());
      if (label && filled.length === 0) {
        rows.replaceChildren();
        addRow({ name: label, role: "contact" });
      }
    });

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const v = read();
      orgError.hidden = true;
      org.removeAttribute("aria-invalid");
      peopleError.hidden = true;
      if (!v.organisation.trim()) {
        orgError.textContent = "Say which organisation this is with.";
        orgError.hidden = false;
        org.setAttribute("aria-invalid", "true");
        org.focus();
        return;
      }
      const links = [];
      for (const [i, p] of v.people.entries()) {
        if (!p.name.trim()) continue;
        const pid = byLabel.get(p.name.trim());
        if (!pid) {
          peopleError.textContent = `"${p.name.trim()}" is not someone you saved yet. Capture them first, or pick a name from the list.`;
          peopleError.hidden = false;
          const input = /** @type {HTMLInputElement} */ (rows.querySelectorAll(".opp-person-name")[i]);
          input.setAttribute("aria-invalid", "true");
          input.setAttribute("aria-describedby", "opp-people-error");
          input.focus();
          return;
        }
        if (!links.some((l) => l.person_id === pid && l.role === p.role)) links.push({ person_id: pid, role: p.role });
      }
      const fields = {
        organisation: v.organisation.trim(), role: v.role.trim(), people: links,
        introduction_id: v.introduction_id || null, notes: v.notes.trim(),
      };
      const id = isNew ? crypto.randomUUID() : opp.id;
      const done = isNew
        ? await ctx.command("add_opportunity", { id, stage: v.stage, ...fields })
        : await ctx.command("update_opportunity", { id, ...fields });
      if (!done) return;
      await discard();
      dialog.close();
      ctx.toast(isNew ? `Added ${fields.organisation}.` : `Saved ${fields.organisation}.`);
      if (!stillHere()) return;
      await load();
      render(id);
    });
    // Cancel keeps nothing half-typed around for next time; closing by accident (reload) does.
    dialog.addEventListener("cancel", discard);
    cancel.addEventListener("click", discard);
    root.append(dialog);
    dialog.showModal();
    org.focus();
  }

  await load();
  if (!stillHere()) return;
  render();
  await loadFollowups();
  if (!stillHere()) return;
  render();
}

/** @param {string} pid @param {string} name */
export function personLink(pid, name) {
  return h("a", { href: `#person/${encodeURIComponent(pid)}`, class: "opp-person-link" }, name);
}

/**
 * A modal dialog, removed from the page when it closes; focus goes back where it was.
 * @param {string} titleId @param {(Node | null)[]} children @param {string} [extra]
 */
export function makeDialog(titleId, children, extra = "") {
  const opener = /** @type {HTMLElement | null} */ (document.activeElement);
  const dialog = /** @type {HTMLDialogElement} */ (h("dialog", { class: `opp-dialog ${extra}`.trim(), "aria-labelledby": titleId }, ...children));
  dialog.addEventListener("close", () => {
    dialog.remove();
    if (opener?.isConnected) opener.focus();
  });
  return dialog;
}
