// mutY: tests that kill the surviving mutants of ui/src/exporters.ts
// (/work/scratch/mutY/REPORT.md names each mutant)
import { describe, expect, it } from "vitest";
import { TITLE_MAX, cleanTitle, graphML, slug, xmlChars } from "../src/exporters";
import { emptyChart } from "../src/types";

describe("mutY: an exhibit's title and file name", () => {
  it("E2: a title cut at TITLE_MAX keeps no trailing space", () => {
    const t = cleanTitle("x".repeat(TITLE_MAX - 1) + " tail");
    expect(t).toBe("x".repeat(TITLE_MAX - 1));
  });
  it("E3: drops the direction isolates U+2066-U+2069 too", () => {
    expect(cleanTitle("PSD\u2067017\u2069-3")).toBe("PSD 017 -3");
  });
  it("E4: drops C1 control characters (U+007F-U+009F)", () => {
    expect(cleanTitle("PSD\u0085017\u007F3")).toBe("PSD 017 3");
  });
  it("E5: drops what XML cannot hold, a lone surrogate or U+FFFE, from the title itself", () => {
    expect(cleanTitle("PSD\uD800-7\uFFFE")).toBe("PSD-7");
  });
  it("E7: a slug cut at 60 characters does not end in a hyphen", () => {
    const s = slug("a".repeat(59) + " b");
    expect(s).toBe("a".repeat(59));
    expect(s).not.toMatch(/-$/);
  });
  it("E10: xmlChars drops a lone low surrogate, keeps a pair", () => {
    expect(xmlChars("a\uDC00b\uD83D\uDE00")).toBe("ab\uD83D\uDE00");
  });
  it("E16: GraphML drops what XML cannot hold from the header (a control character in a purpose)", () => {
    const g = graphML(emptyChart(), ["Probity link chart: x", "purpose: case\u0007 7\uFFFF"]);
    expect(g).toContain("<desc>Probity link chart: x\npurpose: case 7</desc>");
    expect(g).not.toMatch(/[\u0007\uFFFF]/);
  });
});
