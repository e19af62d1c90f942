// chartSVG draws the chart as an SVG document from the shapes cytoscape has
// laid out and styled: edges as curves through their midpoints with their
// captions, nodes as their shapes with border, icon and label. It replaces
// cytoscape-svg, whose canvas-to-SVG shim lost nodes with icon images and
// smeared labels with a background into blobs.

/** The little of a cytoscape element chartSVG reads (so that it can be tested without a browser). */
export interface SvgElement {
  visible(): boolean;
  style(name: string): string;
}
export interface SvgNode extends SvgElement {
  position(): { x: number; y: number };
  width(): number;
  height(): number;
}
export interface SvgEdge extends SvgElement {
  sourceEndpoint(): { x: number; y: number };
  targetEndpoint(): { x: number; y: number };
  midpoint(): { x: number; y: number };
}
export interface SvgChart {
  nodes: SvgNode[];
  edges: SvgEdge[];
  box: { x1: number; y1: number; x2: number; y2: number };
}

const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const num = (v: string, d = 0): number => {
  const n = parseFloat(v);
  return Number.isFinite(n) ? n : d;
};
const f = (n: number): string => String(Math.round(n * 10) / 10);

/** label is the element's caption as drawn: none when the label is hidden or empty. */
function label(e: SvgElement): string {
  const t = e.style("label");
  return t && t !== "none" ? t : "";
}

function text(x: number, y: number, s: string, e: SvgElement, anchorTop: boolean): string {
  const size = num(e.style("font-size"), 11);
  const weight = e.style("font-weight") || "normal";
  const colour = e.style("color") || "#111827";
  const op = num(e.style("text-opacity"), 1);
  // a white halo keeps the caption readable over lines, as the chart's text background does
  return `<text x="${f(x)}" y="${f(y)}" text-anchor="middle" dominant-baseline="${anchorTop ? "auto" : "hanging"}" font-family="system-ui, sans-serif" font-size="${f(size)}" font-weight="${esc(weight)}" fill="${esc(colour)}"${op < 1 ? ` fill-opacity="${f(op)}"` : ""} stroke="#ffffff" stroke-width="3" paint-order="stroke">${esc(s)}</text>`;
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

/** HEADER_LINE is the height of a line of an exhibit's header (exhibitLines), in chart units. */
const HEADER_LINE = 18;

export function chartSVG(c: SvgChart, pad = 60, header: string[] = []): string {
  const top = header.length ? header.length * HEADER_LINE + 16 : 0;
  const x0 = c.box.x1 - pad;
  const y0 = c.box.y1 - pad - top;
  const w = Math.max(c.box.x2 - c.box.x1 + 2 * pad, header.length ? 760 : 0);
  const h = c.box.y2 - c.box.y1 + 2 * pad + top;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${f(x0)} ${f(y0)} ${f(w)} ${f(h)}" width="${f(w)}" height="${f(h)}">`,
    header.length ? `<title>${esc(header[0])}</title>` : "",
    `<rect x="${f(x0)}" y="${f(y0)}" width="${f(w)}" height="${f(h)}" fill="#ffffff"/>`,
    ...header.map(
      (line, i) =>
        `<text x="${f(x0 + 12)}" y="${f(y0 + 12 + (i + 1) * HEADER_LINE - 4)}" font-family="sans-serif" font-size="${i === 0 ? 14 : 11}"${i === 0 ? ' font-weight="bold"' : ""} fill="${i === header.length - 1 ? "#9f1239" : "#0f172a"}">${esc(line)}</text>`,
    ),
  ].filter(Boolean);
  for (const e of c.edges) {
    if (!e.visible()) continue;
    const s = e.sourceEndpoint();
    const t = e.targetEndpoint();
    const m = e.midpoint();
    // the quadratic curve through m (a straight edge has m halfway: a line)
    const cx = 2 * m.x - (s.x + t.x) / 2;
    const cy = 2 * m.y - (s.y + t.y) / 2;
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
    const cap = label(e);
    if (cap) out.push(text(m.x, m.y - 2, cap, e, true));
  }
  for (const n of c.nodes) {
    if (!n.visible()) continue;
    const { x, y } = n.position();
    const nw = n.width();
    const nh = n.height();
    const fill = n.style("background-color") || "#94a3b8";
    const bw = num(n.style("border-width"));
    // the body and border of dimmed context fade, its icon less, its label hardly (the chart's styles)
    const fillOp = num(n.style("background-opacity"), 1);
    const strokeOp = num(n.style("border-opacity"), 1);
    const stroke = bw > 0 ? ` stroke="${esc(n.style("border-color") || "#ffffff")}" stroke-width="${f(bw)}"${strokeOp < 1 ? ` stroke-opacity="${f(strokeOp)}"` : ""}${dash(n, bw)}` : "";
    const opacity = num(n.style("opacity"), 1);
    const fillAttr = (colour: string): string => `fill="${esc(colour)}"${fillOp < 1 ? ` fill-opacity="${f(fillOp)}"` : ""}`;
    const shape = n.style("shape");
    out.push(`<g opacity="${f(opacity)}">`);
    if (shape === "ellipse") out.push(`<ellipse cx="${f(x)}" cy="${f(y)}" rx="${f(nw / 2)}" ry="${f(nh / 2)}" ${fillAttr(fill)}${stroke}/>`);
    else if (shape === "diamond") out.push(`<polygon points="${f(x)},${f(y - nh / 2)} ${f(x + nw / 2)},${f(y)} ${f(x)},${f(y + nh / 2)} ${f(x - nw / 2)},${f(y)}" ${fillAttr(fill)}${stroke}/>`);
    else out.push(`<rect x="${f(x - nw / 2)}" y="${f(y - nh / 2)}" width="${f(nw)}" height="${f(nh)}" rx="${shape === "rectangle" ? 0 : f(Math.min(nw, nh) / 4)}" ${fillAttr(fill)}${stroke}/>`);
    const bg = n.style("background-image") ?? "";
    const img = /^url\((['"]?)(.*)\1\)$/.exec(bg)?.[2] ?? bg;
    if (img.startsWith("data:")) out.push(`<image href="${esc(img)}" x="${f(x - nw * 0.3)}" y="${f(y - nh * 0.3)}" width="${f(nw * 0.6)}" height="${f(nh * 0.6)}"${num(n.style("background-image-opacity"), 1) < 1 ? ` opacity="${f(num(n.style("background-image-opacity"), 1))}"` : ""}/>`);
    const cap = label(n);
    if (cap) {
      const top = n.style("text-valign") === "top";
      out.push(text(x, top ? y - nh / 2 - 4 : y + nh / 2 + 4, cap, n, top));
    }
    out.push(`</g>`);
  }
  out.push(`</svg>`);
  return out.join("\n");
}
