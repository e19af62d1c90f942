// Pure functions from API data to the chart's state and to cytoscape
// elements. No DOM, no cytoscape import: these are what the unit tests cover.
import type { Chart, GEdge, GNode, Kind, More, Period, Props, RelCount, Subgraph } from "./types";

/** Neighbours beyond this many per relationship type become an "and N more" node. */
export const EXPAND_CAP = 25;

/** Hub threshold of the pattern rules (DESIGN.md): more than 20 association neighbours. */
export const HUB_DEGREE = 20;

/**
 * props accepts the forms a GraphQL server may use for an open property
 * bag: an object (JSON scalar), a JSON string, or a list of {key, value}.
 */
export function props(raw: unknown): Props {
  if (raw == null) return {};
  if (typeof raw === "string") {
    try {
      const v: unknown = JSON.parse(raw);
      return v && typeof v === "object" && !Array.isArray(v) ? (v as Props) : {};
    } catch {
      return {};
    }
  }
  if (Array.isArray(raw)) {
    const out: Props = {};
    for (const kv of raw) {
      if (kv && typeof kv === "object" && ("key" in kv || "name" in kv)) {
        const { key, name, value } = kv as { key?: string; name?: string; value: unknown };
        out[String(key ?? name)] = parseScalar(value);
      }
    }
    return out;
  }
  if (typeof raw === "object") return { ...(raw as Props) };
  return {};
}

function parseScalar(v: unknown): unknown {
  if (typeof v !== "string") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  return v;
}

type RawNode = { id: string; label?: string; labels?: string[]; type?: string; properties?: unknown; props?: unknown; hub?: boolean; suppressed?: boolean; degree?: number; [field: string]: unknown };
type RawEdge = { id?: string; type: string; from?: string; to?: string; source?: string; target?: string; properties?: unknown; props?: unknown };
type RawSubgraph = { nodes?: RawNode[]; others?: RawNode[]; edges?: RawEdge[]; relationships?: RawEdge[]; truncated?: boolean | string[] | string | null; reasons?: string[] | null; hubs?: string[] | null };

const NOT_PROPS = new Set(["id", "label", "labels", "type", "properties", "props", "hub", "suppressed", "degree", "__typename"]);

/** node maps one API entity: typed fields (rank, poi, line...) become properties. */
export function node(n: RawNode, hubs: Set<string> = new Set()): GNode {
  const p = props(n.properties ?? n.props);
  for (const [k, v] of Object.entries(n)) if (!NOT_PROPS.has(k) && v != null) p[k] = v;
  const label = n.type ?? n.label ?? (n.labels ?? []).find((l) => l !== "Party") ?? "Other";
  const out: GNode = { id: String(n.id), label, properties: p };
  // hubReason: the last scan's mark ("degree", or "suppressed: REASON" for the hub list).
  const reason = typeof p.hubReason === "string" ? p.hubReason : "";
  if (n.hub || p.hub === true || hubs.has(String(n.id)) || reason) out.hub = true;
  if (n.suppressed || p.suppressed === true || reason.startsWith("suppressed")) out.suppressed = true;
  if (typeof n.degree === "number") out.degree = n.degree;
  return out;
}

/**
 * normalise turns whatever subgraph-shaped JSON the API returned into a
 * Subgraph: nodes with their typed fields as properties, edges with their
 * [{name, value}] properties as an object, hubs marked, and the reasons
 * for a cut-short result in truncated.
 */
