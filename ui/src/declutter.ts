// declutter picks which chart labels to hide so that the ones shown do not
// overlap each other or the nodes. Labels in cytoscape scale with the zoom,
// so overlap is the same at every zoom level and is worked out in model
// coordinates, once a layout has placed the nodes.

/** Box is an axis-aligned box in model coordinates. */
export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** Label is a label that may be hidden: the lower its rank, the more it matters. */
export interface Label {
  id: string;
  rank: number;
  box: Box;
  /** owner is the node the label belongs to (its own body never hides it). */
  owner?: string;
  /** alt is where the label could go instead (a node's label above it), tried before hiding it. */
  alt?: Box;
  /**
   * parts, when given, are what the label covers, more closely than box:
   * a label drawn along a slanting edge covers a band, not its whole
   * bounding box.
   */
  parts?: Box[];
}

/** Placement says which labels to hide and which to move to their alternative place. */
export interface Placement {
  hidden: Set<string>;
  moved: Set<string>;
}

/** Obstacle is something labels must not cover: a node's body. */
export interface Obstacle {
  id: string;
  box: Box;
}

/** KEEP is the rank of labels that are always shown (selected, on a found path). */
export const KEEP = 0;

const CELL = 120;

/**
 * place decides where labels go. Labels are placed in rank order (ties in
 * the given order); a label that overlaps a label already placed or another
 * element's body goes to its alternative place if that is free, else it is
 * hidden. Labels of rank KEEP are always placed where they are.
 */
export function place(labels: Label[], obstacles: Obstacle[]): Placement {
  const grid = new Grid();
  for (const o of obstacles) grid.add(o.box, o.id);
  const order = labels.map((l, i) => ({ l, i })).sort((a, b) => a.l.rank - b.l.rank || a.i - b.i);
  const out: Placement = { hidden: new Set(), moved: new Set() };
  for (const { l } of order) {
    if (empty(l.box)) continue;
    const covers = l.parts?.length ? l.parts : [l.box];
    if (l.rank === KEEP || !covers.some((b) => grid.hits(b, l.owner))) {
      for (const b of covers) grid.add(b, "");
    } else if (l.alt && !empty(l.alt) && !grid.hits(l.alt, l.owner)) {
      grid.add(l.alt, "");
      out.moved.add(l.id);
    } else {
      out.hidden.add(l.id);
    }
  }
  return out;
}

/**
 * band is the run of squares, each as high as a line of text, that a label
 * drawn at angle (radians) covers, given its axis-aligned bounding box and
 * its line height: a slanting label covers far less than its box.
 */
export function band(box: Box, angle: number, lineHeight: number): Box[] {
  const w = box.x2 - box.x1, hgt = box.y2 - box.y1;
  const c = Math.abs(Math.cos(angle)), s = Math.abs(Math.sin(angle));
  if (empty(box) || s < 0.15 || c < 0.15) return [box]; // near level or upright: the box is the band
  // The box is length·c + line·s wide and length·s + line·c high.
  const length = Math.max(lineHeight, c >= s ? (w - lineHeight * s) / c : (hgt - lineHeight * c) / s);
  const cx = (box.x1 + box.x2) / 2, cy = (box.y1 + box.y2) / 2;
  const dx = Math.cos(angle), dy = Math.sin(angle);
  const half = lineHeight / 2, steps = Math.max(1, Math.ceil(length / lineHeight));
  const parts: Box[] = [];
  for (let i = 0; i <= steps; i++) {
    const t = -length / 2 + (length * i) / steps;
    const x = cx + dx * t, y = cy + dy * t;
    parts.push({ x1: x - half, y1: y - half, x2: x + half, y2: y + half });
  }
  return parts;
}

export function empty(b: Box): boolean {
  return !(b.x2 > b.x1 && b.y2 > b.y1);
}

export function overlap(a: Box, b: Box): boolean {
  return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
}

/** Grid is a uniform grid of boxes, so that a check looks only at neighbours (the exhibit's label layout uses it too). */
export class Grid {
  private cells = new Map<string, { box: Box; id: string }[]>();

  add(box: Box, id: string): void {
    this.each(box, (k) => {
      let c = this.cells.get(k);
      if (!c) this.cells.set(k, (c = []));
      c.push({ box, id });
    });
  }

  /** hits says box overlaps anything but the element named except. */
  hits(box: Box, except?: string): boolean {
    let hit = false;
    this.each(box, (k) => {
      if (hit) return;
      for (const o of this.cells.get(k) ?? []) {
        if ((except === undefined || o.id !== except) && overlap(box, o.box)) {
          hit = true;
          return;
        }
      }
    });
    return hit;
  }

  private each(b: Box, f: (key: string) => void): void {
    for (let x = Math.floor(b.x1 / CELL); x <= Math.floor(b.x2 / CELL); x++) {
      for (let y = Math.floor(b.y1 / CELL); y <= Math.floor(b.y2 / CELL); y++) f(`${x},${y}`);
    }
  }
}
