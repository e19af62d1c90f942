import { describe, expect, it } from "vitest";
import { toCsv } from "../src/csv";

describe("toCsv", () => {
  it("quotes what needs quoting and defuses formulas", () => {
    expect(toCsv([["file", "line", "reason"], ["accesses.csv", 4, 'at: "x", not a time'], ["persons.csv", 9, "=HYPERLINK(1)"], ["a", null, "two\nlines"]])).toBe(
      'file,line,reason\r\naccesses.csv,4,"at: ""x"", not a time"\r\npersons.csv,9,\'=HYPERLINK(1)\r\na,,"two\nlines"\r\n',
    );
  });
});

describe("rowsCsv", () => {
  it("writes report rows a column a field, nested values as JSON, a formula defused", async () => {
    const { rowsCsv } = await import("../src/views/reports");
    expect(rowsCsv([{ pattern: "=cmd", precision: 1, k: null }, { pattern: "b", extra: { a: 1 } }])).toBe(
      'pattern,precision,k,extra\r\n\'=cmd,1,,\r\nb,,,"{""a"":1}"\r\n',
    );
  });
});
