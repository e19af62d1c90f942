// ChartView draws the link chart with cytoscape.js. It knows nothing of the
// store or the API: it is given elements (model.toElements) and reports
// selections and requests through callbacks. Updates are diffs, so a chart
// keeps its positions when a node is added or hidden; only new nodes are
// laid out unless a full layout is asked for.
import cytoscape, { type Core, type ElementDefinition, type LayoutOptions, type Layouts } from "cytoscape";
import dagre from "cytoscape-dagre";
import fcose from "cytoscape-fcose";
import { estimate, exhibitSVG, type ExhibitImage, type Measure, type SvgEdge, type SvgNode } from "./svgexport";
import { band, KEEP, place, type Box, type Label, type Obstacle } from "./declutter";
import { COLOURS, ICONS, SHAPES } from "./icons";
import type { Element } from "./model";
import type { LayoutName } from "./types";

let registered = false;
function register(): void {
  if (registered) return;
  cytoscape.use(fcose);
  cytoscape.use(dagre);
  registered = true;
}

export interface ChartEvents {
  select(ids: string[]): void;
  /** selectEdge reports the link selected (the last one clicked), or null. */
  selectEdge?(id: string | null): void;
  /** open asks for a node's menu (double click or Enter). */
  open(id: string): void;
  /** moved reports where the user dragged nodes (for pinning). */
  moved(id: string, pos: { x: number; y: number }): void;
  /** view reports whether part of the chart is out of view, after a fit (a chart too large to read whole) and any zoom or pan. */
  view?(cropped: boolean): void;
}

/** An entity's label size, and the least on-screen size cytoscape draws one at (labelsDrawn reads both). */
const LABEL_PX = 11;
const MIN_LABEL_PX = 7;

