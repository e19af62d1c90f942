// chartSVG draws the chart as an SVG document from the shapes cytoscape has
// laid out and styled: edges as curves through their midpoints with their
// captions, nodes as their shapes with border, icon and label. It replaces
// cytoscape-svg, whose canvas-to-SVG shim lost nodes with icon images and
// smeared labels with a background into blobs.

import type { Box, Obstacle } from "./declutter";
import { xmlChars } from "./exporters";
import { along, around, layOut, type Item } from "./exhibitlabels";

/** The little of a cytoscape element chartSVG reads (so that it can be tested without a browser). */
export interface SvgElement {
  visible(): boolean;
  style(name: string): string;
  /** id, data and hasClass (cytoscape's) give a label the screen's declutter hid, and its rank; tests may leave them out. */
  id?(): string;
  data?(name: string): unknown;
  hasClass?(name: string): boolean;
}
export interface SvgNode extends SvgElement {
  position(): { x: number; y: number };
  width(): number;
  height(): number;
  isParent?(): boolean;
}
export interface SvgEdge extends SvgElement {
  sourceEndpoint(): { x: number; y: number };
  targetEndpoint(): { x: number; y: number };
  midpoint(): { x: number; y: number };
  /** source and target name a link's ends in the key. */
  source?(): { data(name: string): unknown };
  target?(): { data(name: string): unknown };
}
/** Measure is the width of a text at a font size and weight, in chart units (a canvas's measureText in the browser). */
export type Measure = (text: string, size: number, weight: string) => number;
export interface SvgChart {
  nodes: SvgNode[];
  edges: SvgEdge[];
  measure?: Measure;
}

/** estimate is a text's width without a canvas: generous, about the widest of common sans-serif fonts. */
export const estimate: Measure = (text, size, weight) => text.length * size * (weight === "bold" || Number(weight) >= 600 ? 0.66 : 0.6);

