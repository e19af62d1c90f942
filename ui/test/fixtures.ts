import type { Subgraph } from "../src/types";

// A small evidence chain in the shape the API sends: officer accesses a
// record about a person of interest, whose account pays the officer's.
export const chain = {
  nodes: [
    { id: "Officer:OFF-1", label: "Officer", properties: { name: "PC Ada Smith", unit: "Response" } },
    { id: "Record:REC-1", label: "Record", properties: { system: "PNC", kind: "vehicle" } },
    { id: "Person:PER-1", label: "Person", properties: { name: "Bob Crook", poi: true } },
    { id: "Account:ACC-1", label: "Account", properties: { bank: "North" } },
    { id: "Account:ACC-2", label: "Account", properties: { bank: "South" } },
    { id: "Address:ADDR-9", label: "Address", properties: { line: "1 Tower Block" }, hub: true },
  ],
  edges: [
    { id: "e1", type: "ACCESSED", from: "Officer:OFF-1", to: "Record:REC-1", properties: { at: "2024-03-02T10:00:00Z", channel: "remote" } },
    { id: "e2", type: "ABOUT", from: "Record:REC-1", to: "Person:PER-1", properties: {} },
    { id: "e3", type: "HOLDS", from: "Person:PER-1", to: "Account:ACC-1", properties: {} },
    { id: "p1", type: "PAID", from: "Account:ACC-1", to: "Account:ACC-2", properties: { amount: 2500, currency: "GBP", at: "2024-03-20T09:00:00Z" } },
    { id: "e5", type: "HOLDS", from: "Officer:OFF-1", to: "Account:ACC-2", properties: {} },
    { id: "e6", type: "LIVES_AT", from: "Person:PER-1", to: "Address:ADDR-9", properties: { from: "2020-01-01", to: "2023-06-30" } },
  ],
  truncated: null,
};

/** star returns a subgraph of centre linked to n addresses by LIVES_AT. */
export function star(centre: string, n: number, type = "LIVES_AT"): Subgraph {
  const nodes = [{ id: centre, label: "Address", properties: {} }];
  const edges = [];
  for (let i = 0; i < n; i++) {
    nodes.push({ id: `P${i}`, label: "Person", properties: {} });
    edges.push({ id: `s${i}`, type, from: `P${i}`, to: centre, properties: {} });
  }
  return { nodes, edges, truncated: [] };
}
