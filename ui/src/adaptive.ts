// Documents for the flag store built from the server's own schema. The
// flag and review API lands after the UI, so instead of guessing exact field
// names these documents are assembled by introspection: every scalar field
// of Flag (and of its reviews, recusal, parameters), entities as entities,
// lists or connections either way, and the review mutation's arguments
// matched by meaning (id/flagId, status/decision/to, reason). The views read
// the result through flagFromApi(), which accepts the usual spellings.
import type { Client } from "./api";
import { NODE } from "./queries";
import { ENTITY_LABELS } from "./types";

interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}
interface Field {
  name: string;
  args: { name: string; type: TypeRef; defaultValue: string | null }[];
  type: TypeRef;
}
interface FullType {
  name: string;
  kind: string;
  fields: Field[] | null;
  enumValues: { name: string }[] | null;
  possibleTypes: { name: string }[] | null;
}

const TYPE_REF = "kind name ofType { kind name ofType { kind name ofType { kind name } } }";
export const SCHEMA_TYPES = `query SchemaTypes {
  __schema {
    types { name kind enumValues { name } possibleTypes { name }
      fields { name args { name defaultValue type { ${TYPE_REF} } } type { ${TYPE_REF} } }
      inputFields { name defaultValue type { ${TYPE_REF} } } }
    queryType { name }
    mutationType { name }
  }
}`;

export const named = (t: TypeRef): TypeRef => (t.ofType ? named(t.ofType) : t);
const isList = (t: TypeRef): boolean => t.kind === "LIST" || (t.kind === "NON_NULL" && !!t.ofType && isList(t.ofType));
const required = (t: TypeRef): boolean => t.kind === "NON_NULL";
/** The entity types of the API (interface Node); selected with the NODE fields. */
const ENTITY = new Set<string>(["Node", "Party", ...ENTITY_LABELS]);

export class Schema {
  constructor(private types: Map<string, FullType>, readonly query: string, readonly mutation: string | null) {}

  static async load(api: Client): Promise<Schema> {
    const d = await api.query<{ __schema: { types: FullType[]; queryType: { name: string }; mutationType: { name: string } | null } }>(SCHEMA_TYPES);
    return new Schema(new Map(d.__schema.types.map((t) => [t.name, t])), d.__schema.queryType.name, d.__schema.mutationType?.name ?? null);
  }

  type(name: string): FullType | undefined {
    return this.types.get(name);
  }

  field(typeName: string, field: string): Field | undefined {
    return this.types.get(typeName)?.fields?.find((f) => f.name === field);
  }

  /** entity selects an entity-typed field's fields, with fragments only where they can apply. */
  entity(typeName: string): string {
    if (typeName === "Node" || typeName === "Party") return NODE;
    const t = this.types.get(typeName);
    const own = (t?.fields ?? []).filter((f) => ["SCALAR", "ENUM"].includes(named(f.type).kind) && !f.args.some((a) => required(a.type) && a.defaultValue == null)).map((f) => f.name);
    return own.join(" ");
  }

  /**
   * select lists the fields of typeName: every scalar and enum without a
   * required argument, entities by entity(), other objects recursively
   * (depth levels), connections through nodes or edges { node }.
   */
  select(typeName: string, depth = 2): string {
    if (ENTITY.has(typeName)) return this.entity(typeName);
    const t = this.types.get(typeName);
    if (!t?.fields) return "__typename";
    const parts: string[] = [];
    for (const f of t.fields) {
      if (f.args.some((a) => required(a.type) && a.defaultValue == null)) continue;
      const n = named(f.type);
      if (n.kind === "SCALAR" || n.kind === "ENUM") parts.push(f.name);
      else if (n.name && ENTITY.has(n.name)) parts.push(`${f.name} { ${this.entity(n.name)} }`);
      else if (n.name && depth > 0) parts.push(`${f.name} { ${this.select(n.name, depth - 1)} }`);
    }
    return parts.length ? parts.join(" ") : "__typename";
  }

  /** list selects a list-returning field whether it is a plain list or a connection. */
  list(field: Field, item: (t: string) => string): { sel: string; path: "list" | "nodes" | "edges" } {
    const n = named(field.type);
    if (isList(field.type) || !n.name) return { sel: item(n.name ?? ""), path: "list" };
    const conn = this.types.get(n.name);
    const nodes = conn?.fields?.find((f) => f.name === "nodes");
    if (nodes) return { sel: `nodes { ${item(named(nodes.type).name ?? "")} } ${conn?.fields?.some((f) => f.name === "totalCount") ? "totalCount" : ""}`, path: "nodes" };
    const edges = conn?.fields?.find((f) => f.name === "edges");
    const node = edges && this.types.get(named(edges.type).name ?? "")?.fields?.find((f) => f.name === "node");
    if (edges && node) return { sel: `edges { node { ${item(named(node.type).name ?? "")} } }`, path: "edges" };
    return { sel: item(n.name), path: "list" };
  }
}