const esc = (s: string): string => xmlChars(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const num = (v: string, d = 0): number => {
  const n = parseFloat(v);
  return Number.isFinite(n) ? n : d;
};
const f = (n: number): string => String(Math.round(n * 10) / 10);

/** label is the element's caption as drawn on screen: none when the label is hidden or empty. */
function label(e: SvgElement): string {
  const t = e.style("label");
  return t && t !== "none" ? t : "";
}

/**
 * caption is what an exhibit labels an element with: its label as the
 * chart styles it, or the caption the screen's declutter hid (crowded);
 * none for a link the chart leaves unlabelled (a dense chart's quiet links).
 */
function caption(e: SvgElement): string {
  const shown = label(e);
  if (shown) return plain(shown);
  return e.hasClass?.("crowded") ? plain(String(e.data?.("caption") ?? "")) : "";
}

/**
 * plain drops the characters that change the direction of the text after
 * them (embeddings, overrides, isolates, marks): a name holding U+202E
 * would draw the rest of its line backwards (reviewQ M2). cleanTitle does
 * the same for the exhibit's title.
 */
export function plain(s: string): string {
  return s.replace(/[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, "");
}

/**
 * isolate keeps a name's own direction to itself in a line of others (a
 * key entry "A → B: £5,000 · 2025-02-01"): without it two right-to-left
 * names and the caption after them are drawn as one right-to-left run, B
 * before A under an arrow still pointing right (reviewQ M2).
 */
const isolate = (s: string): string => `\u2068${s}\u2069`;

/**
 * rank orders an exhibit's labels: the flagged officer, a found path,
 * evidence (entities and links: what the flag says), other entities, then
 * payments and other links (a heavier link first). Entities and the
 * path's and evidence's links are placed first (tier 0), so that they, not
 * an incidental link's caption, keep their place beside the drawing.
 */
function rank(e: SvgElement): { tier: number; rank: number } {
  const has = (c: string): boolean => e.hasClass?.(c) ?? false;
  if (has("subject")) return { tier: 0, rank: 0 };
  if (has("path")) return { tier: 0, rank: 1 };
  if (has("evidence")) return { tier: 0, rank: 2 };
  if (has("paid")) return { tier: 1, rank: 3 };
  return { tier: 1, rank: 4 - Math.min(0.5, Number(e.data?.("weight") ?? 0) / 1000) };
}

/** Font is how a label is drawn. */
interface Font {
  size: number;
  weight: string;
  italic: boolean;
  colour: string;
  opacity: number;
}

function font(e: SvgElement): Font {
  return {
    size: num(e.style("font-size"), 11),
    weight: e.style("font-weight") || "normal",
    italic: e.style("font-style") === "italic",
    colour: e.style("color") || "#111827",
    opacity: num(e.style("text-opacity"), 1),
  };
}

/** PAD is the room left about a label's text in its box (its white halo). */
const PAD = 2;
/** lineHeight is a label box's height at a font size. */
const lineHeight = (size: number): number => size * 1.3 + PAD;

/**
 * text draws s in box b: centred, at b's height, and exactly as wide as
 * measured (textLength): a viewer whose font is wider squeezes it rather
 * than let it run into its neighbour.
 */
function text(b: Box, s: string, ft: Font, width: number, cls: string): string {
  const x = (b.x1 + b.x2) / 2;
  const y = (b.y1 + b.y2) / 2 + ft.size * 0.35;
  // a white halo keeps the caption readable over lines, as the chart's text background does
  return `<text class="${cls}" x="${f(x)}" y="${f(y)}" text-anchor="middle" textLength="${f(width)}" lengthAdjust="spacingAndGlyphs" font-family="system-ui, sans-serif" font-size="${f(ft.size)}" font-weight="${esc(ft.weight)}"${ft.italic ? ' font-style="italic"' : ""} fill="${esc(ft.colour)}"${ft.opacity < 1 ? ` fill-opacity="${f(ft.opacity)}"` : ""} stroke="#ffffff" stroke-width="3" paint-order="stroke">${esc(s)}</text>`;
}

/** TAG_FONT is the font size of the numbers that stand for labels named in the key. */
const TAG_FONT = 10;

function tag(b: Box, n: number, inside: boolean): string {
  return [
    `<g class="tag${inside ? " inside" : ""}">`,
    `<rect x="${f(b.x1)}" y="${f(b.y1)}" width="${f(b.x2 - b.x1)}" height="${f(b.y2 - b.y1)}" rx="3" fill="#ffffff" stroke="#0f172a" stroke-width="0.8"/>`,
    `<text x="${f((b.x1 + b.x2) / 2)}" y="${f((b.y1 + b.y2) / 2 + TAG_FONT * 0.35)}" text-anchor="middle" font-family="system-ui, sans-serif" font-size="${TAG_FONT}" font-weight="bold" fill="#0f172a">${n}</text>`,
    `</g>`,
  ].join("");
}

function dash(e: SvgElement, width: number): string {
  switch (e.style("line-style") || e.style("border-style")) {
    case "dashed":
      return ` stroke-dasharray="${f(width * 3)} ${f(width * 2)}"`;
    case "dotted":
      return ` stroke-dasharray="${f(width)} ${f(width * 2)}"`;
  }
  return "";
}

/** groupPlaces are a group's label places: above its box (as on screen), else below. */
const groupPlaces = (p: Box[]): Box[] => [p[1], p[0]];

/** SLACK widens what is measured for a header or key line, drawn in the viewer's own font. */
const SLACK = 1.1;

/** HEADER_LINE is the height of a line of an exhibit's header (exhibitLines) and of its key, in chart units. */
const HEADER_LINE = 18;
/** GAP is the space between a node's body and its label. */
const GAP = 3;

/** ExhibitImage is an exported chart drawn as SVG, its size, and how many of its labels the key names. */
export interface ExhibitImage {
  svg: string;
  width: number;
  height: number;
  keyed: number;
}

/** Extent grows to hold boxes: the drawing's real extent, labels included. */
class Extent {
  x1 = Infinity;
  y1 = Infinity;
  x2 = -Infinity;
  y2 = -Infinity;
  add(b: Box): void {
    this.x1 = Math.min(this.x1, b.x1);
    this.y1 = Math.min(this.y1, b.y1);
    this.x2 = Math.max(this.x2, b.x2);
    this.y2 = Math.max(this.y2, b.y2);
  }
  box(): Box {
    return Number.isFinite(this.x1) ? { x1: this.x1, y1: this.y1, x2: this.x2, y2: this.y2 } : { x1: 0, y1: 0, x2: 0, y2: 0 };
  }
}

/** chartSVG is exhibitSVG's document alone. */
export function chartSVG(c: SvgChart, header: string[] = []): string {
  return exhibitSVG(c, header).svg;
}

/**
 * exhibitSVG draws the chart as an exhibit: the header (exhibitLines)
 * above, every label placed whole where it covers no other label or node
 * (layOut) or numbered and named in a key below, and the page as large as
 * what it draws, labels, header and key included: nothing is cut at an
 * edge. When the key names any label, a line above the handling mark says
 * so.
 */
export function exhibitSVG(c: SvgChart, header: string[] = [], pad = 40): ExhibitImage {
  const measure = c.measure ?? estimate;
  const nodes = c.nodes.filter((n) => n.visible());
  const edges = c.edges.filter((e) => e.visible());
  const ext = new Extent();
  const obstacles: Obstacle[] = [];
  const items: Item[] = [];
  const named = new Map<string, { text: string; font: Font; width: number; key: string }>();
  const bodies = new Map<SvgNode, Box>();
  nodes.forEach((n, i) => {
    const { x, y } = n.position();
    const half = (v: number): number => v / 2 + num(n.style("border-width")) / 2;
    const body = { x1: x - half(n.width()), y1: y - half(n.height()), x2: x + half(n.width()), y2: y + half(n.height()) };
    bodies.set(n, body);
    ext.add(body);
    const id = n.id?.() ?? `n${i}`;
    const group = n.isParent?.() ?? false;
    // a group's members lie on its body: only its label avoids the rest
    if (!group) obstacles.push({ id, box: body });
    const cap = caption(n);
    if (!cap) return;
    const ft = font(n);
    const width = measure(cap, ft.size, ft.italic ? `italic ${ft.weight}` : ft.weight);
    named.set(id, { text: cap, font: ft, width, key: isolate(cap) });
    const places = around(body, GAP);
    items.push({ id, tier: 0, rank: group ? 5 : Math.min(3, rank(n).rank), x, y, w: width + 2 * PAD, h: lineHeight(ft.size), places: group ? (w, h) => groupPlaces(places(w, h)) : places, inside: group ? undefined : body });
  });
  const edgeIds = new Set<string>();
  const curves = edges.map((e, i) => {
    const s = e.sourceEndpoint();
    const t = e.targetEndpoint();
    const m = e.midpoint();
    // the quadratic curve through m (a straight edge has m halfway: a line)
    const cx = 2 * m.x - (s.x + t.x) / 2;
    const cy = 2 * m.y - (s.y + t.y) / 2;
    ext.add({ x1: Math.min(s.x, t.x, cx), y1: Math.min(s.y, t.y, cy), x2: Math.max(s.x, t.x, cx), y2: Math.max(s.y, t.y, cy) });
    const id = e.id?.() ?? `e${i}`;
    const cap = caption(e);
    if (cap) {
      edgeIds.add(id);
      const ft = font(e);
      const width = measure(cap, ft.size, ft.weight);
      const end = (x?: { data(name: string): unknown }): string => isolate(plain(String(x?.data("caption") ?? "?")));
      named.set(id, { text: cap, font: ft, width, key: `${end(e.source?.())} → ${end(e.target?.())}: ${isolate(cap)}` });
      const point = (u: number): { x: number; y: number } => ({
        x: (1 - u) ** 2 * s.x + 2 * (1 - u) * u * cx + u ** 2 * t.x,
        y: (1 - u) ** 2 * s.y + 2 * (1 - u) * u * cy + u ** 2 * t.y,
      });
      items.push({ id, ...rank(e), x: m.x, y: m.y, w: width + 2 * PAD, h: lineHeight(ft.size), places: along(point) });
    }
    return { e, id, s, t, cx, cy };
  });
  const laid = layOut(items, obstacles, TAG_FONT);
  for (const l of laid.values()) {
    if (l.box) ext.add(l.box);
    if (l.tag) ext.add(l.tag);
  }
  const keyed = [...laid.entries()].filter(([, l]) => l.number > 0).sort((a, b) => a[1].number - b[1].number);
  const chart = ext.box();

  // the header, with a line saying what the key holds before the handling mark
  const lines = header.map(plain);
  if (keyed.length && lines.length) {
    const names = keyed.filter(([id]) => !edgeIds.has(id)).length;
    const links = keyed.length - names;
    const what = [names ? `${names} ${names === 1 ? "name" : "names"}` : "", links ? `${links} link ${links === 1 ? "caption" : "captions"}` : ""].filter(Boolean).join(" and ");
    lines.splice(Math.max(1, lines.length - 1), 0, `Labels: ${what} would have covered another label or entity: numbered on the chart, named in the key below`);
  }
  const headerSize = (i: number): number => (i === 0 ? 14 : 11);
  const headerWidth = Math.max(0, ...lines.map((l, i) => measure(l, headerSize(i), i === 0 ? "bold" : "normal") * SLACK + 24));
  const top = lines.length ? lines.length * HEADER_LINE + 16 : 0;

  // the key: numbered entries in columns as wide as the widest
  const entries = keyed.map(([id, l]) => `${l.number}  ${named.get(id)?.key ?? ""}`);
  const KEY_FONT = 11;
  const colWidth = Math.max(0, ...entries.map((e) => measure(e, KEY_FONT, "normal") * SLACK + 24));
  const chartWidth = chart.x2 - chart.x1 + 2 * pad;
  const width = Math.max(chartWidth, headerWidth, colWidth + 24, lines.length ? 760 : 0);
  const cols = entries.length ? Math.max(1, Math.floor((width - 24) / colWidth)) : 0;
  const rows = cols ? Math.ceil(entries.length / cols) : 0;
  const keyHeight = rows ? (rows + 1) * HEADER_LINE + 16 : 0;
  const x0 = chart.x1 - pad - (width - chartWidth) / 2; // the chart centred on a wider page
  const y0 = chart.y1 - pad - top;
  const height = chart.y2 - chart.y1 + 2 * pad + top + keyHeight;

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${f(x0)} ${f(y0)} ${f(width)} ${f(height)}" width="${f(width)}" height="${f(height)}">`,
    lines.length ? `<title>${esc(lines[0])}</title>` : "",
    `<rect x="${f(x0)}" y="${f(y0)}" width="${f(width)}" height="${f(height)}" fill="#ffffff"/>`,
    ...lines.map(
      (line, i) =>
        `<text class="header" x="${f(x0 + 12)}" y="${f(y0 + 12 + (i + 1) * HEADER_LINE - 4)}" font-family="system-ui, sans-serif" font-size="${headerSize(i)}"${i === 0 ? ' font-weight="bold"' : ""} fill="${i === lines.length - 1 ? "#9f1239" : "#0f172a"}">${esc(line)}</text>`,
    ),
  ].filter(Boolean);
  for (const { e, s, t, cx, cy } of curves) {
    const width = num(e.style("width"), 1.5);
    const colour = e.style("line-color") || "#64748b";
    // dimmed context keeps its caption: the line fades (line-opacity), not the text
    const opacity = num(e.style("opacity"), 1) * num(e.style("line-opacity"), 1);
    out.push(`<path d="M${f(s.x)},${f(s.y)} Q${f(cx)},${f(cy)} ${f(t.x)},${f(t.y)}" fill="none" stroke="${esc(colour)}" stroke-width="${f(width)}" opacity="${f(opacity)}"${dash(e, width)}/>`);
    if (e.style("target-arrow-shape") !== "none") {
      // an arrowhead at the target, along the curve's last tangent
      const a = Math.atan2(t.y - cy, t.x - cx);
      const len = 6 + width * 2;
      const p = (da: number): string => `${f(t.x - len * Math.cos(a + da))},${f(t.y - len * Math.sin(a + da))}`;
      out.push(`<polygon points="${f(t.x)},${f(t.y)} ${p(0.4)} ${p(-0.4)}" fill="${esc(e.style("target-arrow-color") || colour)}" opacity="${f(opacity)}"/>`);
    }
  }
  nodes.forEach((n, i) => {
    const { x, y } = n.position();
    const nw = n.width();
    const nh = n.height();
    const fill = n.style("background-color") || "#94a3b8";
    const bw = num(n.style("border-width"));
    // the body and border of dimmed context fade, its icon less (the chart's styles)
    const fillOp = num(n.style("background-opacity"), 1);
    const strokeOp = num(n.style("border-opacity"), 1);
    const stroke = bw > 0 ? ` stroke="${esc(n.style("border-color") || "#ffffff")}" stroke-width="${f(bw)}"${strokeOp < 1 ? ` stroke-opacity="${f(strokeOp)}"` : ""}${dash(n, bw)}` : "";
    const opacity = num(n.style("opacity"), 1);
    const fillAttr = (colour: string): string => `fill="${esc(colour)}"${fillOp < 1 ? ` fill-opacity="${f(fillOp)}"` : ""}`;
    const shape = n.style("shape");
    out.push(`<g class="node${n.isParent?.() ? " group" : ""}" opacity="${f(opacity)}">`);
    if (shape === "ellipse") out.push(`<ellipse cx="${f(x)}" cy="${f(y)}" rx="${f(nw / 2)}" ry="${f(nh / 2)}" ${fillAttr(fill)}${stroke}/>`);
    else if (shape === "diamond") out.push(`<polygon points="${f(x)},${f(y - nh / 2)} ${f(x + nw / 2)},${f(y)} ${f(x)},${f(y + nh / 2)} ${f(x - nw / 2)},${f(y)}" ${fillAttr(fill)}${stroke}/>`);
    else out.push(`<rect x="${f(x - nw / 2)}" y="${f(y - nh / 2)}" width="${f(nw)}" height="${f(nh)}" rx="${shape === "rectangle" ? 0 : f(Math.min(nw, nh) / 4)}" ${fillAttr(fill)}${stroke}/>`);
    const bg = n.style("background-image") ?? "";
    const img = /^url\((['"]?)(.*)\1\)$/.exec(bg)?.[2] ?? bg;
    // a number drawn on the body (nowhere else was free) takes the icon's place
    const numbered = laid.get(n.id?.() ?? `n${i}`)?.inside ?? false;
    if (img.startsWith("data:") && !numbered) out.push(`<image href="${esc(img)}" x="${f(x - nw * 0.3)}" y="${f(y - nh * 0.3)}" width="${f(nw * 0.6)}" height="${f(nh * 0.6)}"${num(n.style("background-image-opacity"), 1) < 1 ? ` opacity="${f(num(n.style("background-image-opacity"), 1))}"` : ""}/>`);
    out.push(`</g>`);
  });
  // labels last: over every line, and (placed apart) under nothing
  out.push(`<g class="labels">`);
  for (const [id, l] of laid) {
    const nm = named.get(id);
    if (!nm) continue;
    if (l.box) out.push(text(l.box, nm.text, nm.font, nm.width, "label"));
    else if (l.tag) out.push(tag(l.tag, l.number, l.inside));
  }
  out.push(`</g>`);
  if (rows) {
    const ky = chart.y2 + pad;
    out.push(`<g class="key">`, `<text class="key" x="${f(x0 + 12)}" y="${f(ky + HEADER_LINE - 4)}" font-family="system-ui, sans-serif" font-size="${KEY_FONT}" font-weight="bold" fill="#0f172a">Key: the labels numbered on the chart</text>`);
    entries.forEach((entry, i) => {
      const col = Math.floor(i / rows), row = i % rows;
      out.push(`<text class="key" x="${f(x0 + 12 + col * colWidth)}" y="${f(ky + (row + 2) * HEADER_LINE - 4)}" font-family="system-ui, sans-serif" font-size="${KEY_FONT}" fill="#0f172a">${esc(entry)}</text>`);
    });
    out.push(`</g>`);
  }
  out.push(`</svg>`);
  return { svg: out.join("\n"), width, height, keyed: keyed.length };
}
