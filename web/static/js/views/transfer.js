// @ts-check
/**
 * Import and export (`#transfer`): contacts in from a vCard, LinkedIn's Connections.csv,
 * Google Contacts or any CSV, previewed by the engine and saved only when confirmed, with a
 * quick "how did you meet?" triage (transfer/import.js, transfer/triage.js); a JSON backup and
 * restoring it (transfer/backup.js); vCard, a calendar of follow-ups and CSV out
 * (transfer/export.js).
 */
import { h } from "../dom.js";
import { canShareFiles } from "../files.js";
import { BackupSection } from "./transfer/backup.js";
import { ExportSection } from "./transfer/export.js";
import { ImportHistory } from "./transfer/history.js";
import { ImportSection } from "./transfer/import.js";
import { MailSection } from "./transfer/mail.js";

/**
 * @param {HTMLElement} root
 * @param {import("../screen-types.js").TransferCtx} ctx
 * @param {string[]} [params]
 */
export async function mount(root, ctx, params = []) {
  const shareFiles = canShareFiles();
  const backup = new BackupSection(ctx, shareFiles);
  root.append(
    h("div", { class: "view-head" },
      h("h2", { text: "Import and export" }),
      h("p", { class: "subtle", text: "Bring contacts in from your phone or LinkedIn; take everything out whenever you like." })),
    new ImportSection(ctx).element(),
    new MailSection(ctx).element(),
    new ImportHistory(ctx).element(),
    backup.element(),
    new ExportSection(ctx, shareFiles).element(),
  );
  if (params[0] === "restore") backup.input.focus();
}
