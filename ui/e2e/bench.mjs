// npm run bench — builds e2e/bench.html with Vite into test-results/bench,
// serves it on 127.0.0.1, and measures in Debian's chromium (1280×800):
// the layout time of a 2,000-node chart per layout and the frame rate while
// panning it. Prints one JSON line per run; figures go to docs/BENCHMARKS.md.
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { launch } from "./browser.mjs";

const ui = join(fileURLToPath(import.meta.url), "..", "..");
const out = join(ui, "test-results", "bench");
const N = Number(process.env.BENCH_NODES ?? 2000);
await build({ root: join(ui, "e2e"), base: "./", logLevel: "warn", build: { outDir: out, emptyOutDir: true, rollupOptions: { input: join(ui, "e2e", "bench.html") } } });

const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" };
const server = createServer((req, res) => {
  const p = join(out, req.url === "/" ? "bench.html" : decodeURIComponent(req.url.split("?")[0]));
  try {
    const body = readFileSync(p);
    res.writeHead(200, { "content-type": types[extname(p)] ?? "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const url = `http://127.0.0.1:${server.address().port}/`;

const browser = await launch();
try {
  const page = await browser.context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => typeof window.bench === "function");
  const result = await page.evaluate(({ n }) => window.bench(n, ["grid", "circle", "fcose", "dagre"]), { n: N });
  await page.screenshot({ path: join(ui, "test-results", "bench-2000.png") });
  console.log(JSON.stringify({ chromium: (await browser.context.browser()?.version()) ?? "", ...result }));
} finally {
  await browser.close();
  server.close();
}
