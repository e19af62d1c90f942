// The chart benchmark page: a synthetic 2,000-node chart drawn by the app's
// own ChartView and model, its layout timed per layout, and the frame rate
// measured while the view pans. bench.mjs builds and drives it.
import { ChartView } from "../src/chart";
import { merge, toElements } from "../src/model";
import { emptyChart, type GEdge, type GNode, type LayoutName } from "../src/types";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** synthetic builds n nodes of mixed kinds with about 1.5 links each, clustered like a force's data. */
export function synthetic(n: number, seed = 7) {
  const r = rng(seed);
  const kinds: [string, number][] = [["Officer", 0.08], ["Person", 0.4], ["Account", 0.2], ["Address", 0.12], ["Record", 0.15], ["Company", 0.05]];
  const nodes: GNode[] = [];
  for (let i = 0; i < n; i++) {
    let x = r(), label = "Person";
    for (const [k, p] of kinds) {
      if ((x -= p) < 0) {
        label = k;
        break;
      }
    }
    nodes.push({ id: `${label}:${i}`, label, properties: { displayName: `${label}-${i.toString(16).toUpperCase()}`, poi: label === "Person" && r() < 0.05 } });
  }
  const edges: GEdge[] = [];
  const types = ["LIVES_AT", "HOLDS", "PAID", "RELATED_TO", "ACCESSED", "USES_PHONE"];
  for (let i = 1; i < n; i++) {
    const j = Math.floor(r() * Math.min(i, 40)) + Math.max(0, i - 40); // mostly local links
    edges.push({ id: `e${i}`, type: types[i % types.length], from: nodes[i].id, to: nodes[j].id, properties: { at: "2024-01-01T00:00:00Z", amount: 100 } });
    if (r() < 0.5) {
      const k = Math.floor(r() * n);
      if (k !== i) edges.push({ id: `x${i}`, type: "RELATED_TO", from: nodes[i].id, to: nodes[k].id, properties: { type: "associate" } });
    }
  }
  return merge(emptyChart(), { nodes, edges, truncated: [] });
}

async function run(n: number, layouts: LayoutName[]) {
  const view = new ChartView(document.getElementById("chart")!, { select() {}, open() {}, moved() {} });
  const chart = synthetic(n);
  const els = toElements(chart);
  const t0 = performance.now();
  view.render(els, "grid", []);
  const addMs = performance.now() - t0;
  const layoutMs: Record<string, number> = {};
  for (const l of layouts) {
    view.render(els, l, []); // switching layout lays out again
    layoutMs[l] = await view.layout(true);
  }
  view.render(els, "fcose", []);
  await view.layout(true); // the default layout on screen while panning
  // Pan for 3 s, one step a frame, and count the frames drawn.
  await new Promise((r) => setTimeout(r, 300));
  view.fit();
  const frames: number[] = [];
  await new Promise<void>((resolve) => {
    const start = performance.now();
    const step = (t: number) => {
      frames.push(t);
      view.cy.panBy({ x: 2, y: 1 });
      if (t - start < 3000) requestAnimationFrame(step);
      else resolve();
    };
    requestAnimationFrame(step);
  });
  const gaps = frames.slice(1).map((t, i) => t - frames[i]).sort((a, b) => a - b);
  const seconds = (frames[frames.length - 1] - frames[0]) / 1000;
  return {
    nodes: view.cy.nodes().length,
    edges: view.cy.edges().length,
    addMs: Math.round(addMs),
    layoutMs: Object.fromEntries(Object.entries(layoutMs).map(([k, v]) => [k, Math.round(v)])),
    panFps: Math.round(((frames.length - 1) / seconds) * 10) / 10,
    frameP95Ms: Math.round(gaps[Math.floor(gaps.length * 0.95)] * 10) / 10,
  };
}

(window as unknown as { bench: typeof run }).bench = run;
