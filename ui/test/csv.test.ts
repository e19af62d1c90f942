import { describe, expect, it } from "vitest";
import { toCsv } from "../src/csv";

describe("toCsv", () => {
  it("quotes what needs quoting and defuses formulas", () => {
    expect(toCsv([["file", "line", "reason"], ["accesses.csv", 4, 'at: "x", not a time'], ["persons.csv", 9, "=HYPERLINK(1)"], ["a", null, "two\nlines"]])).toBe(
      'file,line,reason\r\naccesses.csv,4,"at: ""x"", not a time"\r\npersons.csv,9,\'=HYPERLINK(1)\r\na,,"two\nlines"\r\n',
    );
  });
});
