// @ts-check
/**
 * More: the screens that don't need a tab, and how safe the data on this device is.
 */
import { h } from "../dom.js";

const LINKS = [
  { hash: "#graph", title: "Introductions", text: "Who introduced whom, and who opened the most doors." },
  { hash: "#insights", title: "Insights", text: "How fast you follow up, and how often you say thank you." },
  { hash: "#transfer", title: "Import and export", text: "Contacts in from your phone or LinkedIn; backups and calendars out." },
  { hash: "#sync", title: "Sync between devices", text: "End-to-end encrypted: the server only ever sees ciphertext." },
  { hash: "#trash", title: "Trash and history", text: "What you deleted, kept 30 days; undo what you did recently." },
  { hash: "#settings", title: "Settings", text: "Timings, your own message templates, keep-in-touch cadences, My card." },
];

/**
 * @param {HTMLElement} root
 */
export async function mount(root) {
  const persisted = document.documentElement.dataset.persisted;
  root.append(
    h("div", { class: "view-head" }, h("h2", { text: "More" })),
    h("ul", { class: "menu" },
      // Each link is named by its title alone; what it holds is its description (the whole
      // card still takes the tap: 96-announce.css stretches the link over it).
      ...LINKS.map((link, index) => h("li", { class: "menu-item menu-card" },
        h("a", { class: "menu-title", href: link.hash, "aria-describedby": `more-text-${index}`, text: link.title }),
        h("span", { class: "subtle", id: `more-text-${index}`, text: link.text }),
      )),
    ),
    h("p", { class: "storage-note", id: "storage-note" },
      persisted === "true"
        ? "Storage: kept. The browser will not clear your data to free space."
        : "Storage: not guaranteed. The browser may clear data when space runs low; back up or turn on sync.",
    ),
  );
}
