// Unsent text on a flag's page, kept per flag for the tab (analystC L3).
import { describe, expect, it } from "vitest";
import { DRAFTS_KEY, DRAFT_FLAGS, DRAFT_MAX, adoptDrafts, claimDrafts, clearDrafts, draftsOf, draftsOwner, forgetDrafts, hasDrafts, keepDraft, restoredNote } from "../src/drafts";

/** tab is a sessionStorage of one tab. */
function tab() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), m };
}

describe("drafts", () => {
  it("keeps what is typed per flag and field, and gives it back", () => {
    const s = tab();
    expect(hasDrafts(s)).toBe(false);
    keepDraft("F1", "note-text", "checked the HR file", s);
    keepDraft("F1", "review-reason", "access was part of an enquiry", s);
    keepDraft("F2", "note-text", "other flag", s);
    expect(draftsOf("F1", s)).toEqual({ "note-text": "checked the HR file", "review-reason": "access was part of an enquiry" });
    expect(draftsOf("F2", s)).toEqual({ "note-text": "other flag" });
    expect(draftsOf("F3", s)).toEqual({});
    expect(hasDrafts(s)).toBe(true);
  });
  it("the latest text replaces the last; a field emptied is forgotten, and a flag with none", () => {
    const s = tab();
    keepDraft("F1", "note-text", "checked", s);
    keepDraft("F1", "note-text", "checked the HR file", s);
    expect(draftsOf("F1", s)).toEqual({ "note-text": "checked the HR file" });
    keepDraft("F1", "note-text", "   ", s);
    expect(draftsOf("F1", s)).toEqual({});
    expect(s.m.has(DRAFTS_KEY)).toBe(false);
  });
  it("forgets a sent form's fields, the others stay", () => {
    const s = tab();
    keepDraft("F1", "note-text", "a note", s);
    keepDraft("F1", "review-reason", "a reason", s);
    keepDraft("F1", "decision", "no_further_action", s);
    forgetDrafts("F1", ["review-reason", "decision"], s);
    expect(draftsOf("F1", s)).toEqual({ "note-text": "a note" });
    forgetDrafts("F1", ["note-text"], s);
    expect(hasDrafts(s)).toBe(false);
    keepDraft("F1", "note-text", "again", s);
    forgetDrafts("F1", undefined, s);
    expect(draftsOf("F1", s)).toEqual({});
  });
  it("a sign-out clears them all", () => {
    const s = tab();
    keepDraft("F1", "note-text", "a note", s);
    keepDraft("F2", "reveal-purpose", "referral file", s);
    clearDrafts(s);
    expect(hasDrafts(s)).toBe(false);
    expect(s.m.size).toBe(0);
  });
  it("keeps the newest flags only, and bounds a draft's length", () => {
    const s = tab();
    for (let i = 0; i < DRAFT_FLAGS + 5; i++) keepDraft(`F${i}`, "note-text", `note ${i}`, s);
    keepDraft("F0", "note-text", "typed again", s); // F0 went; now the newest
    const kept = Object.keys(JSON.parse(s.m.get(DRAFTS_KEY)!));
    expect(kept).toHaveLength(DRAFT_FLAGS);
    expect(kept.at(-1)).toBe("F0");
    expect(kept).not.toContain("F5");
    keepDraft("F9", "note-text", "x".repeat(DRAFT_MAX + 100), s);
    expect(draftsOf("F9", s)["note-text"]).toHaveLength(DRAFT_MAX);
  });
  it("survives what it cannot read, and a storage that refuses", () => {
    const s = tab();
    s.setItem(DRAFTS_KEY, "not json");
    expect(draftsOf("F1", s)).toEqual({});
    s.setItem(DRAFTS_KEY, JSON.stringify({ F1: { "note-text": 5, "review-reason": "ok" }, F2: "x" }));
    expect(draftsOf("F1", s)).toEqual({ "review-reason": "ok" });
    const full = { ...tab(), setItem: () => { throw new Error("QuotaExceededError"); } };
    expect(() => keepDraft("F1", "note-text", "a", full)).not.toThrow();
    expect(() => keepDraft("F1", "note-text", "a", null)).not.toThrow();
    expect(hasDrafts(null)).toBe(false);
  });
  it("says which texts were put back", () => {
    expect(restoredNote([])).toBe("");
    expect(restoredNote(["note-text"])).toBe("Put back what you had typed here and not sent: the note. It is kept in this tab only, until you send it or sign out.");
    expect(restoredNote(["decision", "review-reason", "note-text"])).toMatch(/: the decision chosen, the review reason and the note\./);
  });
});

describe("whose drafts they are (analystD M3, reviewO L6)", () => {
  const mem = (): Pick<Storage, "getItem" | "setItem" | "removeItem"> => {
    const m = new Map<string, string>();
    return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k) };
  };
  it("keeps them for the token that typed them", () => {
    const s = mem();
    claimDrafts("alice", s);
    keepDraft("FLAG-1", "note-text", "her sister-in-law", s);
    expect(draftsOwner(s)).toBe("alice");
    claimDrafts("alice", s);
    expect(draftsOf("FLAG-1", s)).toEqual({ "note-text": "her sister-in-law" });
  });
  it("discards them when another token types on the tab", () => {
    const s = mem();
    claimDrafts("alice", s);
    keepDraft("FLAG-1", "note-text", "her sister-in-law", s);
    claimDrafts("bob", s);
    expect(draftsOf("FLAG-1", s)).toEqual({});
    expect(hasDrafts(s)).toBe(false);
    keepDraft("FLAG-2", "review-reason", "mine", s);
    expect(draftsOwner(s)).toBe("bob");
  });
  it("passes them to another token that chose to put them back (a new token of the same person)", () => {
    const s = mem();
    claimDrafts("alice", s);
    keepDraft("FLAG-1", "note-text", "hers", s);
    adoptDrafts("alice-2", s);
    expect(draftsOwner(s)).toBe("alice-2");
    claimDrafts("alice-2", s);
    expect(draftsOf("FLAG-1", s)).toEqual({ "note-text": "hers" });
  });
  it("keeps unnamed drafts of an older build for whoever signs in first", () => {
    const s = mem();
    keepDraft("FLAG-1", "note-text", "kept", s);
    expect(draftsOwner(s)).toBe("");
    claimDrafts("carol", s);
    expect(draftsOf("FLAG-1", s)).toEqual({ "note-text": "kept" });
  });
});
