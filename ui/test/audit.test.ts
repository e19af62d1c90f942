import { describe, expect, it } from "vitest";
import sdl from "../../api/schema.graphql?raw";
import { OPERATIONS } from "../src/views/audit";

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
