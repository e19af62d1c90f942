import { describe, expect, it } from "vitest";
import { SEARCH_FIRST, caption, complaintCount, edgeCaption, expand, money, kindOf, merge, nodeDate, normalise, onChart, props, revealedIds, score, searchStatus, toElements, unitLabel, visible, withoutRealNames } from "../src/model";
import { emptyChart, type Chart } from "../src/types";
import { chain, star } from "./fixtures";

describe("normalise", () => {
  it("accepts objects, JSON strings and key/value lists as properties", () => {
    expect(props({ a: 1 })).toEqual({ a: 1 });
    expect(props('{"a":2}')).toEqual({ a: 2 });
    expect(props([{ key: "poi", value: "true" }, { key: "name", value: "X" }])).toEqual({ poi: true, name: "X" });
    expect(props("not json")).toEqual({});
  });
  it("maps a GraphQL subgraph to nodes and edges", () => {
    const g = normalise(chain);
    expect(g.nodes).toHaveLength(6);
    expect(g.edges).toHaveLength(6);
    expect(g.truncated).toEqual([]);
    expect(g.nodes.find((n) => n.id === "Address:ADDR-9")?.hub).toBe(true);
    expect(normalise({ nodes: [{ id: "X", labels: ["Party", "Company"] }], edges: [], truncated: "node_limit" }).nodes[0].label).toBe("Company");
  });
  it("maps the API's Subgraph: typed fields, [{name, value}] properties, hubs and reasons", () => {
    const g = normalise({
      nodes: [
        { id: "Officer:O1", key: "O1", type: "Officer", displayName: "Officer-7F3A2C91", rank: "PC", unit: null },
        { id: "Person:P1", key: "P1", type: "Person", displayName: "Person-00AA11BB", poi: true },
        { id: "Address:A1", key: "A1", type: "Address", displayName: "1 Tower Block", line: "1 Tower Block" },
      ],
      edges: [{ id: "PAY-1", type: "PAID", from: "Account:X", to: "Account:Y", properties: [{ name: "amount", value: "2500.5" }, { name: "at", value: "2024-03-20T09:00:00Z" }] }],
      truncated: true,
      reasons: ["hub:Address:A1"],
      hubs: ["Address:A1"],
    });
    const [o, p, a] = g.nodes;
    expect(o).toEqual({ id: "Officer:O1", label: "Officer", properties: { key: "O1", displayName: "Officer-7F3A2C91", rank: "PC" } });
    expect(kindOf(p)).toBe("PersonOfInterest");
    expect(a.hub).toBe(true);
    expect(g.truncated).toEqual(["hub:Address:A1"]);
    expect(g.edges[0].properties).toEqual({ amount: "2500.5", at: "2024-03-20T09:00:00Z" });
    expect(edgeCaption(g.edges[0])).toBe("2,500.5 · 2024-03-20"); // no currency recorded: no guessed £
    expect(normalise({ nodes: [], edges: [], truncated: false, reasons: [] }).truncated).toEqual([]);
  });
  it("charts a flag's evidence items that are not entities (others)", () => {
    const g = normalise({
      nodes: [{ id: "Officer:O1", type: "Officer", displayName: "Officer-7F3A2C91" }],
      others: [
        { id: "Shift:O1/2024-03-02", type: "Shift" },
        { id: "MisconductCase:M1", type: "MisconductCase" },
      ],
      edges: [{ id: "w", type: "WORKED", from: "Officer:O1", to: "Shift:O1/2024-03-02" }],
    });
    expect(edgeCaption({ id: "s", type: "SIMILAR_TO", from: "Officer:O1", to: "Officer:O2", properties: { similarity: 0.8 } })).toBe("similarity 0.80");
    expect(edgeCaption({ id: "n", type: "NAMED_IN", from: "Officer:O1", to: "Complaint:C1", properties: { role: "accused", finding: "not_sustained" } })).toBe("accused, not sustained"); // no raw enum (analystZ)
    expect(g.nodes.map((n) => [n.id, kindOf(n), caption(n)])).toEqual([
      ["Officer:O1", "Officer", "Officer-7F3A2C91"],
      ["Shift:O1/2024-03-02", "Shift", "shift 2024-03-02"],
      ["MisconductCase:M1", "MisconductCase", "M1"],
    ]);
    expect(toElements(merge(emptyChart(), g)).filter((e) => e.group === "edges")).toHaveLength(1);
    // dated by their key, so the timeline shows them
    expect(nodeDate(g.nodes[1])).toBe("2024-03-02");
    // a shift keyed by its start too (two shifts a day): dated by its day
    const two = normalise({ nodes: [], others: [{ id: "Shift:O1/2024-03-02/2024-03-02T21:30:00Z", type: "Shift" }], edges: [] });
    expect([nodeDate(two.nodes[0]), caption(two.nodes[0])]).toEqual(["2024-03-02", "shift 2024-03-02"]);
    const sw = normalise({ nodes: [], others: [{ id: "BadgeSwipe:O1/2024-03-02T08:01:00Z", type: "BadgeSwipe" }], edges: [] });
    expect(nodeDate(sw.nodes[0])).toBe("2024-03-02T08:01:00Z");
  });
});