export function normalise(raw: unknown): Subgraph {
  const r = (raw ?? {}) as RawSubgraph;
  const hubs = new Set((r.hubs ?? []).map(String));
  // Evidence may name entities by import id ("O1"); the chart uses global
  // ids ("Officer:O1"), as the API's exploration does.
  const global = new Map<string, string>();
  const nodes: GNode[] = (r.nodes ?? []).map((raw) => {
    const n = node(raw, hubs);
    if (!n.id.includes(":") && n.label !== "Other") {
      global.set(n.id, `${n.label}:${n.id}`);
      n.properties.key ??= n.id;
      n.id = `${n.label}:${n.id}`;
    }
    return n;
  });
  // A flag's evidence items that are not entities (shifts, badge swipes,
  // misconduct cases) come as {id: "Shift:O1/2024-03-02/2024-03-02T08:00:00Z", type}.
  for (const raw of r.others ?? []) {
    const n = node(raw, hubs);
    n.properties.key ??= n.id.slice(n.id.indexOf(":") + 1);
    // Their key is officer/day[/start] (shift) or officer/time (swipe): that dates them on the timeline.
    const key = String(n.properties.key);
    if (n.label === "Shift") n.properties.date ??= shiftDay(key);
    if (n.label === "BadgeSwipe") n.properties.at ??= key.split("/").pop() ?? "";
    nodes.push(n);
  }
  const g = (id: string): string => global.get(id) ?? id;
  const edges: GEdge[] = (r.edges ?? r.relationships ?? []).map((e, i) => {
    const from = g(String(e.from ?? e.source));
    const to = g(String(e.to ?? e.target));
    const p = props(e.properties ?? e.props);
    const top = e as unknown as { at?: string; source?: string };
    if (top.at && p.at == null) p.at = top.at;
    // A flag's evidence gives a relation's kind as relType; exploration, as the data does, as type.
    if (p.relType != null && p.type == null) p.type = p.relType;
    if (top.source && typeof top.source === "string" && e.from != null && p.source == null) p.source = top.source;
    return { id: String(e.id ?? `${from}-${e.type}-${to}-${i}`), type: e.type, from, to, properties: p };
  });
  const t = r.truncated;
  let truncated: string[] = Array.isArray(t) ? t : typeof t === "string" && t !== "" ? [t] : [];
  if (r.reasons?.length) truncated = [...new Set([...truncated, ...r.reasons])];
  else if (t === true && truncated.length === 0) truncated = ["cut short"];
  return { nodes, edges, truncated };
}

/**
 * score shows a flag's score to two places, but never rounds up to 1.00 a
 * score that is not 1 (0.996 is "0.996", not a certainty it does not claim).
 */
export const score = (v: number): string => (v < 1 && v >= 0.995 ? v.toFixed(3) : v.toFixed(2));

/** unitLabel shows a unit so that a number reads as one ("unit 5", not a bare "5"). */
export const unitLabel = (u: string): string => (/^\d+$/.test(u.trim()) ? `unit ${u.trim()}` : u);

/** shiftDay is the day in a shift's key, officer/day or officer/day/start. */
const shiftDay = (key: string): string => /\/(\d{4}-\d\d-\d\d)(?:\/|$)/.exec(key)?.[1] ?? key.split("/").pop() ?? "";

/** kindOf picks the style of a node: persons of interest are set apart from other persons. */
export function kindOf(n: GNode): Kind {
  switch (n.label) {
    case "Person":
      return n.properties.poi === true ? "PersonOfInterest" : "Person";
    case "Officer":
    case "Company":
    case "Account":
    case "Address":
    case "Phone":
    case "Record":
    case "Case":
    case "Complaint":
    case "Shift":
    case "BadgeSwipe":
    case "MisconductCase":
    case "Flag":
      return n.label;
    default:
      return "Other";
  }
}

const str = (v: unknown): string => (v == null ? "" : String(v));

/** caption is the text under a node: its name, else a describing property, else its id. */
export function caption(n: GNode): string {
  const p = n.properties;
  if (p.revealedName) return `${str(p.revealedName)} (${str(p.displayName) || n.id})`;
  if (p.displayName) return str(p.displayName);
  const name = str(p.pseudonym) || str(p.name) || str(p.title) || str(p.line) || str(p.bank);
  switch (n.label) {
    case "Record":
      return `${n.id}${p.system ? ` (${str(p.system)})` : ""}`;
    case "Shift":
      return `shift ${str(p.date) || shiftDay(str(p.key))}`;
    case "MisconductCase":
      return str(p.key) || n.id;
    case "Complaint":
      return `${n.id}${p.received ? ` ${str(p.received)}` : ""}`;
    default:
      return name ? (name === n.id ? name : `${name}`) : n.id;
  }
}

/** shortDate keeps the calendar day of a date or date-time. */
export function shortDate(v: unknown): string {
  const s = str(v);
  return s.length >= 10 ? s.slice(0, 10) : s;
}

/** money formats a payment amount with its currency. */
export function money(amount: unknown, currency: unknown): string {
  const n = amount == null || amount === "" ? NaN : Number(amount);
  if (!Number.isFinite(n)) return ""; // not recorded: nothing, never 0
  const c = str(currency); // none recorded: the number alone, never a guessed £
  const v = n.toLocaleString("en-GB", { maximumFractionDigits: 2 });
  return c === "GBP" ? `£${v}` : c ? `${c} ${v}` : v;
}

