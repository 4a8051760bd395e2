// @ts-check
/**
 * Insights (#insights): the engine's figures as small charts (SVG and CSS), each with the same
 * facts in words, and an empty state that says how to fill it.
 */
import { h, relativeTime } from "../dom.js";

/** @typedef {import("../types.js").InsightsAnswer} InsightsAnswer */
/** @typedef {import("../screen-types.js").ScreenContext} ScreenContext */

const SVG = "http://www.w3.org/2000/svg";
const TOP_INTRODUCERS = 10;
const dayFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });

/**
 * @param {string} tag @param {Record<string, string | number>} [attrs] @param {...(Node | null)} children
 * @returns {SVGElement}
 */
function s(tag, attrs = {}, ...children) {
  const element = /** @type {SVGElement} */ (document.createElementNS(SVG, tag));
  for (const [key, value] of Object.entries(attrs)) element.setAttribute(key, String(value));
  for (const child of children) if (child) element.append(child);
  return element;
}

/** "5 h", "40 min", "2.5 days". @param {number} hours */
export function duration(hours) {
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} min`;
  if (hours < 48) return `${Math.round(hours * 10) / 10} h`;
  return `${Math.round((hours / 24) * 10) / 10} days`;
}

/** A local date from "YYYY-MM-DD" (not UTC midnight). @param {string} day */
function parseDay(day) {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y, m - 1, d);
}

/**
 * One section: heading, the chart (hidden from screen readers when the words say it all), words.
 * @param {string} id @param {string} title @param {...(Node | null)} children
 */
function section(id, title, ...children) {
  return h("section", { class: "card ins-card", "aria-labelledby": `ins-${id}` },
    h("h3", { id: `ins-${id}`, class: "ins-title", text: title }),
    ...children,
  );
}

/** @param {{week: string, start: string, count: number}[]} weeks */
function meetingsChart(weeks) {
  const total = weeks.reduce((sum, w) => sum + w.count, 0);
  if (total === 0) {
    return section("meetings", "Meetings each week",
      h("p", { class: "ins-empty", text: "No meetings, calls or coffees logged in the last 12 weeks. Log one from a person's page (\"met today\") and your weeks fill in here." }),
    );
  }
  const max = Math.max(...weeks.map((w) => w.count), 1);
  const W = 360;
  const H = 150;
  const top = 18;
  const bottom = 24;
  const gap = 6;
  const bar = (W - gap * (weeks.length - 1)) / weeks.length;
  const svg = s("svg", { class: "ins-bars", viewBox: `0 0 ${W} ${H}`, "aria-hidden": "true", focusable: "false" });
  svg.append(s("line", { x1: 0, x2: W, y1: H - bottom + 0.5, y2: H - bottom + 0.5, class: "ins-axis" }));
  weeks.forEach((w, i) => {
    const x = i * (bar + gap);
    const height = ((H - top - bottom) * w.count) / max;
    const y = H - bottom - height;
    const current = i === weeks.length - 1;
    if (w.count > 0) {
      svg.append(s("rect", { x, y, width: bar, height, rx: 3, class: `ins-bar${current ? " is-current" : ""}` }));
      svg.append(s("text", { x: x + bar / 2, y: y - 4, "text-anchor": "middle", class: "ins-bar-value" }, document.createTextNode(String(w.count))));
    } else {
      svg.append(s("rect", { x, y: H - bottom - 2, width: bar, height: 2, class: "ins-bar is-zero" }));
    }
    // Every third week is labelled, and this one; the ends are anchored inside the chart.
    if ((i % 3 === 0 && i < weeks.length - 2) || current) {
      const anchor = i === 0 ? "start" : current ? "end" : "middle";
      const tx = i === 0 ? x : current ? x + bar : x + bar / 2;
      svg.append(s("text", { x: tx, y: H - 6, "text-anchor": anchor, class: "ins-tick" },
        document.createTextNode(current ? "This week" : dayFormat.format(parseDay(w.start)))));
    }
  });
  const thisWeek = weeks[weeks.length - 1]?.count ?? 0;
  const busiest = weeks.reduce((a, b) => (b.count > a.count ? b : a));
  const average = total / weeks.length;
  return section("meetings", "Meetings each week",
    h("p", { class: "ins-figure" }, h("span", { class: "ins-big", text: String(thisWeek) }), ` this week · ${total} in the last 12 weeks`),
    svg,
    h("p", { class: "ins-words", text: `On average ${Math.round(average * 10) / 10} a week.${busiest.count > 1 ? ` Your busiest week began ${dayFormat.format(parseDay(busiest.start))}, with ${busiest.count}.` : ""}` }),
    h("div", { class: "ins-sr" }, h("table", {},
      h("caption", { text: "Meetings, calls and coffees per week, last 12 weeks" }),
      h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Week beginning" }), h("th", { scope: "col", text: "Meetings" }))),
      h("tbody", {}, ...weeks.map((w) => h("tr", {}, h("td", { text: dayFormat.format(parseDay(w.start)) }), h("td", { text: String(w.count) })))),
    )),
  );
}

/** @param {number | null} hours @param {number} goal the reach-out rule's hours */
function timeToContact(hours, goal) {
  if (hours === null || hours === undefined) {
    return section("contact", "Time to reach a new referral",
      h("p", { class: "ins-empty", text: "Nothing to measure yet. When someone gives you a name and you get in touch, this shows how fast you were. The goal: within 24 hours." }),
    );
  }
  const scaleMax = Math.max(2 * goal, Math.ceil(hours / 24) * 24);
  const good = hours <= goal;
  const marker = h("span", { class: `ins-track-marker${good ? " is-good" : " is-late"}` });
  marker.style.left = `${Math.min(100, (hours / scaleMax) * 100)}%`;
  const target = h("span", { class: "ins-track-target" });
  target.style.left = `${(goal / scaleMax) * 100}%`;
  const targetLabel = h("span", { class: "ins-track-target-label", text: `goal ${goal} h` });
  targetLabel.style.left = target.style.left;
  const fill = h("span", { class: `ins-track-fill${good ? " is-good" : " is-late"}` });
  fill.style.width = `${Math.min(100, (hours / scaleMax) * 100)}%`;
  return section("contact", "Time to reach a new referral",
    h("p", { class: "ins-figure" }, h("span", { class: "ins-big", text: duration(hours) }), " median"),
    h("div", { class: "ins-track", "aria-hidden": "true" }, fill, target, marker),
    h("p", { class: "ins-track-scale", "aria-hidden": "true" },
      h("span", { text: "0 h" }), targetLabel, h("span", { text: `${scaleMax} h` })),
    h("p", { class: "ins-words", text: good
      ? `Half of your referrals heard from you within ${duration(hours)}: inside the ${goal} hours that protect the introducer's reputation.`
      : `Half of your referrals waited more than ${duration(hours)}. Aim for ${goal} hours: the introducer's reputation is at stake.` }),
  );
}

