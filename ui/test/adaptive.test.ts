import { buildSchema, graphqlSync, parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { SCHEMA_TYPES, Schema, flagDocs, flagFromApi, nextStatuses, rows } from "../src/adaptive";
import REAL_SDL from "../../api/schema.graphql?raw";
import { normalise } from "../src/model";
import * as Q from "../src/queries";

// A flag API in the style of api/schema.graphql: entities behind interface
// Node, a connection for the list, an enum decision and reviews.
const SDL = `
interface Node { id: ID! key: String! type: String! displayName: String! hubReason: String }
type Officer implements Node { id: ID! key: String! type: String! displayName: String! hubReason: String pseudonym: String! name(purpose: String!): String rank: String unit: String role: String startDate: String status: String }
type Person implements Node { id: ID! key: String! type: String! displayName: String! hubReason: String pseudonym: String! dob: String poi: Boolean! poiReason: String highProfile: Boolean! }
type Company implements Node { id: ID! key: String! type: String! displayName: String! hubReason: String registered: String }
type Account implements Node { id: ID! key: String! type: String! displayName: String! hubReason: String bank: String }
type Address implements Node { id: ID! key: String! type: String! displayName: String! hubReason: String line: String postcode: String }
type Case implements Node { id: ID! key: String! type: String! displayName: String! hubReason: String caseType: String title: String opened: String status: String }
type Record implements Node { id: ID! key: String! type: String! displayName: String! hubReason: String system: String kind: String }
type Complaint implements Node { id: ID! key: String! type: String! displayName: String! hubReason: String received: String category: String status: String }
type Property { name: String! value: String! }
type Edge { id: ID! type: String! from: ID! to: ID! properties: [Property!]! }
type Subgraph { nodes: [Node!]! edges: [Edge!]! truncated: Boolean! reasons: [String!]! hubs: [ID!]! }
enum FlagStatus { new in_review referred_investigation prevention_notice no_further_action false_positive }
type Review { id: ID! reviewer: String! from: FlagStatus! to: FlagStatus! reason: String! at: String! }
type Recusal { required: Boolean! reason: String }
type FlagDeclaration { declared: ID! type: String on: String withdrawnOn: String afterFlag: Boolean! }
type Flag { id: ID! pattern: String! patternVersion: Int! score: Float! status: FlagStatus! explanation: String!
  innocentExplanation: String parameters: [Property!]! firstSeen: String! lastSeen: String! scannedAt: String!
  officer: Officer! evidence: Subgraph! reviews: [Review!]! recusal: Recusal declarations: [FlagDeclaration!]! }
type FlagConnection { nodes: [Flag!]! totalCount: Int! }
type Query { flags(status: FlagStatus, pattern: String, first: Int = 100): FlagConnection! flag(id: ID!): Flag me: String }
type Mutation { reviewFlag(flagId: ID!, decision: FlagStatus!, reason: String!): Flag! }
`;

const schema = buildSchema(SDL);
const flag = {
  id: "F1", pattern: "access-for-gain", patternVersion: 2, score: 0.9, status: "in_review", explanation: "x", innocentExplanation: null,
  parameters: [{ name: "windowDays", value: "90" }], firstSeen: "2024-01-01T00:00:00Z", lastSeen: "2024-02-01T00:00:00Z", scannedAt: "2024-02-01T00:00:00Z",
  officer: { __typename: "Officer", id: "Officer:O1", key: "O1", type: "Officer", displayName: "Officer-AB", pseudonym: "Officer-AB", rank: "PC", unit: "Response" },
  evidence: { nodes: [{ __typename: "Officer", id: "Officer:O1", key: "O1", type: "Officer", displayName: "Officer-AB", pseudonym: "Officer-AB" }], edges: [], truncated: false, reasons: [], hubs: [] },
  reviews: [{ id: "R1", reviewer: "alice", from: "new", to: "in_review", reason: "looking", at: "2024-02-02T00:00:00Z" }],
  recusal: { required: true, reason: "same unit" },
  declarations: [{ declared: "Person:P1", type: "association", on: "2024-03-01", withdrawnOn: null, afterFlag: true }],
};
const root = { flags: () => ({ nodes: [flag], totalCount: 1 }), flag: () => flag, reviewFlag: () => flag };

async function docs() {
  const api = { query: async <T>(doc: string) => graphqlSync({ schema, source: doc }).data as T };
  return flagDocs(await Schema.load(api));
}

describe("documents built from the schema", () => {
  it("are valid against it", async () => {
    const d = await docs();
    for (const doc of [d.list!, d.one!, d.review!("F1", "no_further_action", 'a "quoted" reason')]) {
      expect(validate(schema, parse(doc)).map((e) => e.message)).toEqual([]);
    }
    expect(d.listPath).toBe("nodes");
    expect(d.review!("F1", "false_positive", "r")).toContain("decision: false_positive");
  });
  it("fetch flags that the views can read", async () => {
    const d = await docs();
    const list = graphqlSync({ schema, source: d.list!, rootValue: root });
    expect(list.errors).toBeUndefined();
    const r = rows((list.data as { flags: unknown }).flags, d.listPath).map(flagFromApi);
    expect(r[0].officer?.displayName).toBe("Officer-AB");
    expect(r[0].evidence).toBeUndefined(); // the queue never fetches evidence
    const one = graphqlSync({ schema, source: d.one!, rootValue: root, variableValues: { id: "F1" } });
    expect(one.errors).toBeUndefined();
    const f = flagFromApi((one.data as { flag: Record<string, unknown> }).flag);
    expect(f.ruleVersion).toBe(2);
    expect(f.parameters).toEqual({ windowDays: "90" });
    expect(f.reviews).toEqual([{ at: "2024-02-02T00:00:00Z", reviewer: "alice", from: "new", status: "in_review", reason: "looking" }]);
    expect(f.recusal).toEqual({ required: true, reason: "same unit", reasons: [], own: false });
    expect(f.declarations).toEqual([{ declared: "Person:P1", type: "association", on: "2024-03-01", withdrawnOn: null, afterFlag: true }]);
    expect(normalise(f.evidence).nodes[0].id).toBe("Officer:O1");
  });
  it("needs no introspection beyond what the schema types query returns", () => {
    expect(graphqlSync({ schema, source: SCHEMA_TYPES }).errors).toBeUndefined();
  });
});

describe("review rules", () => {
  it("take a new flag into review before any decision, and close decided ones", () => {
    expect(nextStatuses("new")).toEqual(["in_review"]);
    expect(nextStatuses("in_review")).toContain("no_further_action");
    expect(nextStatuses("false_positive")).toEqual([]);
  });
});

// The real API schema: the documents the views send must validate against it.
const real = buildSchema(REAL_SDL);
const realDocs = async () => flagDocs(await Schema.load({ query: async <T>(doc: string) => graphqlSync({ schema: real, source: doc }).data as T }));
const valid = (doc: string) => validate(real, parse(doc)).map((e) => e.message);

describe("against api/schema.graphql", () => {
  it("the flag, queue and review documents validate; a declared link sends acknowledgeLink", async () => {
    const d = await realDocs();
    const plain = d.review!("F1", "no_further_action", "reason text");
    const acked = d.review!("F1", "no_further_action", "reason text", true);
    for (const doc of [d.list!, d.one!, plain, acked]) expect(valid(doc)).toEqual([]);
    expect(plain).not.toContain("acknowledgeLink");
    expect(acked).toContain("acknowledgeLink: true");
    expect(d.one).toMatch(/recusal \{[^}]*reasons/);
    expect(d.one).toContain("revealed");
    // the queue asks the server for any state and pages past 200
    expect(d.statusFilter && d.paged).toBe(true);
    expect(d.list).toContain("filter: $filter");
    expect(d.list).toContain("pageInfo { hasNextPage endCursor }");
    // the triage order: the server pages by officer risk, and each row says it
    expect(d.byRisk).toBe(true);
    expect(d.list).toContain("order: $order");
    expect(d.list).toContain("officerRisk { risk }");
    expect(d.serverFilters.has("minScore") && d.serverFilters.has("minRisk")).toBe(true);
  });
  it("the reveal, report, schedule and audit documents validate", () => {
    for (const doc of [Q.AUDIT_LOG, Q.REVEAL, Q.REVEAL_IDENTITY, Q.FAIRNESS, Q.ACCURACY, Q.SCAN_RUNS, Q.SCHEDULES, Q.SCHEDULE_RUNS, Q.RUN_SCHEDULE, Q.RECORD_EXPORT]) expect(valid(doc)).toEqual([]);
  });
  it("flagFromApi keeps every recusal reason and the revealed mark", () => {
    const f = flagFromApi({ ...flag, revealed: true, recusal: { required: true, reasons: ["same unit: Response", "2 links via Address:A1"], reason: "same unit: Response; 2 links via Address:A1" } });
    expect(f.recusal?.reasons).toEqual(["same unit: Response", "2 links via Address:A1"]);
    expect(f.revealed).toBe(true);
    expect(flagFromApi({ ...flag, recusal: { required: false, reasons: [], reason: null } }).recusal).toBeNull();
    expect(flagFromApi({ ...flag, officerRisk: { risk: 0.87 } }).risk).toBe(0.87);
    expect(flagFromApi(flag).risk).toBeNull();
  });
  it("flagFromApi keeps whether the flag is still current (cleared, superseded)", () => {
    const f = flagFromApi({ ...flag, clearedAt: "2026-11-26T10:00:00Z", supersededBy: null });
    expect(f.clearedAt).toBe("2026-11-26T10:00:00Z");
    expect(f.supersededBy).toBeNull();
    expect(flagFromApi({ ...flag, supersededBy: "FLAG-2" }).supersededBy).toBe("FLAG-2");
  });
});
