// @ts-check
/**
 * The gratitude round after landing a job: the `landed` command, and the checklist of everyone
 * to thank and every other employer to tell (`#opportunities/thanks/<id>`).
 */
import { h, localDate, relativeTime } from "../dom.js";
import * as store from "../store.js";
import { ROLE_WORDS, clock, dayFormat, jobTitle, makeDialog, personLink, slug } from "./opportunities.js";

/** @typedef {import("./opportunities.js").Opportunity} Opportunity */

const ROUND_PREFIX = "gratitude-round:";

/**
 * Land the job: the `landed` command, and a snapshot of the round (who was in it, and why) kept
 * in `meta`, so the checklist still lists people once they are thanked.
 * @param {any} ctx @param {Opportunity} opp
 */
export async function landed(ctx, opp) {
  const { iso, today } = clock();
  const response = await ctx.command("landed", { opportunity_id: opp.id, at: iso });
  if (!response) return false;
  const opened = (response.events ?? []).find((/** @type {any} */ e) => e.type === "gratitude_round_opened");
  if (opened) {
    const agenda = await ctx.engine.call({ op: "today", now: iso, today });
    /** @type {Record<string, string[]>} */
    const roles = {};
    for (const f of agenda.ok ? agenda.followups : []) {
      if (f.rule === "gratitude" && f.refs?.opportunity_id === opp.id) roles[f.person_ids[0]] = f.roles;
    }
    await ctx.tracker.track(store.commit({
      put: {
        meta: [{
          id: `${ROUND_PREFIX}${opp.id}`, opportunity_id: opp.id, at: iso,
          person_ids: opened.person_ids, most_doors: opened.most_doors,
          courtesy_notes: opened.courtesy_notes, roles,
        }],
      },
    })).catch(() => {});
  }
  ctx.toast(`Congratulations on ${jobTitle(opp)}!`);
  return true;
}

// --- Gratitude round -----------------------------------------------------------------------------

/**
 * @typedef {{key: string, kind: "thanks" | "courtesy", personId: string | null, name: string, organisation: string,
 *   roles: string[], most: boolean, state: "open" | "snoozed" | "done" | "skipped" | "sent" | "thanked",
 *   followup: any | null, when: string | null, opportunityId: string}} Item
 */

/**
 * Everything of one landing's round: open items from the engine's Today, done ones from the
 * decisions and interactions that closed them, and anyone in the round's snapshot.
 * @param {any} ctx @param {Opportunity} opp
 * @returns {Promise<{items: Item[], current: boolean}>}
 */
