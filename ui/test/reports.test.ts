import { parse, validate, buildSchema } from "graphql";
import { describe, expect, it } from "vitest";
import REAL_SDL from "../../api/schema.graphql?raw";
import * as Q from "../src/queries";

// The Reports cards' row and name builders (mutS U2-U4; the e2e flows check
// only the outcomes card's CSV).
describe("reports", () => {
  it("says the accuracy figures are stale when a scan ended since eval", async () => {
    const { staleNote } = await import("../src/views/reports");
    expect(staleNote("S1", null)).toBe("");
    expect(staleNote("S1", "S1")).toBe("");
    expect(staleNote("S0", "S1")).toContain("the latest is S1");
    expect(staleNote(null, "S1")).toBe("");
  });
  // the stale note's wiring (mutV V04-V07: a document not asking for
  // newerScanRunId, or the ids swapped, showed old figures without it)
  it("asks whether a scan ended since eval, and lists that note first", async () => {
    expect(validate(buildSchema(REAL_SDL), parse(Q.ACCURACY)).map((e) => e.message)).toEqual([]);
    expect(Q.ACCURACY).toMatch(/accuracyReport\s*\{[^}]*\bscanRunId\b[^}]*\bnewerScanRunId\b/);
    const { accuracyNotes } = await import("../src/views/reports");
    expect(accuracyNotes({ scanRunId: "S0", newerScanRunId: "S1", warnings: ["w"] })).toEqual([
      expect.stringContaining("they are of the flags up to S0; the latest is S1"),
      "w",
    ]);
    expect(accuracyNotes({ scanRunId: "S1", newerScanRunId: null, warnings: ["w"] })).toEqual(["w"]);
    expect(accuracyNotes(null)).toEqual([]);
  });
  // statA L1: stale only when the flags measured changed, saying how
  it("says what changed since eval, and nothing when the scans since changed nothing", async () => {
    const { staleNote, accuracyNotes, changeWords } = await import("../src/views/reports");
    expect(changeWords({ raised: 3, cleared: 59, rescored: 0 })).toBe("3 flags raised, 59 cleared");
    expect(changeWords({ raised: 1, cleared: 0, rescored: 2 })).toBe("1 flag raised, 2 similar-to-confirmed scores moved");
    expect(staleNote("S0", "S1", { raised: 3, cleared: 59, rescored: 0 })).toBe(
      "The flags have changed since these figures were measured: 3 flags raised, 59 cleared since (they are of the flags up to S0; the latest scan is S1): run probity eval again.",
    );
    // the server gives no newer scan when nothing changed: no note
    expect(accuracyNotes({ scanRunId: "S0", newerScanRunId: null, changes: { raised: 0, cleared: 0, rescored: 0 }, warnings: [] })).toEqual([]);
    expect(Q.ACCURACY).toMatch(/changes\s*\{\s*raised cleared rescored\s*\}/);
  });
  // statA M1: the card named only the file; when and of which scan, beside it
  it("names the truth file with when eval ran and the scan it measured", async () => {
    const { evalSource } = await import("../src/views/reports");
    expect(evalSource({ truthFile: "truth.csv", at: "2026-11-28T09:30:12Z", scanRunId: "SCAN-20261128-0929-ab" })).toBe(
      " (truth.csv, measured 2026-11-28 09:30 UTC, of the flags up to scan SCAN-20261128-0929-ab)",
    );
    expect(evalSource({ truthFile: "sets\\g300\\truth.csv", at: "2026-11-28T09:30:12Z", scanRunId: null })).toBe(" (truth.csv, measured 2026-11-28 09:30 UTC)");
  });
  it("puts the pooled row last, and only with pattern rows", async () => {
    const { withPooled } = await import("../src/views/reports");
    const all = { pattern: "all patterns" };
    expect(withPooled([{ pattern: "a" }], all)).toEqual([{ pattern: "a" }, all]);
    expect(withPooled([], all)).toEqual([]);
    expect(withPooled([{ pattern: "a" }], null)).toEqual([{ pattern: "a" }]);
  });
  // nobody flagged: every ratio is 0/0, so the empty state, not a chart of zero bars (statA L2)
  it("draws no disproportion groups when nobody is flagged", async () => {
    const { disproportionRows, noRates } = await import("../src/views/reports");
    const groups = [{ attribute: "unit", value: "U1", ratio: null }];
    expect(disproportionRows({ flagged: 0, groups })).toEqual([]);
    expect(disproportionRows({ flagged: 3, groups })).toBe(groups);
    expect(noRates("tripwire", false)).toBe("No officer is flagged by tripwire, so there are no rates to compare.");
    expect(noRates("", true)).toBe("No officer is flagged (counting only the flags that stand), so there are no rates to compare.");
  });
  // officers flagged, but every attribute holds one value: no chart, and not "no officer is flagged" (reviewR L3)
  it("says why there is nothing to compare when officers are flagged", async () => {
    const { noGroups } = await import("../src/views/reports");
    expect(noGroups(5, ["rank (one value for every officer)", "unit (one value for every officer)"])).toBe(
      "5 officers are flagged, but no attribute has two values to compare. Not compared: rank (one value for every officer); unit (one value for every officer).",
    );
    expect(noGroups(1, [])).toBe("1 officer is flagged, but no attribute has two values to compare.");
  });
  // every flag ever raised counts, and the flags that stand are counted beside them (statA L6)
  it("gives both counts of flagged officers unless only the flags that stand count", async () => {
    const { forceCounts } = await import("../src/views/reports");
    expect(forceCounts({ officers: 300, flagged: 101, flaggedStanding: 45, rate: 101 / 300 }, "", false)).toBe(" (101 of 300 officers ever flagged, 45 by flags that stand; rate 0.337)");
    expect(forceCounts({ officers: 300, flagged: 9, flaggedStanding: 3, rate: 0.03 }, "tripwire", false)).toBe(" (9 of 300 officers ever flagged by tripwire, 3 by flags that stand; rate 0.030)");
    expect(forceCounts({ officers: 300, flagged: 45, flaggedStanding: 45, rate: 0.15 }, "", true)).toBe(" (45 of 300 officers flagged, rate 0.150; only the flags the rules as they stand raise count)");
    // an older server without the field: the one count
    expect(forceCounts({ officers: 300, flagged: 101, rate: 101 / 300 }, "", false)).toBe(" (101 of 300 officers ever flagged; rate 0.337)");
  });
  // statsA M2: a group of one flagged officer (6.67 at a rate of 0.15) set every chart's scale
  it("scales the disproportion charts by the groups not marked small, with a floor", async () => {
    const { disproportionScale } = await import("../src/views/reports");
    const adv = [
      { ratio: 6.67, small: true, pValue: 0.15 },
      { ratio: 6.67, small: true, pValue: 0.022, beyondChance: true },
      { ratio: 0.56, ratioLow: 0.25, ratioHigh: 1.11, small: false },
      { ratio: 1.17, ratioLow: 0.88, ratioHigh: 1.45, small: false },
    ];
    expect(disproportionScale(adv)).toBe(2);
    expect(disproportionScale([...adv, { ratio: 2.1, ratioLow: 1.4, ratioHigh: 2.9, small: false }])).toBe(2.9);
    expect(disproportionScale([{ ratio: 3.1, small: false, ratioLow: null, ratioHigh: null }])).toBe(3.1);
    expect(disproportionScale([{ ratio: null, small: false }])).toBe(2);
  });
  it("marks small groups with n, Fisher's groups as having no interval, and groups beyond chance", async () => {
    const { disproportionBar } = await import("../src/views/reports");
    const { barLabel, valueText } = await import("../src/bars");
    const fmt = (v: number | null | undefined): string => (v == null ? "—" : v.toFixed(2));
    const gypsy = disproportionBar({ value: "Gypsy or Irish Traveller", officers: 2, flagged: 2, ratio: 6.67, small: true, pValue: 0.022, beyondChance: true, ratioLow: null, ratioHigh: null });
    const mixed = disproportionBar({ value: "Mixed", officers: 1, flagged: 1, ratio: 6.67, small: true, pValue: 0.15, beyondChance: false, ratioLow: null, ratioHigh: null });
    expect(barLabel(gypsy)).toBe("Gypsy or Irish Trav… * (n=2)");
    expect(barLabel(mixed)).toBe("Mixed * (n=1)");
    expect(gypsy.muted && mixed.muted).toBe(true);
    expect(valueText(gypsy, 2, fmt)).toBe("6.67 ▸ no interval †");
    expect(valueText(mixed, 2, fmt)).toBe("6.67 ▸ no interval");
    // a large group Fisher's test decided says it has no interval; one the score test decided, its interval
    const staff = disproportionBar({ value: "Police Staff", officers: 25, ratio: 0.27, small: false, pValue: 0.04, beyondChance: true, ratioLow: null, ratioHigh: null });
    expect(barLabel(staff)).toBe("Police Staff");
    expect(valueText(staff, 2, fmt)).toBe("0.27 no interval †");
    const north = disproportionBar({ value: "Response North", officers: 40, ratio: 1.31, small: false, pValue: 0.03, beyondChance: true, ratioLow: 1.02, ratioHigh: 1.58 });
    expect(valueText(north, 2, fmt)).toBe("1.31 (1.02–1.58) †");
    const within = disproportionBar({ value: "female", officers: 105, ratio: 0.87, small: false, pValue: 0.4, beyondChance: false, ratioLow: 0.52, ratioHigh: 1.2 });
    expect(valueText(within, 2, fmt)).toBe("0.87 (0.52–1.20)");
    // nobody to compare with: no note
    expect(disproportionBar({ value: "x", officers: 3, ratio: null, small: true, pValue: null }).note).toBeUndefined();
  });
  it("names the disproportion CSV by its filter", async () => {
    const { disproportionFile } = await import("../src/views/reports");
    expect(disproportionFile("", false)).toBe("disproportion-all-patterns-every-flag");
    expect(disproportionFile("access-for-gain", true)).toBe("disproportion-access-for-gain-current-flags");
  });
  it("shows a run over every officer as all", async () => {
    const { runRows } = await import("../src/views/reports");
    expect(runRows([{ officers: -1 }, { officers: 3 }]).map((r) => r.officers)).toEqual(["all", 3]);
    // each pattern's note in one cell, the patterns without one left out (rulesM M1)
    const rows = runRows([{ officers: 3, patterns: [{ pattern: "access-volume-outlier", note: "2 officers ... cannot judge them" }, { pattern: "collusion-ring", note: null }] }, { officers: 1 }]);
    expect(rows.map((r) => r.notes)).toEqual(["access-volume-outlier: 2 officers ... cannot judge them", ""]);
    expect(rows[0]).not.toHaveProperty("patterns");
  });
});