/** edgeCaption is the label on a relationship: amounts and dates where it has them. */
export function edgeCaption(e: GEdge): string {
  const p = e.properties;
  switch (e.type) {
    case "PAID":
      return [money(p.amount, p.currency), shortDate(p.at)].filter(Boolean).join(" · ");
    case "ACCESSED":
      return ["accessed", shortDate(p.at), p.channel === "remote" ? "remote" : ""].filter(Boolean).join(" ");
    case "RELATED_TO":
      // since: the data's property; at: the same date as a flag's evidence gives it
      return [str(p.type) || "related", p.since || p.at ? `since ${shortDate(p.since || p.at)}` : ""].filter(Boolean).join(" ");
    case "DIRECTOR_OF":
      return ["director", shortDate(p.from)].filter(Boolean).join(" ");
    case "DECLARED":
      return ["declared", shortDate(p.on)].filter(Boolean).join(" ");
    case "SIMILAR_TO":
      return p.similarity == null ? "similar to" : `similarity ${Number(p.similarity).toFixed(2)}`;
    case "NAMED_IN":
      return [str(p.role), str(p.finding).replace(/_/g, " ")].filter(Boolean).join(", ") || "named in";
    case "LIVES_AT":
    case "USES_PHONE":
    case "ASSIGNED_TO":
      return [e.type.toLowerCase().replace(/_/g, " "), shortDate(p.from)].filter(Boolean).join(" ");
    default:
      return e.type.toLowerCase().replace(/_/g, " ");
  }
}

/** edgeDate is the instant a dated relationship happened (payments, accesses), or "". */
export function edgeDate(e: GEdge): string {
  return str(e.properties.at ?? e.properties.on ?? "");
}

/** nodeDate is the date of an event-like node (shifts, complaints, swipes), or "". */
export function nodeDate(n: GNode): string {
  const p = n.properties;
  return str(p.date ?? p.received ?? p.at ?? "");
}

/** inPeriod compares by calendar day; dates and date-times mix safely. */
export function inPeriod(when: string, p: Period): boolean {
  if (!when) return true;
  const d = when.slice(0, 10);
  return d >= p.from.slice(0, 10) && d <= p.to.slice(0, 10);
}

/**
 * validAsOf says whether a relationship or event existed on the day asOf:
 * it started (from/at/on) on or before it and had not ended (to) before it.
 */
export function validAsOf(p: Props, asOf: string): boolean {
  const day = asOf.slice(0, 10);
  const start = str(p.from ?? p.at ?? p.on ?? p.since ?? p.date ?? p.received).slice(0, 10);
  const end = str(p.to).slice(0, 10);
  if (start && start > day) return false;
  if (end && end < day) return false;
  return true;
}

/**
 * linkKey names a relationship as the loader keys it (docs/data-model.md):
 * type, ends, kind (a relation's type, a complaint role) and start (an
 * access's time, a residence's from, …, as an instant; a payment by its
 * id). A flag's evidence
 * and exploration name the same relationship by different ids (a key, an
 * element id); this tells them apart from two relationships.
 */
export function linkKey(e: GEdge): string {
  if (e.type === "PAID") return `PAID|${e.id}`; // a payment is keyed by its id, everywhere
  const p = e.properties;
  const kind = str(p.type ?? p.role);
  const start = str(p.at ?? p.since ?? p.from ?? p.on);
  const t = Date.parse(start);
  return [e.type, e.from, e.to, kind, Number.isNaN(t) ? start : new Date(t).toISOString()].join("|");
}

/** merge adds a subgraph to the chart; nodes and edges already there keep their state. */
export function merge(c: Chart, g: Subgraph): Chart {
  const nodes = { ...c.nodes };
  const edges = { ...c.edges };
  for (const n of g.nodes) {
    const old = nodes[n.id];
    if (!old) {
      nodes[n.id] = n;
      continue;
    }
    const properties = { ...old.properties, ...n.properties };
    // a name shown (revealed for a flag) is not taken back by a later read that carries
    // the pseudonym, such as an expansion (analystZ: the officer went back, its associate stayed named)
    if (showsRealName(old) && n.properties.displayName === (n.properties.pseudonym ?? old.properties.pseudonym)) properties.displayName = old.properties.displayName;
    nodes[n.id] = { ...old, ...n, properties };
  }
  // A relationship already on the chart under another id is not drawn twice.
  const have = new Map(Object.values(edges).map((e) => [linkKey(e), e.id]));
  for (const e of g.edges) {
    const same = have.get(linkKey(e));
    if (same !== undefined && same !== e.id) continue;
    if (nodes[e.from] && nodes[e.to]) edges[e.id] = e;
  }
  const hidden = c.hidden.filter((id) => !g.nodes.some((n) => n.id === id));
  const truncated = [...new Set([...c.truncated, ...g.truncated])];
  return { ...c, nodes, edges, hidden, truncated };
}