describe("toElements", () => {
  const c = merge(emptyChart(), normalise(chain));
  it("styles persons of interest, hubs and edge labels", () => {
    const els = toElements(c);
    const per = els.find((e) => e.data.id === "Person:PER-1")!;
    expect(per.classes).toContain("personofinterest");
    expect(kindOf(c.nodes["Person:PER-1"])).toBe("PersonOfInterest");
    expect(els.find((e) => e.data.id === "Address:ADDR-9")!.classes).toContain("hub");
    const paid = els.find((e) => e.data.id === "p1")!;
    expect(paid.data.caption).toBe("£2,500 · 2024-03-20");
    expect(paid.data.source).toBe("Account:ACC-1");
    expect(edgeCaption(c.edges.e1)).toBe("accessed 2024-03-02 remote");
  });
  it("highlights the evidence and dims the context", () => {
    const ev = { ...c, evidence: ["Officer:OFF-1", "Record:REC-1", "e1"] };
    const els = toElements(ev);
    expect(els.find((e) => e.data.id === "Officer:OFF-1")!.classes).toContain("evidence");
    expect(els.find((e) => e.data.id === "Person:PER-1")!.classes).toContain("context");
    expect(els.find((e) => e.data.id === "e1")!.classes).toContain("evidence");
    expect(els.find((e) => e.data.id === "p1")!.classes).toContain("context");
    // the flagged officer is marked apart from the rest of the evidence
    const marked = toElements({ ...ev, subject: "Officer:OFF-1" }).filter((e) => e.classes?.split(" ").includes("subject"));
    expect(marked.map((e) => e.data.id)).toEqual(["Officer:OFF-1"]);
  });
  it("leaves hidden nodes and their edges out, and pins positions", () => {
    const h = { ...c, hidden: ["Account:ACC-1"], pinned: { "Officer:OFF-1": { x: 5, y: 6 } } };
    const els = toElements(h);
    expect(els.some((e) => e.data.id === "Account:ACC-1")).toBe(false);
    expect(els.some((e) => e.data.id === "p1")).toBe(false);
    const off = els.find((e) => e.data.id === "Officer:OFF-1")!;
    expect(off.position).toEqual({ x: 5, y: 6 });
    expect(off.locked).toBe(true);
  });
  it("puts group members under a compound parent", () => {
    const g = { ...c, groups: [{ id: "g1", label: "Money", members: ["Account:ACC-1", "Account:ACC-2"] }] };
    const els = toElements(g);
    expect(els.find((e) => e.data.id === "group:g1")).toBeTruthy();
    expect(els.find((e) => e.data.id === "Account:ACC-2")!.data.parent).toBe("group:g1");
  });
});