/** @param {number | null} share @param {number} goal the share that counts as good */
function thankYouRate(share, goal) {
  if (share === null || share === undefined) {
    return section("thanks", "Thank-yous within 24 hours",
      h("p", { class: "ins-empty", text: "Nobody to thank yet. Once a meeting is a day old, this shows how many of the people you met got a thank-you in time." }),
    );
  }
  const percent = Math.round(share * 100);
  return section("thanks", "Thank-yous within 24 hours",
    h("p", { class: "ins-figure" }, h("span", { class: "ins-big", id: "ins-thanks-figure", text: `${percent}%` }), " thanked in time"),
    h("meter", {
      class: "ins-meter", min: "0", max: "1", low: "0.5", high: String(goal), optimum: "1", value: String(share),
      "aria-labelledby": "ins-thanks ins-thanks-figure",
    }, `${percent}%`),
    h("p", { class: "ins-words", text: share >= goal
      ? `${percent}% of the people you met got a thank-you within 24 hours. Keep it up.`
      : `${percent}% of the people you met got a thank-you within 24 hours. A short note the same evening is enough, and a handwritten card counts.` }),
  );
}

/** @param {number} count @param {import("../types.js").FollowUp[]} loops today's close-the-loop follow-ups */
function openLoops(count, loops) {
  if (!count) {
    return section("loops", "Open loops with introducers",
      h("p", { class: "ins-figure" }, h("span", { class: "ins-big", text: "0" }), " open"),
      h("p", { class: "ins-words", text: "No open loops: every introducer knows how it went." }),
    );
  }
  const now = new Date();
  const hidden = Math.max(0, count - loops.length);
  return section("loops", "Open loops with introducers",
    h("p", { class: "ins-figure" }, h("span", { class: "ins-big", text: String(count) }), count === 1 ? " introducer to update" : " introducers to update"),
    h("p", { class: "ins-words", text: "They introduced you to someone and have not heard how it went. Tell them, even if it led nowhere." }),
    loops.length ? h("ul", { class: "plain-list ins-loops" },
      ...loops.map((f) => h("li", {},
        f.person_ids[0] ? h("a", { href: `#person/${encodeURIComponent(f.person_ids[0])}`, class: "ins-name" }, f.who) : h("span", { class: "ins-name", text: f.who }),
        h("span", { class: f.overdue ? "badge danger" : "badge", text: f.overdue ? "Overdue" : `Due ${relativeTime(f.due, now)}` }),
        h("p", { class: "subtle ins-loop-why", text: f.why }),
      )),
    ) : null,
    hidden ? h("p", { class: "subtle", text: `${hidden} more are snoozed or further out.` }) : null,
    h("a", { class: "button", href: "#today" }, "Update them from Today"),
  );
}