/**
 * onChart maps edge ids of g (a traversal's answer, whose relationships
 * may already be on the chart under another id: a flag's evidence names
 * its links differently) to the ids the chart draws them under (merge);
 * node ids and ids of edges g does not hold pass through.
 */
export function onChart(c: Chart, g: Subgraph, ids: string[]): string[] {
  const have = new Map(Object.values(c.edges).map((e) => [linkKey(e), e.id]));
  const byId = new Map(g.edges.map((e) => [e.id, e]));
  return ids.map((id) => {
    const e = byId.get(id);
    return (e && !c.edges[id] && have.get(linkKey(e))) || id;
  });
}

/**
 * expand adds the neighbours of node id that g holds, at most cap per
 * relationship type: the rest are summarised by one More placeholder per
 * type ("and 340 more"), counted from total when the server said how many
 * there are (counts before expanding), else from what g returned.
 */
export function expand(c: Chart, id: string, g: Subgraph, cap = EXPAND_CAP, totals: Record<string, number> = {}, atLeast?: boolean): Chart {
  // counts are lower bounds when what they come from was cut short: the
  // caller says so of its totals; what g returned, when g was cut
  const gCut = cutShort(g);
  const byType = new Map<string, GEdge[]>();
  for (const e of g.edges) {
    if (e.from !== id && e.to !== id) continue;
    const list = byType.get(e.type) ?? [];
    list.push(e);
    byType.set(e.type, list);
  }
  const keepNodes = new Set<string>([id]);
  const keepEdges: GEdge[] = [];
  const more: More[] = c.more.filter((m) => !(m.node === id && byType.has(m.type)));
  for (const [type, list] of byType) {
    const seen = new Set<string>();
    for (const e of list) {
      const other = e.from === id ? e.to : e.from;
      if (!seen.has(other) && (seen.size < cap || c.nodes[other])) {
        seen.add(other);
        keepNodes.add(other);
      }
      if (keepNodes.has(other)) keepEdges.push(e);
    }
    const returned = new Set(list.map((e) => (e.from === id ? e.to : e.from))).size;
    const total = Math.max(totals[type] ?? 0, returned);
    const left = total - seen.size;
    const lower = atLeast ?? (gCut && totals[type] === undefined);
    if (left > 0) more.push(lower ? { node: id, type, count: left, atLeast: true } : { node: id, type, count: left });
  }
  // Edges among kept nodes that are not incident to id (the server may send them) are kept too.
  for (const e of g.edges) if (e.from !== id && e.to !== id && keepNodes.has(e.from) && keepNodes.has(e.to)) keepEdges.push(e);
  const sub: Subgraph = { nodes: g.nodes.filter((n) => keepNodes.has(n.id)), edges: keepEdges, truncated: g.truncated };
  return { ...merge(c, sub), more };
}

/** cutShort says the server capped a neighbourhood (node_limit, edge_limit): counts from it are lower bounds. */
export const cutShort = (g: Subgraph): boolean => g.truncated.some((r) => r === "node_limit" || r === "edge_limit" || r === "cut short");

/** EXPAND_DEPTHS are the depths the chart offers an expansion (the API allows 0..3; 0 adds nothing). */
export const EXPAND_DEPTHS = [1, 2, 3] as const;

/** expandDepth is a depth choice as the API takes it: 1, 2 or 3, anything else 1. */
export const expandDepth = (v: unknown): number => (EXPAND_DEPTHS as readonly number[]).includes(Number(v)) ? Number(v) : 1;

/**
 * expandDeep adds what g holds within depth links of node id, as expand
 * does one link at a time: id's neighbours first, at most cap per type
 * (totals: the counts before expanding, as for expand), then each of
 * them in turn, cap per type again, and so on. A node the chart keeps out
 * behind an "and N more" placeholder is not expanded further; neither is
 * a hub (isHub: the server's hubs, marked in g, and any the chart knows),
 * which is shown but not passed through, as the server and the rules do.
 * g is the server's neighbourhood of id at that depth.
 */
export function expandDeep(c: Chart, id: string, g: Subgraph, depth: number, cap = EXPAND_CAP, totals: Record<string, number> = {}, isHub: (n: GNode) => boolean = (n) => !!n.hub, atLeast?: boolean): Chart {
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const adjacent = neighbours(g);
  let out = expand(c, id, g, cap, totals, atLeast);
  const done = new Set([id]);
  let ring = [id];
  for (let d = 1; d < depth; d++) {
    // the next ring: neighbours of the last one the chart now holds (those
    // behind a placeholder are not on it), each once, nearest first
    const next: string[] = [];
    for (const from of ring) for (const to of adjacent.get(from) ?? []) if (!done.has(to) && out.nodes[to] && !next.includes(to)) next.push(to);
    for (const n of next) {
      done.add(n);
      const node = byId.get(n) ?? out.nodes[n];
      if (!node || isHub(node)) continue;
      out = expand(out, n, g, cap);
    }
    ring = next;
  }
  return out;
}

