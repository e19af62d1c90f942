import { parse, validate, buildSchema } from "graphql";
import { describe, expect, it } from "vitest";
import { flagFromApi, hubCause, returnedBy } from "../src/flagdata";
import REAL_SDL from "../../api/schema.graphql?raw";
import { normalise } from "../src/model";
import * as Q from "../src/queries";

// The real API schema: every document the views send must validate against it.
const real = buildSchema(REAL_SDL);
const valid = (doc: string) => validate(real, parse(doc)).map((e) => e.message);

const flag = {
  id: "F1", pattern: "access-for-gain", patternVersion: 2, score: 0.9, status: "in_review", explanation: "x", innocentExplanation: null,
  parameters: [{ name: "windowDays", value: "90" }], firstSeen: "2024-01-01T00:00:00Z", lastSeen: "2024-02-01T00:00:00Z", scannedAt: "2024-02-01T00:00:00Z",
  officer: { __typename: "Officer", id: "Officer:O1", key: "O1", type: "Officer", displayName: "Officer-AB", pseudonym: "Officer-AB", rank: "PC", unit: "Response" },
  evidence: { nodes: [{ __typename: "Officer", id: "Officer:O1", key: "O1", type: "Officer", displayName: "Officer-AB", pseudonym: "Officer-AB" }], edges: [], truncated: false, reasons: [], hubs: [] },
  reviews: [{ id: "R1", reviewer: "alice", from: "new", to: "in_review", reason: "looking", at: "2024-02-02T00:00:00Z", acknowledgedLinks: ["same unit (U1) and line manager"] }],
  recusal: { required: true, reason: "same unit" },
  declarations: [{ declared: "Person:P1", type: "association", on: "2024-03-01", withdrawnOn: null, afterFlag: true }],
};

