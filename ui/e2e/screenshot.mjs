// Takes the README's screenshot (docs/screenshot.png): the flag view of the
// highest-scoring access-for-gain flag, at 1280x800, against a running
// `probity serve` with the demo loaded and scanned.
//   BASE_URL=http://127.0.0.1:18085 E2E_TOKEN=prb_... node ui/e2e/screenshot.mjs docs/screenshot.png
import { launch } from "./browser.mjs";

const BASE = process.env.BASE_URL ?? "http://127.0.0.1:18085";
const TOKEN = process.env.E2E_TOKEN;
const OUT = process.argv[2] ?? "docs/screenshot.png";
if (!TOKEN) throw new Error("E2E_TOKEN is not set (probity token create --role reviewer --name ...)");

const browser = await launch();
try {
  const page = await browser.context.newPage();
  await page.goto(BASE + "/");
  await page.fill("#token", TOKEN);
  await page.fill("#purpose", "weekly triage");
  await page.click("button[type=submit]");
  await page.waitForSelector("header.top");
  const flag = await page.evaluate(async (token) => {
    const q = `{ flags(filter: {pattern: ["access-for-gain"]}, first: 1) { nodes { id } } }`;
    const r = await fetch("/graphql", { method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}`, "X-Probity-Purpose": "screenshot" }, body: JSON.stringify({ query: q }) });
    return (await r.json()).data.flags.nodes[0]?.id;
  }, TOKEN);
  if (!flag) throw new Error("no access-for-gain flag: load and scan the demo first");
  await page.goto(BASE + "/#/flag/" + encodeURIComponent(flag));
  await page.waitForSelector("#chart canvas", { timeout: 20000 });
  await page.waitForTimeout(3000); // the layout settles
  await page.screenshot({ path: OUT });
  console.log(`${OUT}: flag ${flag}`);
} finally {
  await browser.close();
}
