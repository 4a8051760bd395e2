// @ts-check
/**
 * Opportunities: the pipeline by stage (#opportunities, views/pipeline/), and the gratitude round
 * of a landing as one checklist (#opportunities/thanks/<id>, round.js).
 */
import { mountPipeline } from "./pipeline/board.js";
import { mountThanks } from "./round.js";

export { clock, dayFormat, jobTitle, makeDialog, personLink, slug } from "./pipeline/shared.js";

/** @typedef {import("../types.js").OpportunityRecord} Opportunity */
/** @typedef {import("../screen-types.js").ScreenContext} ScreenContext */

/**
 * Why someone is in a gratitude round, in words: the engine's catalog (`gratitude_roles`),
 * filled in before the round is drawn.
 * @type {Record<string, string>}
 */
export const ROLE_WORDS = {};

/**
 * @param {HTMLElement} root
 * @param {ScreenContext} ctx
 * @param {string[]} params
 */
export async function mount(root, ctx, params) {
  const hash = location.hash;
  const stillHere = () => location.hash === hash && root.isConnected;
  if (params[0] === "thanks" && params[1]) {
    const catalog = await ctx.backend.send("catalog");
    if (catalog.ok) Object.assign(ROLE_WORDS, catalog.gratitude_roles);
    if (!stillHere()) return;
    await mountThanks(root, ctx, params[1], stillHere);
  } else {
    await mountPipeline(root, ctx, stillHere);
  }
}