const gqlString = (s: string): string => JSON.stringify(s);

export interface FlagDocs {
  list: string | null;
  listPath: "list" | "nodes" | "edges";
  /** statusFilter says the list takes $filter: {status: [...]} (without it the server lists open flags only). */
  statusFilter: boolean;
  /** paged says the list takes $after and returns pageInfo { hasNextPage endCursor }. */
  paged: boolean;
  /** serverFilters are the other fields of $filter the server applies to every flag, not to the page held here (pattern, text). */
  serverFilters: Set<string>;
  /** counts is the query of how many flags a filter matches per pattern ($filter), or null. */
  counts: string | null;
  /** byRisk says the list takes $order: RISK (the officer's risk first: the triage order). */
  byRisk: boolean;
  one: string | null;
  /**
   * review builds the mutation for a decision, or null when the server has
   * none; ack sends acknowledgeLink: true (the reviewer declared a link to
   * the officer) where the mutation takes it.
   */
  review: ((id: string, status: string, reason: string, ack?: boolean) => string) | null;
}

/** flagDocs assembles the flag queue, flag and review documents from the schema. */
export function flagDocs(s: Schema): FlagDocs {
  const q = s.query;
  const flagsF = s.field(q, "flags");
  const flagF = s.field(q, "flag");
  let list: string | null = null;
  let listPath: FlagDocs["listPath"] = "list";
  let statusFilter = false;
  let paged = false;
  const serverFilters = new Set<string>();
  let counts: string | null = null;
  let byRisk = false;
  if (flagsF) {
    const l = s.list(flagsF, (t) => listSelection(s, t));
    const firstArg = flagsF.args.find((a) => a.name === "first" || a.name === "limit");
    const filterArg = flagsF.args.find((a) => a.name === "filter");
    const filterType = s.type(named(filterArg?.type ?? flagsF.type).name ?? "") as unknown as { inputFields?: Field[] } | undefined;
    statusFilter = Boolean(filterArg && filterType?.inputFields?.some((f) => f.name === "status"));
    for (const f of filterType?.inputFields ?? []) if (statusFilter && (f.name === "pattern" || f.name === "text" || f.name === "minScore" || f.name === "minRisk" || f.name === "awaitingConfirmation")) serverFilters.add(f.name);
    const countsF = s.field(q, "flagCounts");
    if (statusFilter && countsF?.args.some((a) => a.name === "filter")) counts = `query FlagCounts($filter: ${typeText(filterArg!.type)}) { flagCounts(filter: $filter) { total byPattern { pattern count } } }`;
    // A connection with pageInfo and an after argument pages: the queue can ask for the next 200.
    const afterArg = flagsF.args.find((a) => a.name === "after");
    paged = Boolean(afterArg && l.path === "nodes" && s.type(named(flagsF.type).name ?? "")?.fields?.some((f) => f.name === "pageInfo"));
    const orderArg = flagsF.args.find((a) => a.name === "order");
    byRisk = Boolean(orderArg && s.type(named(orderArg.type).name ?? "")?.enumValues?.some((v) => v.name === "RISK"));
    const args = [firstArg ? `${firstArg.name}: ${firstArg.name === "first" ? 200 : 1000}` : "", statusFilter ? "filter: $filter" : "", paged ? "after: $after" : "", byRisk ? "order: $order" : ""].filter(Boolean).join(", ");
    const varList = [statusFilter ? `$filter: ${typeText(filterArg!.type)}` : "", paged ? `$after: ${typeText(afterArg!.type)}` : "", byRisk ? `$order: ${typeText(orderArg!.type)}` : ""].filter(Boolean).join(", ");
    list = `query Flags${varList ? `(${varList})` : ""} { flags${args ? `(${args})` : ""} { ${l.sel}${paged ? " pageInfo { hasNextPage endCursor }" : ""} } }`;
    listPath = l.path;
  }
  let one: string | null = null;
  if (flagF) {
    const idArg = flagF.args[0];
    const t = named(flagF.type).name ?? "Flag";
    one = `query Flag($id: ${typeText(idArg.type)}) { flag(${idArg.name}: $id) { ${flagSelection(s, t)} } }`;
  }
  let review: FlagDocs["review"] = null;
  const m = s.mutation ? (s.type(s.mutation)?.fields ?? []).find((f) => /^(review|decide)/i.test(f.name) && /flag/i.test(f.name)) ?? (s.type(s.mutation)?.fields ?? []).find((f) => /^review$/i.test(f.name)) : undefined;
  if (m) {
    const idA = m.args.find((a) => /^(id|flagId|flag)$/i.test(a.name));
    const stA = m.args.find((a) => /^(status|decision|to|state)$/i.test(a.name));
    const rsA = m.args.find((a) => /^reason$/i.test(a.name));
    const input = m.args.find((a) => /^input$/i.test(a.name));
    const ret = named(m.type).name ?? "";
    const retSel = ENTITY.has(ret) || s.type(ret)?.kind === "SCALAR" ? "" : `{ ${s.select(ret, 1)} }`;
    const ackA = m.args.find((a) => /^acknowledge(Link)?$/i.test(a.name));
    if (idA && stA && rsA) {
      const stEnum = named(stA.type).kind === "ENUM";
      review = (id, status, reason, ack) =>
        `mutation Review { ${m.name}(${idA.name}: ${gqlString(id)}, ${stA.name}: ${stEnum ? status : gqlString(status)}, ${rsA.name}: ${gqlString(reason)}${ack && ackA ? `, ${ackA.name}: true` : ""}) ${retSel} }`;
    } else if (input) {
      const fields = (s.type(named(input.type).name ?? "") as unknown as { inputFields?: Field[] })?.inputFields ?? [];
      const id2 = fields.find((a) => /^(id|flagId|flag)$/i.test(a.name));
      const st2 = fields.find((a) => /^(status|decision|to|state)$/i.test(a.name));
      const rs2 = fields.find((a) => /^reason$/i.test(a.name));
      if (id2 && st2 && rs2) {
        const stEnum = named(st2.type).kind === "ENUM";
        review = (id, status, reason) => `mutation Review { ${m.name}(${input.name}: { ${id2.name}: ${gqlString(id)}, ${st2.name}: ${stEnum ? status : gqlString(status)}, ${rs2.name}: ${gqlString(reason)} }) ${retSel} }`;
      }
    }
  }
  return { list, listPath, statusFilter, paged, serverFilters, counts, byRisk, one, review };
}

