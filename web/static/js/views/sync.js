// @ts-check
/**
 * Sync screen: turn sync on (passphrase twice, strength hint, progress while the keys are
 * made), the recovery kit, pairing another device (a short code, a link and a QR code), the
 * passphrase change, sign-in again after a change elsewhere, status and "Sync now", and the
 * records that could not be read (sync-rejects.js).
 */
import { announce } from "../announce.js";
import { h } from "../dom.js";
import { passphraseStrength } from "../crypto.js";
import { startSync, statusText, defaultServer, pairingLink } from "../sync/index.js";
import { qrFor } from "../qr-image.js";
import { rejectsCard } from "./sync-rejects.js";
import { headsCard, renderHeads } from "./sync-heads.js";

const MIN_PASSPHRASE = 10;

const STAGES = {
  deriving: "Making your keys from the passphrase (600,000 rounds; a few seconds on a phone)…",
  keys: "Locking a new data key…",
  server: "Talking to the sync server…",
  syncing: "Syncing…",
};

/**
 * @param {HTMLElement} root
 * @param {{engine: any, backend: import("../backend.js").Backend, refreshToday: () => void, toast: (text: string) => void, navigate: (hash: string) => void}} ctx
 * @param {string[]} params `["pair", code, server]` from a pairing link
 */
export async function mount(root, ctx, params = []) {
  // Today and other screens hear synced changes through the Backend (`changed`, source "sync").
  const sync = startSync(ctx.engine);
  // Shown here and refreshed each half minute ("Synced 3 min ago"), so not live: a sync the user
  // asked for is said once, when it starts and when it ends (announce.js).
  const statusLine = h("p", { class: "sync-status", "data-testid": "sync-status" });
  const warningLine = h("p", { class: "hint sync-warning", hidden: true });
  const syncButton = h("button", { type: "button", class: "button", "data-testid": "sync-now" }, "Sync now");
  const body = h("div", { class: "sync-body" });
  const rejects = rejectsCard(sync);
  const heads = headsCard();
  root.replaceChildren(
    h("div", { class: "view-head" }, h("h2", { id: "sync-heading" }, "Sync"),
      h("p", { class: "subtle" }, "Between your own devices, end-to-end encrypted: the server stores only what it cannot read.")),
    h("section", { class: "card sync-card", "aria-labelledby": "sync-heading" }, statusLine, warningLine, syncButton),
    rejects.card,
    heads,
    body,
  );

  let shownState = "";
  /**
   * A sync the user asked for (Sync now, turning it on, pairing, signing in) is said when it
   * starts and when it has a result: a new "last synced", an error, or offline.
   * @type {{from: string | null} | null}
   */
  let asked = null;
  /** @type {Awaited<ReturnType<typeof sync.status>> | null} */
  let last = null;
  const refresh = async () => {
    if (!root.isConnected) return;
    const status = await sync.status();
    last = status;
    const text = statusText(status);
    if (asked && !status.syncing && (status.last_synced_at !== asked.from || status.error || status.offline)) {
      asked = null;
      announce(text, { error: Boolean(status.error) });
    }
    statusLine.textContent = text;
    statusLine.dataset.state = status.error ? "error" : status.syncing ? "syncing" : status.waiting ? "waiting" : "ok";
    warningLine.textContent = status.warning ?? "";
    warningLine.hidden = !status.warning;
    syncButton.hidden = !status.enabled || status.state !== "ok";
    /** @type {HTMLButtonElement} */ (syncButton).disabled = status.syncing;
    await rejects.update();
    renderHeads(heads, status);
    const state = status.enabled ? status.state : "off";
    if (state !== shownState && !("busy" in body.dataset)) {
      shownState = state;
      await render(status);
    }
  };

  /** Something the user did starts a sync: say so, and say its result once it has one. */
  const ask = () => {
    asked = { from: last?.last_synced_at ?? null };
    if (last?.enabled && last.state === "ok") announce(statusText({ ...last, syncing: true, offline: false, received: 0 }));
  };
  const syncing = () => {
    ask();
    refresh();
  };

  syncButton.addEventListener("click", () => {
    ask();
    /** @type {HTMLButtonElement} */ (syncButton).disabled = true;
    sync.syncNow({ reason: "button" }).catch(() => {}).finally(refresh);
  });
  // A long pull (a newly paired device receives everything) is said once, when it starts; the
  // status line counts the records, and its result is said at the end as any sync's is.
  const receiving = () => announce("Receiving your records from the server. The app stays usable meanwhile.");
  sync.addEventListener("status", refresh);
  sync.addEventListener("progress", receiving);
  const timer = setInterval(refresh, 30_000);
  const stop = () => {
    sync.removeEventListener("status", refresh);
    sync.removeEventListener("progress", receiving);
    clearInterval(timer);
  };
  addEventListener("hashchange", stop, { once: true });

  /** @param {Awaited<ReturnType<typeof sync.status>>} status */
  async function render(status) {
    if (!status.enabled) {
      const pairing = params[0] === "pair";
      body.replaceChildren(
        setupSection(sync, {
          open: !pairing,
          // The kit must stay on screen when the status changes under it.
          hold: (on) => { if (on) body.dataset.busy = ""; else delete body.dataset.busy; },
          done: showKit,
        }),
        pairSection(sync, { open: pairing, code: params[1] ?? "", server: params[2] ?? "", done: syncing }),
        recoverSection(sync, { code: "", server: "", done: syncing }),
      );
    } else if (status.state !== "ok") {
      body.replaceChildren(
        unlockSection(sync, status, syncing),
        recoverSection(sync, { code: (await pairingLink(status)).code, server: status.server, done: syncing }),
      );
    } else {
      body.replaceChildren(
        await pairOtherSection(status, ctx.backend),
        kitSection(sync, status),
        await reviewSection(ctx.backend),
        changeSection(sync),
        signOutSection(sync, refresh),
      );
    }
  }

  /** Shown right after setup (and again on demand, under Recovery kit). @param {{recoveryKit: string, code: string, link: string}} result */
  function showKit(result) {
    body.dataset.busy = "";
    announce("Sync is on. Your recovery kit is below: save it, then press “I have saved it”.");
    body.replaceChildren(
      h("section", { class: "card sync-kit", "aria-labelledby": "kit-heading" },
        h("h3", { id: "kit-heading" }, "Your recovery kit"),
        h("p", {}, "Write this down or print it, and keep it somewhere safe, apart from your devices. It is the only way back to your synced data if you forget the passphrase, and it holds your account's secret key. While sync is on here, you can show it again under Sync → Recovery kit."),
        h("p", { class: "sync-code", "data-testid": "recovery-kit" }, result.recoveryKit),
        h("button", { type: "button", class: "button", onclick: () => window.print() }, "Print"),
        h("button", {
          type: "button", class: "button primary", "data-testid": "kit-saved",
          onclick: () => { delete body.dataset.busy; shownState = ""; syncing(); },
        }, "I have saved it"),
      ),
    );
  }

  await refresh();
}