/** neighbours maps each entity of g to those it links to, either way. */
function neighbours(g: Subgraph): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const e of g.edges) {
    for (const [a, b] of [[e.from, e.to], [e.to, e.from]]) {
      if (!out.has(a)) out.set(a, new Set());
      out.get(a)!.add(b);
    }
  }
  return out;
}

/**
 * reachedDepth is how many links from id the farthest entity of g lies
 * (breadth first over its links): the server stops a neighbourhood at the
 * level where its caps are reached, so an answer asked 3 links deep may
 * hold nothing beyond 2 (analystD M2).
 */
export function reachedDepth(g: Subgraph, id: string): number {
  const adjacent = neighbours(g);
  const seen = new Set([id]);
  let ring = [id];
  let d = 0;
  for (;;) {
    const next = ring.flatMap((n) => [...(adjacent.get(n) ?? [])]).filter((n) => !seen.has(n) && (seen.add(n), true));
    if (!next.length) return d;
    ring = next;
    d++;
  }
}

/**
 * expandNote says what cut an expansion short: the server's caps on
 * entities (limit) or on links (its counts are then lower bounds, the
 * "and N+ more"), how far the answer reached when a cap stopped it short
 * of the depth asked, and, beyond one link, the hubs not passed through.
 * "" when nothing did.
 */
export function expandNote(g: Subgraph, depth: number, limit: number, reached = depth): string {
  const parts: string[] = [];
  if (cutShort(g)) {
    const cap = g.truncated.includes("node_limit") ? `capped the neighbourhood at ${limit} entities` : "reached its cap on links";
    const further = depth <= 1 ? "" : reached < depth ? `, so nothing ${reached + 1} links away was fetched` : ", so what lies furthest is not all shown";
    parts.push(`cut short: the server ${cap}${further}`);
  }
  const hubs = g.truncated.filter((r) => r.startsWith("hub:")).length;
  if (depth > 1 && hubs) parts.push(`${hubs} hub${hubs === 1 ? "" : "s"} not passed through`);
  return parts.length ? ` (${parts.join("; ")})` : "";
}

/** remove deletes nodes (and their edges and placeholders) from the chart. */
export function remove(c: Chart, ids: string[]): Chart {
  const drop = new Set(ids);
  const nodes: Chart["nodes"] = {};
  for (const [k, n] of Object.entries(c.nodes)) if (!drop.has(k)) nodes[k] = n;
  const edges: Chart["edges"] = {};
  for (const [k, e] of Object.entries(c.edges)) if (!drop.has(e.from) && !drop.has(e.to) && !drop.has(k)) edges[k] = e;
  return {
    ...c,
    nodes,
    edges,
    hidden: c.hidden.filter((h) => !drop.has(h)),
    more: c.more.filter((m) => !drop.has(m.node)),
    groups: c.groups.map((g) => ({ ...g, members: g.members.filter((m) => !drop.has(m)) })).filter((g) => g.members.length > 0),
    evidence: c.evidence.filter((x) => !drop.has(x)),
  };
}

/**
 * showsRealName says whether a node shows a real name: one revealed on the
 * chart (revealedName), or a displayName other than the node's pseudonym
 * (the server names a revealed flag's officer and persons so).
 */
export const showsRealName = (n: GNode): boolean => !!n.properties.revealedName || (!!n.properties.pseudonym && !!n.properties.displayName && n.properties.displayName !== n.properties.pseudonym);

/** revealedIds lists the chart's nodes that show a real name (revealed earlier, audited then). */
export function revealedIds(c: Chart): string[] {
  return Object.values(c.nodes)
    .filter(showsRealName)
    .map((n) => n.id);
}

/** withoutRealNames is the chart with every real name taken back to its pseudonym: what a saved chart keeps, so that a name is shown again only by a new (audited) reveal. */
export function withoutRealNames(c: Chart): Chart {
  const nodes: Chart["nodes"] = {};
  for (const [k, n] of Object.entries(c.nodes)) {
    if (!showsRealName(n)) {
      nodes[k] = n;
      continue;
    }
    const { revealedName: _, ...rest } = n.properties;
    nodes[k] = { ...n, properties: { ...rest, displayName: rest.pseudonym ?? rest.displayName } };
  }
  return { ...c, nodes };
}

