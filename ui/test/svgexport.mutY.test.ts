// mutY: tests that kill the surviving mutants of ui/src/svgexport.ts
// (/work/scratch/mutY/REPORT.md names each mutant)
import { describe, expect, it } from "vitest";
import { estimate, exhibitSVG, type SvgEdge, type SvgNode } from "../src/svgexport";

const ICON = "data:image/svg+xml;utf8,x";
const nd = (id: string, x: number, y: number, caption: string, st: Record<string, string> = {}, classes: string[] = [], size = 34, parent = false): SvgNode => ({
  id: () => id,
  visible: () => true,
  style: (k) => ({ shape: "ellipse", label: classes.includes("crowded") ? "" : caption, "font-size": "11px", ...st })[k] ?? "",
  hasClass: (c) => classes.includes(c),
  data: (k) => (k === "caption" ? caption : undefined),
  position: () => ({ x, y }),
  width: () => size,
  height: () => size,
  isParent: () => parent,
});
const edge = (id: string, s: SvgNode, t: SvgNode, caption: string, classes: string[] = []): SvgEdge => {
  const a = s.position(), b = t.position();
  return {
    id: () => id,
    visible: () => true,
    style: (k) => ({ label: caption, "font-size": "9px" })[k] ?? "",
    hasClass: (c) => classes.includes(c),
    data: () => undefined,
    source: () => ({ data: () => s.data!("caption") }),
    target: () => ({ data: () => t.data!("caption") }),
    sourceEndpoint: () => a,
    targetEndpoint: () => b,
    midpoint: () => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }),
  };
};
/** block is a k × k block of nodes 36 units apart (2 between bodies) with long names: most are numbered. */
const block = (k: number, name = (i: number, j: number) => `Person ${i}-${j} of a long, long address on Church Lane, Castleford`, st: Record<string, string> = {}): SvgNode[] => {
  const ns: SvgNode[] = [];
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) ns.push(nd(`n${i}${j}`, j * 36, i * 36, name(i, j), st));
  return ns;
};
const viewBox = (svg: string): number[] => /viewBox="([^"]+)"/.exec(svg)![1].split(" ").map(Number);
const heads = (svg: string): string[] => [...svg.matchAll(/<text class="header"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
const keys = (svg: string): { x: number; y: number; t: string }[] =>
  [...svg.matchAll(/<text class="key" x="([^"]+)" y="([^"]+)"[^>]*>([^<]*)<\/text>/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]), t: m[3] }));
const HEADER = ["Probity link chart: test", "OFFICIAL-SENSITIVE"];

describe("mutY: the exhibit's page holds everything it draws", () => {
  it("V3: every tag lies on the page, even with no margin (random crowded charts)", () => {
    let seed = 11;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let run = 0; run < 40; run++) {
      const ns: SvgNode[] = [];
      for (let i = 0; i < 14; i++) ns.push(nd(`n${i}`, Math.round(rnd() * 120), Math.round(rnd() * 120), "x".repeat(5 + Math.floor(rnd() * 60))));
      // no margin (pad 0): the page is the drawing's extent, tags included
      const x = exhibitSVG({ nodes: ns, edges: [] }, [], 0);
      const [x0, y0, w, h] = viewBox(x.svg);
      for (const m of x.svg.matchAll(/<g class="tag[^"]*"><rect x="([^"]+)" y="([^"]+)" width="([^"]+)" height="([^"]+)"/g)) {
        const [rx, ry, rw, rh] = m.slice(1).map(Number);
        expect(rx >= x0 - 0.1 && ry >= y0 - 0.1 && rx + rw <= x0 + w + 0.1 && ry + rh <= y0 + h + 0.1, `run ${run}: tag ${m[0]} outside ${[x0, y0, w, h]}`).toBe(true);
      }
    }
  });

  it("V4, V10, V22: the page is as wide as the header's longest line, the title measured bold, with slack for the viewer's font", () => {
    const title = "PSD-2026-017 exhibit 3: " + "W".repeat(120);
    const x = exhibitSVG({ nodes: [nd("a", 0, 0, "A")], edges: [] }, [title, "OFFICIAL-SENSITIVE"]);
    expect(x.width).toBeGreaterThanOrEqual(estimate(title, 14, "bold") * 1.1 + 24);
  });

  it("V5: the page is as wide as the key's longest entry", () => {
    const x = exhibitSVG({ nodes: block(3, (i, j) => `${i}-${j} ` + "M".repeat(i === 1 && j === 1 ? 150 : 20)), edges: [] }, HEADER);
    const long = keys(x.svg).find((k) => k.t.includes("M".repeat(150)));
    expect(long, "the middle's name is keyed").toBeDefined();
    const [x0, , w] = viewBox(x.svg);
    expect(long!.x + estimate(long!.t, 11, "normal")).toBeLessThanOrEqual(x0 + w);
  });

  it("V6: an exhibit with a header is at least 760 units wide", () => {
    expect(exhibitSVG({ nodes: [nd("a", 0, 0, "A")], edges: [] }, HEADER).width).toBeGreaterThanOrEqual(760);
  });

  it("V7: no key column starts beyond the page", () => {
    const x = exhibitSVG({ nodes: block(5, (i, j) => `P${i}${j} ` + "n".repeat(30)), edges: [] }, HEADER);
    const ks = keys(x.svg).slice(1);
    expect(ks.length).toBeGreaterThan(3);
    const [x0, , w] = viewBox(x.svg);
    for (const k of ks) expect(k.x + estimate(k.t, 11, "normal"), k.t).toBeLessThanOrEqual(x0 + w);
  });

  it("V8: the key's last line sits on the page with room for descenders", () => {
    const x = exhibitSVG({ nodes: block(4), edges: [] }, HEADER);
    const [, y0, , h] = viewBox(x.svg);
    const last = Math.max(...keys(x.svg).map((k) => k.y));
    expect(last + 11 * 0.3).toBeLessThanOrEqual(y0 + h);
  });

  it("V9: the chart is centred on a page widened for its header", () => {
    const x = exhibitSVG({ nodes: [nd("a", 0, 0, "A")], edges: [] }, HEADER);
    const [x0, , w] = viewBox(x.svg);
    expect(Math.abs(x0 + w / 2)).toBeLessThan(0.2);
  });
});

