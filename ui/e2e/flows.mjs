// End-to-end flows of the link-chart UI against a running `probity serve`
// (BASE_URL, default http://127.0.0.1:18085) with demo data and a token
// (E2E_TOKEN). Run by e2e/run.sh, which starts the server. Screenshots go
// to test-results/. Flows whose API is missing on the server skip with a
// message naming the missing field. Prints "N passed, N failed, N skipped".
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launch } from "./browser.mjs";

const BASE = process.env.BASE_URL ?? "http://127.0.0.1:18085";
const TOKEN = process.env.E2E_TOKEN ?? "";
const SEARCH = process.env.E2E_SEARCH ?? ""; // text that finds an officer with links
const LINKED_TOKEN = process.env.E2E_LINKED_TOKEN ?? ""; // a reviewer whose officer is linked to LINKED_FLAG's officer
const LINKED_FLAG = process.env.E2E_LINKED_FLAG ?? "";
const OWN_TOKEN = process.env.E2E_OWN_TOKEN ?? ""; // a reviewer whose officer is LINKED_FLAG's officer
const ADMIN_TOKEN = process.env.E2E_ADMIN_TOKEN ?? "";
const REFER_FLAG = process.env.E2E_REFER_FLAG ?? ""; // a flag the referral flow refers and confirms
const SCHEDULE = process.env.E2E_SCHEDULE ?? ""; // a schedule run.sh added
const OUT = join(fileURLToPath(import.meta.url), "..", "..", "test-results");
mkdirSync(OUT, { recursive: true });

class Skip extends Error {}
const skip = (why) => {
  throw new Skip(why);
};
const results = [];
let current = "";
async function test(name, fn) {
  current = name;
  const t0 = Date.now();
  try {
    await fn();
    results.push(["pass", name]);
    console.log(`ok    ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    if (e instanceof Skip) {
      results.push(["skip", name]);
      console.log(`skip  ${name}: ${e.message}`);
    } else {
      results.push(["fail", name]);
      console.log(`FAIL  ${name}: ${e?.stack ?? e}`);
      await page?.screenshot({ path: join(OUT, `fail-${name.replace(/\W+/g, "-")}.png`) }).catch(() => {});
    }
  }
}
const DEBUG = !!process.env.E2E_DEBUG;
let tStep = Date.now();
const step = (what) => {
  if (DEBUG) console.log(`  ${Date.now() - tStep} ms: ${what}`);
  tStep = Date.now();
};
const expect = (cond, what) => {
  if (!cond) throw new Error(`expected ${what}`);
};
const shot = (name) => page.screenshot({ path: join(OUT, `${name}.png`) });

if (!TOKEN) {
  console.error("E2E_TOKEN is not set (e2e/run.sh creates one with probity token create)");
  process.exit(2);
}

const browser = await launch();
let page = await browser.context.newPage();
page.setDefaultTimeout(15000);
const consoleErrors = [];
page.on("pageerror", (e) => consoleErrors.push(`[during "${current}"] ` + String(e) + (e.stack ? "\n" + e.stack : "")));
// the server's content security policy must not block anything the UI does
page.on("console", (m) => {
  if (/Content Security Policy|Refused to (load|apply|execute|connect)/i.test(m.text())) consoleErrors.push(`[during "${current}"] CSP: ${m.text()}`);
});

/** caps reads which root fields the server offers, as the app does. */
async function caps() {
  return page.evaluate(async (token) => {
    const r = await fetch("/graphql", { method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` }, body: JSON.stringify({ query: "{ __schema { queryType { fields { name } } mutationType { fields { name } } } }" }) });
    const d = await r.json();
    return [...d.data.__schema.queryType.fields.map((f) => `Query.${f.name}`), ...(d.data.__schema.mutationType?.fields ?? []).map((f) => `Mutation.${f.name}`)];
  }, TOKEN);
}
const chart = () =>
  page.evaluate(() => {
    const cy = window.probityChart.cy;
    return {
      nodes: cy.nodes().not(".more").not(".group").map((n) => n.id()),
      edges: cy.edges().not(".more").map((e) => e.id()),
      evidence: cy.$(".evidence").map((e) => e.id()),
      context: cy.$(".context").length,
      selected: cy.$("node:selected").map((n) => n.id()),
      path: cy.$(".path").map((e) => e.id()),
    };
  });
let have = [];

await test("sign in with a token and a purpose", async () => {
  await page.goto(BASE + "/");
  await page.fill("#token", "wrong-token");
  await page.fill("#purpose", "e2e: checking the sign-in");
  await page.click("button[type=submit]");
  await page.waitForFunction(() => /not accepted|Sign in again|token/i.test(document.getElementById("signin-msg")?.textContent ?? "") && !document.querySelector("button[type=submit]").disabled);
  await page.fill("#token", TOKEN);
  await page.fill("#purpose", "e2e: weekly triage test");
  await shot("01-sign-in");
  await page.click("button[type=submit]");
  await page.waitForSelector("header.top");
  const who = await page.textContent("#who");
  expect(/e2e: weekly triage test/.test(who), `purpose in the header, got ${who}`);
  expect(/analyst|reviewer|admin/.test(who), `role in the header, got ${who}`);
  have = await caps();
  const session = await page.evaluate(() => sessionStorage.getItem("probity.session"));
  expect(session && session.includes("weekly triage"), "session kept in sessionStorage");
});

let flagOpened = false;
await test("open a flag from the queue and see its evidence chart", async () => {
  if (!have.includes("Query.flags") || !have.includes("Query.flag")) skip("the server has no Query.flags / Query.flag yet (flag store not merged)");
  await page.goto(BASE + "/#/queue");
  await page.waitForSelector("#flag-table tbody tr, .state.empty");
  await shot("02-flag-queue");
  const rows = await page.locator("#flag-table tbody tr").count();
  if (rows === 0) skip("the flag queue is empty: run probity scan on the demo data first");
  // the triage order: officers by risk, highest first
  const risks = (await page.locator("#flag-table tbody tr td.c-risk").allTextContents()).map((t) => Number(t.trim()));
  expect(risks.length === rows && risks.every((r, i) => !Number.isNaN(r) && (i === 0 || r <= risks[i - 1])), `risk column, highest first: ${risks.slice(0, 8).join(", ")}`);
  // An open flag (new or in review), reached with the keyboard.
  const statuses = await page.locator("#flag-table tbody tr td.c-status .status").allTextContents();
  const open = statuses.findIndex((t) => /^(new|in review)$/.test(t.trim()));
  if (open < 0) skip("every flag in the queue is already decided");
  await page.locator("#flag-table tbody tr").first().focus();
  for (let i = 0; i < open; i++) await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await page.waitForSelector(".flag-side");
  await page.waitForFunction(() => window.probityChart && window.probityChart.cy.nodes().length > 0);
  await page.waitForTimeout(500);
  const c = await chart();
  expect(c.evidence.length > 0, "evidence elements highlighted");
  const subject = await page.evaluate(() => window.probityChart.cy.nodes(".subject").map((n) => ({ id: n.id(), label: n.style("label") })));
  expect(subject.length === 1 && subject[0].id.startsWith("Officer:") && subject[0].label, `the flagged officer marked apart and labelled, got ${JSON.stringify(subject)}`);
  // and drawn: cytoscape draws no label whose size at the zoom (rounded up
  // to a power of two with the pixel ratio) is under its
  // min-zoomed-font-size, so a chart fitted small opened with none
  // (analystC H1)
  const undrawn = await page.evaluate(() => {
    const cy = window.probityChart.cy;
    const level = 2 ** Math.ceil(Math.log2(cy.zoom() * (window.devicePixelRatio || 1)));
    return cy.nodes().filter((n) => !!n.style("label") && n.numericStyle("font-size") * level < n.numericStyle("min-zoomed-font-size")).map((n) => n.id());
  });
  expect(undrawn.length === 0, `labels too small to be drawn at zoom ${await page.evaluate(() => window.probityChart.cy.zoom().toFixed(2))}: ${undrawn.slice(0, 5).join(", ")}`);
  expect(/Why this was flagged/.test(await page.textContent(".flag-side")), "the explanation");
  // each parameter's value on one line: a window of 90 days read "9" over "0" (docsJ M1)
  const values = await page.$$eval("#flag-parameters td.value", (cells) => cells.map((c) => {
    const r = document.createRange();
    r.selectNodeContents(c);
    return { text: c.textContent, lines: r.getClientRects().length };
  }));
  expect(values.length > 0 && values.every((v) => v.lines <= 1), `parameter values on one line each: ${JSON.stringify(values.slice(0, 6))}`);
  // a link clicked shows its details: what it joins and its properties
  const edge = await page.evaluate(() => {
    const e = window.probityChart.cy.edges().not(".more").first();
    window.probityChart.cy.elements().unselect();
    e.select();
    return e.data("type");
  });
  await page.waitForSelector("#edge-details", { timeout: 5000 });
  const details = await page.textContent("#edge-details");
  expect(details.toLowerCase().includes(edge.toLowerCase().replace(/_/g, " ")) && details.includes("→"), `the link's details, got ${details.slice(0, 200)}`);
  await page.evaluate(() => window.probityChart.cy.elements().unselect());
  // the explanation's ids show their nodes on the chart (which names people by pseudonym)
  const refs = page.locator(".explanation .id-ref");
  expect((await refs.count()) > 0, "ids in the explanation link to the chart");
  const named = (await refs.first().getAttribute("title")).replace(/^Show (.*) on the chart$/, "$1");
  await refs.first().click();
  await page.waitForFunction((id) => window.probityChart.cy.$(":selected").map((n) => n.id()).includes(id), named);
  expect(/Declarations/.test(await page.textContent("#declarations")), "the officer's declarations of the evidence (or that there are none)");
  await shot("03-flag-evidence");
  flagOpened = true;
});