function style(): cytoscape.StylesheetJson {
  const kinds = Object.keys(COLOURS) as (keyof typeof COLOURS)[];
  const s: cytoscape.StylesheetJson = [
    {
      selector: "node",
      style: {
        width: 34,
        height: 34,
        label: "data(caption)",
        "font-size": LABEL_PX,
        "font-family": "system-ui, sans-serif",
        color: "#111827",
        "text-valign": "bottom",
        "text-margin-y": 4,
        "text-wrap": "ellipsis",
        "text-max-width": "140px",
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.85,
        "text-background-padding": "1px",
        "background-fit": "contain",
        "background-clip": "none",
        "background-width": "60%",
        "background-height": "60%",
        "border-width": 1,
        "border-color": "#ffffff",
        "min-zoomed-font-size": MIN_LABEL_PX,
      },
    },
    ...kinds.map((k) => ({
      selector: `node[kind = "${k}"]`,
      style: { "background-color": COLOURS[k], shape: SHAPES[k] as cytoscape.Css.NodeShape, "background-image": ICONS[k] },
    })),
    { selector: "node.group", style: { "background-image": "none", "background-opacity": 0.6, "border-width": 1, "border-style": "dashed", "border-color": "#64748b", "text-valign": "top", "font-weight": "bold", padding: "12px" } },
    // the hub ring in dark amber: 3:1 or more on white (WCAG 1.4.11; a11yA)
    { selector: "node.hub", style: { "border-width": 5, "border-style": "double", "border-color": "#b45309", width: 44, height: 44 } },
    { selector: "node.suppressed", style: { "background-color": "#9ca3af", "border-width": 3, "border-style": "dashed", "border-color": "#111827", "font-style": "italic" } },
    { selector: "node.pinned", style: { "outline-width": 2, "outline-color": "#0f172a", "outline-offset": 2 } as cytoscape.Css.Node },
    { selector: "node.more", style: { width: 26, height: 18, "font-style": "italic", color: "#374151", "border-color": "#9ca3af", "border-width": 1, "border-style": "dashed" } },
    {
      selector: "edge",
      style: {
        width: 1.6,
        "line-color": "#64748b",
        "target-arrow-color": "#64748b",
        "target-arrow-shape": "triangle",
        "arrow-scale": 0.8,
        "curve-style": "bezier",
        label: "data(caption)",
        "font-size": 9,
        color: "#334155",
        "text-rotation": "autorotate",
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.85,
        "text-background-padding": "1px",
        "min-zoomed-font-size": 8,
      },
    },
    { selector: "edge.paid", style: { "line-color": "#059669", "target-arrow-color": "#059669", width: 2.4 } },
    { selector: "edge.accessed", style: { "line-style": "dashed", "line-color": "#2563eb", "target-arrow-color": "#2563eb" } },
    { selector: "edge.related_to", style: { "line-color": "#dc2626", "target-arrow-shape": "none" } },
    // The crew view's folded complaints: thicker for more complaints shared.
    { selector: "edge.co_accused", style: { "line-color": "#b45309", "target-arrow-shape": "none", width: "mapData(weight, 1, 30, 2, 10)", color: "#78350f" } },
    { selector: "edge.more", style: { "line-style": "dotted", "target-arrow-shape": "none" } },
    { selector: "edge.bundle", style: { width: 3 } },
    { selector: "edge.quiet", style: { label: "" } },
    { selector: "edge.quiet.paid, edge.quiet.evidence, edge.quiet.path, edge.quiet:selected", style: { label: "data(caption)" } },
    // Context (not evidence) is dimmed, but its labels stay readable (WCAG AA): the shapes fade, not the text.
    // context (not evidence) is dimmed, yet still readable: a dashed grey
    // outline at 3:1 keeps its shape visible (a11yA)
    { selector: "node.context", style: { "background-opacity": 0.45, "background-image-opacity": 0.5, "border-width": 2, "border-style": "dashed", "border-color": "#6b7280", "border-opacity": 1, "text-opacity": 0.9 } },
    { selector: "edge.context", style: { "line-opacity": 0.8, "text-opacity": 0.9 } },
    { selector: "node.evidence", style: { "border-width": 4, "border-color": "#ea580c" } },
    // The flagged officer: larger, a double ring, its label in bold.
    { selector: "node.subject", style: { width: 48, height: 48, "border-width": 7, "border-style": "double", "border-color": "#ea580c", "font-weight": "bold", "font-size": 13, "z-index": 12, "min-zoomed-font-size": 0 } },
    { selector: "edge.evidence", style: { width: 4, "line-color": "#ea580c", "target-arrow-color": "#ea580c", color: "#7c2d12", "font-weight": "bold", "z-index": 10 } },
    { selector: "node.path", style: { "border-width": 5, "border-color": "#7c3aed", "background-opacity": 1, "background-image-opacity": 1, "border-opacity": 1, "text-opacity": 1 } },
    { selector: "edge.path", style: { "line-color": "#7c3aed", "target-arrow-color": "#7c3aed", width: 4, "line-opacity": 1, "text-opacity": 1, color: "#4c1d95", "z-index": 11 } },
    // Labels that would overlap are hidden (declutter) until hovered or selected.
    { selector: "node.above", style: { "text-valign": "top", "text-margin-y": -4 } },
    { selector: "node.crowded, edge.crowded", style: { label: "" } },
    { selector: "node.crowded.hover, node.crowded:selected, edge.crowded.hover, edge.crowded:selected", style: { label: "data(caption)", "z-index": 20 } },
    { selector: "node:selected", style: { "overlay-color": "#1d4ed8", "overlay-opacity": 0.22, "overlay-padding": 6 } },
    { selector: "edge:selected", style: { "overlay-color": "#1d4ed8", "overlay-opacity": 0.2 } },
  ];
  return s;
}

/**
 * edgeLength is the length fCoSE aims at for an edge: long enough to carry
 * its label between the two nodes (about 5.5 model units a character at the
 * edge font size, and room for the nodes' own labels), 90 for an edge that
 * shows no label (a dense chart's "quiet" links).
 */
function edgeLength(e: cytoscape.EdgeSingular): number {
  const caption = String(e.data("caption") ?? "");
  if (!caption || e.hasClass("quiet")) return 90;
  return Math.min(260, Math.max(90, caption.length * 5.5 + 60));
}

/**
 * labelsDrawn says cytoscape draws an entity's 11 px label at zoom z: it
 * rounds z × the device's pixel ratio up to a power of two and draws no
 * label under min-zoomed-font-size (7 px), so below 0.5 at a ratio of 1
 * (0.25 at 2) a fitted chart showed no label at all (analystC H1).
 */
export function labelsDrawn(z: number, pixelRatio = 1): boolean {
  return LABEL_PX * 2 ** Math.ceil(Math.log2(z * pixelRatio)) >= MIN_LABEL_PX;
}

/** readableZoom is the least zoom at which labelsDrawn, with a margin. */
export function readableZoom(pixelRatio = 1): number {
  return 0.52 / pixelRatio;
}