describe("expand", () => {
  it("caps dense nodes and says how many more there are", () => {
    const base = merge(emptyChart(), { nodes: [{ id: "HUB", label: "Address", properties: {} }], edges: [], truncated: [] });
    const c = expand(base, "HUB", star("HUB", 40), 25, { LIVES_AT: 365 });
    expect(Object.keys(c.nodes)).toHaveLength(26);
    expect(Object.keys(c.edges)).toHaveLength(25);
    expect(c.more).toEqual([{ node: "HUB", type: "LIVES_AT", count: 340 }]);
    const more = toElements(c).find((e) => e.classes === "more" && e.group === "nodes")!;
    expect(more.data.caption).toBe("and 340 more (lives at)");
  });
  it("counts what came back when the total is unknown, and drops the placeholder when all fit", () => {
    const base = merge(emptyChart(), { nodes: [{ id: "HUB", label: "Address", properties: {} }], edges: [], truncated: [] });
    const c = expand(base, "HUB", star("HUB", 30), 25);
    expect(c.more[0].count).toBe(5);
    const again = expand(c, "HUB", star("HUB", 30), 50);
    expect(again.more).toEqual([]);
    expect(Object.keys(again.nodes)).toHaveLength(31);
  });
  it("always links neighbours already on the chart", () => {
    let c = merge(emptyChart(), { nodes: [{ id: "HUB", label: "Address", properties: {} }, { id: "P39", label: "Person", properties: {} }], edges: [], truncated: [] });
    c = expand(c, "HUB", star("HUB", 40), 10);
    expect(c.edges.s39).toBeTruthy();
  });
});

describe("visible with a period or as-of day", () => {
  const c = merge(emptyChart(), normalise(chain));
  it("keeps dated edges in the brushed period and drops nodes they alone tied in", () => {
    const v = visible(c, { period: { from: "2024-03-01", to: "2024-03-10" } });
    expect(v.edges.has("e1")).toBe(true);
    expect(v.edges.has("p1")).toBe(false);
    expect(v.edges.has("e3")).toBe(true); // undated: always drawn
    expect(v.nodes.has("Account:ACC-1")).toBe(true); // still tied by HOLDS
  });
  it("drops relationships that had ended or not begun on the as-of day", () => {
    const v = visible(c, { asOf: "2024-01-01" });
    expect(v.edges.has("e6")).toBe(false); // LIVES_AT ended 2023-06-30
    expect(v.nodes.has("Address:ADDR-9")).toBe(false);
    expect(v.edges.has("p1")).toBe(false); // payment after the day
    expect(visible(c, { asOf: "2023-01-01" }).edges.has("e6")).toBe(true);
  });
  it("never filters the evidence", () => {
    const v = visible({ ...c, evidence: ["p1"] }, { period: { from: "2020-01-01", to: "2020-01-02" } });
    expect(v.edges.has("p1")).toBe(true);
  });
});

describe("relCounts", () => {
  it("counts neighbours per type and direction before expanding", async () => {
    const { relCounts, only } = await import("../src/model");
    const g = star("HUB", 30);
    g.edges.push({ id: "x", type: "HOLDS", from: "HUB", to: "ACC", properties: {} }, { id: "y", type: "LIVES_AT", from: "HUB", to: "P0", properties: {} });
    const r = relCounts("HUB", g);
    expect(r.counts).toEqual([
      { type: "LIVES_AT", direction: "both", count: 30 },
      { type: "HOLDS", direction: "out", count: 1 },
    ]);
    expect(r.atLeast).toBe(false);
    expect(relCounts("HUB", { ...g, truncated: ["node_limit"] }).atLeast).toBe(true);
    expect(only(g, "HUB", "HOLDS").edges.map((e) => e.id)).toEqual(["x"]);
  });
});

describe("the hub rule of exploration", () => {
  it("counts a subject's association links, and every link of anything else", async () => {
    const { isHub } = await import("../src/model");
    const named = [{ type: "NAMED_IN", direction: "in" as const, count: 49 }];
    expect(isHub("Complaint:C1", named)).toBe(true); // a complaint naming 49 officers
    expect(isHub("Officer:O1", [{ type: "NAMED_IN", direction: "out" as const, count: 49 }])).toBe(false); // an officer named in 49
    expect(isHub("Officer:O1", [{ type: "LIVES_AT", direction: "out" as const, count: 21 }])).toBe(true);
    expect(isHub("Case:K1", [{ type: "PART_OF", direction: "in" as const, count: 20 }])).toBe(false); // 20 is no hub
  });
});

