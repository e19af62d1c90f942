// The chart's expansion depth (analystC L1): 1 to 3 links, under the same
// per-type cap and hub rule as one link, and saying when it was cut short.
import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { EXPAND_CAP, expand, expandDeep, expandDepth, expandNote, merge, reachedDepth, toElements } from "../src/model";
import { NEIGHBOURHOOD } from "../src/queries";
import { emptyChart, type GEdge, type GNode, type Subgraph } from "../src/types";

const n = (id: string, hub = false): GNode => ({ id, label: id.split(":")[0], properties: {}, ...(hub ? { hub: true } : {}) });
const e = (id: string, type: string, from: string, to: string): GEdge => ({ id, type, from, to, properties: {} });
const seed = (id: string) => merge(emptyChart(), { nodes: [n(id)], edges: [], truncated: [] });

// O1 —HOLDS→ Account:A1 —PAID→ Account:A2 ←HOLDS— Person:P2 —LIVES_AT→ Address:H (a hub, 30 residents)
// O1 —LIVES_AT→ Address:X ←LIVES_AT— Person:P1 —RELATED_TO→ Person:P3
function ring(truncated: string[] = []): Subgraph {
  const nodes = ["Officer:O1", "Account:A1", "Account:A2", "Person:P2", "Address:X", "Person:P1", "Person:P3"].map((id) => n(id));
  nodes.push(n("Address:H", true));
  const edges = [
    e("h1", "HOLDS", "Officer:O1", "Account:A1"),
    e("p1", "PAID", "Account:A1", "Account:A2"),
    e("h2", "HOLDS", "Person:P2", "Account:A2"),
    e("l1", "LIVES_AT", "Officer:O1", "Address:X"),
    e("l2", "LIVES_AT", "Person:P1", "Address:X"),
    e("r1", "RELATED_TO", "Person:P1", "Person:P3"),
    e("l3", "LIVES_AT", "Person:P2", "Address:H"),
  ];
  // the hub's residents: the server shows the hub, never what lies past it
  for (let i = 0; i < 30; i++) {
    nodes.push(n(`Person:R${i}`));
    edges.push(e(`hr${i}`, "LIVES_AT", `Person:R${i}`, "Address:H"));
  }
  return { nodes, edges, truncated: ["hub:Address:H", ...truncated] };
}

describe("expandDepth", () => {
  it("takes 1, 2 or 3 and falls back to one link", () => {
    expect(expandDepth("2")).toBe(2);
    expect(expandDepth(3)).toBe(3);
    for (const bad of [0, 4, "x", null, undefined, 2.5, -1]) expect(expandDepth(bad)).toBe(1);
  });
  it("goes into the neighbourhood query as its depth argument, 1 unless given", () => {
    const op = parse(NEIGHBOURHOOD).definitions[0] as unknown as { variableDefinitions: { variable: { name: { value: string } }; defaultValue?: { value: string } }[] };
    const d = op.variableDefinitions.find((v) => v.variable.name.value === "depth");
    expect(d?.defaultValue?.value).toBe("1");
    expect(NEIGHBOURHOOD).toMatch(/depth: \$depth/);
  });
});

