// mutY: tests that kill the surviving mutants of ui/src/exhibitlabels.ts
// (/work/scratch/mutY/REPORT.md names each mutant)
import { describe, expect, it } from "vitest";
import { overlap, type Box } from "../src/declutter";
import { along, around, centred, layOut, tagSize, type Item } from "../src/exhibitlabels";

const body = (x: number, y: number, r = 17): Box => ({ x1: x - r, y1: y - r, x2: x + r, y2: y + r });
/** nowhere is an item none of whose places exist: it is numbered, with no tag beside it. */
const nowhere = (id: string, x: number, y: number, inside?: Box): Item => ({ id, tier: 0, rank: 3, x, y, w: 50, h: 12, places: () => [], inside });

describe("mutY: layOut", () => {
  it("L2: within a tier, the lower rank takes the best place, whatever the given order", () => {
    const b = body(0, 0);
    const late: Item = { id: "late", tier: 0, rank: 3, x: 0, y: 0, w: 60, h: 12, places: around(b, 3) };
    const first: Item = { id: "first", tier: 0, rank: 0, x: 0, y: 0, w: 60, h: 12, places: around(b, 3) };
    const laid = layOut([late, first], [{ id: "n", box: b }]);
    expect(laid.get("first")?.box?.y1).toBe(20); // below the body: the best place
    expect(laid.get("late")?.box?.y2).toBe(-20); // above
  });

  it("L5: numbers a row left to right", () => {
    const laid = layOut([nowhere("right", 100, 0), nowhere("left", 0, 5)], []);
    expect(laid.get("left")?.number).toBe(1);
    expect(laid.get("right")?.number).toBe(2);
  });

  it("L9: no tag on an element whose body is empty", () => {
    const laid = layOut([nowhere("a", 0, 0, { x1: 5, y1: 5, x2: 5, y2: 5 })], []);
    expect(laid.get("a")).toEqual({ box: null, tag: null, inside: false, number: 1 });
  });

  it("L10: a tag placed beside its element is not 'inside' (the element keeps its icon)", () => {
    const spot: Box = { x1: 100, y1: 100, x2: 120, y2: 118 };
    const item: Item = { id: "a", tier: 0, rank: 3, x: 0, y: 0, w: 400, h: 12, places: (w) => (w > 100 ? [] : [{ ...spot, x2: spot.x1 + w }]), inside: body(0, 0) };
    const l = layOut([item], [])!.get("a")!;
    expect(l.box).toBeNull();
    expect(l.tag).not.toBeNull();
    expect(l.inside).toBe(false);
  });

  it("L11: a tag that fits nowhere else is centred on the element's body", () => {
    expect(centred({ x1: 0, y1: 0, x2: 40, y2: 20 }, 10, 6)).toEqual({ x1: 15, y1: 7, x2: 25, y2: 13 });
    const l = layOut([nowhere("a", 0, 0, body(0, 0))], []).get("a")!;
    const { w, h } = tagSize(1, 10);
    expect(l.inside).toBe(true);
    expect(l.tag).toEqual({ x1: -w / 2, y1: -h / 2, x2: w / 2, y2: h / 2 });
  });

  it("L13: a tag leaves room about its number", () => {
    expect(tagSize(7, 10).h).toBeGreaterThan(10 * 1.3 + 2);
  });
});

describe("mutY: a label's places", () => {
  it("L16, L19: around offers twelve distinct places, none over its own body", () => {
    const b = body(0, 0);
    const ps = around(b, 3)(40, 12);
    expect(ps).toHaveLength(12);
    expect(new Set(ps.map((p) => JSON.stringify(p))).size).toBe(12);
    for (const p of ps) expect(overlap(p, b), JSON.stringify(p)).toBe(false);
    expect(ps[3]).toEqual({ x1: -17 - 3 - 40, y1: -6, x2: -20, y2: 6 }); // left, beside the body
  });

  it("L17: along tries the middle of the link first", () => {
    const ps = along((t) => ({ x: 100 * t, y: 0 }))(10, 4);
    expect(ps[0]).toEqual({ x1: 45, y1: -2, x2: 55, y2: 2 });
  });
});
