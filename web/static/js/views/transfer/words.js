// @ts-check
/** What Import and export says about formats, columns and merges, and small shared helpers. */
import { download, share } from "../../files.js";

export const FORMATS = [
  { value: "auto", label: "Recognise it for me" },
  { value: "vcard", label: "vCard (.vcf) from a phone, Gmail, Outlook or Contacts" },
  { value: "linkedin", label: "LinkedIn Connections.csv" },
  { value: "google", label: "Google Contacts CSV" },
  { value: "csv", label: "Another CSV (choose the columns)" },
];
export const FIELD_LABELS = {
  "": "Leave out",
  name: "Full name",
  first_name: "First name",
  last_name: "Last name",
  organisation: "Organisation",
  role: "Role or title",
  email: "Email",
  phone: "Phone",
  url: "Website or LinkedIn",
  notes: "Notes",
  tags: "Tags",
  how_met: "How we met",
  introduced_by: "Introduced by",
  event: "Event",
  event_date: "Event date",
};
const MATCHED_BY = {
  uid: "the same card", email: "email", phone: "phone", linkedin: "LinkedIn profile",
  name: "name only", file: "an earlier row of this file",
};
const ADD_WORDS = {
  emails: "email", phones: "phone", urls: "web address", tags: "tag", organisation: "organisation",
  role: "role", how_met: "how you met", cadence_days: "keep-in-touch cadence",
};

/** "email", "name only": what an import matched a known person by. @param {string} by */
export function matchedBy(by) {
  return MATCHED_BY[/** @type {keyof typeof MATCHED_BY} */ (by)] ?? by;
}

/** "email a@b.example", "organisation “Initech”": what a merge adds, in words. @param {string} field @param {unknown} value */
export function describeAdd(field, value) {
  const word = ADD_WORDS[/** @type {keyof typeof ADD_WORDS} */ (field)] ?? field;
  if (Array.isArray(value)) return `${word}${value.length > 1 ? "s" : ""} ${value.join(", ")}`;
  if (field === "notes") return "notes";
  if (field === "introduced_by") return "who introduced them";
  if (field === "event") return "the event";
  if ((typeof value === "string" && value) || typeof value === "number") return `${word} “${value}”`;
  return "";
}

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