const pixelRatio = (): number => (typeof window !== "undefined" && window.devicePixelRatio) || 1;

/** BIG is the node count from which layouts trade quality for speed (see docs/BENCHMARKS.md, UI). */
export const BIG = 500;

export function layoutOptions(name: LayoutName, fit: boolean, randomize: boolean, size = 0): LayoutOptions {
  const big = size > BIG;
  switch (name) {
    case "fcose":
      return { name: "fcose", animate: false, randomize, fit, padding: 30, nodeDimensionsIncludeLabels: true, quality: big ? "draft" : "default", nodeRepulsion: () => 6500, idealEdgeLength: edgeLength, numIter: big ? 800 : 1500 } as LayoutOptions;
    case "dagre":
      // dagre takes minutes on thousands of nodes (docs/BENCHMARKS.md, UI):
      // big charts get cytoscape's own breadth-first hierarchy instead.
      if (big) return { name: "breadthfirst", directed: true, fit, padding: 30, animate: false, spacingFactor: 0.9 } as LayoutOptions;
      return { name: "dagre", rankDir: "LR", nodeSep: 30, rankSep: 90, fit, padding: 30, animate: false } as LayoutOptions;
    case "circle":
      return { name: "circle", fit, padding: 30, animate: false };
    case "grid":
      return { name: "grid", fit, padding: 30, animate: false, avoidOverlap: true };
  }
}

export class ChartView {
  readonly cy: Core;
  private layoutName: LayoutName = "fcose";
  /** running is the layout in progress, stopped before the chart is destroyed. */
  private running: Layouts | null = null;

  constructor(container: HTMLElement, private ev: ChartEvents) {
    register();
    this.cy = cytoscape({
      container,
      style: style(),
      wheelSensitivity: 0.3,
      minZoom: 0.05,
      maxZoom: 4,
      boxSelectionEnabled: true,
      selectionType: "additive",
      // Pan and zoom move a cached image of the chart: smooth on big charts
      // without a GPU (docs/BENCHMARKS.md, UI).
      textureOnViewport: true,
      hideEdgesOnViewport: false,
    });
    // whether part of the chart is out of view, after any zoom or pan (the
    // note stayed after the analyst zoomed out to see it all: reviewN L5)
    this.cy.on("viewport", debounce(() => this.checkView(), 100));
    const report = (): void => void (this.cy.destroyed() || this.ev.select(this.cy.$("node:selected").map((n) => n.id())));
    this.cy.on("select unselect", "node", debounce(report, 10));
    // a selected node's links take their labels first (labelRank): placed again when the selection changes
    this.cy.on("select unselect", "node", debounce(() => void (this.cy.destroyed() || this.declutter()), 30));
    this.cy.on(
      "select unselect",
      "edge",
      debounce(() => void (this.cy.destroyed() || this.ev.selectEdge?.(this.cy.$("edge:selected").last().id() ?? null)), 10),
    );
    this.cy.on("dbltap", "node", (e) => this.ev.open(e.target.id()));
    this.cy.on("dragfree", "node", (e) => {
      this.ev.moved(e.target.id(), { ...e.target.position() });
      this.declutter();
    });
    this.cy.on("mouseover", "node, edge", (e) => void e.target.addClass("hover"));
    this.cy.on("mouseout", "node, edge", (e) => void e.target.removeClass("hover"));
  }

