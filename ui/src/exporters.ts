// Chart exports that need no canvas: chart JSON (reopenable) and GraphML
// (for other graph tools). PNG and SVG come from the chart view.
import type { Chart } from "./types";

export const CHART_FORMAT = "probity-chart/1";

export interface SavedChart {
  format: typeof CHART_FORMAT;
  name: string;
  savedAt: string;
  asOf: string | null;
  chart: Chart;
}

export function chartJSON(name: string, chart: Chart, asOf: string | null, now = new Date()): string {
  const doc: SavedChart = { format: CHART_FORMAT, name, savedAt: now.toISOString(), asOf, chart };
  return JSON.stringify(doc, null, 2);
}

/** parseChart reads a chart JSON document back, or throws with a reason. */
export function parseChart(text: string): SavedChart {
  const doc = JSON.parse(text) as Partial<SavedChart>;
  if (doc.format !== CHART_FORMAT || !doc.chart || typeof doc.chart.nodes !== "object") {
    throw new Error(`not a ${CHART_FORMAT} document`);
  }
  const c = doc.chart;
  return {
    format: CHART_FORMAT,
    name: doc.name ?? "chart",
    savedAt: doc.savedAt ?? "",
    asOf: doc.asOf ?? null,
    chart: {
      nodes: c.nodes,
      edges: c.edges ?? {},
      hidden: c.hidden ?? [],
      pinned: c.pinned ?? {},
      groups: c.groups ?? [],
      evidence: c.evidence ?? [],
      more: c.more ?? [],
      truncated: c.truncated ?? [],
      // the flagged officer: its ring, label and tag on the chart reopened (analystC M1)
      ...(typeof c.subject === "string" ? { subject: c.subject } : {}),
    },
  };
}

const xmlEscape = (s: string): string =>
  s.replace(/[<>&"']/g, (ch) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[ch] as string);

function scalar(v: unknown): string {
  if (v == null) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/**
 * graphML writes the chart's nodes and edges with every property as a
 * string-typed data key (keys are declared once, sorted, for a stable file).
 */
export function graphML(c: Chart, header: string[] = []): string {
  const nodeKeys = new Set<string>(["label"]);
  const edgeKeys = new Set<string>(["type"]);
  const nodes = Object.values(c.nodes).sort((a, b) => a.id.localeCompare(b.id));
  const edges = Object.values(c.edges).sort((a, b) => a.id.localeCompare(b.id));
  for (const n of nodes) for (const k of Object.keys(n.properties)) nodeKeys.add(k);
  for (const e of edges) for (const k of Object.keys(e.properties)) edgeKeys.add(k);
  const nk = [...nodeKeys].sort();
  const ek = [...edgeKeys].sort();
  const lines: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
  ];
  for (const k of nk) lines.push(`  <key id="n_${xmlEscape(k)}" for="node" attr.name="${xmlEscape(k)}" attr.type="string"/>`);
  for (const k of ek) lines.push(`  <key id="e_${xmlEscape(k)}" for="edge" attr.name="${xmlEscape(k)}" attr.type="string"/>`);
  // the exhibit's header (exhibitLines): what it is, who exported it, when and why, and its handling mark
  if (header.length) lines.push(`  <desc>${xmlEscape(header.join("\n"))}</desc>`);
  lines.push('  <graph id="probity" edgedefault="directed">');
  for (const n of nodes) {
    lines.push(`    <node id="${xmlEscape(n.id)}">`);
    lines.push(`      <data key="n_label">${xmlEscape(n.label)}</data>`);
    for (const k of nk) {
      if (k === "label" || n.properties[k] == null) continue;
      lines.push(`      <data key="n_${xmlEscape(k)}">${xmlEscape(scalar(n.properties[k]))}</data>`);
    }
    lines.push("    </node>");
  }
  for (const e of edges) {
    lines.push(`    <edge id="${xmlEscape(e.id)}" source="${xmlEscape(e.from)}" target="${xmlEscape(e.to)}">`);
    lines.push(`      <data key="e_type">${xmlEscape(e.type)}</data>`);
    for (const k of ek) {
      if (k === "type" || e.properties[k] == null) continue;
      lines.push(`      <data key="e_${xmlEscape(k)}">${xmlEscape(scalar(e.properties[k]))}</data>`);
    }
    lines.push("    </edge>");
  }
  lines.push("  </graph>", "</graphml>", "");
  return lines.join("\n");
}

/** Exhibit is what an exported image says about itself, for a case file. */
export interface Exhibit {
  title: string;
  exporter: string;
  role: string;
  purpose: string;
  asOf: string | null;
  realNames: number;
  at?: Date;
  /** period is the timeline's filter when one is applied: the picture leaves out what lies outside it. */
  period?: { from: string; to: string } | null;
  /** left and leftLinks count what of the chart the picture leaves out (hidden, outside the period, not in force on asOf). */
  left?: number;
  leftLinks?: number;
  /** whole: the file holds the whole chart, whatever the picture shows (GraphML). */
  whole?: boolean;
}

/**
 * exhibitLines are the lines printed above an exported image: what it is,
 * who exported it when and why, what data it shows, and a handling mark
 * (it holds personal data: pseudonyms, and real names only where revealed).
 */
export function exhibitLines(x: Exhibit): string[] {
  const at = (x.at ?? new Date()).toISOString().slice(0, 16).replace("T", " ");
  return [
    `Probity link chart: ${x.title}`,
    `Exported ${at} UTC by ${x.exporter} (${x.role}); purpose: ${x.purpose || "none given"}`,
    `Data: ${dataPart(x)}; names are pseudonyms${x.realNames ? ` except ${x.realNames} revealed (audited)` : ""}`,
    "OFFICIAL-SENSITIVE: personal data of a professional standards enquiry; the export is recorded in the audit log",
  ];
}

/**
 * dataPart says what data an export holds (a picture filtered to a period
 * said "all loaded data": analystD M4). A picture: the links in force on
 * asOf, the events of the period, and how much of the chart it leaves out.
 * A file of the whole chart (GraphML): that it holds every entity and link,
 * whatever the picture on screen was filtered to (reviewP M1).
 */
function dataPart(x: Exhibit): string {
  const filters: string[] = [];
  if (x.asOf) filters.push(`links in force on ${x.asOf}`);
  if (x.period) filters.push(`events of ${x.period.from.slice(0, 10)} to ${x.period.to.slice(0, 10)}`);
  const left = [x.left ? `${x.left} entities` : "", x.leftLinks ? `${x.leftLinks} links` : ""].filter(Boolean).join(" and ");
  if (x.whole) {
    const screen = filters.length || left ? ` (the chart on screen showed ${filters.length ? filters.join(" and ") + " only" : "less"}${left ? `, ${left} fewer` : ""})` : "";
    return `every entity and link of the chart, whatever their dates${screen}`;
  }
  const shown = filters.length ? filters.join("; ") + " only" : "all loaded data";
  return left ? `${shown}; ${left} of the chart not drawn (hidden or filtered out)` : shown;
}

/** exhibitName is a file name that says what the export is: probity-FLAG-…-2026-11-26-10-00-00.png. */
export function exhibitName(title: string, ext: string, at = new Date()): string {
  const what = (/FLAG-[0-9a-f]+/i.exec(title)?.[0] ?? "chart").replace(/[^A-Za-z0-9-]/g, "");
  return `probity-${what}-${fileStamp(at)}.${ext}`;
}

/** fileStamp is a UTC time as a file name may hold it: 2026-11-26-10-00-00. */
export function fileStamp(at = new Date()): string {
  return at.toISOString().slice(0, 19).replace(/[:T]/g, "-");
}
