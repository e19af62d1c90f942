// layOut places the labels of an exported chart (an exhibit for a case
// file). On screen a label that would overlap is hidden until it is pointed
// at; on paper nothing can be pointed at, and the screen's places are
// wrong anyway (an exhibit draws labels whole, where the screen cuts a long
// one short with "…": analystD L4). So each label is drawn whole at the
// first of several places around its element where it covers no label and
// no node placed before it; one that fits nowhere is drawn as a small
// number (a tag) beside its element, named in a key under the chart. No
// entity goes unnamed and no label covers another: the exhibit stays
// legible at any size, and the key is the list of what did not fit.
import { empty, Grid, type Box, type Obstacle } from "./declutter";

/** Item is a label to place: its size and, best first, where it may go. */
export interface Item {
  id: string;
  /** tier: every label of a lower tier (entities) is placed, and numbered, before those of a higher one (link captions). */
  tier: number;
  /** rank orders labels within a tier: the lower, the earlier placed (ties in the given order). */
  rank: number;
  /** x and y locate the element, to number the key in reading order. */
  x: number;
  y: number;
  w: number;
  h: number;
  /** places are the boxes a label of w × h may take around the element, best first. */
  places(w: number, h: number): Box[];
  /** inside is where a tag goes when no place is free: the element's own body, which no label covers. */
  inside?: Box;
}

/** Laid is where an item's label went: whole (box), as a numbered tag (tag, or inside its body), or only in the key. */
export interface Laid {
  box: Box | null;
  tag: Box | null;
  inside: boolean;
  /** number is the item's number in the key; 0 when its label is drawn whole. */
  number: number;
}

/** tagSize is the size of a tag holding the number n at the given font size. */
export function tagSize(n: number, size: number): { w: number; h: number } {
  return { w: String(n).length * size * 0.62 + 8, h: size * 1.3 + 4 };
}

/**
 * layOut places items tier by tier: in rank order each label whole at its
 * first free place; then, for those that fitted nowhere, a numbered tag at
 * its first free place, else inside the element's body, else none (the key
 * alone names it, with the element's ends for a link). Numbers follow the
 * tiers, then reading order (top to bottom, left to right). Nothing placed
 * overlaps an obstacle or another placed box (boxes that only touch do not
 * overlap).
 */
export function layOut(items: Item[], obstacles: Obstacle[], tagFont = 10): Map<string, Laid> {
  const grid = new Grid();
  for (const o of obstacles) grid.add(o.box, o.id);
  const out = new Map<string, Laid>();
  const free = (b: Box): boolean => !empty(b) && !grid.hits(b);
  const tiers = [...new Set(items.map((i) => i.tier))].sort((a, b) => a - b);
  let next = 1;
  for (const tier of tiers) {
    const these = items
      .map((item, i) => ({ item, i }))
      .filter(({ item }) => item.tier === tier)
      .sort((a, b) => a.item.rank - b.item.rank || a.i - b.i)
      .map(({ item }) => item);
    const missed: Item[] = [];
    for (const item of these) {
      const box = item.places(item.w, item.h).find(free) ?? null;
      if (box) grid.add(box, "");
      else missed.push(item);
      out.set(item.id, { box, tag: null, inside: false, number: 0 });
    }
    // numbers in reading order: rows of 40 units, then left to right
    missed.sort((a, b) => Math.round(a.y / 40) - Math.round(b.y / 40) || a.x - b.x);
    const numbered = missed.map((item) => ({ item, n: next++ }));
    for (const { item, n } of numbered) {
      const { w, h } = tagSize(n, tagFont);
      const tag = item.places(w, h).find(free) ?? null;
      if (tag) grid.add(tag, "");
      const inside = !tag && !!item.inside && !empty(item.inside);
      const at = tag ?? (inside && item.inside ? centred(item.inside, w, h) : null);
      out.set(item.id, { box: null, tag: at, inside, number: n });
    }
  }
  return out;
}

/** centred is a box of w × h centred on b. */
export function centred(b: Box, w: number, h: number): Box {
  const cx = (b.x1 + b.x2) / 2, cy = (b.y1 + b.y2) / 2;
  return { x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2 };
}

/** around are the places of a node's label, best first: below, above, right, left, then the four corners' sides. */
export function around(body: Box, gap: number): (w: number, h: number) => Box[] {
  return (w, h) => {
    const cx = (body.x1 + body.x2) / 2, cy = (body.y1 + body.y2) / 2;
    const below = body.y2 + gap, above = body.y1 - gap - h;
    const at = (x1: number, y1: number): Box => ({ x1, y1, x2: x1 + w, y2: y1 + h });
    return [
      at(cx - w / 2, below),
      at(cx - w / 2, above),
      at(body.x2 + gap, cy - h / 2),
      at(body.x1 - gap - w, cy - h / 2),
      at(body.x1, below), // below, running right from the body's left side
      at(body.x2 - w, below),
      at(body.x1, above),
      at(body.x2 - w, above),
      at(body.x2 + gap, body.y1 - h), // off the corners
      at(body.x2 + gap, body.y2),
      at(body.x1 - gap - w, body.y1 - h),
      at(body.x1 - gap - w, body.y2),
    ];
  };
}

/** along are the places of a link's caption, best first: centred on its curve at the middle, then nearer either end. */
export function along(point: (t: number) => { x: number; y: number }): (w: number, h: number) => Box[] {
  return (w, h) =>
    [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78].map((t) => {
      const p = point(t);
      return { x1: p.x - w / 2, y1: p.y - h / 2, x2: p.x + w / 2, y2: p.y + h / 2 };
    });
}