  /**
   * render brings the chart to the given elements: removes what went,
   * adds what came (laid out around what stays) and updates classes.
   * It returns the number of nodes added.
   */
  render(els: Element[], layout: LayoutName, selected: string[]): number {
    const cy = this.cy;
    const want = new Map(els.map((e) => [e.data.id, e]));
    let added = 0;
    const relabelled: cytoscape.SingularElementArgument[] = [];
    cy.batch(() => {
      cy.elements().forEach((el) => {
        if (!want.has(el.id())) el.remove();
      });
      const fresh: ElementDefinition[] = [];
      for (const e of els) {
        const have = cy.getElementById(e.data.id);
        if (have.nonempty()) {
          // a found path stays lit until the next one (highlight): a redraw
          // for a click must not take it away while the list still says it (analystX)
          const lit = have.hasClass("path");
          have.classes(e.classes);
          if (lit) have.addClass("path");
          if (have.data("caption") !== e.data.caption) relabelled.push(have);
          have.data(e.data);
          if (e.group === "nodes" && (have.data("parent") ?? null) !== ((e.data.parent as string | undefined) ?? null)) {
            have.move({ parent: (e.data.parent as string | undefined) ?? null });
          }
          if (e.position) {
            have.position(e.position);
            have.lock();
          } else if (have.locked()) have.unlock();
        } else {
          fresh.push({ group: e.group, data: e.data, classes: e.classes, position: e.position, locked: e.locked });
          if (e.group === "nodes") added++;
        }
      }
      // Parents first, then nodes, then edges, so that every reference resolves.
      fresh.sort((a, b) => rank(a) - rank(b));
      cy.add(fresh);
      const sel = new Set(selected);
      const now = cy.$("node:selected");
      if (now.length !== sel.size || now.filter((n) => !sel.has(n.id())).nonempty()) {
        now.forEach((n) => {
          if (!sel.has(n.id())) n.unselect();
        });
        for (const id of sel) cy.getElementById(id).select();
      }
    });
    // A new caption (a revealed name) changes a label's size, but cytoscape
    // keeps the old label dimensions and bounding box: the next boundingBox
    // (declutter) caches the old width and the label is drawn into a texture
    // of that width, cut off on both sides until a reload. Dirtying the
    // bounds makes cytoscape measure the label again.
    for (const el of relabelled) (el as unknown as { dirtyBoundingBoxCache(): void }).dirtyBoundingBoxCache();
    // On a dense chart only evidence, payments and selected edges keep their labels.
    cy.edges().toggleClass("quiet", cy.edges().length > 40);
    const changedLayout = layout !== this.layoutName;
    this.layoutName = layout;
    if (changedLayout || (added > 0 && added === cy.nodes().length)) this.layout(true);
    else if (added > 0) this.layoutNew();
    else this.declutter();
    return added;
  }

  /** layout lays out the whole chart and fits it; pinned nodes stay where they are. */
  layout(randomize = false): Promise<number> {
    const t0 = performance.now();
    return new Promise((resolve) => {
      if (this.cy.destroyed()) return resolve(0); // a control of a chart that has been replaced
      const l = this.cy.elements().length ? this.cy.elements().layout(layoutOptions(this.layoutName, false, randomize, this.cy.nodes().length)) : null;
      if (!l) return resolve(0);
      l.one("layoutstop", () => {
        this.running = null;
        this.declutter();
        this.fit();
        resolve(performance.now() - t0);
      });
      this.running = l;
      l.run();
    });
  }

  /** layoutNew places only nodes that have no position yet, near their neighbours. */
  private layoutNew(): void {
    const cy = this.cy;
    if (cy.destroyed()) return;
    let fresh = cy.collection();
    cy.nodes().forEach((n) => {
      const p = n.position();
      if (p.x !== 0 || p.y !== 0 || n.isParent()) return;
      fresh = fresh.union(n);
      const placed = n.neighborhood().nodes().filter((m) => m.position().x !== 0 || m.position().y !== 0);
      const base = placed.nonempty() ? placed[0].position() : { x: 0, y: 0 };
      const angle = Math.random() * Math.PI * 2;
      n.position({ x: base.x + Math.cos(angle) * 110, y: base.y + Math.sin(angle) * 110 });
    });
    if (this.layoutName === "fcose") {
      const l = cy.elements().layout({ ...layoutOptions("fcose", false, false, cy.nodes().length), numIter: 600 } as LayoutOptions);
      l.one("layoutstop", () => {
        this.running = null;
        this.declutter();
        this.fit(false, fresh);
      });
      this.running = l;
      l.run();
    } else {
      this.declutter();
      this.fit(false, fresh);
    }
  }

  /**
   * declutter moves or hides the labels that would overlap another label or
   * a node (docs/ui.md, "Labels"): selected elements and a found path keep
   * theirs, then a selected node's links, evidence, nodes, payments and
   * other links in that order (heavier links first within one); a
   * node's label goes above it when that place is free. Hovering or
   * selecting an element shows its hidden label.
   */
  declutter(): void {
    const cy = this.cy;
    if (cy.destroyed()) return;
    cy.elements(".crowded, .above").removeClass("crowded above");
    const { labels, obstacles } = this.labelGeometry();
    const { hidden, moved } = place(labels, obstacles);
    cy.batch(() => {
      hidden.forEach((id) => void cy.getElementById(id).addClass("crowded"));
      moved.forEach((id) => void cy.getElementById(id).addClass("above"));
    });
  }