export interface ViewOptions {
  asOf?: string | null;
  period?: Period | null;
  /** Nodes known to be hubs from their neighbour counts. */
  hubs?: Set<string>;
  /** Crew view: complaints folded into "co-accused ×N" links between the officers they name. */
  foldComplaints?: boolean;
}

/** ASSOCIATION_RELS are the association links of the hub rule (DESIGN.md). */
export const ASSOCIATION_RELS = ["LIVES_AT", "USES_PHONE", "RELATED_TO", "DIRECTOR_OF", "HOLDS", "PAID"];

/**
 * isHub applies the server's exploration hub rule (docs/api.md) to a node's
 * counts per type: an officer, person or company with more than HUB_DEGREE
 * association neighbours, any other node (a complaint, a case, an address)
 * with more than HUB_DEGREE neighbours over any link (upper bounds when
 * types overlap).
 */
export function isHub(id: string, counts: RelCount[]): boolean {
  const party = /^(Officer|Person|Company):/.test(id);
  return counts.filter((c) => !party || ASSOCIATION_RELS.includes(c.type)).reduce((t, c) => t + c.count, 0) > HUB_DEGREE;
}

/**
 * visible decides which nodes and edges the chart draws: hidden nodes are
 * left out; with a period (the timeline brush) or an as-of day, dated
 * relationships outside it are left out, event nodes (shifts, complaints)
 * outside it too, and a node that only such relationships tied to the
 * chart goes with them. Evidence is always drawn.
 */
export function visible(c: Chart, o: ViewOptions = {}): { nodes: Set<string>; edges: Set<string> } {
  const hidden = new Set(c.hidden);
  const evidence = new Set(c.evidence);
  const nodeOK = (n: GNode): boolean => {
    if (hidden.has(n.id)) return false;
    if (evidence.has(n.id)) return true;
    const d = nodeDate(n);
    if (o.period && d && !inPeriod(d, o.period)) return false;
    if (o.asOf && (n.label === "Shift" || n.label === "Complaint" || n.label === "BadgeSwipe") && d && d.slice(0, 10) > o.asOf.slice(0, 10)) return false;
    return true;
  };
  const edgeOK = (e: GEdge): boolean => {
    if (evidence.has(e.id)) return true;
    const d = edgeDate(e);
    if (o.period && d && !inPeriod(d, o.period)) return false;
    if (o.asOf && !validAsOf(e.properties, o.asOf)) return false;
    return true;
  };
  const nodes = new Set<string>();
  for (const n of Object.values(c.nodes)) if (nodeOK(n)) nodes.add(n.id);
  const edges = new Set<string>();
  const filteredOut = new Map<string, number>(); // node -> edges dropped by date
  const kept = new Map<string, number>();
  for (const e of Object.values(c.edges)) {
    if (!nodes.has(e.from) || !nodes.has(e.to)) continue;
    if (edgeOK(e)) {
      edges.add(e.id);
      kept.set(e.from, (kept.get(e.from) ?? 0) + 1);
      kept.set(e.to, (kept.get(e.to) ?? 0) + 1);
    } else {
      filteredOut.set(e.from, (filteredOut.get(e.from) ?? 0) + 1);
      filteredOut.set(e.to, (filteredOut.get(e.to) ?? 0) + 1);
    }
  }
  if (o.period || o.asOf) {
    for (const [id, n] of filteredOut) if (n > 0 && !kept.get(id) && !evidence.has(id)) nodes.delete(id);
  }
  return { nodes, edges };
}

/** A cytoscape element definition, kept free of the cytoscape types for testing. */
export interface Element {
  group: "nodes" | "edges";
  data: Record<string, unknown> & { id: string };
  classes: string;
  position?: { x: number; y: number };
  locked?: boolean;
}

export const moreId = (m: More): string => `more:${m.node}:${m.type}`;
export const bundleId = (e: GEdge): string => `bundle:${e.from}:${e.type}:${e.to}`;
export const groupId = (id: string): string => `group:${id}`;