describe("one relationship from evidence and from exploration", () => {
  it("is drawn once, labelled with the relation's kind", () => {
    // a flag's evidence: import ids, relType, a semantic id
    const ev = normalise({
      nodes: [{ id: "O1", type: "Officer" }, { id: "P1", type: "Person" }],
      edges: [{ id: "RELATED_TO:O1:P1:2001-01-10", type: "RELATED_TO", from: "O1", to: "P1", at: "2001-01-10", props: { relType: "family" } }],
    });
    expect(edgeCaption(ev.edges[0])).toBe("family since 2001-01-10"); // the date the rule counts from, on the chart
    // exploration: global ids, the data's properties, an element id; and another relation of the pair
    const nb = normalise({
      nodes: [{ id: "Officer:O1", type: "Officer" }, { id: "Person:P1", type: "Person" }],
      edges: [
        { id: "5:abc:17", type: "RELATED_TO", from: "Officer:O1", to: "Person:P1", properties: [{ name: "type", value: "family" }, { name: "since", value: "2001-01-10" }] },
        { id: "5:abc:18", type: "RELATED_TO", from: "Officer:O1", to: "Person:P1", properties: [{ name: "type", value: "associate" }, { name: "since", value: "2001-01-10" }] },
      ],
    });
    const c = merge(merge(emptyChart(), ev), nb);
    expect(Object.keys(c.edges).sort()).toEqual(["5:abc:18", "RELATED_TO:O1:P1:2001-01-10"]);
    // a path through it names the exploration's id: lit under the id the chart draws (analystW: the path stayed orange)
    expect(onChart(merge(emptyChart(), ev), nb, ["Officer:O1", "5:abc:17", "5:abc:18"])).toEqual(["Officer:O1", "RELATED_TO:O1:P1:2001-01-10", "5:abc:18"]);
  });
});

describe("bundled edges", () => {
  it("draws repeated relationships between a pair as one edge with a count and span", () => {
    const c = merge(emptyChart(), normalise({
      nodes: [{ id: "O", type: "Officer" }, { id: "R", type: "Record" }, { id: "A", type: "Account" }, { id: "B", type: "Account" }],
      edges: [
        { id: "a1", type: "ACCESSED", from: "O", to: "R", properties: [{ name: "at", value: "2024-01-05T10:00:00Z" }] },
        { id: "a2", type: "ACCESSED", from: "O", to: "R", properties: [{ name: "at", value: "2024-02-01T10:00:00Z" }] },
        { id: "p1", type: "PAID", from: "A", to: "B", properties: [{ name: "amount", value: "100" }] },
        { id: "p2", type: "PAID", from: "A", to: "B", properties: [{ name: "amount", value: "250" }] },
      ],
    }));
    const edges = toElements({ ...c, evidence: ["a2"] }).filter((e) => e.group === "edges");
    expect(edges).toHaveLength(2);
    const acc = edges.find((e) => e.data.type === "ACCESSED")!;
    expect(acc.data.caption).toBe("accessed ×2 2024-01-05…2024-02-01");
    expect(acc.data.members).toEqual(["a1", "a2"]);
    expect(acc.classes).toContain("evidence");
    expect(edges.find((e) => e.data.type === "PAID")!.data.caption).toBe("paid ×2 350");
  });
});

describe("hubs named by the server", () => {
  it("marks a node listed as hub:ID in the reasons", () => {
    const c = merge(emptyChart(), normalise({ nodes: [{ id: "Address:A1", type: "Address" }], edges: [], truncated: true, reasons: ["hub:Address:A1"], hubs: [] }));
    expect(toElements(c)[0].classes).toContain("hub");
  });
  it("marks on sight the nodes the last scan made hubs, the hub list's apart", () => {
    const g = normalise({
      nodes: [
        { id: "Address:A1", type: "Address", hubReason: "degree" },
        { id: "Account:AC1", type: "Account", hubReason: "suppressed: the payroll account" },
        { id: "Address:A2", type: "Address", hubReason: null },
      ],
      edges: [],
    });
    const cls = Object.fromEntries(toElements(merge(emptyChart(), g)).map((e) => [e.data.id, e.classes ?? ""]));
    expect(cls["Address:A1"]).toContain("hub");
    expect(cls["Address:A1"]).not.toContain("suppressed");
    expect(cls["Account:AC1"]).toContain("suppressed");
    expect(cls["Address:A2"]).not.toContain("hub");
  });
});

