// mutX: additions to ui/test/depth.test.ts (expandDeep, expand, cutShort).
// Run: cp this file to ui/test/ and `npx vitest run test/depth.mutX.test.ts`.
import { describe, expect, it } from "vitest";
import { cutShort, expand, expandDeep, merge, relCounts } from "../src/model";
import { emptyChart, type GEdge, type GNode, type Subgraph } from "../src/types";

const n = (id: string): GNode => ({ id, label: id.split(":")[0], properties: {} });
const e = (id: string, type: string, from: string, to: string): GEdge => ({ id, type, from, to, properties: {} });
const seed = (id: string) => merge(emptyChart(), { nodes: [n(id)], edges: [], truncated: [] });

// O1 holds 40 accounts (the server counted 100 before expanding); each paid one account
function fan(): Subgraph {
  const nodes = [n("Officer:O1")];
  const edges: GEdge[] = [];
  for (let i = 0; i < 40; i++) {
    nodes.push(n(`Account:A${i}`), n(`Account:B${i}`));
    edges.push(e(`h${i}`, "HOLDS", "Officer:O1", `Account:A${i}`), e(`p${i}`, "PAID", `Account:A${i}`, `Account:B${i}`));
  }
  return { nodes, edges, truncated: [] };
}

describe("expandDeep (mutX)", () => {
  it("E03: the start is not expanded again at depth 3: its placeholder keeps the server's count", () => {
    const c = expandDeep(seed("Officer:O1"), "Officer:O1", fan(), 3, 25, { HOLDS: 100 });
    expect(c.more).toEqual([{ node: "Officer:O1", type: "HOLDS", count: 75 }]);
  });
  it("E06: the cap given holds beyond the first link too (not EXPAND_CAP)", () => {
    // O1 -> A0 .. A4; A0 paid 12 accounts
    const nodes = [n("Officer:O1")];
    const edges: GEdge[] = [];
    for (let i = 0; i < 5; i++) {
      nodes.push(n(`Account:A${i}`));
      edges.push(e(`h${i}`, "HOLDS", "Officer:O1", `Account:A${i}`));
    }
    for (let i = 0; i < 12; i++) {
      nodes.push(n(`Account:C${i}`));
      edges.push(e(`p${i}`, "PAID", "Account:A0", `Account:C${i}`));
    }
    const c = expandDeep(seed("Officer:O1"), "Officer:O1", { nodes, edges, truncated: [] }, 2, 5);
    expect(Object.keys(c.nodes).filter((id) => id.startsWith("Account:C"))).toHaveLength(5);
    expect(c.more).toEqual([{ node: "Account:A0", type: "PAID", count: 7 }]);
  });
});

describe("expand's lower bounds (mutX)", () => {
  it("E08: a count the server gave before expanding is exact even when the neighbourhood was cut short", () => {
    const g = fan();
    g.truncated = ["node_limit"];
    const c = expand(seed("Officer:O1"), "Officer:O1", g, 25, { HOLDS: 100 });
    expect(c.more).toEqual([{ node: "Officer:O1", type: "HOLDS", count: 75 }]);
  });
});

describe("cutShort (mutX)", () => {
  it("E11: an answer marked truncated without a reason (read as 'cut short') gives lower bounds", () => {
    const g: Subgraph = { nodes: [n("Officer:O1"), n("Account:A1")], edges: [e("h", "HOLDS", "Officer:O1", "Account:A1")], truncated: ["cut short"] };
    expect(cutShort(g)).toBe(true);
    expect(relCounts("Officer:O1", g).atLeast).toBe(true);
  });
});