function typeText(t: TypeRef): string {
  if (t.kind === "NON_NULL") return `${typeText(t.ofType!)}!`;
  if (t.kind === "LIST") return `[${typeText(t.ofType!)}]`;
  return t.name ?? "ID";
}

/** listSelection is a flag's queue row: scalars and the officer, never the evidence. */
function listSelection(s: Schema, t: string): string {
  const fl = s.type(t)?.fields ?? [];
  const parts: string[] = [];
  for (const f of fl) {
    if (f.args.some((a) => required(a.type) && a.defaultValue == null)) continue;
    const n = named(f.type);
    if (n.kind === "SCALAR" || n.kind === "ENUM") parts.push(f.name);
    else if (f.name === "officer" && n.name) parts.push(`officer { ${s.entity(n.name)} }`);
    else if (f.name === "officerRisk") parts.push("officerRisk { risk }");
    else if (f.name === "reviews") parts.push("reviews { at reviewer from to reason }"); // who took it into review; a referral's confirmation
  }
  return parts.join(" ") || "id";
}

/** flagSelection is the whole flag: scalars, officer, evidence subgraph, reviews, recusal, parameters. */
function flagSelection(s: Schema, t: string): string {
  const fl = s.type(t)?.fields ?? [];
  const parts: string[] = [];
  for (const f of fl) {
    if (f.args.some((a) => required(a.type) && a.defaultValue == null)) continue;
    const n = named(f.type);
    if (n.kind === "SCALAR" || n.kind === "ENUM") parts.push(f.name);
    else if (n.name && ENTITY.has(n.name)) parts.push(`${f.name} { ${s.entity(n.name)} }`);
    else if (n.name) parts.push(`${f.name} { ${s.select(n.name, 2)} }`);
  }
  return parts.join(" ") || "id";
}

type Raw = Record<string, unknown>;
const pick = (o: Raw, ...names: string[]): unknown => {
  for (const n of names) if (o[n] != null) return o[n];
  return undefined;
};

/** rows reads the flag list whatever its shape. */
export function rows(data: unknown, path: FlagDocs["listPath"]): Raw[] {
  const d = data as Raw;
  if (path === "nodes") return ((d as { nodes?: Raw[] }).nodes ?? []) as Raw[];
  if (path === "edges") return (((d as { edges?: { node: Raw }[] }).edges ?? []).map((e) => e.node)) as Raw[];
  return (Array.isArray(d) ? d : []) as Raw[];
}

