import { describe, expect, it } from "vitest";
import { band, KEEP, place, type Box, type Label, type Obstacle } from "../src/declutter";

const crowded = (labels: Label[], obstacles: Obstacle[]): Set<string> => place(labels, obstacles).hidden;

const box = (x: number, y: number, w = 100, h = 14): Box => ({ x1: x, y1: y, x2: x + w, y2: y + h });

describe("label placement", () => {
  it("hides the lower-ranked of two overlapping labels, whatever their order", () => {
    expect(crowded([{ id: "edge", rank: 3, box: box(0, 0) }, { id: "node", rank: 2, box: box(50, 5) }], [])).toEqual(new Set(["edge"]));
    expect(crowded([{ id: "node", rank: 2, box: box(50, 5) }, { id: "edge", rank: 3, box: box(0, 0) }], [])).toEqual(new Set(["edge"]));
  });

  it("keeps labels that only touch or are apart, across grid cells", () => {
    const labels = [
      { id: "a", rank: 2, box: box(0, 0) },
      { id: "b", rank: 2, box: box(100, 0) }, // touches a's right side
      { id: "c", rank: 2, box: box(0, 14) }, // touches a's bottom
      { id: "d", rank: 2, box: box(1000, 1000) },
    ];
    expect(crowded(labels, []).size).toBe(0);
  });

  it("finds an overlap of boxes that span several grid cells", () => {
    const wide = { id: "wide", rank: 1, box: box(-300, 200, 700, 14) };
    const under = { id: "under", rank: 2, box: box(350, 205, 20, 14) };
    expect(crowded([wide, under], [])).toEqual(new Set(["under"]));
  });

  it("hides a label that covers another element's body but not its own", () => {
    const nodes = [
      { id: "n1", box: box(0, 0, 30, 30) },
      { id: "n2", box: box(0, 40, 30, 30) },
    ];
    const own = { id: "n1:label", rank: 2, box: box(-20, 25, 70, 12), owner: "n1" }; // under n1, above n2
    const onN2 = { id: "e:label", rank: 3, box: box(-10, 50, 60, 12) };
    expect(crowded([own, onN2], nodes)).toEqual(new Set(["e:label"]));
    expect(crowded([{ ...own, box: box(-20, 35, 70, 12) }], nodes)).toEqual(new Set(["n1:label"]));
  });

  it("always shows labels of rank KEEP, and ranks them first", () => {
    const labels = [
      { id: "node", rank: 2, box: box(0, 0) },
      { id: "sel1", rank: KEEP, box: box(10, 0) },
      { id: "sel2", rank: KEEP, box: box(20, 0) },
    ];
    expect(crowded(labels, [{ id: "x", box: box(0, 0) }])).toEqual(new Set(["node"]));
  });

  it("moves a label to its alternative place when that is free, else hides it", () => {
    const first = { id: "first", rank: 2, box: box(0, 0) };
    const second = { id: "second", rank: 2, box: box(10, 5), alt: box(10, -40) };
    expect(place([first, second], [])).toEqual({ hidden: new Set(), moved: new Set(["second"]) });
    const blocker = { id: "blocker", rank: 1, box: box(0, -45) };
    expect(place([first, second, blocker], [])).toEqual({ hidden: new Set(["second"]), moved: new Set() });
    // a label moved above takes its place: a later label there is hidden
    const late = { id: "late", rank: 3, box: box(30, -35) };
    expect(place([first, second, late], [])).toEqual({ hidden: new Set(["late"]), moved: new Set(["second"]) });
  });

  it("ignores empty labels", () => {
    expect(crowded([{ id: "blank", rank: 3, box: { x1: 5, y1: 5, x2: 5, y2: 5 } }, { id: "n", rank: 3, box: box(0, 0) }], [])).toEqual(new Set());
  });

  it("takes a slanting edge label as the band along its edge, not its whole box", () => {
    // a label 100 long and 14 high at 45°: its box is about 81 square
    const c = Math.SQRT1_2, length = 100, line = 14;
    const side = length * c + line * c;
    const box = { x1: 0, y1: 0, x2: side, y2: side };
    const parts = band(box, Math.PI / 4, line);
    expect(parts.length).toBeGreaterThan(3);
    const covers = (x: number, y: number) => parts.some((p) => p.x1 <= x && x <= p.x2 && p.y1 <= y && y <= p.y2);
    expect(covers(side / 2, side / 2)).toBe(true); // the middle of the text
    expect(covers(5, side - 5)).toBe(false); // an empty corner of the box
    // Two parallel slanting labels whose boxes overlap but bands do not are both shown.
    const shifted = { x1: box.x1 + 30, y1: box.y1 - 30, x2: box.x2 + 30, y2: box.y2 - 30 };
    const labels = [
      { id: "e1", rank: 4, box, parts },
      { id: "e2", rank: 4, box: shifted, parts: band(shifted, Math.PI / 4, line) },
    ];
    expect(crowded(labels, [])).toEqual(new Set());
    expect(crowded(labels.map((l) => ({ ...l, parts: undefined })), [])).toEqual(new Set(["e2"]));
    // Level or upright labels keep their box.
    expect(band(box, 0, line)).toEqual([box]);
  });
});
