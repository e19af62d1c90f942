// Date fields in ISO form (analystC L4): what parseIsoDate takes, and refuses.
import { describe, expect, it } from "vitest";
import { daysIn, parseIsoDate, periodError } from "../src/isodate";

const value = (t: string) => {
  const r = parseIsoDate(t);
  return r.ok ? r.value : `error: ${r.error}`;
};

describe("parseIsoDate", () => {
  it("takes YYYY-MM-DD, and an empty field as no date", () => {
    expect(value("2025-02-12")).toBe("2025-02-12");
    expect(value("  2025-02-12 ")).toBe("2025-02-12");
    expect(value("")).toBeNull();
    expect(value("   ")).toBeNull();
  });
  it("writes eight digits (a numeric keypad has no hyphen) and a month or day of one digit back as YYYY-MM-DD", () => {
    expect(value("20250212")).toBe("2025-02-12");
    expect(value("2025-2-3")).toBe("2025-02-03");
  });
  it("takes only calendar days: leap years counted", () => {
    expect(value("2024-02-29")).toBe("2024-02-29");
    expect(value("2000-02-29")).toBe("2000-02-29");
    expect(value("2025-02-29")).toBe("error: February 2025 has no day 29 (it has 28).");
    expect(value("1900-02-29")).toBe("error: February 1900 has no day 29 (it has 28).");
    expect(value("2025-04-31")).toBe("error: April 2025 has no day 31 (it has 30).");
    expect(value("2025-01-00")).toMatch(/has no day 0/);
    expect(value("2025-13-01")).toBe("error: There is no month 13: write YYYY-MM-DD, the month between 01 and 12.");
    expect(value("2025-00-10")).toMatch(/no month 0/);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysIn(2023, m))).toEqual([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
  });
  it("refuses another order, saying why: 03/04/2025 is March or April depending on the reader", () => {
    for (const t of ["03/04/2025", "3/4/25", "12.02.2025", "02-12-2025"]) expect(value(t)).toBe(`error: Write the year first, YYYY-MM-DD: “${t}” could be either day or month first.`);
  });
  it("refuses what is no date, and an implausible year", () => {
    expect(value("yesterday")).toBe("error: “yesterday” is not a date: write it as YYYY-MM-DD, for example 2025-02-12.");
    expect(value("2025-02")).toMatch(/is not a date/);
    expect(value("2025-02-12T10:00")).toMatch(/is not a date/);
    expect(value("202502120")).toMatch(/is not a date/);
    expect(value("0224-02-12")).toBe("error: The year 0224 is out of range: 1900 to 2100.");
    expect(value("2101-01-01")).toMatch(/out of range/);
    expect(value("1900-01-01")).toBe("1900-01-01");
  });
});

describe("periodError", () => {
  it("lets an inclusive period start and end on one day, not end before it starts", () => {
    expect(periodError("2025-03-01", "2025-03-01", false)).toBeNull();
    expect(periodError("2025-03-02", "2025-03-01", false)).toBe("The period ends before it starts.");
  });
  it("wants an exclusive end (the audit log's To) after the start (mutX L6)", () => {
    expect(periodError("2025-03-01", "2025-03-01", true)).toMatch(/must come after/);
    expect(periodError("2025-03-01", "2025-03-02", true)).toBeNull();
  });
  it("says nothing while a day is missing", () => {
    expect(periodError(null, "2025-03-01", true)).toBeNull();
    expect(periodError("2025-03-01", "", false)).toBeNull();
  });
});

describe("a day written in another order (analystD L5)", () => {
  it("says which day it is when only one order makes a date", () => {
    const r = parseIsoDate("28/11/2026");
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toBe("Write the year first, YYYY-MM-DD: “28/11/2026” is 2026-11-28.");
    expect(!parseIsoDate("11/28/2026").ok && (parseIsoDate("11/28/2026") as { error: string }).error).toMatch(/is 2026-11-28/);
  });
  it("calls two different days ambiguous, one day the same either way that day, and no day no date (reviewP L3)", () => {
    expect((parseIsoDate("03/04/2025") as { error: string }).error).toMatch(/either day or month first/);
    expect((parseIsoDate("12/12/2026") as { error: string }).error).toMatch(/is 2026-12-12/);
    expect((parseIsoDate("31/02/2026") as { error: string }).error).toMatch(/not a date in either order/);
    expect((parseIsoDate("45/11/2026") as { error: string }).error).toMatch(/not a date in either order/);
  });
  it("quotes a long paste whole: the field has no length limit to cut it", () => {
    expect((parseIsoDate("1 March 2025") as { error: string }).error).toMatch(/“1 March 2025”/);
  });
});