/** flagFromApi maps a flag object with any of the usual spellings to the view's fields. */
export function flagFromApi(f: Raw) {
  const officer = (f.officer as Raw | undefined) ?? (f.officerId ? { id: `Officer:${String(f.officerId)}`, key: f.officerId, displayName: f.officerPseudonym ?? `Officer ${String(f.officerId)}` } : null);
  const params = pick(f, "parameters", "params", "thresholds");
  let parameters: Record<string, unknown> | null = null;
  if (typeof params === "string") {
    try {
      parameters = JSON.parse(params) as Record<string, unknown>;
    } catch {
      parameters = { value: params };
    }
  } else if (Array.isArray(params)) parameters = Object.fromEntries(params.map((p: Raw) => [String(p.name ?? p.key), p.value]));
  else if (params && typeof params === "object") parameters = params as Record<string, unknown>;
  const reviews = ((pick(f, "reviews", "history") as Raw[] | { nodes?: Raw[] } | undefined) ?? []) as Raw[] | { nodes?: Raw[] };
  const revList = Array.isArray(reviews) ? reviews : reviews.nodes ?? [];
  const rec = pick(f, "recusal") as Raw | undefined;
  const recuse = rec ? Boolean(pick(rec, "required", "recuse", "asked")) : Boolean(pick(f, "recuse", "recusalRequired"));
  return {
    id: String(f.id),
    pattern: String(pick(f, "pattern", "patternName") ?? ""),
    ruleVersion: (pick(f, "patternVersion", "ruleVersion", "version") as string | number | undefined) ?? null,
    score: Number(pick(f, "score") ?? 0),
    status: String(pick(f, "status") ?? "new"),
    explanation: String(pick(f, "explanation") ?? ""),
    innocentExplanation: (pick(f, "innocentExplanation") as string | undefined) ?? null,
    parameters,
    scannedAt: (pick(f, "scannedAt", "dataTime") as string | undefined) ?? null,
    createdAt: (pick(f, "firstSeen", "createdAt") as string | undefined) ?? null,
    lastSeen: (pick(f, "lastSeen", "updatedAt") as string | undefined) ?? null,
    clearedAt: (pick(f, "clearedAt") as string | undefined) ?? null,
    supersededBy: (pick(f, "supersededBy") as string | undefined) ?? null,
    officer: officer as { id: string; key?: string; displayName?: string; unit?: string; rank?: string } | null,
    evidence: pick(f, "evidence", "subgraph"),
    reviews: revList.map((r) => ({
      at: String(pick(r, "at", "createdAt", "decidedAt") ?? ""),
      reviewer: String(pick(r, "reviewer", "actor", "by") ?? ""),
      from: String(pick(r, "from") ?? ""),
      status: String(pick(r, "to", "status", "decision") ?? ""),
      reason: String(pick(r, "reason") ?? ""),
    })),
    notes: Array.isArray(f.notes)
      ? (f.notes as Raw[]).map((n) => ({ at: String(pick(n, "at") ?? ""), author: String(pick(n, "author") ?? ""), text: String(pick(n, "text") ?? "") }))
      : undefined,
    recusal: recuse
      ? {
          required: true,
          reason: (rec && (pick(rec, "reason", "why") as string | undefined)) ?? (pick(f, "recusalReason") as string | undefined) ?? null,
          reasons: rec && Array.isArray(rec.reasons) ? (rec.reasons as unknown[]).map(String) : [],
          own: Boolean(rec && pick(rec, "own")),
        }
      : null,
    revealed: Boolean(pick(f, "revealed")),
    risk: typeof (f.officerRisk as Raw | undefined)?.risk === "number" ? ((f.officerRisk as Raw).risk as number) : null,
    declarations: Array.isArray(f.declarations)
      ? (f.declarations as Raw[]).map((d) => ({
          declared: String(pick(d, "declared", "id") ?? ""),
          type: (pick(d, "type") as string | undefined) ?? null,
          on: (pick(d, "on") as string | undefined) ?? null,
          withdrawnOn: (pick(d, "withdrawnOn") as string | undefined) ?? null,
          afterFlag: Boolean(pick(d, "afterFlag")),
        }))
      : undefined,
  };
}

/** nextStatuses mirrors the review rules: new → in_review → one of four decisions; decided flags are closed. */
export function nextStatuses(s: string): string[] {
  if (s === "new") return ["in_review"];
  if (s === "in_review") return ["referred_investigation", "prevention_notice", "no_further_action", "false_positive"];
  return [];
}

/**
 * confirmation is a referral's confirmation by a second reviewer: the one
 * review that stays in referred_investigation (confirmReferral records it
 * from and to that state; no decision can), never judged by its reason,
 * which anyone may word "confirmed: …" (analystV).
 */
export function confirmation<R extends { from?: string; status: string }>(reviews: R[] | null | undefined): R | undefined {
  return (reviews ?? []).find((r) => r.from === "referred_investigation" && r.status === "referred_investigation");
}
