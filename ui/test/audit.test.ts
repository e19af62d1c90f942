import { describe, expect, it } from "vitest";
import sdl from "../../api/schema.graphql?raw";
import { OPERATIONS, verdict } from "../src/views/audit";

// The mutations of api/schema.graphql, by name.
function mutations(): string[] {
  const body = sdl.slice(sdl.indexOf("type Mutation {"));
  // the fields, their descriptions ("""...""" and "...") left out
  const block = body.slice(0, body.indexOf("\n}")).replace(/"""[\s\S]*?"""/g, "").replace(/"[^"\n]*"/g, "");
  return [...block.matchAll(/^ {2}([a-zA-Z]+)\s*[(:]/gm)].map((m) => m[1]);
}

describe("the Audit screen's operation filter", () => {
  it("has an entry for every mutation (reviewC: updateSchedule was under none)", () => {
    const listed = new Set(OPERATIONS.flatMap(([ops]) => ops.split(",")));
    const ms = mutations();
    expect(ms.length).toBeGreaterThan(20);
    expect(ms.filter((m) => !listed.has(m))).toEqual([]);
  });
});

describe("the chain's verdict", () => {
  it("counts the events for a reader that may count them", () => {
    expect(verdict({ ok: true, checked: 12, brokenSeq: null, reason: null })).toBe("Chain intact: 12 events.");
    expect(verdict({ ok: false, checked: 4, brokenSeq: 5, reason: "edited" })).toBe("Chain broken at event 5 (4 before it hold): edited");
  });
  it("says no count to a reader tied to an officer (secO M2: the server sends none)", () => {
    expect(verdict({ ok: true, checked: null, brokenSeq: null, reason: null })).toBe("Chain intact.");
    expect(verdict({ ok: false, checked: null, brokenSeq: null, reason: "the chain is broken" })).toBe("Chain broken: the chain is broken");
  });
});
