import { describe, expect, it } from "vitest";
import { scanOutcome } from "../src/views/load";

describe("the Load screen's scan outcome", () => {
  it("counts the flags for a token that may count them", () => {
    expect(scanOutcome({ id: "SCAN-1", status: "ok", newFlags: 1, updatedFlags: 4, clearedFlags: 0 })).toBe("Scan SCAN-1: 1 new flag, 4 updated, 0 cleared.");
  });
  it("says no count to a token tied to an officer (the API sends none: the counts include flags hidden from it)", () => {
    const s = scanOutcome({ id: "SCAN-2", status: "ok", newFlags: null, updatedFlags: null, clearedFlags: null });
    expect(s).toBe("Scan SCAN-2 ended; its counts are not shown to a token tied to an officer.");
    expect(s).not.toMatch(/null/);
  });
  it("tells a failure and a run still going", () => {
    expect(scanOutcome({ id: "S", status: "failed", newFlags: 0, updatedFlags: 0, clearedFlags: 0, error: "timeout" })).toBe("Scan S failed: timeout");
    expect(scanOutcome({ id: "S", status: "running", newFlags: null, updatedFlags: null, clearedFlags: null })).toMatch(/still running/);
  });
});