describe("the flag documents, against api/schema.graphql", () => {
  it("validate", () => {
    for (const doc of [Q.FLAGS, Q.FLAG, Q.FLAG_COUNTS, Q.REVIEW_FLAG, Q.REVIEW_OUTCOMES, Q.CONFIRM_REFERRAL, Q.RETURN_REFERRAL, Q.NOTE_FLAG]) expect(valid(doc)).toEqual([]);
  });
  it("page the queue by risk with the server's filters, and never fetch evidence there", () => {
    expect(Q.FLAGS).toContain("filter: $filter");
    expect(Q.FLAGS).toContain("order: $order");
    expect(Q.FLAGS).toContain("pageInfo { hasNextPage endCursor }");
    expect(Q.FLAGS).toContain("officerRisk { risk }");
    expect(Q.FLAGS).not.toContain("evidence");
    const filter = (real.getType("FlagFilter") as unknown as { getFields(): Record<string, unknown> }).getFields();
    // the filters the queue sends (views/queue.ts)
    for (const f of ["pattern", "status", "text", "minRisk", "awaitingConfirmation", "cleared", "unit"]) expect(Object.keys(filter)).toContain(f);
  });
  it("send the review's values as variables, not in the document", () => {
    expect(Q.REVIEW_FLAG).toContain("reason: $reason");
    expect(Q.REVIEW_FLAG).toContain("acknowledgeLink: $ack");
  });
  it("ask for what the flag view shows: the rule, evidence, recusal reasons, the states a review may move it to", () => {
    expect(Q.FLAG).toMatch(/recusal \{[^}]*reasons/);
    for (const f of ["nextStatuses", "revealed", "declarations", "innocentExplanation", "parameters { name value }", "evidence"]) expect(Q.FLAG).toContain(f);
  });
  it("every document the UI sends validates against the server's schema", () => {
    const docs = Object.entries(Q).filter(([, v]) => typeof v === "string" && /^\s*(query|mutation)\b|^\s*\{/.test(v));
    expect(docs.length).toBeGreaterThan(40);
    for (const [name, doc] of docs) expect([name, valid(doc as string)]).toEqual([name, []]);
  });
  it("the reveal, report, schedule and audit documents validate", () => {
    for (const doc of [Q.AUDIT_LOG, Q.REVEAL, Q.REVEAL_IDENTITY, Q.FAIRNESS, Q.ACCURACY, Q.SCAN_RUNS, Q.SCHEDULES, Q.SCHEDULE_RUNS, Q.RUN_SCHEDULE, Q.RECORD_EXPORT,
      Q.ADD_SCHEDULE, Q.ENABLE_SCHEDULE, Q.REMOVE_SCHEDULE, Q.RUN_SCAN]) expect(valid(doc)).toEqual([]);
  });
});

describe("flagFromApi", () => {
  it("reads a flag as the API sends it", () => {
    const f = flagFromApi(flag);
    expect(f.officer?.displayName).toBe("Officer-AB");
    expect(f.ruleVersion).toBe(2);
    expect(f.parameters).toEqual({ windowDays: "90" });
    expect(f.reviews).toEqual([
      { at: "2024-02-02T00:00:00Z", reviewer: "alice", from: "new", status: "in_review", reason: "looking", acknowledged: ["same unit (U1) and line manager"] },
    ]);
    expect(f.recusal).toEqual({ required: true, reason: "same unit", reasons: [], own: false });
    expect(f.declarations).toEqual([{ declared: "Person:P1", type: "association", on: "2024-03-01", withdrawnOn: null, afterFlag: true }]);
    expect(normalise(f.evidence).nodes[0].id).toBe("Officer:O1");
  });
  it("keeps the states the server allows next, and none when it sends none", () => {
    expect(flagFromApi({ ...flag, nextStatuses: ["referred_investigation", "false_positive"] }).nextStatuses).toEqual(["referred_investigation", "false_positive"]);
    expect(flagFromApi(flag).nextStatuses).toEqual([]);
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

describe("returnedBy", () => {
  const rv = (from: string, status: string, reviewer: string) => ({ from, status, reviewer });
  it("names who returned a referral while the return is the last move, and nobody after", () => {
    const returned = [rv("new", "in_review", "ann"), rv("in_review", "referred_investigation", "ann"), rv("referred_investigation", "in_review", "rev2")];
    expect(returnedBy(returned)).toBe("rev2");
    expect(returnedBy([...returned, rv("in_review", "no_further_action", "ann")])).toBeUndefined();
    expect(returnedBy([rv("new", "in_review", "ann")])).toBeUndefined();
    expect(returnedBy(null)).toBeUndefined();
  });
});

describe("hubCause", () => {
  it("names a hub list entry with its reason, and an automatic hub by its neighbours", () => {
    expect(hubCause("Address:A1 (suppressed: station front desk)")).toBe('Address:A1, put on the hub list ("station front desk")');
    expect(hubCause("Phone:PH1 (degree)")).toBe("Phone:PH1, now a hub (more than 20 neighbours)");
    expect(hubCause("Account:AC1")).toBe("Account:AC1");
  });
});

describe("thresholdsChanged", () => {
  it("names the values a decision was taken under when the flag's are other now (secI L8)", async () => {
    const { thresholdsChanged } = await import("../src/views/flag");
    expect(thresholdsChanged({ spanDays: 30, minDays: 3 }, { spanDays: 40, minDays: 3 }, "now")).toBe("spanDays = 30, now 40");
    expect(thresholdsChanged({ spanDays: 30 }, { spanDays: 30 }, "now")).toBe("");
    expect(thresholdsChanged(undefined, { spanDays: 30 }, "now")).toBe("");
    // a cleared flag names only what changed (reviewD M2), each with what it is (analystB L2)
    expect(thresholdsChanged({ maxNamed: 20, minShared: 2 }, { maxNamed: 20, minShared: 1 }, "found with", { minShared: "shared complaints needed" })).toBe(
      "minShared = 2, found with 1 – shared complaints needed",
    );
    expect(thresholdsChanged({ before: 10, after: 30 }, { before: 30, after: 90 }, "now")).toBe("before = 10, now 30; after = 30, now 90");
    // a parameter the other side has not (a new one): a dash, not "undefined" (mutT)
    expect(thresholdsChanged({ a: 1 }, {}, "now")).toBe("a = 1, now —");
  });
});