describe("expandDeep", () => {
  it("at depth 1 adds what expand adds", () => {
    const g = ring();
    expect(expandDeep(seed("Officer:O1"), "Officer:O1", g, 1)).toEqual(expand(seed("Officer:O1"), "Officer:O1", g));
  });
  it("at depth 2 adds the neighbours' neighbours, at 3 one ring more", () => {
    const g = ring();
    const one = Object.keys(expandDeep(seed("Officer:O1"), "Officer:O1", g, 1).nodes).sort();
    const two = Object.keys(expandDeep(seed("Officer:O1"), "Officer:O1", g, 2).nodes).sort();
    const three = Object.keys(expandDeep(seed("Officer:O1"), "Officer:O1", g, 3).nodes).sort();
    expect(one).toEqual(["Account:A1", "Address:X", "Officer:O1"]);
    expect(two).toEqual(["Account:A1", "Account:A2", "Address:X", "Officer:O1", "Person:P1"]);
    expect(three).toEqual(["Account:A1", "Account:A2", "Address:X", "Officer:O1", "Person:P1", "Person:P2", "Person:P3"]);
  });
  it("shows a hub but does not pass through it", () => {
    const c = expandDeep(seed("Officer:O1"), "Officer:O1", ring(), 3);
    const four = expandDeep(seed("Officer:O1"), "Officer:O1", ring(), 3 + 1);
    expect(c.nodes["Address:H"]).toBeUndefined(); // 4 links away
    expect(four.nodes["Address:H"]).toBeTruthy(); // (the model goes as deep as asked: the API stops at 3)
    expect(Object.keys(four.nodes).some((id) => id.startsWith("Person:R"))).toBe(false);
    expect(four.more.some((m) => m.node === "Address:H")).toBe(false);
  });
  it("a hub the chart knows (isHub) is not passed through either", () => {
    const c = expandDeep(seed("Officer:O1"), "Officer:O1", ring(), 2, EXPAND_CAP, {}, (x) => x.id === "Address:X" || !!x.hub);
    expect(c.nodes["Person:P1"]).toBeUndefined();
    expect(c.nodes["Account:A2"]).toBeTruthy();
  });
  it("caps each entity reached at cap a type; those kept out are not expanded, and the placeholder says how many", () => {
    // O1 holds 40 accounts; each account paid one account of its own
    const nodes = [n("Officer:O1")];
    const edges: GEdge[] = [];
    for (let i = 0; i < 40; i++) {
      nodes.push(n(`Account:A${i}`), n(`Account:B${i}`));
      edges.push(e(`h${i}`, "HOLDS", "Officer:O1", `Account:A${i}`), e(`p${i}`, "PAID", `Account:A${i}`, `Account:B${i}`));
    }
    const c = expandDeep(seed("Officer:O1"), "Officer:O1", { nodes, edges, truncated: [] }, 2, 25, { HOLDS: 40 });
    expect(Object.keys(c.nodes).filter((id) => id.startsWith("Account:A"))).toHaveLength(25);
    expect(Object.keys(c.nodes).filter((id) => id.startsWith("Account:B"))).toHaveLength(25); // only behind the 25 shown
    expect(c.more).toEqual([{ node: "Officer:O1", type: "HOLDS", count: 15 }]);
  });
  it("a neighbourhood the server cut short gives lower bounds: 'and N+ more'", () => {
    const nodes = [n("Officer:O1"), n("Address:X")];
    const edges: GEdge[] = [e("l", "LIVES_AT", "Officer:O1", "Address:X")];
    for (let i = 0; i < 30; i++) {
      nodes.push(n(`Person:P${i}`));
      edges.push(e(`l${i}`, "LIVES_AT", `Person:P${i}`, "Address:X"));
    }
    const c = expandDeep(seed("Officer:O1"), "Officer:O1", { nodes, edges, truncated: ["node_limit"] }, 2, 25, { LIVES_AT: 1 }, () => false, false);
    // the seed's count came whole from the counts before expanding; the address's from a cut answer
    expect(c.more).toEqual([{ node: "Address:X", type: "LIVES_AT", count: 6, atLeast: true }]); // 31 residents, O1 among the 25 shown
    expect(toElements(c).find((x) => x.classes === "more")?.data.caption).toBe("and 6+ more (lives at)");
    expect(c.truncated).toContain("node_limit"); // the chart's banner: "Partial result (node_limit)"
  });
  it("keeps the server's hub reasons on the chart, for its banner", () => {
    const c = expandDeep(seed("Officer:O1"), "Officer:O1", ring(), 2);
    expect(c.truncated).toContain("hub:Address:H");
  });
});

describe("expandNote", () => {
  it("says what cut an expansion short, the hubs beyond one link", () => {
    expect(expandNote(ring(), 1, 500)).toBe("");
    expect(expandNote(ring(), 2, 500)).toBe(" (1 hub not passed through)");
    expect(expandNote(ring(["node_limit"]), 3, 500)).toBe(" (cut short: the server capped the neighbourhood at 500 entities, so what lies furthest is not all shown; 1 hub not passed through)");
    expect(expandNote({ nodes: [], edges: [], truncated: ["edge_limit"] }, 1, 500)).toBe(" (cut short: the server reached its cap on links)");
  });
  it("says when a cap stopped the answer short of the depth asked (analystD M2: 3 links fetched only 2)", () => {
    expect(expandNote({ nodes: [], edges: [], truncated: ["edge_limit"] }, 3, 500, 2)).toBe(" (cut short: the server reached its cap on links, so nothing 3 links away was fetched)");
    expect(expandNote({ nodes: [], edges: [], truncated: ["node_limit"] }, 3, 500, 3)).toBe(" (cut short: the server capped the neighbourhood at 500 entities, so what lies furthest is not all shown)");
  });
});

describe("reachedDepth", () => {
  const n = (id: string) => ({ id, label: "Person", properties: {} });
  const e = (from: string, to: string) => ({ id: `${from}-${to}`, type: "RELATED_TO", from, to, properties: {} });
  it("is how many links the farthest entity lies from the seed", () => {
    const g = { nodes: ["A", "B", "C", "D"].map(n), edges: [e("A", "B"), e("B", "C"), e("D", "C"), e("A", "C")], truncated: [] };
    expect(reachedDepth(g, "A")).toBe(2);
    expect(reachedDepth(g, "D")).toBe(2);
    expect(reachedDepth({ nodes: [n("A")], edges: [], truncated: [] }, "A")).toBe(0);
  });
});