async function gatherRound(ctx, opp) {
  const { iso, today } = clock();
  const [agenda, decisions, interactions, people, opps, snapshot] = await Promise.all([
    ctx.engine.call({ op: "today", now: iso, today }),
    store.getAll("decisions"), store.getAll("interactions"), store.getAll("people"),
    store.getAll("opportunities"), store.get("meta", `${ROUND_PREFIX}${opp.id}`).catch(() => null),
  ]);
  const personById = new Map(people.map((p) => [p.id, p]));
  const oppById = new Map(opps.map((o) => [o.id, o]));
  const latest = opps.filter((o) => o.stage === "accepted").sort((a, b) => b.stage_at.localeCompare(a.stage_at))[0];
  const current = latest?.id === opp.id;
  const landedAt = opp.stage_at;
  const thanksPrefix = `gratitude:${opp.id}:`;
  /** @type {Map<string, Item>} */
  const items = new Map();
  const put = (/** @type {Item} */ item) => { if (!items.has(item.key)) items.set(item.key, item); };
  const courtesy = (/** @type {string} */ key, /** @type {string} */ oppId) => {
    const other = oppById.get(oppId);
    return other ? { organisation: other.organisation, names: other.people.filter((l) => l.role !== "reference").map((l) => personById.get(l.person_id)?.name).filter(Boolean) } : null;
  };
  const mostDoors = snapshot?.most_doors ?? null;

  for (const f of agenda.ok ? agenda.followups : []) {
    if (f.rule === "gratitude" && f.key.startsWith(thanksPrefix)) {
      put({
        key: f.key, kind: "thanks", personId: f.person_ids[0], name: f.who, organisation: personById.get(f.person_ids[0])?.organisation ?? "",
        roles: f.roles, most: f.mark === "most-doors", state: f.status === "snoozed" ? "snoozed" : "open", followup: f,
        when: f.snoozed_until, opportunityId: opp.id,
      });
    } else if (f.rule === "courtesy-note" && current) {
      const other = courtesy(f.key, f.refs.opportunity_id);
      put({
        key: f.key, kind: "courtesy", personId: f.person_ids[0] ?? null, name: f.who, organisation: other?.organisation ?? f.who,
        roles: [], most: false, state: "open", followup: f, when: null, opportunityId: f.refs.opportunity_id,
      });
    }
  }
  const closed = (/** @type {string} */ key, /** @type {Item["state"]} */ state, /** @type {string | null} */ when) => {
    if (key.startsWith(thanksPrefix)) {
      const pid = key.slice(thanksPrefix.length);
      put({
        key, kind: "thanks", personId: pid, name: personById.get(pid)?.name ?? "Someone you removed", organisation: personById.get(pid)?.organisation ?? "",
        roles: snapshot?.roles?.[pid] ?? [], most: pid === mostDoors, state, followup: null, when, opportunityId: opp.id,
      });
    } else if (key.startsWith("courtesy-note:") && (!when || when >= landedAt)) {
      const oppId = key.slice("courtesy-note:".length);
      const other = courtesy(key, oppId);
      if (!other) return;
      const current_ = snapshot ? (snapshot.courtesy_notes ?? []).includes(oppId) : current;
      if (!current_) return;
      put({
        key, kind: "courtesy", personId: null, name: other.names.join(", ") || `the team at ${other.organisation}`, organisation: other.organisation,
        roles: [], most: false, state, followup: null, when, opportunityId: oppId,
      });
    }
  };
  for (const d of decisions) {
    if (d.status === "done") closed(d.key, "done", d.at);
    else if (d.status === "skipped") closed(d.key, "skipped", d.at);
    else if (d.status === "snoozed") closed(d.key, "snoozed", d.until);
  }
  for (const it of interactions) if (it.followup_key) closed(it.followup_key, "sent", it.at);
  // In the round, and no longer owed: a thank-you was logged for them some other way.
  for (const pid of snapshot?.person_ids ?? []) closed(`${thanksPrefix}${pid}`, "thanked", null);
  for (const oppId of snapshot?.courtesy_notes ?? []) closed(`courtesy-note:${oppId}`, "thanked", null);

  const order = (/** @type {Item} */ item) => {
    const first = ["chain", "reference", "helper"].indexOf(item.roles[0] ?? "helper");
    return [item.most ? 0 : 1, first < 0 ? 3 : first, item.name.toLowerCase()];
  };
  const sorted = [...items.values()].sort((a, b) => {
    const [x, y] = [order(a), order(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
  });
  return { items: sorted, current };
}

/**
 * @param {HTMLElement} root @param {any} ctx @param {string} oppId @param {() => boolean} stillHere
 */
export async function mountThanks(root, ctx, oppId, stillHere) {
  const heading = h("h2", { id: "thanks-heading", tabindex: "-1", text: "Your gratitude round" });
  const sub = h("p", { class: "subtle opp-intro" });
  const status = h("p", { class: "loading", role: "status", text: "Gathering everyone who helped…" });
  const body = h("div", { class: "opp-thanks" });
  root.append(h("div", { class: "opp-screen" },
    h("p", { class: "opp-back" }, h("a", { href: "#opportunities" }, "← Pipeline")),
    h("div", { class: "view-head" }, heading),
    sub, status, body,
  ));
  heading.focus({ preventScroll: true });

  const opp = /** @type {Opportunity | undefined} */ (await store.get("opportunities", oppId).catch(() => undefined));
  if (!stillHere()) return;
  if (!opp) {
    status.hidden = true;
    body.replaceChildren(h("div", { class: "empty" },
      h("h3", { text: "This opportunity is not here." }),
      h("p", { text: "It may have been removed on another device." }),
      h("a", { class: "button", href: "#opportunities" }, "Back to the pipeline"),
    ));
    return;
  }
  sub.textContent = opp.stage === "accepted"
    ? `You landed ${jobTitle(opp)}. Thank everyone who helped you get here, and tell the other employers.`
    : `${opp.organisation} is not marked as accepted, so there is no gratitude round for it yet.`;

  /** @param {string | null} [focusKey] */
  async function render(focusKey = null) {
    const { items, current } = await gatherRound(ctx, opp);
    if (!stillHere()) return;
    status.hidden = true;
    const thanks = items.filter((i) => i.kind === "thanks");
    const notes = items.filter((i) => i.kind === "courtesy");
    const isDone = (/** @type {Item} */ i) => ["done", "skipped", "sent", "thanked"].includes(i.state);
    const done = items.filter(isDone).length;
    if (items.length === 0) {
      body.replaceChildren(h("div", { class: "empty" },
        h("h3", { text: opp.stage === "accepted" ? "Nobody to thank on record." : "No round yet." }),
        h("p", { text: opp.stage === "accepted"
          ? "Link the introduction this job came from and your references on the opportunity, and the people who helped appear here."
          : "When you accept an offer, this is where everyone to thank appears." }),
        h("a", { class: "button", href: "#opportunities" }, "Back to the pipeline"),
      ));
      return;
    }
    const progress = h("progress", { max: String(items.length), value: String(done), "aria-labelledby": "thanks-progress-label" });
    body.replaceChildren(
      h("div", { class: "opp-progress" },
        h("p", { id: "thanks-progress-label", class: "opp-progress-label", text: done === items.length ? `All ${items.length} done. Well done!` : `${done} of ${items.length} done` }),
        progress,
        !current && opp.stage === "accepted" ? h("p", { class: "hint", text: "You have landed another job since: this round is kept as a record." }) : null,
      ),
      h("section", { "aria-labelledby": "thanks-people" },
        h("h3", { id: "thanks-people", class: "list-heading", text: "People to thank" }),
        thanks.length
          ? h("ul", { class: "cards opp-checklist" }, ...thanks.map(item))
          : h("p", { class: "subtle", text: "Nobody on record helped with this one. Add the introduction and references on the opportunity." }),
      ),
      h("section", { "aria-labelledby": "thanks-employers" },
        h("h3", { id: "thanks-employers", class: "list-heading", text: "Employers to tell" }),
        notes.length
          ? h("ul", { class: "cards opp-checklist" }, ...notes.map(item))
          : h("p", { class: "subtle", text: "You were not a candidate anywhere else: nobody else to tell." }),
      ),
    );
    if (focusKey) document.getElementById(`thanks-check-${slug(focusKey)}`)?.focus();
  }

  /** @param {Item} i */
  function item(i) {
    const id = slug(i.key);
    const checked = ["done", "skipped", "sent", "thanked"].includes(i.state);
    const locked = i.state === "sent" || i.state === "thanked";
    const label = i.kind === "thanks" ? `Thank ${i.name}` : `Tell ${i.organisation}`;
    const box = /** @type {HTMLInputElement} */ (h("input", {
      type: "checkbox", id: `thanks-check-${id}`, checked, disabled: locked,
      "aria-describedby": `thanks-state-${id}`,
    }));
    box.addEventListener("change", async () => {
      box.disabled = true;
      const response = box.checked
        ? await ctx.command("mark_done", { key: i.key })
        : await ctx.command("reopen", { key: i.key });
      if (!response) { box.checked = !box.checked; box.disabled = false; return; }
      ctx.toast(box.checked ? `${label}: done.` : `${label}: back on your list.`);
      await render(i.key);
    });
    const stateWords = {
      open: i.followup?.overdue ? "Overdue" : i.followup ? `Due ${relativeTime(i.followup.due, new Date())}` : "To do",
      snoozed: i.when ? `Snoozed until ${dayFormat.format(new Date(i.when))}` : "Snoozed",
      done: "Done",
      skipped: "Skipped",
      sent: i.when ? `Sent ${dayFormat.format(new Date(i.when))}` : "Sent",
      thanked: "Thanked",
    }[i.state];
    const roles = i.roles.map((r) => ROLE_WORDS[/** @type {keyof typeof ROLE_WORDS} */ (r)] ?? r);
    const who = i.kind === "courtesy"
      ? h("p", { class: "opp-check-sub", text: `To ${i.name}: you accepted another position.` })
      : i.organisation || roles.length ? h("p", { class: "opp-check-sub subtle", text: [i.organisation, ...roles].filter(Boolean).join(" · ") }) : null;
    return h("li", { class: `card opp-check${checked ? " is-done" : ""}${i.most ? " is-most" : ""}`, "data-key": i.key },
      h("div", { class: "opp-check-row" },
        box,
        h("label", { for: `thanks-check-${id}`, class: "opp-check-label" }, label),
      ),
      h("p", { class: "opp-roles" },
        h("span", { class: i.followup?.overdue && !checked ? "badge danger" : "badge", id: `thanks-state-${id}`, text: stateWords }),
        i.most ? h("span", { class: "badge opp-most-badge", text: "★ Opened the most doors: take them to dinner" }) : null,
      ),
      who,
      i.followup && !checked ? h("div", { class: "card-actions" },
        h("button", {
          type: "button", class: "button", "aria-label": `Write the note to ${i.kind === "thanks" ? i.name : i.organisation}`,
          onclick: () => openDraft(i),
        }, "Write the note"),
        i.personId ? h("a", { class: "button", href: `#person/${encodeURIComponent(i.personId)}`, "aria-label": `Open ${i.name}` }, "Open") : null,
      ) : null,
    );
  }

  /** The draft, editable, with Send (mailto:/sms:/tel:), Copy, and "Sent?". @param {Item} i */
  async function openDraft(i) {
    const { iso, today } = clock();
    const response = await ctx.engine.call({ op: "draft", key: i.key, now: iso, today });
    if (!response.ok) { ctx.toast(response.message); return; }
    const d = response.draft;
    const titleId = "thanks-draft-title";
    const channels = new Set(d.channels);
    const subject = /** @type {HTMLInputElement} */ (h("input", { id: "draft-subject", value: d.subject }));
    const message = /** @type {HTMLTextAreaElement} */ (h("textarea", { id: "draft-body", rows: "9" }));
    message.value = d.body;
    const sms = /** @type {HTMLTextAreaElement} */ (h("textarea", { id: "draft-sms", rows: "3" }));
    sms.value = d.sms;
    const email = d.to.email;
    const phone = d.to.phone;
    const crlf = (/** @type {string} */ s) => encodeURIComponent(s.replace(/\r?\n/g, "\r\n"));
    const mail = h("a", { class: "button primary", "data-channel": "email" }, "Send email");
    const text = h("a", { class: "button", "data-channel": "sms" }, "Send text");
    const call = h("a", { class: "button", "data-channel": "call", href: `tel:${phone.replace(/[^+\d]/g, "")}` }, `Call ${d.to.name}`);
    const update = () => {
      mail.setAttribute("href", `mailto:${encodeURIComponent(email).replace(/%40/g, "@")}?subject=${crlf(subject.value)}&body=${crlf(message.value)}`);
      text.setAttribute("href", `sms:${phone.replace(/[^+\d]/g, "")}?body=${encodeURIComponent(sms.value)}`);
    };
    update();
    subject.addEventListener("input", update);
    message.addEventListener("input", update);
    sms.addEventListener("input", update);
    const copy = h("button", { type: "button", class: "button" }, "Copy");
    const card = h("button", { type: "button", class: "button" }, "I sent a card");
    const askTitle = h("p", { id: "draft-sent-title", class: "opp-ask-title", tabindex: "-1", text: "Did you send it?" });
    const yes = h("button", { type: "button", class: "button primary" }, "Yes, log it");
    const notYet = h("button", { type: "button", class: "button" }, "Not yet");
    const ask = h("div", { class: "opp-ask", role: "group", "aria-labelledby": "draft-sent-title", hidden: true }, askTitle, h("div", { class: "opp-dialog-actions" }, notYet, yes));
    /** @type {string} */
    let via = "email";
    const asked = (/** @type {string} */ channel) => {
      via = channel;
      ask.hidden = false;
      setTimeout(() => yes.focus(), 0);
    };
    mail.addEventListener("click", () => asked("email"));
    text.addEventListener("click", () => asked("sms"));
    call.addEventListener("click", () => asked("call"));
    copy.addEventListener("click", async () => {
      const words = channels.has("email") || !channels.has("sms") ? `${subject.value}\n\n${message.value}` : sms.value;
      try {
        await navigator.clipboard.writeText(words);
        ctx.toast("Copied. Paste it into your message.");
      } catch {
        message.select();
        ctx.toast("Select all and copy: this browser did not allow copying.");
      }
      asked("copy");
    });
    card.addEventListener("click", () => log("card"));
    notYet.addEventListener("click", () => { ask.hidden = true; });
    yes.addEventListener("click", () => log(via));

    /** @param {string} channel */
    async function log(channel) {
      const thanks = i.kind === "thanks";
      const kind = channel === "card" ? "thank_you_card"
        : channel === "call" ? (thanks ? "thank_you_call" : "call")
          : thanks ? "thank_you_email" : "message_sent";
      const people = i.followup?.person_ids ?? [];
      const { iso: at } = clock();
      const done = people.length
        ? await ctx.command("log_interaction", {
          id: crypto.randomUUID(), person_ids: people, kind, at,
          notes: channel === "sms" ? sms.value : channel === "card" || channel === "call" ? "" : `${subject.value}\n\n${message.value}`,
          opportunity_id: i.opportunityId, followup_key: i.key,
        })
        : await ctx.command("mark_done", { key: i.key });
      if (!done) return;
      dialog.close();
      ctx.toast(i.kind === "thanks" ? `Logged your thank-you to ${i.name}.` : `Logged your note to ${i.organisation}.`);
      await render(i.key);
    }

    const reach = [email, phone].filter(Boolean).join(" · ");
    const dialog = makeDialog(titleId, [
      h("h2", { id: titleId, text: i.kind === "thanks" ? `Thank ${i.name}` : `Tell ${i.organisation}` }),
      h("p", { class: "subtle opp-dialog-sub", text: reach ? `To ${d.to.name}: ${reach}` : `No email or phone saved for ${d.to.name}: copy the message, call, or send a card.` }),
      i.most ? h("p", { class: "opp-dialog-note", text: "They opened the most doors: the draft offers dinner." }) : null,
      h("div", { class: "form" },
        h("div", { class: "field" }, h("label", { for: "draft-subject", text: "Subject" }), subject),
        h("div", { class: "field" }, h("label", { for: "draft-body", text: "Message" }), message),
        phone ? h("div", { class: "field" }, h("label", { for: "draft-sms", text: "Text message" }), sms) : null,
      ),
      h("div", { class: "opp-dialog-actions opp-send" },
        email ? mail : null,
        phone ? text : null,
        phone ? call : null,
        copy,
        channels.has("card") ? card : null,
      ),
      ask,
      h("div", { class: "opp-dialog-actions" }, h("button", { type: "button", class: "button", onclick: () => dialog.close() }, "Close")),
    ], "opp-draft-dialog");
    root.append(dialog);
    dialog.showModal();
    message.focus();
    message.setSelectionRange(0, 0);
    message.scrollTop = 0;
  }

  await render();
}
