import { describe, expect, it } from "vitest";
import { chartSVG, estimate, exhibitSVG, type SvgEdge, type SvgNode } from "../src/svgexport";

const node = (x: number, y: number, st: Record<string, string>, visible = true): SvgNode => ({
  visible: () => visible,
  style: (k) => st[k] ?? "",
  position: () => ({ x, y }),
  width: () => 34,
  height: () => 34,
});

describe("chartSVG", () => {
  it("draws every visible node with its shape, icon and label, and edges with arrows and captions", () => {
    const icon = "data:image/svg+xml;utf8,%3Csvg%3E%3C/svg%3E";
    const edge: SvgEdge = {
      visible: () => true,
      style: (k) => ({ label: "£500 · 2025-02-01", "line-color": "#059669", width: "2.4px", "target-arrow-shape": "triangle", "line-style": "solid" })[k] ?? "",
      sourceEndpoint: () => ({ x: 17, y: 0 }),
      targetEndpoint: () => ({ x: 183, y: 0 }),
      midpoint: () => ({ x: 100, y: 0 }),
    };
    const svg = chartSVG({
      nodes: [
        node(0, 0, { shape: "ellipse", "background-color": "#1d4ed8", "background-image": `url(${icon})`, label: "Officer-7F3A2C91 <U1>", "border-width": "4px", "border-color": "#ea580c" }),
        node(200, 0, { shape: "round-rectangle", "background-color": "#059669", label: "ACC0001185" }),
        node(400, 0, { shape: "ellipse", label: "hidden" }, false),
      ],
      edges: [edge],
    });
    expect(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")).toBe(true);
    expect(svg).toContain('<ellipse cx="0" cy="0" rx="17" ry="17" fill="#1d4ed8" stroke="#ea580c" stroke-width="4"/>');
    expect(svg).toContain(`<image href="${icon}"`);
    expect(svg).toContain("Officer-7F3A2C91 &lt;U1&gt;"); // escaped
    expect(svg).toContain('<rect x="183" y="-17" width="34" height="34"');
    expect(svg).toContain(">ACC0001185</text>");
    expect(svg).not.toContain("hidden");
    expect(svg).toContain('<path d="M17,0 Q100,0 183,0" fill="none" stroke="#059669" stroke-width="2.4"');
    expect(svg).toContain("<polygon"); // the arrowhead
    expect(svg).toContain(">£500 · 2025-02-01</text>");
    expect(svg.split("<g ").length).toBe(svg.split("</g>").length); // every group closed
    expect(svg.trim().endsWith("</svg>")).toBe(true);
  });
  it("fades dimmed context's shapes and lines but keeps their captions readable", () => {
    const svg = chartSVG({
      nodes: [node(0, 0, { shape: "ellipse", "background-color": "#1d4ed8", "background-opacity": "0.3", "border-width": "2px", "border-color": "#111", "border-opacity": "0.3", "text-opacity": "0.85", label: "REC1" })],
      edges: [
        {
          visible: () => true,
          style: (k) => ({ label: "accessed", "line-color": "#2563eb", width: "1.5px", "line-opacity": "0.28", "text-opacity": "0.85", "target-arrow-shape": "none" })[k] ?? "",
          sourceEndpoint: () => ({ x: 0, y: 0 }),
          targetEndpoint: () => ({ x: 100, y: 0 }),
          midpoint: () => ({ x: 50, y: 0 }),
        },
      ],
    });
    expect(svg).toContain('fill="#1d4ed8" fill-opacity="0.3" stroke="#111" stroke-width="2" stroke-opacity="0.3"');
    expect(svg).toContain('stroke="#2563eb" stroke-width="1.5" opacity="0.3"'); // 0.28, rounded to a tenth
    expect(svg).toMatch(/fill-opacity="0.9"[^>]*>REC1<\/text>/);
    expect(svg).toMatch(/fill-opacity="0.9"[^>]*>accessed<\/text>/);
  });
});

/** el is a stub of a cytoscape element as the chart styles it: classes, data and style. */
const el = (id: string, st: Record<string, string>, classes: string[] = [], data: Record<string, unknown> = {}) => ({
  id: () => id,
  visible: () => true,
  style: (k: string) => st[k] ?? "",
  hasClass: (c: string) => classes.includes(c),
  data: (k: string) => data[k],
});
const at = (id: string, x: number, y: number, caption: string, classes: string[] = []): SvgNode => ({
  ...el(id, { shape: "ellipse", label: classes.includes("crowded") ? "" : caption, "font-size": "11px" }, classes, { caption }),
  position: () => ({ x, y }),
  width: () => 34,
  height: () => 34,
});
const viewBox = (svg: string): number[] => /viewBox="([^"]+)"/.exec(svg)![1].split(" ").map(Number);
const labels = (svg: string): string[] => [...svg.matchAll(/<text class="label"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe("an exhibit (exhibitSVG)", () => {
  it("grows the page to the labels' extent: a long label at the edge is not cut", () => {
    const long = "REC00004207 Command and Control person check";
    const x = exhibitSVG({ nodes: [at("a", 0, 0, "A"), at("b", 300, 0, long)], edges: [] }, [], 40);
    const [x0, , w] = viewBox(x.svg);
    const half = estimate(long, 11, "normal") / 2;
    expect(x0 + w).toBeGreaterThanOrEqual(300 + half + 40); // the label's right end, and the margin
    expect(labels(x.svg)).toEqual(["A", long]);
    expect(x.svg).toMatch(new RegExp(`textLength="${Math.round(half * 20) / 10}"[^>]*>${long}<`)); // drawn as wide as measured
  });

  it("draws the label the screen hid (crowded), not a link the chart leaves unlabelled (quiet)", () => {
    const quiet: SvgEdge = { ...el("q", { label: "", width: "1.5px" }, ["quiet"], { caption: "accessed 2025-01-01" }), sourceEndpoint: () => ({ x: 17, y: 0 }), targetEndpoint: () => ({ x: 283, y: 0 }), midpoint: () => ({ x: 150, y: 0 }) };
    const svg = chartSVG({ nodes: [at("a", 0, 0, "Person-1"), at("b", 300, 0, "Person-2", ["crowded"])], edges: [quiet] });
    expect(labels(svg)).toEqual(["Person-1", "Person-2"]);
    expect(svg).not.toContain("accessed 2025-01-01");
  });

  it("numbers a label that would cover another, names it in a key, and says so above the handling mark", () => {
    // nodes in a tight 3 × 3 block: the middle one's label has nowhere to go
    const nodes = [at("a", 0, 0, "Address 180 Church Lane, Castleford"), at("b", 36, 0, "REC00004202 Command and Control intelligence log"), at("c", 72, 0, "Case theft at Kings Road, Dewsbury")];
    for (const [x, y] of [[0, -36], [36, -36], [72, -36], [0, 36], [36, 36], [72, 36]]) nodes.push(at(`p${x}${y}`, x, y, `Person-${x}-${y}`));
    const edge: SvgEdge = { ...el("ab", { label: "accessed 2025-03-21", "font-size": "9px" }, [], {}), source: () => ({ data: () => "Address 180 Church Lane, Castleford" }), target: () => ({ data: () => "REC00004202 Command and Control intelligence log" }), sourceEndpoint: () => ({ x: 0, y: 0 }), targetEndpoint: () => ({ x: 36, y: 0 }), midpoint: () => ({ x: 18, y: 0 }) };
    const header = ["Probity link chart: Exploration", "Exported …", "Data: all loaded data; names are pseudonyms", "OFFICIAL-SENSITIVE: …"];
    const x = exhibitSVG({ nodes, edges: [edge] }, header);
    expect(x.keyed).toBeGreaterThan(0);
    const heads = [...x.svg.matchAll(/<text class="header"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(heads.length).toBe(5);
    expect(heads[3]).toMatch(/^Labels: \d+ names? (and 1 link caption )?would have covered another label or entity: numbered on the chart, named in the key below$/);
    expect(heads[4]).toBe("OFFICIAL-SENSITIVE: …"); // the handling mark stays last
    // the key's entries as read: each name is isolated in its own direction (U+2068 … U+2069)
    const key = [...x.svg.matchAll(/<text class="key"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1].replace(/[\u2068\u2069]/g, ""));
    expect(key[0]).toBe("Key: the labels numbered on the chart");
    expect(key.length).toBe(x.keyed + 1);
    const tags = [...x.svg.matchAll(/<g class="tag[^"]*">.*?font-weight="bold" fill="#0f172a">(\d+)<\/text><\/g>/g)].map((m) => Number(m[1]));
    expect(tags.sort((p, q) => p - q)).toEqual(key.slice(1).map((k) => Number(k.split(" ")[0])).filter((n) => tags.includes(n)));
    // every entity named: on the chart whole, or in the key
    for (const n of nodes) {
      const name = String(n.data!("caption"));
      expect(labels(x.svg).includes(name) || key.some((k) => k.endsWith(`  ${name}`)), name).toBe(true);
    }
    // a link's entry names its ends
    if (!labels(x.svg).includes("accessed 2025-03-21")) expect(key.some((k) => k.endsWith("Address 180 Church Lane, Castleford → REC00004202 Command and Control intelligence log: accessed 2025-03-21"))).toBe(true);
    // the key lies on the page
    const [, y0, , h] = viewBox(x.svg);
    const ys = [...x.svg.matchAll(/<text class="key" x="[^"]+" y="([^"]+)"/g)].map((m) => Number(m[1]));
    expect(Math.max(...ys)).toBeLessThanOrEqual(y0 + h);
  });

  it("escapes a title and drops what XML cannot hold", () => {
    const svg = chartSVG({ nodes: [at("a", 0, 0, "A")], edges: [] }, ['PSD-7 <b>"x" & y\u0007', "OFFICIAL-SENSITIVE"]);
    expect(svg).toContain("<title>PSD-7 &lt;b&gt;&quot;x&quot; &amp; y</title>");
    expect(new DOMParserLike(svg).ok).toBe(true);
  });
});

/** DOMParserLike checks, without a DOM, that no raw "<" or "&" is left in text content. */
class DOMParserLike {
  ok: boolean;
  constructor(svg: string) {
    this.ok = [...svg.matchAll(/>([^<]*)</g)].every((m) => !/&(?!(amp|lt|gt|quot|apos);)/.test(m[1])) && !/[\u0000-\u0008]/.test(svg);
  }
}

describe("exhibit text direction (reviewQ M2)", () => {
  const named = (id: string, x: number, y: number, label: string): SvgNode => ({
    visible: () => true,
    style: (k) => ({ shape: "ellipse", label, "font-size": "11" })[k] ?? "",
    position: () => ({ x, y }),
    width: () => 34,
    height: () => 34,
    id: () => id,
    data: (k) => (k === "caption" ? label : undefined),
    hasClass: () => false,
  });

  it("isolates each name of a link's key entry, so two right-to-left names keep their order", () => {
    // a payment between two right-to-left names, its caption crowded off its short curve into the key
    const ends = [named("a", 0, 0, "דוד כהן"), named("b", 60, 0, "שרה לוי")];
    const e: SvgEdge = {
      visible: () => true,
      style: (k) => ({ label: "£5,000 · 2025-02-01", "target-arrow-shape": "triangle" })[k] ?? "",
      sourceEndpoint: () => ({ x: 17, y: 0 }),
      targetEndpoint: () => ({ x: 43, y: 0 }),
      midpoint: () => ({ x: 30, y: 0 }),
      id: () => "e",
      data: () => undefined,
      hasClass: (c) => c === "paid",
      source: () => ({ data: () => "דוד כהן" }),
      target: () => ({ data: () => "שרה לוי" }),
    };
    const x = exhibitSVG({ nodes: [...ends, named("c", 30, -30, "X"), named("d", 30, 30, "Y")], edges: [e] }, ["Probity link chart: test", "Handling"]);
    const key = /<text class="key"[^>]*>(\d+ +[^<]*→[^<]*)<\/text>/.exec(x.svg)?.[1] ?? "";
    expect(key).toBe("1  \u2068דוד כהן\u2069 → \u2068שרה לוי\u2069: \u2068£5,000 · 2025-02-01\u2069");
  });

  it("drops direction overrides from names and header lines", () => {
    const x = exhibitSVG({ nodes: [named("a", 0, 0, "Acme\u202E Ltd")], edges: [] }, ["PSD\u202Dx", "Exported ... purpose: \u2067y\u2069"]);
    expect(x.svg).not.toMatch(/[\u202A-\u202E\u2066\u2067]/);
    expect(x.svg).toContain("Acme Ltd");
    expect(x.svg).toContain("PSDx");
  });

  it("draws header and key lines in the font they are measured in", () => {
    const x = exhibitSVG({ nodes: [named("a", 0, 0, "A")], edges: [] }, ["Title", "Handling"]);
    expect(x.svg).not.toContain('font-family="sans-serif"');
  });
});