/** @param {string} id @param {string} label @param {Record<string, any>} [attrs] @param {string} [hint] */
function field(id, label, attrs = {}, hint) {
  const input = h("input", { id, name: id, ...attrs, ...(hint ? { "aria-describedby": `${id}-hint` } : {}) });
  return {
    input: /** @type {HTMLInputElement} */ (input),
    element: h("div", { class: "field" }, h("label", { for: id }, label), input,
      hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null),
  };
}

/**
 * A form whose submit runs `action` with a progress line; errors show under the form.
 * @param {string} name @param {HTMLElement[]} fields @param {string} submit
 * @param {(stage: (text: string) => void) => Promise<void>} action
 */
function form(name, fields, submit, action) {
  const error = h("p", { class: "error", role: "alert", id: `${name}-error`, hidden: true });
  const progress = h("div", { class: "sync-progress", hidden: true },
    h("progress", { "aria-label": "Working" }), h("span", { class: "sync-progress-text" }));
  const button = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", class: "button primary wide" }, submit));
  const element = /** @type {HTMLFormElement} */ (h("form", { class: "form", novalidate: true, "data-form": name }, ...fields, error, progress, button));
  element.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    untie(element, error.id);
    button.disabled = true;
    progress.hidden = false;
    const started = performance.now();
    const text = /** @type {HTMLElement} */ (progress.querySelector(".sync-progress-text"));
    let words = "Working…";
    const tick = setInterval(() => {
      text.textContent = `${words} ${Math.round((performance.now() - started) / 1000)} s`;
    }, 250);
    try {
      await action((stage) => {
        words = STAGES[/** @type {keyof typeof STAGES} */ (stage)] ?? stage;
        text.textContent = words;
        announce(words);
      });
    } catch (problem) {
      error.textContent = problem instanceof Error ? problem.message : String(problem);
      error.hidden = false;
      // Tied to the field it is about (checkTwice marks it), and brought into view.
      const invalid = element.querySelector("[aria-invalid=true]");
      if (invalid) tie(invalid, error.id);
      error.scrollIntoView({ block: "nearest" });
    } finally {
      clearInterval(tick);
      progress.hidden = true;
      button.disabled = false;
    }
  });
  return element;
}