/** openFirstFlagOf filters the queue to one pattern (on the server) and opens its first flag; skips when there is none. */
async function openFirstFlagOf(pattern) {
  if (!flagOpened) skip("no flag could be opened");
  await page.goto(BASE + "/#/queue");
  await page.waitForSelector("#flag-table tbody tr");
  if (!(await page.locator(`#f-pattern option[value=${pattern}]`).count())) skip(`no ${pattern} flag in the queue`);
  await page.selectOption("#f-pattern", pattern);
  // the server is asked for that pattern's flags: wait for them
  await page.waitForFunction((p) => {
    const cells = [...document.querySelectorAll("#flag-table tbody tr td.c-pattern")];
    return cells.length > 0 && cells.every((td) => td.textContent.trim() === p);
  }, pattern);
  await page.locator("#flag-table tbody tr").first().click();
  await page.waitForSelector(".flag-side");
  await page.waitForFunction(() => window.probityChart && window.probityChart.cy.nodes().length > 0);
}

await test("an attendance-mismatch flag charts its shifts (evidence that is not an entity)", async () => {
  await openFirstFlagOf("attendance-mismatch");
  const c = await chart();
  const shifts = c.nodes.filter((id) => id.startsWith("Shift:"));
  expect(shifts.length >= 3, `at least 3 shifts (mismatch days) on the chart, got ${c.nodes.join(", ")}`);
  expect(shifts.every((id) => c.evidence.includes(id)), "the shifts are highlighted as evidence");
  const worked = await page.evaluate(() => window.probityChart.cy.edges("[type = 'WORKED']").length);
  expect(worked === shifts.length, `a WORKED edge to each shift, got ${worked}`);
});

await test("a co-accused crew's flag opens in the crew view: complaints folded into co-accused links", async () => {
  await openFirstFlagOf("co-accused-crew");
  const folded = await chart();
  const links = await page.evaluate(() => window.probityChart.cy.edges("[type = 'CO_ACCUSED']").map((e) => e.data("caption")));
  expect(await page.isChecked("#fold-complaints"), "the crew view is on");
  expect(!folded.nodes.some((id) => id.startsWith("Complaint:")) && links.length > 0 && links.every((t) => /^co-accused/.test(t)), `officers joined by co-accused links, no complaints; got ${folded.nodes.join(", ")} / ${links.join(", ")}`);
  await shot("03b-crew-view");
  await page.uncheck("#fold-complaints");
  await page.waitForFunction(() => window.probityChart.cy.nodes("[label = 'Complaint']").length > 0);
});

await test("dismiss a flag with a reason", async () => {
  if (!have.some((f) => /^Mutation\.(review|decide)/i.test(f))) skip("the server has no review mutation yet (Mutation.reviewFlag: flag store not merged)");
  if (!flagOpened) skip("no flag could be opened");
  const confirmRecusal = (d) => d.accept(); // the recusal confirmation, if any
  page.on("dialog", confirmRecusal);
  const decide = async (status, reason) => {
    await page.check(`input[name=decision][value=${status}]`);
    await page.fill("#review-reason", reason);
    await page.click(".review button[type=submit]");
    await page.waitForFunction((r) => (document.querySelector(".history")?.textContent ?? "").includes(r), reason, { timeout: 20000 });
  };
  if (await page.locator("input[name=decision][value=in_review]").count()) await decide("in_review", "e2e: taking this flag into review");
  await page.waitForSelector("input[name=decision][value=no_further_action]");
  await decide("no_further_action", "e2e: access was part of an assigned enquiry");
  page.off("dialog", confirmRecusal);
  await shot("04-flag-dismissed");
});

await test("a working note on a decided flag: kept, its state unchanged", async () => {
  if (!flagOpened) skip("no flag could be opened");
  if (!have.includes("Mutation.noteFlag")) skip("the server has no Mutation.noteFlag");
  const text = "e2e: HR confirms the enquiry; file copy requested";
  const before = await page.textContent(".review");
  // the chart as the analyst expanded it survives the note (the side panel alone is redrawn)
  const officer = await page.evaluate(() => window.probityChart.cy.nodes('[kind = "Officer"]').first().id());
  await page.evaluate((id) => {
    window.probityChart.cy.nodes().unselect();
    window.probityChart.cy.$id(id).select();
  }, officer);
  await page.waitForSelector(".expand-all", { timeout: 10000 }).catch(() => {});
  if (await page.locator(".expand-all").count()) {
    await page.click(".expand-all");
    await page.waitForTimeout(800);
  }
  const expanded = (await chart()).nodes.length;
  await page.fill("#note-text", text);
  await page.click("#note-form button[type=submit]");
  await page.waitForFunction((t) => (document.querySelector("#notes")?.textContent ?? "").includes(t), text, { timeout: 20000 });
  const after = (await chart()).nodes.length;
  expect(after === expanded, `the chart kept its ${expanded} nodes after the note, has ${after}`);
  await page.reload();
  await page.waitForSelector("#notes");
  expect((await page.textContent("#notes")).includes(text), "the note is there after a reload");
  expect((await page.textContent(".review")).includes("Decided: no further action") && before.includes("Decided: no further action"), "the flag's state did not change");
});

/**
 * clippedLabels lists the chart's revealed names ("Name (Pseudonym)") whose
 * label box, what cytoscape draws the label into, is narrower than the text
 * it draws (the caption, or as much of it as text-max-width holds, then "…")
 * or wider than text-max-width: right after a reveal such a label was drawn
 * cut off on both sides (uiQ L1, reUI).
 */
async function clippedLabels() {
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  return page.evaluate(() => {
    const cy = window.probityChart.cy;
    const g = document.createElement("canvas").getContext("2d");
    const out = [];
    cy.nodes().forEach((n) => {
      const caption = String(n.data("caption") ?? "");
      if (!/\((Officer|Person)-[0-9A-F]+\)$/.test(caption) || !n.style("label")) return;
      g.font = `${n.style("font-style")} ${n.style("font-weight")} ${n.style("font-size")} ${n.style("font-family")}`;
      const max = parseFloat(n.style("text-max-width"));
      const want = Math.min(g.measureText(caption).width, max);
      const box = n.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeMainLabels: true, includeSourceLabels: false, includeTargetLabels: false, includeOverlays: false, includeUnderlays: false });
      const drawn = cy.renderer?.().getLabelText?.(n); // cytoscape's own (internal): checked when there
      const w = g.measureText(caption).width; // ellipsised when longer than max (±2 px: two measurements of one text)
      const ellipsis = drawn != null && ((w > max + 2 && !drawn.endsWith("\u2026")) || (w < max - 2 && drawn.endsWith("\u2026")));
      if (box.w < want - 2 || box.w > max + 8 || ellipsis) out.push(`${n.id()} "${drawn ?? caption}": label box ${Math.round(box.w)} px for ${Math.round(want)} px of text (max ${max})`);
    });
    return out;
  });
}

await test("reveal an officer's identity with a purpose", async () => {
  if (!have.includes("Query.node")) skip("the server has no Query.node");
  if (flagOpened && (await page.locator("#reveal-purpose").count())) {
    const who = await page.textContent(".flag-side h1 + p strong");
    const nodesBefore = (await chart()).nodes.length;
    await page.fill("#reveal-purpose", "e2e: preparing the referral file");
    await page.click("form.reveal button[type=submit]");
    await page.waitForSelector("#reveal-result .revealed");
    await page.locator("#reveal-result").scrollIntoViewIfNeeded();
    await shot("05-revealed");
    if (have.includes("Mutation.revealIdentity")) {
      // The names go onto the chart as it is, and into the flag's heading, without reloading it.
      const named = await page.evaluate(() => window.probityChart.cy.nodes().filter((n) => /\((Officer|Person)-[0-9A-F]+\)/.test(n.data("caption") ?? "")).length);
      const heading = await page.textContent(".flag-side h1 + p strong");
      expect(named > 0 && (await chart()).nodes.length === nodesBefore && heading !== who, `names on the chart in place (${named} named, ${nodesBefore} nodes kept), heading ${who} → ${heading}`);
      const clipped = await clippedLabels();
      expect(clipped.length === 0, `the revealed names' labels measured again, ellipsised, not cut off: ${clipped.join("; ")}`);
      // The reveal is stored: reading the flag again shows the names without asking.
      await page.reload();
      await page.waitForSelector(".flag-side .revealed-note");
      const after = await page.textContent(".flag-side h1 + p strong");
      expect(/^Officer-[0-9A-F]+$/.test(who.trim()) && !/^Officer-[0-9A-F]+$/.test(after.trim()), `pseudonym before, name after the stored reveal, got ${who} then ${after}`);
    }
    return;
  }
  // Without flags: reveal from the details panel in Explore.
  await openOfficerInExplore();
  await page.click("text=Reveal real name (audited)");
  await page.fill("#entity-reveal-purpose", "e2e: preparing the referral file");
  await page.click("form.reveal button[type=submit]");
  await page.waitForFunction(() => /\(Officer-/.test(document.querySelector(".entity h2")?.textContent ?? "") || /No name|Error|not/.test(document.querySelector(".reveal-out")?.textContent ?? ""));
  const h2 = await page.textContent(".entity h2");
  expect(/\(Officer-[0-9A-F]+\)/.test(h2), `revealed name next to the pseudonym, got ${h2}`);
  await shot("05-revealed");
});

/**
 * labelClashes lists the shown labels that overlap each other or another
 * node, by what the chart says each covers (labelGeometry: an edge's label
 * the band along its edge); selected elements and a found path keep their
 * labels whatever they cover, so they are left out.
 */
async function labelClashes() {
  return page.evaluate(() => {
    const chart = window.probityChart;
    const cy = chart.cy;
    const hit = (a, b) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
    const { labels, obstacles } = chart.labelGeometry();
    const shown = labels
      .filter((l) => {
        const e = cy.getElementById(l.id);
        return !!e.style("label") && !e.is(".hover, :selected, .path");
      })
      .map((l) => ({ id: l.id, owner: l.owner, parts: l.parts?.length ? l.parts : [l.box] }));
    const pairs = [];
    shown.forEach((a, i) => {
      for (const b of shown.slice(i + 1)) if (a.parts.some((p) => b.parts.some((q) => hit(p, q)))) pairs.push(`${a.id} / ${b.id}`);
      for (const o of obstacles) if (o.id !== a.owner && a.parts.some((p) => hit(p, o.box))) pairs.push(`${a.id} on ${o.id}`);
    });
    return { labels: shown.length, pairs };
  });
}

/** openOfficerInExplore adds an officer found by search to the Explore chart and selects it; alone: the chart was empty. */
async function openOfficerInExplore(alone = true) {
  await page.goto(BASE + "/#/explore");
  await page.waitForSelector("#search");
  const text = SEARCH || "Officer";
  await page.fill("#search", text);
  await page.waitForSelector("#search-results [role=option]");
  const options = page.locator("#search-results [role=option]");
  let i = 0;
  const n = await options.count();
  for (; i < n; i++) if (/Officer/.test(await options.nth(i).textContent())) break;
  await options.nth(i < n ? i : 0).click();
  if (alone) await page.waitForFunction(() => window.probityChart.cy.nodes().length === 1);
  else await page.waitForFunction(() => window.probityChart.cy.nodes(":selected").some((n) => n.id().startsWith("Officer:")));
  await page.waitForSelector(".entity");
}

await test("the queue finds decided flags through its state filter", async () => {
  if (!flagOpened) skip("no flag could be opened");
  await page.goto(BASE + "/#/queue");
  await page.waitForSelector("#flag-table tbody tr");
  if (!(await page.locator("#f-status option[value=no_further_action]").count())) skip("this server's flag list takes no state filter");
  await page.selectOption("#f-pattern", ""); // the queue remembers the last pattern chosen
  await page.selectOption("#f-status", "no_further_action");
  await page.waitForFunction(() => [...document.querySelectorAll("#flag-table tbody tr td.c-status .status")].some((td) => td.textContent.trim() === "no further action"));
  const states = await page.locator("#flag-table tbody tr td.c-status .status").allTextContents();
  expect(states.length > 0 && states.every((t) => t.trim() === "no further action"), `only the decided flags, got ${states.join(", ")}`);
  await page.selectOption("#f-status", "open"); // leave the queue as the next flows expect it
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]') && [...document.querySelectorAll("#flag-table tbody tr td.c-status .status")].some((td) => td.textContent.trim() === "new"));
});

