// The timeline's model: dated events of the selected entities (accesses,
// payments, shifts, complaints), their extent, day bins, and the mapping
// between a brushed pixel range and a period. The SVG drawing is in
// views/timelineView.ts.
import { caption, edgeCaption, edgeDate, nodeDate, shortDate } from "./model";
import type { Chart, Period } from "./types";

export type EventKind = "access" | "payment" | "shift" | "swipe" | "complaint" | "other";

export interface TimelineEvent {
  when: string; // ISO date or date-time
  kind: EventKind;
  text: string;
  /** The chart element the event comes from (edge or node id). */
  ref: string;
}

const kindOfEdge: Record<string, EventKind> = { ACCESSED: "access", PAID: "payment" };
// Swipes have their own lane: an attendance-mismatch case is a shift without one.
const kindOfNode: Record<string, EventKind> = { Shift: "shift", Complaint: "complaint", BadgeSwipe: "swipe" };

/**
 * events lists the dated events touching the selected nodes (every node
 * when none is selected), oldest first.
 */
export function events(c: Chart, selected: string[]): TimelineEvent[] {
  const sel = new Set(selected.length ? selected : Object.keys(c.nodes));
  const out: TimelineEvent[] = [];
  const seenNodes = new Set<string>();
  for (const e of Object.values(c.edges)) {
    const touches = sel.has(e.from) || sel.has(e.to);
    if (!touches) continue;
    const when = edgeDate(e);
    if (when && kindOfEdge[e.type]) {
      const a = c.nodes[e.from], b = c.nodes[e.to];
      out.push({ when, kind: kindOfEdge[e.type], text: `${a ? caption(a) : e.from} → ${b ? caption(b) : e.to}: ${edgeCaption(e)}`, ref: e.id });
    }
    // Event nodes hanging off a selected node (its shifts, its complaints).
    for (const id of [e.from, e.to]) {
      const n = c.nodes[id];
      if (n && kindOfNode[n.label] && !seenNodes.has(id)) {
        seenNodes.add(id);
        const d = nodeDate(n);
        if (d) out.push({ when: d, kind: kindOfNode[n.label], text: `${caption(n)}`, ref: id });
      }
    }
  }
  for (const id of sel) {
    const n = c.nodes[id];
    if (n && kindOfNode[n.label] && !seenNodes.has(id) && nodeDate(n)) {
      out.push({ when: nodeDate(n), kind: kindOfNode[n.label], text: caption(n), ref: id });
    }
  }
  return out.sort((a, b) => a.when.localeCompare(b.when) || a.ref.localeCompare(b.ref));
}

const DAY = 86_400_000;
const dayMs = (s: string): number => Date.parse(shortDate(s) + "T00:00:00Z");
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** extent is the first and last day of the events, or null when there are none. */
export function extent(ev: TimelineEvent[]): Period | null {
  if (ev.length === 0) return null;
  const days = ev.map((e) => dayMs(e.when)).filter(Number.isFinite);
  if (days.length === 0) return null;
  return { from: isoDay(Math.min(...days)), to: isoDay(Math.max(...days)) };
}

export interface Scale {
  from: number; // ms, start of first day
  to: number; // ms, end of last day
  width: number; // px
}

export function scale(p: Period, width: number): Scale {
  return { from: dayMs(p.from), to: dayMs(p.to) + DAY, width };
}

export const xOf = (s: Scale, when: string): number => ((dayMs(when) + DAY / 2 - s.from) / (s.to - s.from)) * s.width;

/** brushPeriod turns a dragged pixel range into whole days (inclusive), clamped to the scale. */
export function brushPeriod(s: Scale, x0: number, x1: number): Period {
  const [a, b] = x0 <= x1 ? [x0, x1] : [x1, x0];
  const clamp = (x: number): number => Math.min(Math.max(x, 0), s.width);
  const t0 = s.from + (clamp(a) / s.width) * (s.to - s.from);
  const t1 = s.from + (clamp(b) / s.width) * (s.to - s.from);
  const from = Math.floor(t0 / DAY) * DAY;
  let to = Math.floor(t1 / DAY) * DAY;
  if (to >= s.to) to = s.to - DAY;
  return { from: isoDay(from), to: isoDay(Math.max(from, to)) };
}

/** bins counts events per kind in n equal slices of the scale. */
export function bins(ev: TimelineEvent[], s: Scale, n: number): Record<EventKind, number>[] {
  const out = Array.from({ length: n }, () => ({ access: 0, payment: 0, shift: 0, swipe: 0, complaint: 0, other: 0 }));
  for (const e of ev) {
    const t = dayMs(e.when);
    if (!Number.isFinite(t)) continue;
    const i = Math.min(n - 1, Math.max(0, Math.floor(((t - s.from) / (s.to - s.from)) * n)));
    out[i][e.kind]++;
  }
  return out;
}

/** An event as the API's timeline query returns it. */
export interface ApiEvent {
  at: string;
  kind: string;
  subject: { id: string; displayName: string };
  other?: { id: string; type?: string; displayName: string } | null;
  details?: { name: string; value: string }[];
}

const API_KINDS: Record<string, EventKind> = { access: "access", payment: "payment", shift: "shift", swipe: "swipe", complaint: "complaint" };

/** fromApi maps the server's timeline events to the timeline's. */
export function fromApi(ev: ApiEvent[]): TimelineEvent[] {
  return ev
    .map((e) => {
      const d = Object.fromEntries((e.details ?? []).map((p) => [p.name, p.value]));
      const extra = e.kind === "payment" && d.amount ? ` ${d.currency === "GBP" || !d.currency ? "£" : d.currency + " "}${d.amount}` : e.kind === "access" && d.channel ? ` (${d.channel})` : e.kind === "shift" && d.declaredLocation ? ` declared ${d.declaredLocation}` : "";
      return {
        when: e.at,
        kind: API_KINDS[e.kind] ?? ("other" as EventKind),
        text: `${e.kind}: ${e.subject.displayName}${e.other ? ` → ${e.other.displayName}` : ""}${extra}`,
        ref: e.other?.id ?? e.subject.id,
      };
    })
    .sort((a, b) => a.when.localeCompare(b.when) || a.ref.localeCompare(b.ref));
}