/** Add an error's id to a field's description. @param {Element} input @param {string} id */
function tie(input, id) {
  const ids = (input.getAttribute("aria-describedby") ?? "").split(" ").filter((x) => x && x !== id);
  input.setAttribute("aria-describedby", [...ids, id].join(" "));
  input.addEventListener("input", () => {
    input.removeAttribute("aria-invalid");
    untieOne(input, id);
  }, { once: true });
}

/** @param {Element} input @param {string} id */
function untieOne(input, id) {
  const ids = (input.getAttribute("aria-describedby") ?? "").split(" ").filter((x) => x && x !== id);
  if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
  else input.removeAttribute("aria-describedby");
}

/** @param {HTMLElement} form @param {string} id */
function untie(form, id) {
  for (const input of form.querySelectorAll(`[aria-describedby~="${id}"]`)) {
    input.removeAttribute("aria-invalid");
    untieOne(input, id);
  }
}

/** @param {HTMLInputElement} first @param {HTMLInputElement} second */
function checkTwice(first, second) {
  if (first.value.length < MIN_PASSPHRASE) {
    first.setAttribute("aria-invalid", "true");
    first.focus();
    throw new Error(`Use at least ${MIN_PASSPHRASE} characters; several unrelated words are best.`);
  }
  if (first.value !== second.value) {
    second.setAttribute("aria-invalid", "true");
    second.focus();
    throw new Error("The two passphrases are not the same.");
  }
  const { verdict, advice } = passphraseStrength(first.value);
  if (verdict === "weak") {
    first.setAttribute("aria-invalid", "true");
    first.focus();
    throw new Error(`This passphrase is too easy to guess. ${advice}`);
  }
}

/** A live strength hint under a passphrase field. @param {HTMLInputElement} input */
function strengthHint(input) {
  const hint = h("p", { class: "hint sync-strength", "aria-live": "polite" });
  input.addEventListener("input", () => {
    input.removeAttribute("aria-invalid");
    if (!input.value) { hint.textContent = ""; return; }
    const { verdict, advice } = passphraseStrength(input.value);
    hint.dataset.verdict = verdict;
    hint.textContent = `Strength: ${verdict}. ${advice}`;
  });
  return hint;
}

/**
 * @param {import("../sync/index.js").Sync} sync
 * @param {{open: boolean, hold: (on: boolean) => void, done: (r: any) => void}} options
 */
function setupSection(sync, { open, hold, done }) {
  const server = field("setup-server", "Sync server", { type: "url", value: defaultServer(), autocomplete: "off" }, "This app's own server unless you run one elsewhere.");
  const first = field("setup-passphrase", "Passphrase", { type: "password", autocomplete: "new-password" }, "It encrypts everything on this device before it leaves. Nobody, not even the server, can reset it.");
  const second = field("setup-passphrase-again", "Passphrase again", { type: "password", autocomplete: "new-password" });
  return h("details", { class: "card sync-section", open },
    h("summary", {}, "Turn on sync on this device"),
    form("setup", [server.element, first.element, strengthHint(first.input), second.element], "Turn on sync", async (stage) => {
      checkTwice(first.input, second.input);
      hold(true);
      try {
        const result = await sync.setup({ server: server.input.value, passphrase: first.input.value, onStage: stage });
        first.input.value = second.input.value = "";
        done(result);
      } catch (error) {
        hold(false);
        throw error;
      }
    }),
  );
}