  /**
   * labelGeometry is what each label shown as the chart stands covers (an
   * edge's label the band along its edge) and the node bodies: declutter's
   * input, and what the end-to-end tests check the chart against.
   */
  labelGeometry(): { labels: Label[]; obstacles: Obstacle[] } {
    const labels: Label[] = [];
    const obstacles: Obstacle[] = [];
    this.cy.nodes().forEach((n) => {
      const label = n.boundingBox(LABEL_ONLY);
      if (n.isParent()) {
        labels.push({ id: n.id(), rank: labelRank(n), box: label, owner: n.id() });
        return;
      }
      const body = n.boundingBox({ includeLabels: false, includeOverlays: false, includeUnderlays: false });
      obstacles.push({ id: n.id(), box: body });
      labels.push({ id: n.id(), rank: labelRank(n), box: label, owner: n.id(), alt: above(body, label) });
    });
    this.cy.edges().forEach((e) => {
      if (!e.style("label")) return;
      const box = e.boundingBox(LABEL_ONLY);
      // Labels turn with their edge (text-rotation: autorotate).
      const s = e.source().position(), t = e.target().position();
      const line = parseFloat(String(e.style("font-size"))) * 1.25 + 2;
      labels.push({ id: e.id(), rank: labelRank(e), box, parts: band(box, Math.atan2(t.y - s.y, t.x - s.x), line) });
    });
    return { labels, obstacles };
  }

  /** highlight marks a found path (node and edge ids), replacing any earlier one; bundled edges light up as a whole. */
  highlight(ids: string[]): void {
    const cy = this.cy;
    cy.elements().removeClass("path");
    const want = new Set(ids);
    for (const id of ids) cy.getElementById(id).addClass("path");
    cy.edges(".bundle").forEach((e) => {
      if ((e.data("members") as string[]).some((m) => want.has(m))) e.addClass("path");
    });
    this.declutter();
  }

  /**
   * fit shows the whole chart, never zoomed in beyond 1.5 (a single node
   * stays node-sized). A chart too large to read whole (its labels would
   * not be drawn: labelsDrawn; a flag's chart of 20 or more entities
   * opened with no label at all, analystC H1) is shown at the least zoom
   * that draws them, centred on focus (after an expand, the new
   * neighbours: reviewM M1), else the evidence, else the whole; the view
   * callback says part is out of view. whole (the Fit button) shows it
   * all, the flagged officer's label still drawn.
   */
  fit(whole = false, focus?: cytoscape.Collection): void {
    const cy = this.cy;
    if (cy.destroyed()) return;
    cy.fit(undefined, 30);
    if (cy.zoom() > 1.5) {
      cy.zoom(1.5);
      cy.center();
    } else if (!whole && !labelsDrawn(cy.zoom(), pixelRatio())) {
      const evidence = cy.elements(".evidence");
      cy.zoom(readableZoom(pixelRatio()));
      cy.center(focus?.nonempty() ? focus : evidence.nonempty() ? evidence : cy.elements());
    }
    this.checkView();
  }

  /** checkView tells the view callback whether part of the chart is out of view. */
  private checkView(): void {
    const cy = this.cy;
    if (cy.destroyed() || !this.ev.view) return;
    const b = cy.elements().boundingBox();
    const e = cy.extent();
    this.ev.view(cy.elements().nonempty() && (b.x1 < e.x1 || b.y1 < e.y1 || b.x2 > e.x2 || b.y2 > e.y2));
  }

  center(id: string): void {
    const n = this.cy.getElementById(id);
    if (n.empty()) return;
    // no motion for those who asked for none (WCAG 2.3.3; a11yA)
    if (typeof matchMedia === "function" && matchMedia("(prefers-reduced-motion: reduce)").matches) this.cy.center(n);
    else this.cy.animate({ center: { eles: n }, duration: 200 });
  }

  /**
   * png is the exhibit (exhibit) drawn as an image at twice its size (less
   * for a very large chart): the same labels, key and header as the SVG,
   * so that both formats are as legible and as complete.
   */
  async png(header: string[] = []): Promise<Blob> {
    const x = this.exhibit(header);
    const scale = Math.min(2, MAX_PNG_SIDE / Math.max(x.width, x.height, 1));
    const url = URL.createObjectURL(new Blob([x.svg], { type: "image/svg+xml" }));
    try {
      const img = new Image();
      img.src = url;
      await img.decode();
      const canvas = document.createElement("canvas");
      canvas.width = Math.ceil(x.width * scale);
      canvas.height = Math.ceil(x.height * scale);
      const g = canvas.getContext("2d");
      if (!g) throw new Error("the image could not be drawn");
      g.drawImage(img, 0, 0, canvas.width, canvas.height);
      return await new Promise((ok, fail) => canvas.toBlob((b) => (b ? ok(b) : fail(new Error("the image could not be drawn"))), "image/png"));
    } finally {
      URL.revokeObjectURL(url);
    }
  }

