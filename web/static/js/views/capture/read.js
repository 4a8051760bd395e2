// @ts-check
/**
 * Reading what was pasted or shared into Capture: a LinkedIn profile link, copied profile
 * text, an email signature, or what another app shared. Pure: no DOM, no network. This reads
 * text into form fields; whether an address is valid is the engine's to say when it saves.
 */

const LINKEDIN_PROFILE = /(?:https?:\/\/)?(?:[a-z]{2,3}\.)?(?:www\.)?linkedin\.com\/in\/([^\s/?#"'<>]+)\/?[^\s"'<>]*/i;
const ANY_URL = /https?:\/\/[^\s"'<>]+/i;
const EMAIL = /[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[a-z]{2,}/i;
const PHONE = /(?:\+|\b00)?\d[\d\s().-]{6,}\d/;
const PARTICLES = new Set(["de", "da", "di", "du", "del", "della", "der", "den", "van", "von", "la", "le", "y", "bin", "al"]);
/** Lines of a copied LinkedIn profile that are not about the person. */
const NOISE = /^(?:linkedin|message|connect|follow|following|more|pending|contact info|open to|view profile|[·•]?\s*\d(?:st|nd|rd|th)\+?(?:\s+degree connection)?|(?:he|she|they)\/(?:him|her|them)|\d[\d,.+k ]*\s*(?:connections?|followers?)|check out .*)$/i;

/**
 * "maria-lopez-0a1b2c3" → "Maria Lopez": a person's name from a LinkedIn profile slug, or ""
 * when the slug has no readable name.
 * @param {string} slug
 */
export function nameFromSlug(slug) {
  let text = slug;
  try {
    text = decodeURIComponent(slug);
  } catch {
    // A broken escape: read it as it is.
  }
  const words = text.split(/[-_.\s]+/).filter(Boolean);
  // LinkedIn appends a number or a hex id to names that were taken: drop those.
  while (words.length > 1 && /\d/.test(words[words.length - 1])) words.pop();
  if (words.length === 0 || words.some((w) => /\d/.test(w))) return "";
  return words
    .map((w, i) => (i > 0 && PARTICLES.has(w.toLowerCase()) ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1)))
    .join(" ");
}

/** A LinkedIn profile URL in canonical form, or "". @param {string} text */
export function linkedinUrl(text) {
  const match = LINKEDIN_PROFILE.exec(text);
  return match ? `https://www.linkedin.com/in/${match[1]}` : "";
}

/** Whether a line reads like a person's name. @param {string} line */
function nameLike(line) {
  if (line.length < 2 || line.length > 70 || /[\d@|:/\\]/.test(line)) return false;
  if (/\s(?:at|@)\s/i.test(line)) return false;
  const words = line.split(/\s+/);
  return words.length <= 5 && words.every((w) => /^[\p{L}][\p{L}'’.-]*,?$/u.test(w));
}

/** "Maria Lopez · 2nd", "Maria Lopez (She/Her)" → "Maria Lopez". @param {string} line */
function cleanNameLine(line) {
  return line
    .replace(/\s*[·•]\s*.*$/, "")
    .replace(/\s*\((?:he|she|they)\/[^)]*\)\s*$/i, "")
    .replace(/,$/, "")
    .trim();
}

/**
 * "Head of Sales at Northwind | Speaker" → {role: "Head of Sales", organisation: "Northwind"}.
 * @param {string} line @param {boolean} loose also split "Role | Company", "Role, Company"
 */
export function parseHeadline(line, loose = false) {
  const at = /^(.{2,100}?)\s+(?:at|@)\s+(.{2,100})$/i.exec(line);
  /** @param {string} text */
  const lastPart = (text) => text.split(/\s+[|·•]\s+/).pop()?.trim() ?? "";
  /** @param {string} text */
  const firstPart = (text) => text.split(/\s+[|·•]\s+|,\s+/)[0].trim();
  if (at) return { role: lastPart(at[1]), organisation: firstPart(at[2]) };
  if (loose) {
    const parts = line.split(/\s+[|·•–-]\s+|,\s+/).map((p) => p.trim()).filter(Boolean);
    if (parts.length === 2 && parts.every((p) => p.length <= 80 && !/[@]/.test(p))) {
      return { role: parts[0], organisation: parts[1] };
    }
  }
  return null;
}

/**
 * What can be read from a pasted LinkedIn profile link, copied profile text, an email signature,
 * or what another app shared (`{title, text, url}`): a name, role, organisation, profile link,
 * email and phone. Fields it cannot read are "". Pure: no DOM, no network.
 * @param {string | {title?: string | null, text?: string | null, url?: string | null}} input
 * @returns {import("../../types.js").SharedProfile}
 */
export function parseShared(input) {
  const parts = typeof input === "string" ? { title: "", text: input, url: "" } : input;
  const title = (parts.title ?? "").trim();
  const text = (parts.text ?? "").replace(/\r\n?/g, "\n");
  const sharedUrl = (parts.url ?? "").trim();
  const all = [title, text, sharedUrl].join("\n");
  const out = { name: "", role: "", organisation: "", url: "", email: "", phone: "" };

  const profile = linkedinUrl(all);
  out.url = profile || (ANY_URL.exec(all)?.[0] ?? "");
  out.email = EMAIL.exec(all.replace(ANY_URL, " "))?.[0] ?? "";
  const phone = PHONE.exec(all.replace(new RegExp(ANY_URL, "gi"), " ").replace(EMAIL, " "))?.[0] ?? "";
  if (phone.replace(/\D/g, "").length >= 8 && !/^\d{4}-\d{2}-\d{2}/.test(phone)) out.phone = phone.trim();

  // A page title: "Maria Lopez - Head of Sales - Northwind | LinkedIn", "Maria Lopez | LinkedIn".
  if (title && !ANY_URL.test(title)) {
    const bare = title.replace(/\s*[|–-]\s*LinkedIn\s*$/i, "").trim();
    const pieces = bare.split(/\s+[–-]\s+/).map((p) => p.trim()).filter(Boolean);
    if (pieces.length && nameLike(cleanNameLine(pieces[0]))) {
      out.name = cleanNameLine(pieces[0]);
      if (pieces.length === 3) {
        out.role = pieces[1];
        out.organisation = pieces[2];
      } else if (pieces.length === 2) {
        const headline = parseHeadline(pieces[1]);
        if (headline) Object.assign(out, headline);
        else out.role = pieces[1];
      }
    }
  }

  // "Check out Maria Lopez’s profile on LinkedIn https://…" (what the LinkedIn app shares).
  const checkOut = /check out (.+?)[’']s? profile on linkedin/i.exec(text);
  if (!out.name && checkOut && nameLike(checkOut[1].trim())) out.name = checkOut[1].trim();

  // Copied profile text or a signature: the first name-like line, then its headline.
  const lines = text.split("\n")
    .map((line) => line.replace(ANY_URL, "").replace(EMAIL, "").trim())
    .filter((line) => line && !NOISE.test(line));
  let nameAt = -1;
  if (!out.name) {
    nameAt = lines.findIndex((line) => nameLike(cleanNameLine(line)));
    if (nameAt >= 0) out.name = cleanNameLine(lines[nameAt]);
  } else {
    nameAt = lines.findIndex((line) => cleanNameLine(line) === out.name);
  }
  if (!out.role && !out.organisation) {
    const after = lines.slice(nameAt + 1, nameAt + 5);
    for (const [i, line] of after.entries()) {
      const headline = parseHeadline(line, i === 0 && nameAt >= 0);
      if (headline) {
        Object.assign(out, headline);
        break;
      }
    }
  }
  if (!out.name && profile) out.name = nameFromSlug(profile.split("/in/")[1]);
  return out;
}