/**
 * @param {import("../sync/index.js").Sync} sync
 * @param {{open: boolean, code: string, server: string, done: () => void}} options
 */
function pairSection(sync, { open, code, server: serverUrl, done }) {
  const server = field("pair-server", "Sync server", { type: "url", value: serverUrl || defaultServer(), autocomplete: "off" });
  const pairing = field("pair-code", "Pairing code", { value: code, autocomplete: "off", autocapitalize: "characters", spellcheck: "false" }, "Shown on your other device under Sync → Pair another device.");
  const pass = field("pair-passphrase", "Passphrase", { type: "password", autocomplete: "current-password" });
  return h("details", { class: "card sync-section", open },
    h("summary", {}, "This device joins sync I turned on elsewhere"),
    form("pair", [server.element, pairing.element, pass.element], "Pair this device", async (stage) => {
      await sync.pair({ server: server.input.value, code: pairing.input.value, passphrase: pass.input.value, onStage: stage });
      pass.input.value = "";
      done();
    }),
  );
}

/**
 * @param {import("../sync/index.js").Sync} sync @param {any} status @param {() => void} done
 */
function unlockSection(sync, status, done) {
  const pass = field("unlock-passphrase", status.state === "passphrase-changed" ? "New passphrase" : "Passphrase", { type: "password", autocomplete: "current-password" });
  // A device from before the account's secret key needs it once: it is in the pairing code.
  const code = status.secret_key ? null : field("unlock-code", "Pairing code (if asked)", { autocomplete: "off", autocapitalize: "characters", spellcheck: "false" },
    "Only if this account now has a secret key: copy the code from Sync → Pair another device on a signed-in device.");
  return h("section", { class: "card sync-section", "aria-labelledby": "unlock-heading" },
    h("h3", { id: "unlock-heading" }, status.state === "passphrase-changed" ? "Passphrase changed on another device" : "Sign in to sync again"),
    h("p", {}, `Changes made on this device are kept${status.waiting ? ` (${status.waiting} waiting)` : ""} and sent once you sign in.`),
    form("unlock", code ? [pass.element, code.element] : [pass.element], "Sign in", async (stage) => {
      await sync.unlock(pass.input.value, { onStage: stage, code: code?.input.value ?? "" });
      pass.input.value = "";
      done();
    }),
  );
}

/**
 * @param {import("../sync/index.js").Sync} sync
 * @param {{code: string, server: string, done: () => void}} options
 */
function recoverSection(sync, { code, server: serverUrl, done }) {
  const server = field("recover-server", "Sync server", { type: "url", value: serverUrl || defaultServer(), autocomplete: "off" });
  const pairing = field("recover-code", "Pairing code", { value: code, autocomplete: "off", spellcheck: "false" }, "The account's pairing code, shown on any paired device.");
  const kit = field("recover-kit", "Recovery kit", { autocomplete: "off", spellcheck: "false" });
  const first = field("recover-passphrase", "New passphrase", { type: "password", autocomplete: "new-password" });
  const second = field("recover-passphrase-again", "New passphrase again", { type: "password", autocomplete: "new-password" });
  return h("details", { class: "card sync-section" },
    h("summary", {}, "I forgot the passphrase: use the recovery kit"),
    form("recover", [server.element, pairing.element, kit.element, first.element, strengthHint(first.input), second.element], "Set a new passphrase", async (stage) => {
      checkTwice(first.input, second.input);
      await sync.recover({ server: server.input.value, code: pairing.input.value, kit: kit.input.value, passphrase: first.input.value, onStage: stage });
      first.input.value = second.input.value = kit.input.value = "";
      done();
    }),
  );
}