await test("the queue's text search finds an officer's flags by pseudonym, on the server", async () => {
  await page.goto(BASE + "/#/queue");
  // the open queue, once no reload is under way (the previous flow changed the state filter)
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]') && document.querySelectorAll("#flag-table tbody tr").length > 1);
  // an officer still shown by pseudonym (an earlier flow revealed one)
  const cells = await page.locator("#flag-table tbody tr td.c-officer").allTextContents();
  const who = cells.map((t) => t.trim().split(/\s/)[0]).find((t) => /^Officer-[0-9A-F]{8}$/.test(t));
  expect(who, `a pseudonym in the officer column, got ${cells.slice(0, 3).join(" | ")}`);
  const flags = [];
  page.on("request", (r) => {
    if (r.url().endsWith("/graphql") && (r.postData() ?? "").includes(who.toLowerCase())) flags.push(r.postData());
  });
  await page.fill("#f-text", who.toLowerCase());
  await page.waitForFunction((w) => {
    const cells = [...document.querySelectorAll("#flag-table tbody tr td.c-officer")].map((td) => td.textContent);
    return cells.length > 0 && cells.every((t) => t.includes(w));
  }, who);
  expect(flags.length > 0, "the search went to the server (flags with filter.text)");
  await page.fill("#f-text", ""); // leave the queue as the next flows expect it
  await page.waitForFunction((w) => [...document.querySelectorAll("#flag-table tbody tr td.c-officer")].some((td) => !td.textContent.includes(w)), who);
});

await test("Back from a flag finds the queue at that flag, and the queue filters by unit on the server", async () => {
  await page.goto(BASE + "/#/queue");
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]') && document.querySelectorAll("#flag-table tbody tr").length > 3);
  const rows = page.locator("#flag-table tbody tr");
  const before = await rows.count();
  // the fourth row, opened and left by the browser's Back: the focus is on it again (analystZ: the queue went back to its top)
  const id = await rows.nth(3).getAttribute("data-id");
  await rows.nth(3).locator("td.c-score").click();
  await page.waitForURL(/#\/flag\//);
  await page.goBack();
  await page.waitForFunction((id) => document.activeElement?.getAttribute("data-id") === id, id);
  // a unit as the row shows it ("unit 22" for a number), typed as the data names it
  const shown = (await rows.first().locator("td.c-officer small").first().textContent()).trim();
  const unit = shown.replace(/^unit /, "");
  await page.fill("#f-unit", unit);
  await page.waitForFunction((u) => {
    const units = [...document.querySelectorAll("#flag-table tbody tr td.c-officer small")].map((s) => s.textContent.trim());
    return !document.querySelector('[aria-busy="true"]') && units.length > 0 && units.every((t) => t === u);
  }, shown);
  await page.fill("#f-unit", ""); // leave the queue as the next flows expect it
  await page.waitForFunction((n) => !document.querySelector('[aria-busy="true"]') && document.querySelectorAll("#flag-table tbody tr").length === n, before);
});

await test("explore: search, expand a node (counts first), undo and redo", async () => {
  if (!have.includes("Query.search") || !have.includes("Query.neighbourhood")) skip("the server has no Query.search / Query.neighbourhood");
  await openOfficerInExplore();
  await page.waitForSelector(".expand-list button.expand, .entity .state.empty");
  const buttons = page.locator(".expand-list button.expand");
  expect((await buttons.count()) > 0, "relationship counts for the officer (demo officer with no links?)");
  const label = await buttons.first().textContent();
  expect(/\d/.test(label), `a count on the expand button, got ${label}`);
  await page.click(".expand-all");
  await page.waitForFunction(() => window.probityChart.cy.nodes().not(".more").length > 1);
  await page.waitForTimeout(800);
  const after = await chart();
  expect(after.nodes.length > 1, "neighbours added");
  await shot("06-explore-expanded");
  const clash = await labelClashes();
  expect(clash.labels > 1 && clash.pairs.length === 0, `shown labels that overlap each other or a node: ${clash.pairs.slice(0, 5).join("; ")}`);
  await page.click("#undo");
  expect((await chart()).nodes.length === 1, "undo removes the expansion");
  await page.click("#redo");
  expect((await chart()).nodes.length === after.nodes.length, "redo restores it");
});