/** @param {{person_id: string, name: string, count: number}[]} rows */
function perIntroducer(rows) {
  if (rows.length === 0) {
    return section("introducers", "Introductions per introducer",
      h("p", { class: "ins-empty", text: "No introductions yet. When you capture someone, say who introduced you, and the people who open doors for you show up here." }),
      h("a", { class: "button", href: "#capture" }, "Capture a person"),
    );
  }
  const top = rows.slice(0, TOP_INTRODUCERS);
  const max = Math.max(...top.map((r) => r.count), 1);
  const rest = rows.length - top.length;
  return section("introducers", "Introductions per introducer",
    h("ol", { class: "ins-hbars" },
      ...top.map((r) => {
        const fill = h("span", { class: "ins-hbar-fill" });
        fill.style.width = `${Math.max(4, (r.count / max) * 100)}%`;
        return h("li", {},
          h("span", { class: "ins-hbar-head" },
            h("a", { href: `#person/${encodeURIComponent(r.person_id)}`, class: "ins-name" }, r.name),
            h("span", { class: "ins-hbar-count", text: r.count === 1 ? "1 introduction" : `${r.count} introductions` })),
          h("span", { class: "ins-hbar", "aria-hidden": "true" }, fill),
        );
      }),
    ),
    rest ? h("p", { class: "subtle", text: `And ${rest} more ${rest === 1 ? "person" : "people"} who introduced you once or more.` }) : null,
    h("a", { class: "button", href: "#graph" }, "See who introduced whom"),
  );
}

/**
 * @param {HTMLElement} root
 * @param {ScreenContext} ctx
 */
export async function mount(root, ctx) {
  const hash = location.hash;
  const heading = h("h2", { id: "insights-heading", tabindex: "-1", text: "Insights" });
  const status = h("p", { class: "loading", role: "status", text: ctx.backend.ready ? "Working out your figures…" : "Waiting for the follow-up engine to start…" });
  const body = h("div", { class: "ins-grid" });
  root.append(h("div", { class: "ins-screen" },
    h("div", { class: "view-head" }, heading),
    h("p", { class: "subtle ins-intro", text: "How fast you follow up, and how often you say thank you." }),
    status, body,
  ));
  heading.focus({ preventScroll: true });

  /** @type {InsightsAnswer | {ok: false, message: string}} */
  const figures = await ctx.backend.send("insights");
  if (location.hash !== hash || !root.isConnected) return;
  status.hidden = true;
  if (!figures.ok) {
    body.replaceChildren(h("p", { class: "error", role: "alert", text: figures.message }));
    return;
  }
  if (figures.nothing_yet) {
    body.replaceChildren(h("div", { class: "empty ins-nothing" },
      h("h3", { text: "Nothing to measure yet." }),
      h("p", { text: "Capture the people you meet and who introduced them, then log your meetings and thank-yous. Your weekly meetings, how fast you reach referrals and how reliably you say thank you show up here." }),
      h("a", { class: "button primary", href: "#capture" }, "Capture a person"),
    ));
    return;
  }
  body.replaceChildren(
    meetingsChart(figures.meetings_per_week),
    timeToContact(figures.referral_to_contact_median_hours, figures.contact_goal_hours),
    thankYouRate(figures.thanked_within_24h_share, figures.thanked_goal_share),
    openLoops(figures.open_loops, figures.open_loop_followups),
    perIntroducer(figures.introductions_per_introducer),
  );
}
