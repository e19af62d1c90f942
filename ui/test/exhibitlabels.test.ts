import { describe, expect, it } from "vitest";
import { overlap, type Box, type Obstacle } from "../src/declutter";
import { along, around, layOut, tagSize, type Item, type Laid } from "../src/exhibitlabels";

const body = (x: number, y: number, r = 17): Box => ({ x1: x - r, y1: y - r, x2: x + r, y2: y + r });
const items = (laid: Map<string, Laid>): [string, Laid][] => [...laid.entries()];
const node = (id: string, x: number, y: number, w = 100, rank = 3): Item => ({ id, tier: 0, rank, x, y, w, h: 16, places: around(body(x, y), 3), inside: body(x, y) });

describe("an exhibit's label layout", () => {
  it("puts a label below its node, or at the next free place when another took it", () => {
    const items = [node("a", 0, 0), node("b", 40, 0)];
    const laid = layOut(items, [{ id: "a", box: body(0, 0) }, { id: "b", box: body(40, 0) }]);
    expect(laid.get("a")).toEqual({ box: { x1: -50, y1: 20, x2: 50, y2: 36 }, tag: null, inside: false, number: 0 });
    expect(laid.get("b")?.box).toEqual({ x1: -10, y1: -36, x2: 90, y2: -20 }); // above: below was a's
  });

  it("numbers a label that fits nowhere, tags it beside its node or on its own body, in reading order", () => {
    // a ring of nodes round "c": none of c's places is free, nor room for its tag
    const ring: Item[] = [];
    const obstacles: Obstacle[] = [{ id: "c", box: body(0, 0) }];
    for (let i = 0; i < 16; i++) {
      const a = (i / 16) * 2 * Math.PI;
      const x = Math.round(Math.cos(a) * 40), y = Math.round(Math.sin(a) * 40);
      obstacles.push({ id: `r${i}`, box: body(x, y) });
      ring.push(node(`r${i}`, x, y, 4000, 4)); // too long to fit anywhere
    }
    const laid = layOut([node("c", 0, 0, 100, 0), ...ring], obstacles);
    const c = laid.get("c")!;
    expect(c.box).toBeNull();
    expect(c.number).toBeGreaterThan(0);
    expect(c.inside).toBe(true); // on its own body: its icon gives way
    // one number each, 1 to k, none twice; in reading order (rows of 40 units, top first)
    const keyed = items(laid).filter(([, l]) => l.number > 0).sort((p, q) => p[1].number - q[1].number);
    expect(keyed.map(([, l]) => l.number)).toEqual(keyed.map((_, i) => i + 1));
    const ys = keyed.filter(([id]) => id !== "c").map(([id]) => Math.round(ring.find((r) => r.id === id)!.y / 40));
    expect(ys).toEqual([...ys].sort((p, q) => p - q));
  });

  it("places entities (tier 0) before link captions, whatever the ranks", () => {
    const edge: Item = { id: "e", tier: 1, rank: 0, x: 0, y: 40, w: 60, h: 12, places: along((t) => ({ x: 0, y: 20 + 40 * t })) };
    const laid = layOut([edge, node("n", 0, 0)], [{ id: "n", box: body(0, 0) }]);
    expect(laid.get("n")?.box?.y1).toBe(20); // below the node, where the caption would have gone
    expect(laid.get("e")?.box).not.toBeNull(); // the caption moved along its link
    expect(overlap(laid.get("n")!.box!, laid.get("e")!.box!)).toBe(false);
  });

  it("never lets a placed label or tag overlap another, or a node (random charts)", () => {
    let seed = 7;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let run = 0; run < 20; run++) {
      const items: Item[] = [];
      const obstacles: Obstacle[] = [];
      for (let i = 0; i < 60; i++) {
        const x = Math.round(rnd() * 600), y = Math.round(rnd() * 600);
        obstacles.push({ id: `n${i}`, box: body(x, y) });
        items.push(node(`n${i}`, x, y, 40 + rnd() * 160, 3));
      }
      for (let i = 0; i < 40; i++) {
        const s = obstacles[Math.floor(rnd() * 60)].box, t = obstacles[Math.floor(rnd() * 60)].box;
        const sx = s.x1 + 17, sy = s.y1 + 17, tx = t.x1 + 17, ty = t.y1 + 17;
        items.push({ id: `e${i}`, tier: 1, rank: 4, x: (sx + tx) / 2, y: (sy + ty) / 2, w: 80, h: 12, places: along((u) => ({ x: sx + (tx - sx) * u, y: sy + (ty - sy) * u })) });
      }
      const laid = layOut(items, obstacles);
      const placed = [...laid.entries()].flatMap(([id, l]) => (l.box ? [{ id, b: l.box }] : l.tag && !l.inside ? [{ id, b: l.tag }] : []));
      const bad: string[] = [];
      for (let i = 0; i < placed.length; i++) {
        for (let j = i + 1; j < placed.length; j++) if (overlap(placed[i].b, placed[j].b)) bad.push(`${placed[i].id} × ${placed[j].id}`);
        for (const o of obstacles) if (overlap(placed[i].b, o.box)) bad.push(`${placed[i].id} over ${o.id}`);
      }
      expect(bad).toEqual([]);
      // every entity is named: whole, or by a number (the key names it)
      for (const it of items.filter((x) => x.tier === 0)) {
        const l = laid.get(it.id)!;
        expect(!!l.box || l.number > 0).toBe(true);
      }
    }
  });

  it("sizes a tag for its number", () => {
    expect(tagSize(7, 10).w).toBeLessThan(tagSize(123, 10).w);
  });
});