await test("explore: expand 2 links deep adds more than 1 link, keyboard-chosen, said in the banner", async () => {
  if (!have.includes("Query.search") || !have.includes("Query.neighbourhood")) skip("the server has no Query.search / Query.neighbourhood");
  await page.goto(BASE + "/#/explore");
  await page.reload(); // a chart of the officer alone (the tab keeps the session; Explore's chart starts afresh)
  await openOfficerInExplore();
  await page.waitForSelector(".expand-all, .entity .state.empty");
  if (!(await page.locator(".expand-all").count())) skip("the demo officer has no links");
  const seedId = (await chart()).nodes[0];
  const label = await page.evaluate(() => document.querySelector("label[for=expand-depth]")?.textContent);
  expect(label === "Expand", `a visible label for the depth choice, got ${label}`);
  expect((await page.inputValue("#expand-depth")) === "1", "one link by default");
  const count = () => page.evaluate(() => window.probityChart.cy.nodes().not(".more").not(".group").length);
  await page.click(".expand-all");
  await page.waitForFunction(() => /entities added|No new neighbours|failed/.test(document.querySelector(".banner")?.textContent ?? ""));
  const one = await count();
  await page.click("#undo");
  await page.waitForFunction(() => window.probityChart.cy.nodes().length === 1);
  // by keyboard: the choice is in the toolbar's tab order
  await page.focus("#expand-depth");
  await page.keyboard.press("ArrowDown");
  expect((await page.inputValue("#expand-depth")) === "2", "ArrowDown chose 2 links");
  await page.waitForFunction(() => /2 links deep/.test(document.querySelector(".expand-all")?.textContent ?? ""));
  await page.focus(".expand-all");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => /entities added, 2 links deep|No new neighbours|failed/.test(document.querySelector(".banner")?.textContent ?? ""), null, { timeout: 30000 });
  const banner = await page.textContent(".banner");
  const two = await count();
  expect(two > one, `depth 2 adds more than depth 1: ${two} nodes against ${one} (${banner})`);
  expect(/entities added, 2 links deep/.test(banner), `the banner says how deep, got ${banner}`);
  // a cap or a hub is said: what the server answered at depth 2, the banner tells
  const reasons = await page.evaluate(async (id) => {
    const s = JSON.parse(sessionStorage.getItem("probity.session"));
    const r = await fetch("/graphql", { method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${s.token}` }, body: JSON.stringify({ query: "query($ids: [ID!]!) { neighbourhood(ids: $ids, depth: 2, limit: 500) { reasons } }", variables: { ids: [id] } }) });
    return (await r.json()).data.neighbourhood.reasons;
  }, seedId);
  if (reasons.some((r) => r === "node_limit" || r === "edge_limit")) expect(/cut short/.test(banner), `a capped answer is said to be cut short, got ${banner}`);
  if (reasons.some((r) => r.startsWith("hub:"))) expect(/hubs? not passed through/.test(banner), `hubs not passed through are said, got ${banner} for ${reasons.join(", ")}`);
  await shot("06b-explore-depth-2");
  await page.click("#undo");
  expect((await count()) === 1, "undo removes the whole deep expansion in one step");
  // leave the chart as the next flows expect it: the officer expanded one link
  await page.selectOption("#expand-depth", "1");
  await page.click(".expand-all");
  await page.waitForFunction((n) => window.probityChart.cy.nodes().not(".more").not(".group").length === n, one);
});

await test("explore: find a path between two selected nodes", async () => {
  step("start");
  if (!have.includes("Query.paths")) skip("the server has no Query.paths");
  // Expand a neighbour so that some node is two links from the officer.
  const pair = await page.evaluate(() => {
    const cy = window.probityChart.cy;
    const officer = cy.nodes('[kind = "Officer"]').first();
    const one = officer.neighborhood("node").not(".more");
    return { officer: officer.id(), neighbours: one.map((n) => n.id()) };
  });
  let far = null;
  for (const nb of pair.neighbours.slice(0, 6)) {
    await page.evaluate((id) => {
      window.probityChart.cy.nodes().unselect();
      window.probityChart.cy.$id(id).select();
    }, nb);
    await page.waitForSelector(".expand-all, .expand-list, .entity .state");
    await page.waitForSelector(".expand-all", { timeout: 10000 }).catch(() => {});
    step(`selected ${nb}`);
    if (!(await page.locator(".expand-all").count())) continue;
    await page.click(".expand-all");
    await page.waitForTimeout(800);
    step(`expanded ${nb}`);
    far = await page.evaluate(({ officer }) => {
      const cy = window.probityChart.cy;
      const o = cy.$id(officer);
      const near = o.closedNeighborhood("node");
      const two = near.neighborhood("node").not(near).not(".more").not(".hub");
      return two.nonempty() ? two.first().id() : null;
    }, pair);
    if (far) break;
  }
  if (!far) skip("no entity two links from the first officer in the demo data");
  await page.evaluate(({ a, b }) => {
    const cy = window.probityChart.cy;
    cy.nodes().unselect();
    cy.$id(a).select();
    cy.$id(b).select();
  }, { a: pair.officer, b: far });
  await page.waitForFunction(() => !document.getElementById("find-path").disabled);
  await page.click("#find-path");
  await page.waitForFunction(() => /(paths?|routes?) found|No path|failed/.test(document.querySelector(".banner")?.textContent ?? ""));
  const banner = await page.textContent(".banner");
  expect(/route(s)? found/.test(banner), `a route found, got ${banner}`);
  expect((await chart()).path.length >= 3, "the path highlighted");
  await shot("07-path");
});

await test("timeline: brushing a period filters the chart", async () => {
  if (!have.includes("Query.search")) skip("the server has no Query.search");
  // (evaluate callbacks return nothing: a cytoscape collection is slow to serialise)
  await page.evaluate(() => {
    window.probityChart.cy.nodes().unselect();
  });
  await page.evaluate(() => {
    const cy = window.probityChart.cy;
    cy.nodes('[kind = "Officer"]').first().select();
  });
  step("select officer");
  await page.waitForTimeout(1200);
  const ticks = await page.locator(".timeline-svg .tl-event").count();
  if (ticks === 0) skip("the first officer has no dated events in the demo data");
  const before = await chart();
  step("chart read");
  const box = await page.locator(".timeline-svg").boundingBox();
  await page.mouse.move(box.x + box.width * 0.1, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.35, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  step("brushed");
  await page.waitForFunction(() => /Filtered to/.test(document.querySelector(".banner")?.textContent ?? ""));
  const from = await page.inputValue("#brush-from");
  const to = await page.inputValue("#brush-to");
  expect(from && to && from <= to, `a period in the date fields, got ${from}..${to}`);
  const after = await chart();
  expect(after.edges.length <= before.edges.length, "no more edges than before");
  step("filtered");
  await shot("08-timeline-brushed");
  step("shot");
  await page.click("#brush-clear");
  await page.waitForFunction((n) => window.probityChart.cy.edges().not(".more").length === n, before.edges.length);
});

/** sent counts the GraphQL requests the page sends while f runs, and a moment after. */
async function sent(f) {
  const seen = [];
  const on = (r) => {
    if (r.url().endsWith("/graphql")) seen.push(r.postData() ?? "");
  };
  page.on("request", on);
  try {
    await f();
    await page.waitForTimeout(700);
  } finally {
    page.off("request", on);
  }
  return seen;
}

await test("date fields take ISO days: an invalid one is refused beside the field, and nothing is sent", async () => {
  if (!(await page.locator("#as-of").count())) skip("no chart on screen");
  const attrs = await page.evaluate(() => {
    const i = document.getElementById("as-of");
    return { type: i.type, placeholder: i.placeholder, inputmode: i.inputMode, described: i.getAttribute("aria-describedby") };
  });
  expect(attrs.type === "text" && attrs.placeholder === "YYYY-MM-DD" && attrs.inputmode === "numeric" && attrs.described === "as-of-msg", `an ISO text field, got ${JSON.stringify(attrs)}`);
  // "As of" 30 February: refused, said beside the field, no request, the chart as it was
  const bad = await sent(async () => {
    await page.fill("#as-of", "2025-02-30");
    await page.press("#as-of", "Enter");
    await page.waitForFunction(() => /February 2025 has no day 30/.test(document.getElementById("as-of-msg")?.textContent ?? ""));
  });
  expect(bad.length === 0, `nothing sent for an invalid day, sent ${bad.length}: ${bad.map((b) => b.slice(0, 60)).join(" | ")}`);
  expect((await page.getAttribute("#as-of", "aria-invalid")) === "true", "the field marked invalid");
  expect(!/As of/.test((await page.textContent(".banner")) ?? ""), "the chart is not filtered");
  await shot("08b-date-refused");
  // another order is refused too (03/04/2025: March or April?)
  await page.fill("#as-of", "03/04/2025");
  await page.press("#as-of", "Enter");
  await page.waitForFunction(() => /year first/.test(document.getElementById("as-of-msg")?.textContent ?? ""));
  // a real day is taken (eight digits too), the message goes
  await page.fill("#as-of", "20240630");
  await page.press("#as-of", "Enter");
  await page.waitForFunction(() => /As of 2024-06-30/.test(document.querySelector(".banner")?.textContent ?? ""));
  expect((await page.inputValue("#as-of")) === "2024-06-30" && (await page.textContent("#as-of-msg")) === "", "written back as YYYY-MM-DD, no message");
  await page.fill("#as-of", "");
  await page.press("#as-of", "Enter");
  await page.waitForFunction(() => !/As of/.test(document.querySelector(".banner")?.textContent ?? ""));
  // the timeline's period: a day that is not one, or a period ending before it starts, is refused
  await page.fill("#brush-from", "2024-01-01");
  await page.fill("#brush-to", "2023-13-01");
  await page.press("#brush-to", "Enter");
  await page.waitForFunction(() => /no month 13/.test(document.getElementById("brush-to-msg")?.textContent ?? ""));
  await page.fill("#brush-to", "2023-12-01");
  await page.press("#brush-to", "Enter");
  await page.waitForFunction(() => /ends before it starts/.test(document.getElementById("brush-to-msg")?.textContent ?? ""));
  expect(!/Filtered to/.test((await page.textContent(".banner")) ?? ""), "no period applied");
  await page.fill("#brush-to", "2024-12-31");
  await page.press("#brush-to", "Enter");
  await page.waitForFunction(() => /Filtered to 2024-01-01 – 2024-12-31/.test(document.querySelector(".banner")?.textContent ?? ""));
  await page.click("#brush-clear");
  await page.waitForFunction(() => !/Filtered to/.test(document.querySelector(".banner")?.textContent ?? ""));
});

/** exportAs picks an export from the Chart… menu and answers the dialog it opens with the exhibit's title ("" for none). */
async function exportAs(kind, title = "") {
  const dl = page.waitForEvent("download");
  await page.selectOption("#export", kind);
  await page.waitForSelector("#export-title");
  await page.fill("#export-title", title);
  await page.click("#export-go");
  return dl;
}

/**
 * exhibitLayout renders an exported SVG on a page of its own and measures
 * (getBBox) every text: those outside the viewBox (cut at the edge), and
 * the labels that overlap another label or a node's body or icon.
 */
async function exhibitLayout(text, shotName) {
  const view = await page.context().newPage();
  try {
    await view.setContent(`<body style="margin:0">${text}</body>`);
    if (shotName) await view.screenshot({ path: join(OUT, `${shotName}.png`), fullPage: true });
    return await view.evaluate(() => {
      const svg = document.querySelector("svg");
      const vb = svg.viewBox.baseVal;
      const bb = (el) => {
        const b = el.getBBox();
        return { t: el.textContent.slice(0, 50), x1: b.x, y1: b.y, x2: b.x + b.width, y2: b.y + b.height };
      };
      const outside = [...svg.querySelectorAll("text")].map(bb).filter((b) => b.x1 < vb.x - 0.5 || b.y1 < vb.y - 0.5 || b.x2 > vb.x + vb.width + 0.5 || b.y2 > vb.y + vb.height + 0.5);
      const labels = [...svg.querySelectorAll("g.labels > text, g.labels > g.tag:not(.inside)")].map(bb);
      const bodies = [...svg.querySelectorAll("g.node:not(.group) > :is(ellipse, rect, polygon, image)")].map(bb);
      const hit = (a, b) => a.x1 < b.x2 - 0.5 && b.x1 < a.x2 - 0.5 && a.y1 < b.y2 - 0.5 && b.y1 < a.y2 - 0.5;
      const overlaps = [];
      labels.forEach((a, i) => labels.slice(i + 1).forEach((b) => hit(a, b) && overlaps.push(`${a.t} × ${b.t}`)));
      const covers = labels.flatMap((l) => bodies.filter((b) => hit(l, b)).map(() => l.t));
      const heads = [...svg.querySelectorAll("text.header")].map((t) => t.textContent);
      return { labels: labels.length, outside: outside.map((b) => b.t), overlaps, covers: [...new Set(covers)], heads, title: svg.querySelector("title")?.textContent ?? "", width: vb.width, height: vb.height };
    });
  } finally {
    await view.close();
  }
}

await test("export the chart as PNG and as SVG with a title: legible, nothing cut, titled", async () => {
  if (!(await page.locator("#export").count())) skip("no chart on screen");
  // Cancel exports nothing: no download in the second after it (else
  // that download would answer the next export's wait: mutY L2)
  let cancelled = 0;
  const counted = () => cancelled++;
  page.on("download", counted);
  await page.selectOption("#export", "png");
  await page.waitForSelector("#export-title");
  await page.click("dialog.export-dialog button:has-text('Cancel')");
  await page.waitForSelector("#export-title", { state: "detached" });
  await page.waitForTimeout(1000);
  page.off("download", counted);
  expect(cancelled === 0, `Cancel exported ${cancelled} file(s)`);
  const dl = await exportAs("png");
  const path = join(OUT, "export.png");
  await dl.saveAs(path);
  const b = readFileSync(path);
  expect(b.length > 2000 && b.subarray(1, 4).toString() === "PNG", `a PNG file, got ${b.length} bytes`);
  expect(/^probity-(FLAG-[0-9a-f]+|chart)-\d{4}-/.test(dl.suggestedFilename()), `without a title, a file named as before, got ${dl.suggestedFilename()}`);
  const title = `E2E PSD-2026-017 <exhibit> & "3"`;
  const svg = await exportAs("svg", title);
  await svg.saveAs(join(OUT, "export.svg"));
  const text = readFileSync(join(OUT, "export.svg"), "utf8");
  // well-formed, and every node on screen drawn (a shape each) with its label
  const drawn = await page.evaluate((t) => {
    const d = new DOMParser().parseFromString(t, "image/svg+xml");
    return { error: !!d.querySelector("parsererror"), shapes: d.querySelectorAll("g.node > ellipse, g.node > rect, g.node > polygon").length, texts: d.querySelectorAll("text").length };
  }, text);
  const nodes = await page.evaluate(() => window.probityChart.cy.nodes(":visible").length);
  expect(!drawn.error && drawn.shapes === nodes && drawn.texts > 0, `an SVG of the ${nodes} nodes, got ${JSON.stringify(drawn)}`);
  // an exhibit for a case file says what it is, who exported it, when and why
  expect(/Probity link chart: /.test(text) && /Exported \d{4}-\d\d-\d\d \d\d:\d\d UTC by /.test(text) && /purpose: /.test(text) && /OFFICIAL-SENSITIVE/.test(text), "the exhibit's header in the SVG");
  expect(/^probity-E2E-PSD-2026-017-exhibit-3-(FLAG-[0-9a-f]+-)?\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d\.svg$/.test(svg.suggestedFilename()), `a file named after the title, got ${svg.suggestedFilename()}`);
  // rendered by the browser on a page of its own: labels inside the page, none over another or over a node
  const laid = await exhibitLayout(text, "07-export-svg");
  expect(laid.title === title && laid.heads[0] === title && /^Probity link chart: /.test(laid.heads[1]), `the title first, as typed (escaped in the file), got ${JSON.stringify(laid.heads.slice(0, 2))}`);
  expect(laid.labels > 0, "labels drawn");
  expect(laid.outside.length === 0, `every text inside the viewBox, cut: ${laid.outside.join("; ")}`);
  expect(laid.overlaps.length === 0, `no label over another: ${laid.overlaps.slice(0, 5).join("; ")}`);
  expect(laid.covers.length === 0, `no label over a node or its icon: ${laid.covers.slice(0, 5).join("; ")}`);
  // the PNG is the same exhibit drawn at twice its size
  expect(b.readUInt32BE(16) >= Math.floor(laid.width) && b.readUInt32BE(20) >= Math.floor(laid.height), `a PNG at least the SVG's ${laid.width} × ${laid.height}, got ${b.readUInt32BE(16)} × ${b.readUInt32BE(20)}`);
  // the title is offered again on the next export
  await page.selectOption("#export", "graphml");
  await page.waitForSelector("#export-title");
  expect((await page.inputValue("#export-title")) === title, "the last title offered again");
  await page.click("dialog.export-dialog button:has-text('Cancel')");
});

await test("save a named chart and reopen it", async () => {
  if (!(await page.locator("#export").count())) skip("no chart on screen");
  const before = await chart();
  const name = `e2e chart ${Date.now()}`;
  page.once("dialog", (d) => d.accept(name));
  await page.selectOption("#export", "save");
  await page.waitForFunction(() => /Saved “/.test(document.querySelector(".banner")?.textContent ?? ""));
  const where = await page.textContent(".banner");
  await page.evaluate(() => {
    const cy = window.probityChart.cy;
    cy.nodes().unselect();
  });
  await page.click("#undo").catch(() => {});
  await page.selectOption("#export", "open");
  await page.waitForSelector("dialog.open-dialog");
  await page.click(`dialog.open-dialog button:has-text("${name}")`);
  // the dialog closes once the chart is read (under load, after the count already matches: the flows after need it gone)
  await page.waitForSelector("dialog.open-dialog", { state: "detached" });
  await page.waitForFunction((n) => window.probityChart.cy.nodes().not(".more").not(".group").length === n, before.nodes.length);
  expect(/browser|server/.test(where), `where it was saved, got ${where}`);
});

await test("a chart with a revealed name: its export is audited as a reveal, a saved copy keeps the pseudonym", async () => {
  if (!have.includes("Query.node") || !have.includes("Query.auditLog")) skip("the server has no Query.node or Query.auditLog");
  await openOfficerInExplore(false); // onto the chart the flows before left
  await page.click("text=Reveal real name (audited)");
  await page.fill("#entity-reveal-purpose", "e2e: preparing the referral file");
  await page.click("form.reveal button[type=submit]");
  await page.waitForFunction(() => /\(Officer-/.test(document.querySelector(".entity h2")?.textContent ?? ""));
  const h2 = (await page.textContent(".entity h2")).trim();
  const clipped = await clippedLabels();
  expect(clipped.length === 0, `the revealed name's label measured again, ellipsised, not cut off: ${clipped.join("; ")}`);
  const real = h2.replace(/\s*\(Officer-[0-9A-F]+\)$/, "");
  const id = await page.evaluate(() => window.probityChart.cy.nodes(":selected").map((n) => n.id())[0]);
  const since = new Date(Date.now() - 1000).toISOString();
  const dl = await exportAs("json");
  await dl.saveAs(join(OUT, "export-revealed.json"));
  expect(readFileSync(join(OUT, "export-revealed.json"), "utf8").includes(real), `the export carries the revealed name ${real}`);
  const gql = (query, variables) =>
    page.evaluate(
      async ([q, v, token]) => (await (await fetch("/graphql", { method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}`, "X-Probity-Purpose": "e2e: checking the audit" }, body: JSON.stringify({ query: q, variables: v }) })).json()).data,
      [query, variables, TOKEN],
    );
  const log = await gql(`query($from: String) { auditLog(from: $from, first: 200) { nodes { operation revealed purpose } } }`, { from: since });
  const ev = log.auditLog.nodes.filter((e) => e.operation === "recordExport").pop();
  expect(ev && ev.revealed.includes(id) && /export json with 1 real names/.test(ev.purpose), `the export's audit event marks ${id} revealed, got ${JSON.stringify(ev)}`);
  if (!have.includes("Mutation.saveChart")) return;
  const name = `e2e revealed ${Date.now()}`;
  page.once("dialog", (d) => d.accept(name));
  await page.selectOption("#export", "save");
  await page.waitForFunction(() => /Saved “/.test(document.querySelector(".banner")?.textContent ?? ""));
  const charts = await gql(`{ charts { id name } }`);
  const saved = charts.charts.find((c) => c.name === name);
  const doc = (await gql(`query($id: ID!) { chart(id: $id) { document } }`, { id: saved.id })).chart.document;
  expect(doc.includes(id) && !doc.includes(real), `the saved chart keeps ${id} without the real name`);
});

await test("reports: accuracy, disproportion table and scan runs", async () => {
  await page.goto(BASE + "/#/reports");
  await page.waitForSelector("#accuracy .state:not(.loading), #accuracy table");
  if (await page.locator("#accuracy table").count()) {
    // run.sh ran eval, then an incremental scan that changed no flag: the figures still stand (statA L1)
    const card = await page.textContent("#accuracy");
    expect(!/A scan has run since|The flags have changed since/.test(card), `no stale note after a scan that changed nothing: ${card.slice(0, 300)}`);
    // the file's name with when eval ran and the scan it measured (statA M1)
    expect(/\(truth\.csv, measured \d{4}-\d\d-\d\d \d\d:\d\d UTC, of the flags up to scan \S+\)/.test(card), `the truth file, when and of which scan: ${card.slice(0, 300)}`);
  }
  if (have.includes("Query.reviewOutcomes")) {
    // the flag dismissed earlier in this run is counted as decided, and charted
    await page.waitForSelector("#outcomes table tbody tr");
    const decided = await page.locator("#outcomes svg.bars rect").count();
    expect(decided > 0 && /no further action|No Further Action/i.test(await page.textContent("#outcomes table thead")), `review outcomes charted (${decided} bars)`);
    // the upheld share with its counts and exact interval (statA: "1.00" of one decision read as a finding)
    expect(/\d\.\d\d\d+\/\d+ · \d\.\d\d–\d\.\d\d/.test(await page.textContent("#outcomes table tbody")), "upheld with its counts and 95% interval");
    // the figures leave the screen: a CSV of the card, and the page printed whole (boardA)
    const [csv] = await Promise.all([page.waitForEvent("download"), page.click("#outcomes-csv")]);
    const text = await (await import("node:fs/promises")).readFile(await csv.path(), "utf8");
    expect(/^pattern,open,/.test(text) && text.includes("decided"), `the outcomes CSV, got ${text.slice(0, 80)}`);
    await page.emulateMedia({ media: "print" });
    const scroll = await page.evaluate(() => getComputedStyle(document.querySelector(".reports")).overflowY);
    await page.emulateMedia({ media: "screen" });
    expect(scroll === "visible", `printed, the reports are not a scroll box (overflow ${scroll})`);
  }
  if (!have.includes("Query.fairnessReport")) skip("the server has no Query.fairnessReport");
  await page.waitForSelector("#disproportion table tbody tr, #disproportion .state.error, #disproportion .state.empty");
  const rows = await page.locator("#disproportion table tbody tr").count();
  expect(rows > 0, "disproportion rows after the demo scan");
  expect((await page.locator("#disproportion svg.bars rect").count()) > 0, "bar charts of the ratios");
  expect((await page.locator("#disproportion svg.bars line.whisker").count()) > 0, "95% intervals drawn as whiskers");
  expect(/\d\.\d\d–\d\.\d\d/.test(await page.textContent("#disproportion table tbody")), "the 95% interval in the table");
  // the groups beyond chance are marked on the charts, whichever test said so; small groups carry their n,
  // and their bars, left out of the scale, stop at the axis' end (statA M2, L4)
  {
    const marks = await page.evaluate(() => {
      const rows = [...document.querySelectorAll("#disproportion table tbody tr")].map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? ""));
      const texts = [...document.querySelectorAll("#disproportion svg.bars text.bar-value")].map((t) => t.textContent ?? "");
      const labels = [...document.querySelectorAll("#disproportion svg.bars text.bar-label")].map((t) => t.textContent ?? "");
      const overrun = [...document.querySelectorAll("#disproportion svg.bars")].some((svg) => {
        const ref = svg.querySelector("line[stroke-dasharray]");
        const end = Math.max(...[...svg.querySelectorAll("rect")].map((r) => Number(r.getAttribute("x")) + Number(r.getAttribute("width"))));
        return ref && end > 640;
      });
      return { beyond: rows.filter((r) => r[7] === "yes").length, small: rows.filter((r) => r[9] === "yes *").length, daggers: texts.filter((t) => t.endsWith("†")).length, ns: labels.filter((l) => /\* \(n=\d+\)$/.test(l)).length, overrun };
    });
    expect(marks.beyond > 0 && marks.daggers === marks.beyond, `every group beyond chance marked † on its chart: ${JSON.stringify(marks)}`);
    expect(marks.ns === marks.small, `every small group's label gives its n: ${JSON.stringify(marks)}`);
    expect(!marks.overrun, "no bar runs past the chart");
  }
  // one pattern's flags: the force-wide line names it
  await page.waitForSelector('#disproportion-pattern option[value="undisclosed-association"]', { state: "attached" });
  await page.selectOption("#disproportion-pattern", "undisclosed-association");
  await page.waitForFunction(() => /flagged by undisclosed-association/.test(document.querySelector("#disproportion")?.textContent ?? ""));
  expect(/force-wide rate \(\d+ of \d+ officers ever flagged by undisclosed-association, \d+ by flags that stand; rate/.test(await page.textContent("#disproportion")), "the force-wide rate, with both counts (statA L6)");
  // only the flags that stand (statA L4)
  await page.check("#disproportion-current");
  await page.waitForFunction(() => /only its flags the rules as they stand raise count/.test(document.querySelector("#disproportion")?.textContent ?? ""));
  // a pattern that flagged nobody: every ratio is 0/0, so the empty state, not a chart of zero bars (statA L2)
  await page.uncheck("#disproportion-current");
  await page.selectOption("#disproportion-pattern", "tripwire");
  await page.waitForSelector("#disproportion .state.empty");
  expect(/No officer is flagged by tripwire/.test(await page.textContent("#disproportion")), "the empty state when the pattern flagged nobody");
  expect((await page.locator("#disproportion svg.bars").count()) === 0, "no chart of 0/0 ratios");
  await page.selectOption("#disproportion-pattern", "");
  await page.waitForSelector("#disproportion svg.bars");
  await page.waitForSelector("#scan-runs table tbody tr");
  const ended = await page.locator("#scan-runs table tbody tr:first-child td:nth-child(2)").textContent();
  expect(/^\d{4}-\d\d-\d\d \d\d:\d\d$/.test(ended.trim()), `the scan's end time (endedAt), got ${ended}`);
  // every table fits its card from 1200 px wide: no column behind a sideways scroll (uiQ L4, reUI)
  for (const width of [1200, 1440, 1600]) {
    await page.setViewportSize({ width, height: 800 });
    await page.waitForTimeout(200);
    const wide = await page.evaluate(() => [...document.querySelectorAll(".report .table-wrap")].filter((w) => w.scrollWidth > w.clientWidth).map((w) => `${w.querySelector("table")?.id}: ${w.scrollWidth} in ${w.clientWidth} px`));
    expect(wide.length === 0, `the report tables fit their cards at ${width} px, got ${wide.join(", ")}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.waitForTimeout(300);
  await shot("09-reports");
});

/** signInAs signs out and in again with another token. */
async function signInAs(token, purpose) {
  await page.goto(BASE + "/#/queue");
  await page.waitForSelector("#sign-out");
  await page.click("#sign-out");
  await page.waitForSelector("#token");
  await page.fill("#token", token);
  await page.fill("#purpose", purpose);
  await page.click("button[type=submit]");
  // the new session's header (it shows the purpose), not what was on screen before
  await page.waitForFunction((p) => (document.querySelector("header.top")?.textContent ?? "").includes(p), purpose, { timeout: 15000 });
}

await test("audit: a reviewer reads the audit trail and verifies the chain", async () => {
  if (!have.includes("Query.auditLog")) skip("the server has no Query.auditLog");
  await page.goto(BASE + "/#/audit");
  await page.waitForSelector("#audit-table tbody tr, #audit-list .state.empty, #audit-list .state.error");
  const ops = await page.locator("#audit-table tbody tr td:nth-child(5)").allTextContents();
  expect(ops.length > 0 && ops.some((o) => /flag/.test(o)), `the session's reads of flags listed, got ${ops.slice(0, 5).join(" | ")}`);
  const seqs = (await page.locator("#audit-table tbody tr td:nth-child(1)").allTextContents()).map(Number);
  expect(seqs.every((n, i) => i === 0 || n < seqs[i - 1]), `newest first by default, got ${seqs.slice(0, 5).join(", ")}`);
  await page.click("#audit-verify");
  await page.waitForFunction(() => /Chain (intact|broken)/.test(document.querySelector("#audit-verify-result")?.textContent ?? ""));
  expect(/Chain intact: \d+ events/.test(await page.textContent("#audit-verify-result")), "the chain holds");
  await shot("13-audit-trail");
  // the period's fields take ISO days: one that is not is refused beside it, and the log is not asked
  const before = await page.inputValue("#audit-from");
  const asked = await sent(async () => {
    await page.fill("#audit-from", "03/04/2025");
    await page.click("#audit-filters button[type=submit]");
    await page.waitForFunction(() => /year first/.test(document.getElementById("audit-from-msg")?.textContent ?? ""));
  });
  expect(!asked.some((b) => b.includes("auditLog")), `no audit log query for an invalid day, sent ${asked.length}`);
  expect((await page.evaluate(() => document.activeElement?.id)) === "audit-from", "the focus on the field to correct");
  await page.fill("#audit-from", before);
  await page.click("#audit-filters button[type=submit]");
  await page.waitForFunction(() => (document.getElementById("audit-from-msg")?.textContent ?? "") === "" && document.querySelector("#audit-table tbody tr"));
  // who revealed names: the session's reveal of a flag's identities is there
  if (!flagOpened || !have.includes("Mutation.revealIdentity")) return;
  await page.selectOption("#audit-operation", "revealIdentity");
  await page.click("#audit-filters button[type=submit]");
  await page.waitForFunction(() => {
    const cells = [...document.querySelectorAll("#audit-table tbody tr td:nth-child(5)")];
    return document.querySelector("#audit-list .state.empty") || (cells.length > 0 && cells.every((td) => td.textContent.split(",").includes("revealIdentity")));
  });
  expect((await page.locator("#audit-table tbody tr").count()) > 0, "the reveal made earlier in the session is listed");
});

await test("schedules: a reviewer is told they need an admin, with no button that belongs to no schedule", async () => {
  if (!have.includes("Query.schedules")) skip("the server has no Query.schedules");
  await page.goto(BASE + "/#/schedules");
  await page.waitForSelector("#schedules-role, #schedule-table");
  expect(/admin token/.test((await page.textContent("#schedules-role")) ?? ""), "the note names the admin role");
  expect((await page.locator("button.run-now").count()) === 0, "no lone Run now (analystD L7)");
  await shot("10-schedules-reviewer");
});

await test("recusal: a linked reviewer sees the notice and must declare the link", async () => {
  if (!LINKED_TOKEN || !LINKED_FLAG) skip("run.sh found no officer in the same unit as a flagged officer");
  await signInAs(LINKED_TOKEN, "e2e: linked reviewer");
  await page.goto(BASE + "/#/flag/" + encodeURIComponent(LINKED_FLAG));
  await page.waitForSelector(".flag-side");
  await page.waitForSelector("#recusal");
  const reasons = await page.locator("#recusal li").allTextContents();
  expect(reasons.length > 0 && reasons.some((r) => /unit/i.test(r)), `the reasons listed, got ${reasons.join(" | ")}`);
  await page.locator("#recusal").scrollIntoViewIfNeeded();
  await shot("11-recusal-notice");
  await page.waitForSelector(".review form");
  const submit = page.locator(".review button[type=submit]");
  expect(await submit.isDisabled(), "decision blocked before the link is declared");
  const first = page.locator("input[name=decision]").first();
  await first.check();
  await page.fill("#review-reason", "e2e: link declared to the professional standards lead");
  await page.check("#ack-link");
  expect(!(await submit.isDisabled()), "decision allowed once the link is declared");
  await shot("11-recusal-declared");
  await submit.click();
  await page.waitForFunction(() => (document.querySelector(".history")?.textContent ?? "").includes("link declared"), null, { timeout: 20000 });
  // the history keeps the link the decision was made despite, for whoever reads it later
  const kept = await page.locator(".history li").last().locator(".acknowledged").textContent();
  expect(/recusal acknowledged/.test(kept ?? "") && /unit/i.test(kept ?? ""), `the acknowledged link under the decision, got ${kept}`);
});

await test("recusal: the flagged officer can neither open the flag nor find it in the queue", async () => {
  if (!OWN_TOKEN || !LINKED_FLAG) skip("run.sh made no token for the flagged officer");
  await signInAs(OWN_TOKEN, "e2e: own flag");
  await page.goto(BASE + "/#/flag/" + encodeURIComponent(LINKED_FLAG));
  await page.waitForSelector("main .state.error");
  const text = await page.textContent("main .state.error");
  // as if there were no such flag: a distinct refusal would confirm that the id is theirs
  expect(/not found/i.test(text), `the flag is not found for them, got ${text}`);
  expect((await page.locator(".flag-side").count()) === 0, "no evidence, review or names shown");
  await page.goto(BASE + "/#/queue");
  await page.waitForSelector("#flag-table tbody tr, .state.empty");
  expect((await page.locator(`#flag-table tr[data-id="${LINKED_FLAG}"]`).count()) === 0, "the own flag is not in the queue");
});

await test("referral: one reviewer refers a flag, another returns it, then confirms it", async () => {
  if (!REFER_FLAG || !ADMIN_TOKEN) skip("run.sh found no flag to refer or made no admin token");
  await signInAs(TOKEN, "e2e: referral");
  await page.goto(BASE + "/#/flag/" + encodeURIComponent(REFER_FLAG));
  await page.waitForSelector(".flag-side");
  // a final decision is confirmed first
  const questions = [];
  const accept = (d) => {
    questions.push(d.message());
    void d.accept();
  };
  page.on("dialog", accept);
  const decide = async (status, reason) => {
    await page.check(`input[name=decision][value=${status}]`);
    await page.fill("#review-reason", reason);
    await page.click(".review button[type=submit]");
    await page.waitForFunction((r) => (document.querySelector(".history")?.textContent ?? "").includes(r), reason, { timeout: 20000 });
  };
  await decide("in_review", "e2e: taking this flag into review");
  await page.waitForSelector("input[name=decision][value=referred_investigation]");
  await decide("referred_investigation", "e2e: payment follows the look-up");
  page.off("dialog", accept);
  expect(questions.length === 1 && /second reviewer confirms it/.test(questions[0]) && !/final/.test(questions[0]), `one confirmation, for the referral only, not called final (analystB L4); got ${JSON.stringify(questions)}`);
  // a second reviewer who is not convinced returns it to in review, with a reason
  await signInAs(ADMIN_TOKEN, "e2e: questioning a referral");
  await page.goto(BASE + "/#/flag/" + encodeURIComponent(REFER_FLAG));
  await page.waitForSelector("#return-referral");
  await page.fill("#return-reason", "e2e: is the payment a refund? check first");
  page.once("dialog", (d) => d.accept());
  await page.click("#return-referral button[type=submit]");
  await page.waitForFunction(() => (document.querySelector(".history")?.textContent ?? "").includes("returned: e2e: is the payment a refund"), null, { timeout: 20000 });
  // in review again; whoever returned it does not make the next decision: a note, not the form the server would refuse
  await page.waitForSelector("#own-return");
  expect((await page.locator("#review-form").count()) === 0, "no decision form for the reviewer who returned the referral");
  // the analyst checks and refers again
  await signInAs(TOKEN, "e2e: referral");
  await page.goto(BASE + "/#/flag/" + encodeURIComponent(REFER_FLAG));
  await page.waitForSelector(".flag-side");
  page.once("dialog", (d) => d.accept());
  await decide("referred_investigation", "e2e: not a refund, referred again");
  // the referrer is offered the form too; the server refuses a second pair of eyes that is the first
  await signInAs(ADMIN_TOKEN, "e2e: confirming a referral");
  await page.goto(BASE + "/#/flag/" + encodeURIComponent(REFER_FLAG));
  await page.waitForSelector("#confirm-referral");
  await page.fill("#confirm-reason", "e2e: the chain holds, confirmed");
  page.once("dialog", (d) => d.accept()); // the confirmation is final: asked first
  await page.click("#confirm-referral button[type=submit]");
  await page.waitForSelector("#referral-confirmed", { timeout: 20000 });
  expect((await page.textContent(".history")).includes("confirmed: e2e: the chain holds"), "the confirmation in the history");
  await shot("12-referral-confirmed");
});

await test("schedules: an admin sees next run and history, and runs one now", async () => {
  if (!ADMIN_TOKEN || !SCHEDULE) skip("run.sh made no admin token or schedule");
  await signInAs(ADMIN_TOKEN, "e2e: schedule check");
  await page.goto(BASE + "/#/schedules");
  const row = page.locator(`#schedule-table tr[data-name="${SCHEDULE}"]`);
  await row.waitFor();
  expect(/^\d{4}-\d\d-\d\d 03:00 UTC$/.test((await row.locator(".next-run").textContent()).trim()), "the next 03:00 slot");
  await page.waitForSelector("#schedule-history #schedule-runs, #schedule-history .state.empty");
  const btn = row.locator("button.run-now");
  expect(!(await btn.isDisabled()), "run now enabled for an admin");
  await btn.click();
  await row.locator(".run-msg", { hasText: "Queued" }).waitFor();
  // the table follows the run to its result (the scheduler polls every 5 s)
  await page.waitForFunction((name) => {
    const cell = document.querySelector(`#schedule-table tr[data-name="${name}"] .last-result`);
    return cell && cell.textContent.trim() !== "—";
  }, SCHEDULE, { timeout: 60000 });
  await shot("12-schedules-admin");
  // add one, disable it, remove it: without the command line
  const name = `e2e-${Date.now()}`;
  await page.fill("#sched-name", name);
  await page.fill("#sched-cron", "30 4 * * 1");
  await page.fill("#sched-patterns", "tripwire");
  await page.check("#sched-incremental");
  await page.click("#schedule-add button[type=submit]");
  const added = page.locator(`#schedule-table tr[data-name="${name}"]`);
  await added.waitFor();
  expect(/tripwire \(incremental\)/.test(await added.textContent()) && /04:30 UTC/.test(await added.locator(".next-run").textContent()), `the schedule added: ${await added.textContent()}`);
  // edit it in place: another cron, all patterns; the row follows
  if (have.includes("Mutation.updateSchedule")) {
    await added.locator("button.edit-btn").click();
    expect((await page.inputValue("#sched-name")) === name && (await page.inputValue("#sched-cron")) === "30 4 * * 1", "the form filled with the schedule");
    await page.fill("#sched-cron", "45 5 * * 2");
    await page.fill("#sched-patterns", "");
    await page.click("#schedule-add button[type=submit]");
    await page.waitForFunction((n) => /05:45 UTC/.test(document.querySelector(`#schedule-table tr[data-name="${n}"] .next-run`)?.textContent ?? ""), name);
    expect(/all \(incremental\)/.test(await added.textContent()), `the schedule edited: ${await added.textContent()}`);
  }
  await added.locator("button.toggle-btn").click();
  await page.waitForFunction((n) => /Enable/.test(document.querySelector(`#schedule-table tr[data-name="${n}"] button.toggle-btn`)?.textContent ?? ""), name);
  page.once("dialog", (d) => d.accept());
  await page.locator(`#schedule-table tr[data-name="${name}"] button.remove-btn`).click();
  await page.waitForSelector(`#schedule-table tr[data-name="${name}"]`, { state: "detached" });
});

await test("load: an admin uploads a data set and reads the report, bad row listed", async () => {
  if (!ADMIN_TOKEN) skip("run.sh made no admin token");
  await signInAs(ADMIN_TOKEN, "e2e: upload check");
  await page.goto(BASE + "/#/load");
  await page.waitForSelector("#load-form");
  // ids of this run: a second run on the same database would find them stored ("0 new")
  const run = Date.now().toString(36).toUpperCase();
  await page.setInputFiles("#load-files", [
    { name: "officers.csv", mimeType: "text/csv", buffer: Buffer.from(`officer_id,name,unit\nE2E-LOAD-${run}-1,Lou Load,Uploads\nE2E-LOAD-${run}-2,,Uploads,extra\n`) },
    { name: "persons.csv", mimeType: "text/csv", buffer: Buffer.from(`person_id,name\nE2E-LOAD-${run}-P1,Pat Upload\n`) },
  ]);
  await page.click("#load-form button[type=submit]");
  await page.waitForSelector("#load-progress, #load-report"); // the progress bar shows while it runs (this set loads in a blink)
  await page.waitForSelector("#load-report");
  const head = await page.textContent("#load-report h2");
  expect(/2 rows loaded \(2 new\), 1 rejected/.test(head), `the summary, got ${head}`);
  const reject = await page.textContent("#load-rejects tbody tr");
  expect(/officers\.csv/.test(reject) && /3/.test(reject) && /fields/.test(reject), `the bad row with its line and reason, got ${reject}`);
  expect(/no column\(s\) rank/.test(await page.textContent("#load-notes")), "the loader's notes (absent columns)");
  // every rejected row the server listed downloads as CSV
  const [file] = await Promise.all([page.waitForEvent("download"), page.click("#load-rejects-csv")]);
  const csv = readFileSync(await file.path(), "utf8");
  expect(/^file,line,column,reason\r\nofficers\.csv,3,/.test(csv), `the rejects CSV, got ${csv.slice(0, 120)}`);
  await shot("13-load-report");
  // loading does not scan: the report offers it
  await page.click("#scan-now");
  await page.waitForFunction(() => /^Scan SCAN-/.test(document.querySelector("#scan-now-msg")?.textContent ?? ""), null, { timeout: 60000 });
});

await test("admin: keep the hub list, issue a token and revoke it, without the command line", async () => {
  if (!ADMIN_TOKEN) skip("run.sh made no admin token");
  if (!have.includes("Query.suppressions")) skip("the server has no Query.suppressions");
  await signInAs(ADMIN_TOKEN, "e2e: admin lists");
  await page.goto(BASE + "/#/admin");
  await page.waitForSelector("#hubs-form");
  await page.selectOption("#hubs-type", "Address");
  await page.fill("#hubs-key", "ADR0000001");
  await page.fill("#hubs-reason", "e2e: the north station, every officer's work address");
  await page.click("#hubs-form button[type=submit]");
  const hubRow = page.locator("#hubs-table tbody tr", { hasText: "ADR0000001" });
  await hubRow.waitFor();
  expect(/north station/.test(await hubRow.textContent()), "the hub listed with its reason");
  page.once("dialog", (d) => d.accept());
  await hubRow.locator("button", { hasText: "Remove" }).click();
  await hubRow.waitFor({ state: "detached" });
  // a threshold set with its reason, shown in use, then put back
  if (have.includes("Mutation.setThreshold")) {
    await page.selectOption("#threshold-param", "co-accused-crew/minShared");
    await page.fill("#threshold-value", "3");
    await page.fill("#threshold-reason", "e2e: three shared complaints for this check");
    await page.click("#threshold-form button[type=submit]");
    const thRow = page.locator("#thresholds-table tbody tr", { hasText: "minShared" });
    await page.waitForFunction(() => [...document.querySelectorAll("#thresholds-table tbody tr")].some((tr) => tr.textContent.includes("minShared") && tr.querySelector("strong")?.textContent === "3"));
    expect(/e2e: three shared/.test(await thRow.textContent()), "the threshold in use, with its reason");
    // each parameter says what it is; the fixed ones are listed, not offered (analystB L1)
    const hops = await page.locator("#thresholds-table tbody tr", { hasText: "maxHops" }).first().textContent();
    expect(/fixed \(in the query\)/.test(hops) && /longest path/.test(hops), `a fixed parameter listed with what it is: ${hops}`);
    expect((await page.locator("#threshold-param option[value$='/maxHops']").count()) === 0, "a fixed parameter is not offered to set");
    page.once("dialog", (d) => d.accept("e2e: back to the documented two"));
    await thRow.locator("button", { hasText: "Reset" }).click();
    await page.waitForFunction(() => [...document.querySelectorAll("#thresholds-table tbody tr")].some((tr) => tr.textContent.includes("minShared") && !tr.querySelector("strong")));
  }
  const name = `e2e-admin-${Date.now()}`;
  await page.fill("#token-name", name);
  await page.selectOption("#token-role", "analyst");
  await page.click("#token-form button[type=submit]");
  await page.waitForSelector("#token-secret");
  expect(/^prb_/.test((await page.textContent("#token-secret")).trim()), "the new token's secret, shown once");
  const tokRow = page.locator("#tokens-table tbody tr", { hasText: name });
  await tokRow.waitFor();
  await shot("14-admin");
  page.once("dialog", (d) => d.accept());
  await tokRow.locator("button", { hasText: "Revoke" }).click();
  await tokRow.waitFor({ state: "detached" }); // live tokens only, by default
  await page.check("#token-show-revoked");
  await page.waitForFunction((n) => [...document.querySelectorAll("#tokens-table tbody tr")].some((tr) => tr.textContent.includes(n) && tr.children[4].textContent.trim() !== "—"), name);
});

/** gql sends a document with a token from the page (its origin), as the app does. */
function gql(token, query, variables = {}) {
  return page.evaluate(
    async ({ token, query, variables }) => {
      const r = await fetch("/graphql", { method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}`, "X-Probity-Purpose": "e2e: drafts check" }, body: JSON.stringify({ query, variables }) });
      return r.json();
    },
    { token, query, variables },
  );
}

await test("a note being typed survives a revoked token and signing in again; sent, or signed out, it is gone", async () => {
  if (!ADMIN_TOKEN) skip("run.sh made no admin token");
  if (!have.includes("Mutation.noteFlag") || !have.includes("Mutation.revokeToken")) skip("the server has no Mutation.noteFlag / Mutation.revokeToken");
  const name = `e2e-drafts-${Date.now()}`;
  const made = await gql(ADMIN_TOKEN, "mutation($n: String!) { createToken(name: $n, role: reviewer) { secret } }", { n: name });
  const secret = made.data?.createToken?.secret;
  expect(/^prb_/.test(secret ?? ""), `a token for the flow, got ${JSON.stringify(made)}`);
  const flags = await gql(secret, "{ flags(first: 1) { nodes { id } } }");
  const flag = flags.data?.flags?.nodes?.[0]?.id;
  if (!flag) skip("no flag to write a note on");
  await signInAs(secret, "e2e: a note cut short");
  await page.goto(BASE + `/#/flag/${encodeURIComponent(flag)}`);
  await page.waitForSelector("#note-text");
  const text = `e2e: HR file requested ${Date.now()}; awaiting the duty roster`;
  await page.fill("#note-text", text);
  const reason = (await page.locator("#review-reason").count()) ? "e2e: half a reason, not sent yet" : "";
  if (reason) await page.fill("#review-reason", reason);
  // the administrator revokes the token while the analyst types
  const revoked = await gql(ADMIN_TOKEN, "mutation($n: String!) { revokeToken(nameOrId: $n) { revokedAt } }", { n: name });
  expect(revoked.data?.revokeToken?.revokedAt, `the token revoked, got ${JSON.stringify(revoked)}`);
  await page.click("#note-form button[type=submit]");
  await page.waitForSelector("#token");
  expect(/not accepted/.test(await page.textContent("#signin-msg")), "the sign-in page says the token was refused");
  const kept = await page.textContent("#drafts-kept");
  expect(/kept in this tab/.test(kept ?? ""), `the sign-in page says unsent text is kept, got ${kept}`);
  await shot("15-drafts-kept");
  // signing in again (another token) opens the same flag; the text typed under the refused
  // token is offered, not put back unasked (sent, it would go out under this token's name)
  await page.fill("#token", TOKEN);
  await page.fill("#purpose", "e2e: back after a refused token");
  await page.click("button[type=submit]");
  await page.waitForSelector("#drafts-other");
  expect((await page.inputValue("#note-text")) === "", "another token's note is not filled in unasked");
  expect(new RegExp(name).test(await page.textContent("#drafts-other")), "the offer names whose text it is");
  await page.click("#drafts-claim");
  await page.waitForSelector("#drafts-restored");
  expect((await page.inputValue("#note-text")) === text, "the note is back");
  if (reason) expect((await page.inputValue("#review-reason")) === reason, "the review reason is back");
  expect(/the note/.test(await page.textContent("#drafts-restored")), "the panel says what it put back");
  await shot("16-drafts-restored");
  // sent, its draft goes; the review reason's stays
  await page.click("#note-form button[type=submit]");
  await page.waitForFunction((t) => (document.querySelector("#notes")?.textContent ?? "").includes(t), text, { timeout: 20000 });
  const left = await page.evaluate((f) => JSON.parse(sessionStorage.getItem("probity.drafts") ?? "{}")[f] ?? {}, flag);
  expect(!("note-text" in left), `the sent note's draft is gone, left ${JSON.stringify(left)}`);
  if (reason) expect(left["review-reason"] === reason, "the unsent reason's draft stays");
  expect((await page.inputValue("#note-text")) === "", "the note field is empty after sending");
  // an explicit sign-out forgets every draft
  await page.click("#sign-out");
  await page.waitForSelector("#token");
  expect((await page.evaluate(() => sessionStorage.getItem("probity.drafts"))) === null, "no drafts kept after signing out");
  expect((await page.locator("#drafts-kept").count()) === 0, "nothing said to be kept");
  await page.fill("#token", TOKEN); // signed in again, for the flows after this one
  await page.fill("#purpose", "e2e: after the drafts check");
  await page.click("button[type=submit]");
  await page.waitForSelector("header.top");
});

await test("a colleague signing in after a refused token discards the text it left, unsent and unseen in the fields", async () => {
  if (!ADMIN_TOKEN) skip("run.sh made no admin token");
  if (!have.includes("Mutation.noteFlag") || !have.includes("Mutation.revokeToken")) skip("the server has no Mutation.noteFlag / Mutation.revokeToken");
  const name = `e2e-drafts-other-${Date.now()}`;
  const secret = (await gql(ADMIN_TOKEN, "mutation($n: String!) { createToken(name: $n, role: reviewer) { secret } }", { n: name })).data?.createToken?.secret;
  expect(/^prb_/.test(secret ?? ""), "a token for the flow");
  const flag = (await gql(secret, "{ flags(first: 1) { nodes { id } } }")).data?.flags?.nodes?.[0]?.id;
  if (!flag) skip("no flag to write a note on");
  await signInAs(secret, "e2e: a colleague's note");
  await page.goto(BASE + `/#/flag/${encodeURIComponent(flag)}`);
  await page.waitForSelector("#note-text");
  await page.fill("#note-text", "e2e: a colleague's words, not mine");
  await gql(ADMIN_TOKEN, "mutation($n: String!) { revokeToken(nameOrId: $n) { revokedAt } }", { n: name });
  await page.click("#note-form button[type=submit]");
  await page.waitForSelector("#drafts-kept");
  expect(new RegExp(name).test(await page.textContent("#drafts-kept")), "the sign-in page names whose text is kept");
  await page.fill("#token", TOKEN);
  await page.fill("#purpose", "e2e: my own session");
  await page.click("button[type=submit]");
  await page.waitForSelector("#drafts-other");
  await page.click("#drafts-drop");
  expect((await page.inputValue("#note-text")) === "", "the colleague's note is not in the field");
  expect((await page.evaluate(() => sessionStorage.getItem("probity.drafts"))) === null, "the colleague's drafts are gone (reviewP L6)");
  expect((await page.locator("#drafts-other").count()) === 0, "the offer is gone");
});

await test("the purpose changes without signing out, and the requests after it carry the new one", async () => {
  if (!have.includes("Query.auditLog")) skip("the server has no Query.auditLog");
  await signInAs(TOKEN, "e2e: purpose before");
  await page.goto(BASE + "/#/queue");
  await page.waitForSelector("#flag-table tbody tr, .state.empty");
  const purpose = `e2e: purpose after ${Date.now()}`;
  page.once("dialog", (d) => d.accept(purpose));
  await page.click("#change-purpose");
  await page.waitForFunction((p) => (document.querySelector("#change-purpose")?.textContent ?? "").includes(p), purpose);
  await page.goto(BASE + "/#/explore"); // away and back: the queue's reads go under the new purpose
  await page.goto(BASE + "/#/queue");
  await page.waitForSelector("#flag-table tbody tr, .state.empty");
  await page.goto(BASE + "/#/audit"); // newest first
  await page.waitForSelector("#audit-table tbody tr");
  const purposes = await page.locator("#audit-table tbody tr td:nth-child(6)").allTextContents();
  expect(purposes.some((p) => p.includes(purpose)), `a request audited with the new purpose, got ${purposes.slice(0, 3).join(" | ")}`);
  expect((await page.evaluate(() => sessionStorage.getItem("probity.session"))).includes(purpose), "the session keeps it");
});

await test("no uncaught errors in the page (nor content security policy refusals)", async () => {
  expect(consoleErrors.length === 0, `no page errors, got ${consoleErrors.join("; ")}`);
});

await browser.close();
const count = (k) => results.filter((r) => r[0] === k).length;
console.log(`${count("pass")} passed, ${count("fail")} failed, ${count("skip")} skipped`);
process.exit(count("fail") ? 1 : 0);
