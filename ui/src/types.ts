// Shapes shared by the store, the chart and the panels. They mirror the
// GraphQL API's Subgraph (nodes, edges, truncated) after normalisation in
// model.ts, whatever exact form the server sends properties in.

/** Entity kinds the chart styles; anything else is drawn as "other". */
/** ENTITY_LABELS are the labels of the server's entities (global ids Label:id); shifts, swipes and misconduct cases are not. */
export const ENTITY_LABELS = ["Officer", "Person", "Company", "Account", "Address", "Phone", "Case", "Record", "Complaint"] as const;

export type Kind =
  | "Officer"
  | "PersonOfInterest"
  | "Person"
  | "Company"
  | "Account"
  | "Address"
  | "Phone"
  | "Record"
  | "Case"
  | "Complaint"
  | "Shift"
  | "BadgeSwipe"
  | "MisconductCase"
  | "Flag"
  | "Other";

export type Props = Record<string, unknown>;

export interface GNode {
  id: string;
  /** Stored label (Officer, Person, ...). */
  label: string;
  properties: Props;
  /** True when the node is an automatic hub (more than 20 association neighbours). */
  hub?: boolean;
  /** True when the node is on the administrators' list of shared identifiers. */
  suppressed?: boolean;
  /** Neighbour count when the server reports it. */
  degree?: number;
}

export interface GEdge {
  id: string;
  type: string;
  from: string;
  to: string;
  properties: Props;
}

export interface Subgraph {
  nodes: GNode[];
  edges: GEdge[];
  /** Why the result is partial ("node_limit", "hub:ADDR-1"); empty when whole. */
  truncated: string[];
}

/** How many neighbours a node has over one relationship type and direction. */
export interface RelCount {
  type: string;
  direction: "out" | "in" | "both";
  count: number;
}

export interface Group {
  id: string;
  label: string;
  members: string[];
}

export type LayoutName = "fcose" | "dagre" | "circle" | "grid";

export interface Period {
  from: string; // inclusive, ISO date or date-time
  to: string; // inclusive
}

/** A placeholder standing for the neighbours an expansion left out. */
export interface More {
  node: string;
  type: string;
  count: number;
  /** The count is a lower bound: the neighbourhood it came from was cut short by the server's caps. */
  atLeast?: boolean;
}

/** The link chart's state: everything undo/redo restores. */
export interface Chart {
  nodes: Record<string, GNode>;
  edges: Record<string, GEdge>;
  hidden: string[];
  pinned: Record<string, { x: number; y: number }>;
  groups: Group[];
  /** Node and edge ids of the flag's evidence path, drawn highlighted. */
  evidence: string[];
  /** The flagged officer's node id, drawn apart from the rest of the evidence (a crew's 25 partners are officers too). */
  subject?: string;
  more: More[];
  truncated: string[];
}

export const emptyChart = (): Chart => ({
  nodes: {},
  edges: {},
  hidden: [],
  pinned: {},
  groups: [],
  evidence: [],
  more: [],
  truncated: [],
});