/** toElements maps the visible part of the chart to cytoscape elements. */
export function toElements(c: Chart, o: ViewOptions = {}): Element[] {
  const vis = visible(c, o);
  const evidence = new Set(c.evidence);
  const focus = evidence.size > 0;
  const crew = o.foldComplaints ? crewLinks(c, vis, evidence, focus) : null;
  if (crew) {
    for (const id of crew.complaints) vis.nodes.delete(id);
    for (const id of [...vis.edges]) if (crew.complaints.has(c.edges[id].from) || crew.complaints.has(c.edges[id].to)) vis.edges.delete(id);
  }
  const parentOf = new Map<string, string>();
  for (const g of c.groups) for (const m of g.members) parentOf.set(m, groupId(g.id));
  const out: Element[] = [];
  for (const g of c.groups) {
    if (g.members.some((m) => vis.nodes.has(m))) out.push({ group: "nodes", data: { id: groupId(g.id), caption: g.label, kind: "Group" }, classes: "group" });
  }
  const hubs = new Set([...c.truncated.filter((r) => r.startsWith("hub:")).map((r) => r.slice(4)), ...(o.hubs ?? [])]);
  for (const id of vis.nodes) {
    const n = c.nodes[id];
    const kind = kindOf(n);
    const cls = [kind.toLowerCase()];
    if (n.hub || hubs.has(id) || (n.degree ?? 0) > HUB_DEGREE) cls.push("hub");
    if (n.suppressed) cls.push("suppressed");
    if (focus) cls.push(evidence.has(id) ? "evidence" : "context");
    if (c.subject === id) cls.push("subject");
    if (c.pinned[id]) cls.push("pinned");
    const el: Element = { group: "nodes", data: { id, caption: caption(n), kind, label: n.label }, classes: cls.join(" ") };
    const parent = parentOf.get(id);
    if (parent) el.data.parent = parent;
    if (c.pinned[id]) {
      el.position = { ...c.pinned[id] };
      el.locked = true;
    }
    out.push(el);
  }
  // Parallel relationships of one type between the same pair (an officer
  // opening the same record five times) are drawn as one edge, "×5".
  const bundles = new Map<string, GEdge[]>();
  for (const id of vis.edges) {
    const e = c.edges[id];
    const k = `${e.from}\u0000${e.type}\u0000${e.to}`;
    const list = bundles.get(k);
    if (list) list.push(e);
    else bundles.set(k, [e]);
  }
  for (const list of bundles.values()) {
    const e = list[0];
    const cls = [e.type.toLowerCase()];
    const onPath = list.some((x) => evidence.has(x.id));
    if (focus) cls.push(onPath ? "evidence" : "context");
    if (list.length === 1) {
      out.push({ group: "edges", data: { id: e.id, source: e.from, target: e.to, caption: edgeCaption(e), type: e.type }, classes: cls.join(" ") });
      continue;
    }
    const dates = list.map(edgeDate).filter(Boolean).sort();
    const span = dates.length ? ` ${shortDate(dates[0])}…${shortDate(dates[dates.length - 1])}` : "";
    const total = e.type === "PAID" ? ` ${money(list.reduce((t, x) => t + (Number(x.properties.amount) || 0), 0), e.properties.currency)}` : "";
    cls.push("bundle");
    out.push({
      group: "edges",
      data: { id: bundleId(e), source: e.from, target: e.to, caption: `${e.type.toLowerCase().replace(/_/g, " ")} ×${list.length}${total}${span}`, type: e.type, members: list.map((x) => x.id) },
      classes: cls.join(" "),
    });
  }
  if (crew) out.push(...crew.edges);
  for (const m of c.more) {
    if (!vis.nodes.has(m.node)) continue;
    const id = moreId(m);
    out.push({ group: "nodes", data: { id, caption: `and ${m.count}${m.atLeast ? "+" : ""} more (${m.type.toLowerCase().replace(/_/g, " ")})`, kind: "More", owner: m.node, type: m.type }, classes: "more" });
    out.push({ group: "edges", data: { id: `${id}:edge`, source: m.node, target: id, caption: "", type: m.type }, classes: "more" });
  }
  return out;
}

/** complaintCount is how many complaints the chart holds (the crew view folds them). */
export const complaintCount = (c: Chart): number => Object.values(c.nodes).filter((n) => n.label === "Complaint").length;

/**
 * crewLinks folds the visible complaints into links between the officers
 * each names: "co-accused ×N" for N complaints shared, evidence when the
 * complaint's links to both were. With a flagged officer on the chart only
 * their links are drawn (a crew of 26 would otherwise draw 325 links).
 */