describe("evidence in import ids", () => {
  it("is mapped to the global ids exploration uses, with edge source and date kept", () => {
    const g = normalise({
      nodes: [{ id: "O1", label: "Officer" }, { id: "P1", label: "Person" }],
      edges: [{ id: "r1", type: "RELATED_TO", from: "O1", to: "P1", source: "HR file", at: "2020-01-01", props: { type: "family" } }],
    });
    expect(g.nodes.map((n) => n.id)).toEqual(["Officer:O1", "Person:P1"]);
    expect(g.nodes[0].properties.key).toBe("O1");
    expect(g.edges[0]).toMatchObject({ from: "Officer:O1", to: "Person:P1", properties: { type: "family", source: "HR file", at: "2020-01-01" } });
  });
});

describe("expanding behind an 'and N more' placeholder", () => {
  it("adds the next page and shrinks the count", () => {
    let c = merge(emptyChart(), { nodes: [{ id: "HUB", label: "Address", properties: {} }], edges: [], truncated: [] });
    c = expand(c, "HUB", star("HUB", 60), 25, { LIVES_AT: 60 });
    expect(c.more[0].count).toBe(35);
    c = expand(c, "HUB", star("HUB", 60), 25 + 25, { LIVES_AT: 60 });
    expect(Object.keys(c.nodes)).toHaveLength(51);
    expect(c.more).toEqual([{ node: "HUB", type: "LIVES_AT", count: 10 }]);
  });
});

describe("explanation links", () => {
  it("links each import id of a node on the chart, whole words only", async () => {
    const { explanationParts } = await import("../src/model");
    const parts = explanationParts("Officer CPD-1 was named with CPD-11 and CPD-1x in 2 complaints (CR-7, CR-70).", ["Officer:CPD-1", "Officer:CPD-11", "Complaint:CR-70"]);
    expect(parts.filter((p) => p.node).map((p) => [p.text, p.node])).toEqual([
      ["CPD-1", "Officer:CPD-1"],
      ["CPD-11", "Officer:CPD-11"],
      ["CR-70", "Complaint:CR-70"],
    ]);
    expect(parts.map((p) => p.text).join("")).toBe("Officer CPD-1 was named with CPD-11 and CPD-1x in 2 complaints (CR-7, CR-70).");
    expect(explanationParts("no ids", [])).toEqual([{ text: "no ids" }]);
  });
});

describe("score", () => {
  it("never shows a score below 1 as 1.00", () => {
    expect([score(0.996), score(0.994), score(1), score(0.5)]).toEqual(["0.996", "0.99", "1.00", "0.50"]);
  });
});

describe("unitLabel", () => {
  it("names a numeric unit as one", () => {
    expect([unitLabel("5"), unitLabel("Neighbourhood Policing North")]).toEqual(["unit 5", "Neighbourhood Policing North"]);
  });
});

describe("real names on a chart", () => {
  it("lists the nodes showing a real name and takes them back to pseudonyms for saving", () => {
    const c = merge(emptyChart(), {
      nodes: [
        { id: "Officer:O1", label: "Officer", properties: { displayName: "Officer 7f3a" } },
        { id: "Person:P1", label: "Person", properties: { displayName: "Person 19c2", revealedName: "Bob Crook" } },
        { id: "Officer:O2", label: "Officer", properties: { displayName: "PC Ada Smith", pseudonym: "Officer-7F3A2C91" } },
        { id: "Officer:O3", label: "Officer", properties: { displayName: "Officer-0B1C2D3E", pseudonym: "Officer-0B1C2D3E" } },
      ],
      edges: [],
      truncated: [],
    });
    expect(revealedIds(c)).toEqual(["Person:P1", "Officer:O2"]);
    const kept = withoutRealNames(c);
    expect(revealedIds(kept)).toEqual([]);
    expect(caption(kept.nodes["Officer:O2"])).toBe("Officer-7F3A2C91"); // a revealed flag's name, back to its pseudonym
    expect(kept.nodes["Officer:O3"]).toBe(c.nodes["Officer:O3"]);
    expect(caption(kept.nodes["Person:P1"])).not.toContain("Bob Crook");
    expect(kept.nodes["Person:P1"].properties.displayName).toBe("Person 19c2");
    expect(c.nodes["Person:P1"].properties.revealedName).toBe("Bob Crook"); // the chart on screen keeps its reveal
  });
});

