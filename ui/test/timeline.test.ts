import { describe, expect, it } from "vitest";
import { merge, normalise, visible } from "../src/model";
import { bins, brushPeriod, events, extent, scale, xOf } from "../src/timeline";
import { emptyChart } from "../src/types";
import { chain } from "./fixtures";

const c = merge(emptyChart(), {
  ...normalise(chain),
  nodes: [...normalise(chain).nodes, { id: "Officer:OFF-1/2024-03-05", label: "Shift", properties: { date: "2024-03-05", declaredLocation: "onsite" } }],
  edges: [...normalise(chain).edges, { id: "w1", type: "WORKED", from: "Officer:OFF-1", to: "Officer:OFF-1/2024-03-05", properties: {} }],
});

describe("timeline events", () => {
  it("lists the accesses, payments and shifts of the selected entities in order", () => {
    const ev = events(c, ["Officer:OFF-1"]);
    expect(ev.map((e) => [e.kind, e.when.slice(0, 10)])).toEqual([
      ["access", "2024-03-02"],
      ["shift", "2024-03-05"],
    ]);
    const all = events(c, []);
    expect(all.map((e) => e.kind)).toEqual(["access", "shift", "payment"]);
    expect(extent(all)).toEqual({ from: "2024-03-02", to: "2024-03-20" });
  });
});

describe("brushing", () => {
  const s = scale({ from: "2024-03-01", to: "2024-03-30" }, 300); // 10 px a day
  it("turns a pixel range into whole days either way round", () => {
    expect(brushPeriod(s, 15, 95)).toEqual({ from: "2024-03-02", to: "2024-03-10" });
    expect(brushPeriod(s, 95, 15)).toEqual({ from: "2024-03-02", to: "2024-03-10" });
    expect(brushPeriod(s, -50, 1000)).toEqual({ from: "2024-03-01", to: "2024-03-30" });
    expect(xOf(s, "2024-03-02T23:00:00Z")).toBeCloseTo(15);
  });
  it("filters the chart to the brushed period", () => {
    const p = brushPeriod(s, 0, 100); // 1..10 March
    const v = visible(c, { period: p });
    expect(v.edges.has("e1")).toBe(true);
    expect(v.nodes.has("Officer:OFF-1/2024-03-05")).toBe(true);
    expect(v.edges.has("p1")).toBe(false);
    const late = visible(c, { period: brushPeriod(s, 150, 299) }); // 16..30 March
    expect(late.nodes.has("Officer:OFF-1/2024-03-05")).toBe(false);
    expect(late.edges.has("p1")).toBe(true);
    expect(late.edges.has("e1")).toBe(false);
  });
  it("bins events by kind", () => {
    const b = bins(events(c, []), s, 3);
    expect(b[0].access).toBe(1);
    expect(b[0].shift).toBe(1);
    expect(b[1].payment).toBe(1);
  });
});

describe("API timeline events", () => {
  it("maps kinds (swipes in their own lane), texts and order", async () => {
    const { fromApi } = await import("../src/timeline");
    const ev = fromApi([
      { at: "2024-03-05T08:00:00Z", kind: "swipe", subject: { id: "Officer:O1", displayName: "Officer-1" }, other: null, details: [{ name: "site", value: "HQ" }] },
      { at: "2024-03-01T10:00:00Z", kind: "payment", subject: { id: "Account:A", displayName: "A" }, other: { id: "Account:B", displayName: "B" }, details: [{ name: "amount", value: "900" }] },
    ]);
    expect(ev.map((e) => e.kind)).toEqual(["payment", "swipe"]);
    expect(ev[0].text).toBe("payment: A → B £900");
    expect(ev[0].ref).toBe("Account:B");
  });
});
