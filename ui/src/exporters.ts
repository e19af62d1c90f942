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

/**
 * xmlChars drops what XML 1.0 cannot hold (control characters but tab and
 * newline, lone surrogates, U+FFFE and U+FFFF): one in a purpose or a
 * title made the exhibit a file no viewer opens.
 */
export function xmlChars(s: string): string {
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "");
}

const xmlEscape = (s: string): string =>
  xmlChars(s).replace(/[<>&"']/g, (ch) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[ch] as string);

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
  /** named is the analyst's title for the exhibit (a case reference: cleanTitle), printed first; none: title alone, as before. */
  named?: string;
}

/**
 * exhibitLines are the lines printed above an exported image: what it is,
 * who exported it when and why, what data it shows, and a handling mark
 * (it holds personal data: pseudonyms, and real names only where revealed).
 */
export function exhibitLines(x: Exhibit): string[] {
  const at = (x.at ?? new Date()).toISOString().slice(0, 16).replace("T", " ");
  return [
    ...(x.named ? [x.named] : []),
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

/** TITLE_MAX is the most characters an exhibit's title (cleanTitle) keeps. */
export const TITLE_MAX = 80;

/**
 * cleanTitle is the analyst's title for an exhibit as plain text on one
 * line: control and direction-changing characters dropped (a right-to-left
 * override would make a case reference read backwards), spaces collapsed,
 * at most TITLE_MAX characters (never half a surrogate pair); "" for none.
 */
export function cleanTitle(s: string): string {
  const one = xmlChars(s)
    .replace(/[\u0000-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return [...one].slice(0, TITLE_MAX).join("").trim();
}

/**
 * slug is a title as a file name may hold it on any system: ASCII letters,
 * digits and single hyphens (accents dropped: "Réf. PSD/2026 17" is
 * Ref-PSD-2026-17), at most 60 characters; "" when nothing is left.
 */
export function slug(title: string): string {
  return title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .slice(0, 60)
    .replace(/^-+|-+$/g, "");
}

/**
 * exhibitName is a file name that says what the export is: the analyst's
 * title slugged when one is given, then the flag the chart is of, and the
 * time: probity-PSD-2026-17-FLAG-…-2026-11-26-10-00-00.png; without a
 * title, probity-FLAG-… or probity-chart-….
 */
export function exhibitName(title: string, ext: string, at = new Date(), named = ""): string {
  const flag = (/FLAG-[0-9a-f]+/i.exec(title)?.[0] ?? "").replace(/[^A-Za-z0-9-]/g, "");
  const own = slug(named);
  const what = [own, flag && !own.toLowerCase().includes(flag.toLowerCase()) ? flag : ""].filter(Boolean).join("-") || "chart";
  return `probity-${what}-${fileStamp(at)}.${ext}`;
}

/** fileStamp is a UTC time as a file name may hold it: 2026-11-26-10-00-00. */
export function fileStamp(at = new Date()): string {
  return at.toISOString().slice(0, 19).replace(/[:T]/g, "-");
}