describe("the crew view", () => {
  // A crew: the flagged officer O1 named with O2 in two complaints and with O3 in one; O2 and O3 share C2.
  const crew = (): Chart => {
    const named = (o: string, c: string) => ({ id: `${o}-${c}`, type: "NAMED_IN", from: `Officer:${o}`, to: `Complaint:${c}`, properties: {} });
    const c = merge(emptyChart(), {
      nodes: [
        ...["O1", "O2", "O3"].map((o) => ({ id: `Officer:${o}`, label: "Officer", properties: {} })),
        ...["C1", "C2"].map((x) => ({ id: `Complaint:${x}`, label: "Complaint", properties: {} })),
      ],
      edges: [named("O1", "C1"), named("O2", "C1"), named("O1", "C2"), named("O2", "C2"), named("O3", "C2")],
      truncated: [],
    });
    return { ...c, subject: "Officer:O1", evidence: ["Officer:O1", "Officer:O2", "Complaint:C1", "O1-C1", "O2-C1"] };
  };
  it("folds complaints into co-accused links of the flagged officer, counting the complaints shared", () => {
    const c = crew();
    expect(complaintCount(c)).toBe(2);
    const els = toElements(c, { foldComplaints: true });
    expect(els.filter((e) => e.group === "nodes").map((e) => e.data.id).sort()).toEqual(["Officer:O1", "Officer:O2", "Officer:O3"]);
    const links = els.filter((e) => e.group === "edges");
    expect(links.map((e) => [e.data.id, e.data.caption])).toEqual([
      ["crew:Officer:O1:Officer:O2", "co-accused ×2"],
      ["crew:Officer:O1:Officer:O3", "co-accused"],
    ]); // not O2–O3: only the flagged officer's links
    expect(links[0].classes).toContain("evidence");
    expect(links[1].classes).toContain("context");
  });
  it("draws the complaints again when unfolded", () => {
    const els = toElements(crew());
    expect(els.filter((e) => e.group === "nodes")).toHaveLength(5);
    expect(els.some((e) => e.data.type === "CO_ACCUSED")).toBe(false);
  });
});

describe("money", () => {
  it("shows the recorded currency, and guesses none", () => {
    expect(money(12.5, "GBP")).toBe("£12.5");
    expect(money(750, "EUR")).toBe("EUR 750");
    expect(money(750, null)).toBe("750");
    expect(money(null, "EUR")).toBe(""); // an amount not recorded is not 0
    expect(money(undefined, undefined)).toBe("");
  });
});

describe("searchStatus", () => {
  it("says a full page may not be all the matches (analystZ: 20 of 751 said '20 found')", () => {
    expect(searchStatus(0, "Khan")).toBe("Nothing matches “Khan”.");
    expect(searchStatus(7, "Khan")).toBe("7 found");
    expect(searchStatus(SEARCH_FIRST, "Khan")).toMatch(/^The first 20 matches; there may be more/);
  });
});

describe("merge keeps names shown", () => {
  it("a later read carrying the pseudonym does not take a revealed name back (analystZ)", () => {
    const named = { id: "Officer:O1", label: "Officer", properties: { displayName: "Ella Kowalski", pseudonym: "Officer-5B2C91A6" } };
    const again = { id: "Officer:O1", label: "Officer", properties: { displayName: "Officer-5B2C91A6", pseudonym: "Officer-5B2C91A6", unit: "North" } };
    let c = merge(emptyChart(), { nodes: [named], edges: [], truncated: [] });
    c = merge(c, { nodes: [again], edges: [], truncated: [] });
    expect(c.nodes["Officer:O1"].properties.displayName).toBe("Ella Kowalski");
    expect(c.nodes["Officer:O1"].properties.unit).toBe("North");
    // a pseudonymous node stays pseudonymous, and a new real name from the server is taken
    const anon = merge(merge(emptyChart(), { nodes: [again], edges: [], truncated: [] }), { nodes: [named], edges: [], truncated: [] });
    expect(anon.nodes["Officer:O1"].properties.displayName).toBe("Ella Kowalski");
  });
});