function crewLinks(c: Chart, vis: { nodes: Set<string>; edges: Set<string> }, evidence: Set<string>, focus: boolean): { complaints: Set<string>; edges: Element[] } {
  const complaints = new Set([...vis.nodes].filter((id) => c.nodes[id].label === "Complaint"));
  const named = new Map<string, Map<string, string>>(); // complaint -> officer -> the edge naming them
  for (const id of vis.edges) {
    const e = c.edges[id];
    const [cid, oid] = complaints.has(e.to) ? [e.to, e.from] : complaints.has(e.from) ? [e.from, e.to] : ["", ""];
    if (!cid || c.nodes[oid]?.label !== "Officer") continue;
    if (!named.has(cid)) named.set(cid, new Map());
    named.get(cid)!.set(oid, id);
  }
  const pairs = new Map<string, { a: string; b: string; n: number; evidence: boolean; members: string[] }>();
  for (const officers of named.values()) {
    const ids = [...officers.keys()].sort();
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const [a, b] = [ids[i], ids[j]];
        if (c.subject && a !== c.subject && b !== c.subject) continue;
        const k = `crew:${a}:${b}`;
        const p = pairs.get(k) ?? { a, b, n: 0, evidence: false, members: [] };
        const [ea, eb] = [officers.get(a)!, officers.get(b)!];
        p.n++;
        p.evidence ||= evidence.has(ea) && evidence.has(eb);
        p.members.push(ea, eb);
        pairs.set(k, p);
      }
    }
  }
  const edges: Element[] = [...pairs].map(([id, p]) => ({
    group: "edges",
    data: { id, source: p.a, target: p.b, caption: p.n > 1 ? `co-accused ×${p.n}` : "co-accused", type: "CO_ACCUSED", weight: p.n, members: p.members },
    classes: ["co_accused", focus ? (p.evidence ? "evidence" : "context") : ""].join(" ").trim(),
  }));
  return { complaints, edges };
}

/**
 * relCounts counts a node's neighbours in g per relationship type and
 * direction (what the expand menu shows before expanding). When g was cut
 * short, counts are lower bounds: atLeast says so.
 */
export function relCounts(id: string, g: Subgraph): { counts: RelCount[]; atLeast: boolean } {
  const seen = new Map<string, Set<string>>();
  const dirs = new Map<string, Set<"out" | "in">>();
  for (const e of g.edges) {
    if (e.from !== id && e.to !== id) continue;
    const other = e.from === id ? e.to : e.from;
    if (!seen.has(e.type)) {
      seen.set(e.type, new Set());
      dirs.set(e.type, new Set());
    }
    seen.get(e.type)!.add(other);
    dirs.get(e.type)!.add(e.from === id ? "out" : "in");
  }
  const counts: RelCount[] = [...seen].map(([type, s]) => {
    const d = dirs.get(type)!;
    return { type, direction: d.size === 2 ? "both" : d.has("out") ? "out" : "in", count: s.size };
  });
  counts.sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
  return { counts, atLeast: cutShort(g) };
}

/** only keeps the part of g reached from id over one relationship type. */
export function only(g: Subgraph, id: string, type: string): Subgraph {
  const edges = g.edges.filter((e) => e.type === type && (e.from === id || e.to === id));
  const keep = new Set([id, ...edges.flatMap((e) => [e.from, e.to])]);
  return { nodes: g.nodes.filter((n) => keep.has(n.id)), edges, truncated: g.truncated };
}

/** ExplanationPart is a run of an explanation: text, or the import id of an entity on the chart (node: its id there). */
export type ExplanationPart = { text: string; node?: string };

/**
 * explanationParts splits a flag's explanation so that each import id it
 * names (OFF000089, CPD-11080) of a node on the chart can link to that node:
 * the chart shows officers and persons by pseudonym, the explanation by id.
 */
export function explanationParts(text: string, nodeIds: string[]): ExplanationPart[] {
  const byImport = new Map<string, string>();
  for (const id of nodeIds) {
    const i = id.indexOf(":");
    if (i > 0 && i < id.length - 1) byImport.set(id.slice(i + 1), id);
  }
  if (byImport.size === 0) return [{ text }];
  const alternatives = [...byImport.keys()].sort((a, b) => b.length - a.length).map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const re = new RegExp(`(?<![\\w-])(${alternatives.join("|")})(?![\\w-])`, "g");
  const out: ExplanationPart[] = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) out.push({ text: text.slice(last, m.index) });
    out.push({ text: m[1], node: byImport.get(m[1]) });
    last = m.index + m[1].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

/** SEARCH_FIRST is how many matches a search shows (each a read of personal data, audited). */
export const SEARCH_FIRST = 20;

/**
 * searchStatus says what a search found: a full page may not be all
 * (analystZ: "20 found" where 751 officers bore the name), and the way to
 * the rest is a narrower search, not more pages of names read and audited.
 */
export function searchStatus(n: number, text: string): string {
  if (n === 0) return `Nothing matches “${text}”.`;
  if (n >= SEARCH_FIRST) return `The first ${n} matches; there may be more: add to the name, or search by id or postcode.`;
  return `${n} found`;
}