  svg(header: string[] = []): string {
    return this.exhibit(header).svg;
  }

  /**
   * exhibit draws what the chart shows as an exhibit (exhibitSVG): labels
   * whole, none over another or over a node, the ones that fit nowhere
   * numbered and named in a key; without the on-screen selection.
   */
  exhibit(header: string[] = []): ExhibitImage {
    return this.unselected(() => {
      const shown = this.cy.elements(":visible");
      // compound parents (groups) first, so that their members are drawn over them
      const nodes = shown.nodes().sort((a, b) => Number(b.isParent()) - Number(a.isParent()));
      return exhibitSVG({ nodes: nodes.toArray() as unknown as SvgNode[], edges: shown.edges().toArray() as unknown as SvgEdge[], measure: measurer() }, header);
    });
  }

  /** unselected draws f with nothing selected (the on-screen highlight is no part of an exhibit), then selects again. */
  private unselected<T>(f: () => T): T {
    const sel = this.cy.$(":selected");
    sel.unselect();
    try {
      return f();
    } finally {
      sel.select();
    }
  }

  positions(): Record<string, { x: number; y: number }> {
    const out: Record<string, { x: number; y: number }> = {};
    this.cy.nodes().forEach((n) => {
      out[n.id()] = { ...n.position() };
    });
    return out;
  }

  destroy(): void {
    this.running?.stop();
    this.running = null;
    this.cy.stop(true, false);
    this.cy.destroy();
  }
}

/** MAX_PNG_SIDE is the longest side of an exported PNG, in pixels (a browser draws no larger canvas). */
const MAX_PNG_SIDE = 12000;

/** measurer measures text as the browser draws it (the exhibit's labels are then drawn that wide: textLength). */
function measurer(): Measure {
  const g = document.createElement("canvas").getContext("2d");
  if (!g) return estimate;
  return (text, size, weight) => {
    g.font = `${weight} ${size}px system-ui, sans-serif`;
    return g.measureText(text).width;
  };
}

/** LABEL_ONLY are bounding-box options for an element's own label alone. */
const LABEL_ONLY = {
  includeNodes: false,
  includeEdges: false,
  includeLabels: true,
  includeMainLabels: true,
  includeSourceLabels: false,
  includeTargetLabels: false,
  includeOverlays: false,
  includeUnderlays: false,
};

/** above is where a node's label (drawn below its body) would be if drawn above it. */
function above(body: Box, label: Box): Box {
  const gap = label.y1 - body.y2;
  const h = label.y2 - label.y1;
  return { x1: label.x1, x2: label.x2, y2: body.y1 - gap, y1: body.y1 - gap - h };
}

/** labelRank orders labels for declutter: the lower, the more it matters. */
function labelRank(el: cytoscape.SingularElementArgument): number {
  if (el.selected() || el.hasClass("path") || el.hasClass("subject")) return KEEP;
  // the links of a selected node come next: after "Expand all" the
  // selected officer's own co-accused links lost their labels (analystA)
  if (el.isEdge() && (el.source().selected() || el.target().selected())) return 0.5;
  // Among links of one rank, a heavier one (a crew's "co-accused ×26")
  // keeps its label first: the strongest link, the one the explanation
  // names, was hidden as often as any (analystZ L8).
  const heavier = el.isEdge() ? Math.min(0.5, Number(el.data("weight") ?? 0) / 1000) : 0;
  if (el.hasClass("evidence")) return 1 - heavier;
  if (el.isNode()) return 2;
  return (el.hasClass("paid") ? 3 : 4) - heavier;
}

const rank = (e: ElementDefinition): number => (e.group === "edges" ? 2 : e.classes === "group" ? 0 : 1);

function debounce(f: () => void, ms: number): () => void {
  let t: ReturnType<typeof setTimeout> | undefined;
  return () => {
    clearTimeout(t);
    t = setTimeout(f, ms);
  };
}
