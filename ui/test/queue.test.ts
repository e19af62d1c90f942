import { describe, expect, it } from "vitest";
import { countLine, sortRows, stateNote, type FlagRow } from "../src/views/queue";

const row = (id: string, officer: string, score: number, risk: number | null, extra: Partial<FlagRow> = {}): FlagRow => ({ id, pattern: "p", score, status: "new", explanation: "", officer: { id: officer }, risk, ...extra });

describe("the queue", () => {
  it("orders by risk with an officer's flags together, then by score", () => {
    const rows = [row("a", "Officer:O2", 0.9, 0.8), row("b", "Officer:O1", 0.5, 0.8), row("c", "Officer:O2", 0.4, 0.8), row("d", "Officer:O3", 0.99, 0.4), row("e", "Officer:O1", 0.7, 0.8)];
    expect(sortRows(rows, "risk", -1).map((r) => r.id)).toEqual(["e", "b", "a", "c", "d"]);
  });
  it("says who holds a flag in review, and whether a referral awaits confirmation", () => {
    const took = { at: "2026-11-26T10:00:00Z", reviewer: "ann", status: "in_review", reason: "looking" };
    expect(stateNote(row("a", "O", 1, 1, { status: "in_review", reviews: [took] }))).toBe("by ann since 2026-11-26");
    // a referral worded "confirmed: ..." by the referrer is no confirmation (analystV)
    const referred = { at: "2026-11-26T11:00:00Z", reviewer: "ann", from: "in_review", status: "referred_investigation", reason: "confirmed: the payment matches" };
    expect(stateNote(row("a", "O", 1, 1, { status: "referred_investigation", reviews: [took, referred] }))).toBe("awaiting confirmation");
    const confirmed = { ...referred, from: "referred_investigation", reviewer: "bob", reason: "confirmed: agreed" };
    expect(stateNote(row("a", "O", 1, 1, { status: "referred_investigation", reviews: [took, referred, confirmed] }))).toBe("confirmed");
    expect(stateNote(row("a", "O", 1, 1))).toBe("");
    // a cleared flag is still new, and says it left the queue
    expect(stateNote(row("a", "O", 1, 1, { clearedAt: "2026-11-27T15:00:00Z" }))).toBe("cleared 2026-11-27: no longer found by a scan");
    // a second reviewer returned the referral: in review again, and said so
    const returned = { at: "2026-11-27T09:00:00Z", reviewer: "bob", from: "referred_investigation", status: "in_review", reason: "returned: is it a refund?" };
    expect(stateNote(row("a", "O", 1, 1, { status: "in_review", reviews: [took, referred, returned] }))).toBe("referral returned by bob on 2026-11-27");
  });
  it("says a flag taken up is no longer found, beside its state, with no stray separator (reviewE M4)", () => {
    const note = stateNote(row("n", "Officer:O1", 0.5, null, { status: "prevention_notice", notFoundAt: "2026-11-27T10:00:00Z" }));
    expect(note).toContain("no longer found by a scan since 2026-11-27");
    expect(note.startsWith(";")).toBe(false);
  });

  it("counts the flags shown against those that match, once (analystC L5)", () => {
    expect(countLine(200, 310, "officer risk", true)).toBe("Showing 200 of 310 flags, the first by officer risk (sorting a column orders these)");
    expect(countLine(200, null, "score", true)).toBe("Showing 200 flags (more on the server)");
    expect(countLine(1, 1, "score", false)).toBe("1 flag");
    expect(countLine(45, 45, "score", false)).toBe("45 flags");
  });
});
