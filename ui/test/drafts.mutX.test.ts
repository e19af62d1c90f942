// mutX: additions to ui/test/drafts.test.ts.
// Run: cp this file to ui/test/ and `npx vitest run test/drafts.mutX.test.ts`.
import { describe, expect, it } from "vitest";
import { DRAFTS_KEY, draftsOf, hasDrafts } from "../src/drafts";

function tab() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), m };
}

describe("drafts (mutX)", () => {
  it("D04: an empty text kept by an older tab is no draft: the sign-in page says nothing was kept", () => {
    const s = tab();
    s.setItem(DRAFTS_KEY, JSON.stringify({ F1: { "note-text": "" } }));
    expect(draftsOf("F1", s)).toEqual({});
    expect(hasDrafts(s)).toBe(false);
  });
});