describe("mutY: the key and the header's Labels line", () => {
  it("V13: a link's ends lose direction overrides in its key entry", () => {
    const a = nd("a", 0, 0, "Acme\u202E Ltd"), b = nd("b", 60, 0, "Bob\u202D Co");
    const x = exhibitSVG({ nodes: [a, b, nd("c", 30, -30, "X"), nd("d", 30, 30, "Y")], edges: [edge("e", a, b, "£5,000 · 2025-02-01", ["paid"])] }, HEADER);
    const entry = keys(x.svg).find((k) => k.t.includes("→"));
    expect(entry, "the payment is keyed").toBeDefined();
    expect(entry!.t).not.toMatch(/[\u202A-\u202E]/);
  });

  it("V14: a name in the key is isolated in its own direction", () => {
    const x = exhibitSVG({ nodes: block(3, (i, j) => `שרה לוי ${i}${j} ` + "ש".repeat(40)), edges: [] }, HEADER);
    const names = keys(x.svg).slice(1).filter((k) => !k.t.includes("→"));
    expect(names.length).toBeGreaterThan(0);
    for (const k of names) expect(k.t, k.t).toMatch(/^\d+ {2}\u2068[^\u2068\u2069]+\u2069$/);
  });

  it("V17: a crowded node's caption loses direction overrides too", () => {
    const x = exhibitSVG({ nodes: [nd("a", 0, 0, "Acme\u202E Ltd", {}, ["crowded"])], edges: [] }, []);
    expect(x.svg).toContain(">Acme Ltd</text>");
  });

  it("V20: one keyed name reads '1 name'", () => {
    // a 3 × 3 block: only the middle one has a long name, and nowhere to put it
    const ns = block(3, (i, j) => (i === 1 && j === 1 ? "Middle " + "m".repeat(60) : `${i}${j}`));
    const x = exhibitSVG({ nodes: ns, edges: [] }, HEADER);
    expect(x.keyed).toBe(1);
    expect(heads(x.svg)[1]).toMatch(/^Labels: 1 name would have covered/);
  });

  it("V21: a keyed link caption is counted as a link caption, not a name", () => {
    const a = nd("a", 0, 0, "A"), b = nd("b", 60, 0, "B");
    const x = exhibitSVG({ nodes: [a, b, nd("c", 30, -30, "X"), nd("d", 30, 30, "Y")], edges: [edge("e", a, b, "£5,000 · 2025-02-01", ["paid"])] }, HEADER);
    expect(x.keyed).toBe(1);
    expect(heads(x.svg)[1]).toMatch(/^Labels: 1 link caption would have covered/);
  });

  it("V28: no header, no Labels line (and no title)", () => {
    const x = exhibitSVG({ nodes: block(3), edges: [] }, []);
    expect(x.keyed).toBeGreaterThan(0);
    expect(heads(x.svg)).toEqual([]);
    expect(x.svg).not.toContain("<title>");
  });
});

describe("mutY: labels of groups, bodies and fonts", () => {
  it("V24, V25: a group's label goes above its box; its members' labels may lie on its box", () => {
    const group = nd("g", 0, 0, "Unit 22 (group)", { shape: "round-rectangle", "font-weight": "bold" }, [], 200, true);
    const member = nd("m", 0, -20, "Member");
    const x = exhibitSVG({ nodes: [group, member], edges: [] }, []);
    expect(x.keyed).toBe(0);
    const y = (name: string): number => Number(new RegExp(`<text class="label"[^>]* y="([^"]+)"[^>]*>${name}</text>`).exec(x.svg)?.[1] ?? NaN);
    expect(y("Unit 22 \\(group\\)")).toBeLessThan(-100); // above the box (top at -100)
    expect(y("Member")).toBeGreaterThan(-3); // below the member, on the group's box
  });

  it("V26: a number drawn on a body takes the icon's place", () => {
    const x = exhibitSVG({ nodes: block(3, undefined, { "background-image": ICON }), edges: [] }, []);
    const inside = (x.svg.match(/<g class="tag inside">/g) ?? []).length;
    expect(inside).toBeGreaterThan(0);
    expect((x.svg.match(/<image /g) ?? []).length).toBe(9 - inside);
  });

  it("V27, V30: labels are measured with the chart's measure, in their own font", () => {
    const seen: string[] = [];
    const measure = (_t: string, _size: number, weight: string): number => (seen.push(weight), 42);
    const x = exhibitSVG({ nodes: [nd("a", 0, 0, "Suppressed", { "font-style": "italic" })], edges: [], measure }, []);
    expect(x.svg).toMatch(/textLength="42"[^>]*font-style="italic"[^>]*>Suppressed</);
    expect(seen).toContain("italic normal");
  });

  it("V29: a label clears its node's border", () => {
    const x = exhibitSVG({ nodes: [nd("a", 0, 0, "A", { "border-width": "10" })], edges: [] }, []);
    // body 34 + border 10: its bottom at 22; the label's box from 25 (gap 3), 16.3 high, baseline at its middle + 0.35 em
    expect(x.svg).toMatch(/<text class="label" x="0" y="37"/);
  });
});
