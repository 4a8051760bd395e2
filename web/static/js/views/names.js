// @ts-check
/**
 * How a person is shown when only the record is at hand (Person, the Graph). The People list's
 * rows carry the engine's own (followup/people.py `initials`, `role_line`).
 */

/** Up to two initials, for the round badge before a name. @param {string} name */
export function initials(name) {
  const words = String(name).trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return letters.map((w) => Array.from(w)[0] ?? "").join("").toUpperCase() || "?";
}

/** "Role at Organisation", or whichever is known. @param {{role?: string, organisation?: string}} person */
export function roleLine(person) {
  if (person.role && person.organisation) return `${person.role} at ${person.organisation}`;
  return person.role || person.organisation || "";
}