/** @param {any} status @param {{send: (op: string, args?: Record<string, unknown>) => Promise<any>}} backend */
async function pairOtherSection(status, backend) {
  const { code, link } = await pairingLink(status);
  // Null when too long for a QR code: the code and the link are still shown as text.
  const picture = await qrFor(backend, link, "QR code of the pairing link");
  return h("details", { class: "card sync-section" },
    h("summary", {}, "Pair another device"),
    h("p", {}, "On the other device, open Followthrough, go to Sync, choose “This device joins sync…”, and enter this code and your passphrase. Or scan the QR code with its camera."),
    status.secret_key ? h("p", { class: "hint" }, "The code carries your account's secret key, which the server never sees: keep it as private as the passphrase.") : null,
    h("p", { class: "sync-code", "data-testid": "pairing-code" }, code),
    picture ? h("div", { class: "sync-qr" }, picture) : null,
    h("p", { class: "hint" }, "Server: ", h("span", { "data-testid": "pairing-server" }, status.server)),
    h("p", { class: "hint sync-link" }, link),
  );
}

/** @param {import("../sync/index.js").Sync} sync @param {any} status */
function kitSection(sync, status) {
  const output = h("p", { class: "sync-code", "data-testid": "recovery-kit", hidden: true });
  const button = h("button", {
    type: "button", class: "button",
    onclick: async () => {
      output.textContent = (await sync.recoveryKit()) ?? "";
      output.hidden = false;
    },
  }, "Show the recovery kit");
  return h("details", { class: "card sync-section" },
    h("summary", {}, "Recovery kit"),
    status.can_show_kit
      ? h("div", {}, h("p", {}, "The kit opens your synced data if you forget the passphrase. Keep it offline."), button, output)
      : h("p", {}, "The recovery kit was shown on the device where sync was turned on, and can be shown again there."),
  );
}

/**
 * Notes that hold two versions after edits on two devices at once (the engine finds them).
 * @param {import("../backend.js").Backend} backend
 */
async function reviewSection(backend) {
  const answer = await backend.send("sync_review");
  /** @type {Array<{store: string, id: string, name: string}>} */
  const found = answer.ok ? answer.records : [];
  if (!found.length) return h("div", { hidden: true });
  return h("section", { class: "card sync-section sync-review", "aria-labelledby": "review-heading" },
    h("h3", { id: "review-heading" }, `${found.length} ${found.length === 1 ? "note has" : "notes have"} 2 versions — review`),
    h("p", {}, "These were edited on two devices at once. Both texts are kept in the note; edit it to keep what you want."),
    h("ul", { class: "plain-list" }, ...found.map((r) => h("li", {},
      r.store === "people" ? h("a", { href: `#person/${encodeURIComponent(r.id)}` }, r.name) : h("span", {}, `${r.name} (${r.store})`)))),
  );
}

/** @param {import("../sync/index.js").Sync} sync */
function changeSection(sync) {
  const current = field("change-current", "Current passphrase", { type: "password", autocomplete: "current-password" });
  const first = field("change-new", "New passphrase", { type: "password", autocomplete: "new-password" });
  const second = field("change-new-again", "New passphrase again", { type: "password", autocomplete: "new-password" });
  const section = h("details", { class: "card sync-section" },
    h("summary", {}, "Change the passphrase"),
    h("p", { class: "hint" }, "Your other devices will ask for the new one and keep their unsent changes. A new data key and a new recovery kit come with it: the old kit stops working."),
    form("change", [current.element, first.element, strengthHint(first.input), second.element], "Change passphrase", async (stage) => {
      checkTwice(first.input, second.input);
      const result = await sync.changePassphrase({ current: current.input.value, next: first.input.value, onStage: stage });
      current.input.value = first.input.value = second.input.value = "";
      section.querySelector(".sync-new-kit")?.remove();
      section.append(h("div", { class: "sync-new-kit" },
        h("p", { class: "sync-done", role: "status" }, "Passphrase changed. Use the new one on your other devices. Your new recovery kit replaces the old one: save it now."),
        h("p", { class: "sync-code", "data-testid": "new-recovery-kit" }, result.recoveryKit),
        h("button", { type: "button", class: "button", onclick: () => window.print() }, "Print"),
      ));
    }),
  );
  return section;
}

/** @param {import("../sync/index.js").Sync} sync @param {() => void} done */
function signOutSection(sync, done) {
  return h("details", { class: "card sync-section" },
    h("summary", {}, "Turn off sync on this device"),
    h("p", {}, "Your data stays on this device, and on the server for your other devices."),
    h("button", { type: "button", class: "button", onclick: async () => { await sync.signOut(); done(); } }, "Turn off sync here"),
  );
}
