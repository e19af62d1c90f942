// Horizontal bar charts in plain SVG for the reports, with a text table
// beside them (the table is the accessible form; the chart is decoration
// with a summary label).
const NS = "http://www.w3.org/2000/svg";

export interface Bar {
  label: string;
  /** null: not measurable (a ratio of nothing), drawn as no bar and "—". */
  value: number | null;
  /** Optional second value drawn as a thinner bar (recall beside precision). */
  value2?: number | null;
  /** Drawn pale (a small group whose value is unreliable). */
  muted?: boolean;
  /** An interval around value (a 95% confidence interval), drawn as a whisker. */
  low?: number | null;
  high?: number | null;
  /** Kept whole after label, which alone is shortened when long ("Mixed *" + " (n=1)"). */
  suffix?: string;
  /** Said after the value ("no interval", "†"). */
  note?: string;
}

/** LABEL_MAX is how many characters of a bar's label are drawn (the whole label on hover). */
const LABEL_MAX = 28;

/** barLabel is a bar's label as drawn: label shortened to fit with its suffix kept whole. */
export function barLabel(b: Pick<Bar, "label" | "suffix">): string {
  const suffix = b.suffix ?? "";
  const room = Math.max(8, LABEL_MAX - suffix.length);
  return (b.label.length > room ? b.label.slice(0, room - 1) + "…" : b.label) + suffix;
}

/**
 * valueText is what a bar says after it: its value (and value2, or its interval), "▸" when the value lies beyond
 * the axis' end max and the bar is cut there (statA M2: a small group's ratio, left out of the scale), then its note.
 */
export function valueText(b: Bar, max: number, fmt: (v: number | null | undefined) => string): string {
  const cut = b.value != null && b.value > max ? " ▸" : "";
  const text = b.value2 !== undefined ? `${fmt(b.value)} / ${fmt(b.value2)}` : b.low != null && b.high != null ? `${fmt(b.value)}${cut} (${fmt(b.low)}–${fmt(b.high)})` : `${fmt(b.value)}${cut}`;
  return b.note ? `${text} ${b.note}` : text;
}

export interface BarOptions {
  max?: number;
  /** A vertical reference line (1.0 for disproportion ratios). */
  reference?: number;
  format?: (v: number) => string;
  title: string;
  colour?: string;
  colour2?: string;
}

export function barChart(bars: Bar[], o: BarOptions): SVGSVGElement {
  const rowH = 26, left = 190, width = 640;
  const height = Math.max(40, bars.length * rowH + 24);
  const max = o.max ?? Math.max(o.reference ?? 0, ...bars.map((b) => Math.max(b.value ?? 0, b.value2 ?? 0, b.high ?? 0)), 1e-9);
  const fmtNum = o.format ?? ((v: number) => v.toFixed(2));
  const fmt = (v: number | null | undefined): string => (v == null ? "—" : fmtNum(v));
  // Room on the right for the longest value label ("1.00 / 1.00", a ratio with its interval, a cut bar's value and note): about 6 px a character at 11 px.
  const base = bars.some((b) => b.low != null && b.high != null) ? 150 : bars.some((b) => b.value2 !== undefined) ? 90 : 60;
  const right = Math.max(base, Math.min(240, 12 + 6 * Math.max(0, ...bars.map((b) => valueText(b, max, fmt).length))));
  // a value beyond a given max (a small group's wide interval) stops at the axis' end; its label says the number
  const x = (v: number): number => left + (Math.min(max, Math.max(0, v)) / max) * (width - left - right);
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", o.title);
  svg.setAttribute("class", "bars");
  const add = (tag: string, attrs: Record<string, string | number>, text?: string, parent: Element = svg): Element => {
    const el = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    if (text != null) el.textContent = text;
    parent.append(el);
    return el;
  };
  bars.forEach((b, i) => {
    const y = 8 + i * rowH;
    const shown = barLabel(b);
    const label = add("text", { x: left - 8, y: y + 14, "text-anchor": "end", class: "bar-label" }, shown);
    if (shown !== b.label + (b.suffix ?? "")) add("title", {}, b.label + (b.suffix ?? ""), label); // the whole label on hover
    if (b.value != null) add("rect", { x: left, y: y + 2, width: Math.max(1, x(b.value) - left), height: b.value2 === undefined ? 16 : 10, fill: o.colour ?? "#1d4ed8", "fill-opacity": b.muted ? 0.35 : 1 });
    if (b.value2 != null) add("rect", { x: left, y: y + 13, width: Math.max(1, x(b.value2) - left), height: 6, fill: o.colour2 ?? "#f59e0b" });
    if (b.low != null && b.high != null) {
      const [x1, x2, cy] = [x(b.low), x(b.high), y + 10];
      add("line", { x1, x2, y1: cy, y2: cy, stroke: "#111827", "stroke-width": 1.5, class: "whisker" });
      for (const xe of [x1, x2]) add("line", { x1: xe, x2: xe, y1: cy - 5, y2: cy + 5, stroke: "#111827", "stroke-width": 1.5 });
    }
    // After a whisker the label says it is the value with its interval, not the interval's end.
    add("text", { x: x(Math.max(b.value ?? 0, b.value2 ?? 0, b.high ?? 0)) + 6, y: y + 14, class: "bar-value" }, valueText(b, max, fmt));
  });
  if (o.reference != null) {
    add("line", { x1: x(o.reference), x2: x(o.reference), y1: 2, y2: height - 14, stroke: "#111827", "stroke-dasharray": "4 3" });
    add("text", { x: x(o.reference), y: height - 2, "text-anchor": "middle", class: "bar-value" }, `${fmt(o.reference)} = force-wide rate`);
  }
  return svg;
}
