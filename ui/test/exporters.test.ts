import { describe, expect, it } from "vitest";
import { TITLE_MAX, chartJSON, cleanTitle, exhibitLines, exhibitName, graphML, parseChart, slug, xmlChars } from "../src/exporters";
import { merge, normalise } from "../src/model";
import { emptyChart } from "../src/types";
import { chain } from "./fixtures";

describe("GraphML", () => {
  const c = merge(emptyChart(), normalise(chain));
  const xml = graphML(c);
  it("declares every property key and writes every node and edge", () => {
    expect(xml).toContain('<key id="n_poi" for="node" attr.name="poi" attr.type="string"/>');
    expect(xml).toContain('<key id="e_amount" for="edge" attr.name="amount" attr.type="string"/>');
    expect(xml.match(/<node /g)).toHaveLength(6);
    expect(xml.match(/<edge /g)).toHaveLength(6);
    expect(xml).toContain('<edge id="p1" source="Account:ACC-1" target="Account:ACC-2">');
    expect(xml).toContain('<data key="e_amount">2500</data>');
  });
  it("escapes XML in values", () => {
    const odd = merge(emptyChart(), { nodes: [{ id: "C&1", label: "Company", properties: { name: 'A <"B"> & C' } }], edges: [], truncated: [] });
    const x = graphML(odd);
    expect(x).toContain('<node id="C&amp;1">');
    expect(x).toContain("A &lt;&quot;B&quot;&gt; &amp; C");
  });
  it("is well-formed XML", async () => {
    // The DOM parser is not in node; check balance of the elements we write.
    expect(xml.match(/<node /g)!.length).toBe(xml.match(/<\/node>/g)!.length);
    expect(xml.trim().endsWith("</graphml>")).toBe(true);
  });
});

describe("chart JSON", () => {
  it("round-trips a chart with its view state", () => {
    // the flagged officer too: a reopened flag chart lost its ring and tag (analystC M1)
    const c = { ...merge(emptyChart(), normalise(chain)), hidden: ["Account:ACC-1"], pinned: { "Officer:OFF-1": { x: 1, y: 2 } }, subject: "Officer:OFF-1" };
    const back = parseChart(chartJSON("case 7", c, "2024-01-01", new Date("2024-05-01T00:00:00Z")));
    expect(back.name).toBe("case 7");
    expect(back.asOf).toBe("2024-01-01");
    expect(back.chart).toEqual(c);
  });
  it("rejects other documents", () => {
    expect(() => parseChart('{"nodes":[]}')).toThrow(/probity-chart/);
  });
});

describe("an exhibit for a case file", () => {
  it("says what it is, who exported it when and why, and how to handle it", () => {
    const lines = exhibitLines({ title: "access-for-gain FLAG-09ae8f02f5c0650d", exporter: "ann", role: "analyst", purpose: "case PSD-7", asOf: null, realNames: 2, at: new Date("2026-11-26T10:05:00Z") });
    expect(lines).toEqual([
      "Probity link chart: access-for-gain FLAG-09ae8f02f5c0650d",
      "Exported 2026-11-26 10:05 UTC by ann (analyst); purpose: case PSD-7",
      "Data: all loaded data; names are pseudonyms except 2 revealed (audited)",
      "OFFICIAL-SENSITIVE: personal data of a professional standards enquiry; the export is recorded in the audit log",
    ]);
    expect(exhibitName("access-for-gain FLAG-09ae8f02f5c0650d", "png", new Date("2026-11-26T10:05:00Z"))).toBe("probity-FLAG-09ae8f02f5c0650d-2026-11-26-10-05-00.png");
    expect(exhibitName("Explore", "svg", new Date("2026-11-26T10:05:00Z"))).toBe("probity-chart-2026-11-26-10-05-00.svg");
  });
  it("says when the picture shows part of the chart (analystD M4)", () => {
    const base = { title: "Exploration", exporter: "ann", role: "analyst", purpose: "case PSD-7", asOf: null, realNames: 0 };
    expect(exhibitLines({ ...base, period: { from: "2025-03-01", to: "2025-03-31T23:59:59Z" }, left: 18, leftLinks: 40 })[2]).toBe(
      "Data: events of 2025-03-01 to 2025-03-31 only; 18 entities and 40 links of the chart not drawn (hidden or filtered out); names are pseudonyms",
    );
    expect(exhibitLines({ ...base, asOf: "2025-06-01", leftLinks: 3 })[2]).toBe("Data: links in force on 2025-06-01 only; 3 links of the chart not drawn (hidden or filtered out); names are pseudonyms");
    expect(exhibitLines({ ...base, period: null, left: 0 })[2]).toBe("Data: all loaded data; names are pseudonyms");
  });
  it("says a file of the whole chart holds every link, whatever the picture was filtered to (reviewP M1)", () => {
    const base = { title: "Exploration", exporter: "ann", role: "analyst", purpose: "case PSD-7", asOf: null, realNames: 0, whole: true };
    expect(exhibitLines({ ...base, period: { from: "2025-01-01", to: "2025-03-31" }, left: 0, leftLinks: 12 })[2]).toBe(
      "Data: every entity and link of the chart, whatever their dates (the chart on screen showed events of 2025-01-01 to 2025-03-31 only, 12 links fewer); names are pseudonyms",
    );
    expect(exhibitLines({ ...base, asOf: "2025-06-01" })[2]).toBe("Data: every entity and link of the chart, whatever their dates (the chart on screen showed links in force on 2025-06-01 only); names are pseudonyms");
    expect(exhibitLines({ ...base })[2]).toBe("Data: every entity and link of the chart, whatever their dates; names are pseudonyms");
  });
});

describe("a GraphML export", () => {
  it("carries the exhibit's header as the file's description", () => {
    const doc = graphML(merge(emptyChart(), normalise(chain)), ["Probity link chart: x", "OFFICIAL-SENSITIVE: <personal data>"]);
    expect(doc).toContain("<desc>Probity link chart: x\nOFFICIAL-SENSITIVE: &lt;personal data&gt;</desc>");
  });
});

describe("an exhibit's title", () => {
  const at = new Date("2026-11-26T10:05:00Z");
  it("is plain text on one line, without control or direction-changing characters, at most TITLE_MAX characters", () => {
    expect(cleanTitle("  PSD-2026-017\n exhibit\t3  ")).toBe("PSD-2026-017 exhibit 3");
    expect(cleanTitle("PSD\u202E7102\u202C-17\u0007")).toBe("PSD 7102 -17"); // no right-to-left override
    expect(cleanTitle("x".repeat(200))).toHaveLength(TITLE_MAX);
    expect(cleanTitle("😀".repeat(100))).toBe("😀".repeat(TITLE_MAX)); // whole characters, never half a pair
    expect(cleanTitle("   ")).toBe("");
    expect(xmlChars("a\u0000b\uFFFEc\uD800d\tE")).toBe("abcd\tE");
  });
  it("is printed first in the header, the chart's own title after it; none: the header as before", () => {
    const base = { title: "access-for-gain FLAG-09ae8f02f5c0650d", exporter: "ann", role: "analyst", purpose: "case PSD-7", asOf: null, realNames: 0, at };
    const lines = exhibitLines({ ...base, named: "PSD-2026-017 exhibit 3" });
    expect(lines.slice(0, 2)).toEqual(["PSD-2026-017 exhibit 3", "Probity link chart: access-for-gain FLAG-09ae8f02f5c0650d"]);
    expect(lines.slice(2)).toEqual(exhibitLines(base).slice(1));
    expect(exhibitLines({ ...base, named: "" })).toEqual(exhibitLines(base));
  });
  it("names the file, slugged safely, with the flag when the title does not name it", () => {
    expect(slug("Réf. PSD/2026 17 <a&b>")).toBe("Ref-PSD-2026-17-a-b");
    expect(slug("../../etc/passwd")).toBe("etc-passwd");
    expect(slug("…")).toBe("");
    expect(slug("x".repeat(100))).toHaveLength(60);
    expect(exhibitName("access-for-gain FLAG-09ae8f02f5c0650d", "svg", at, "PSD-2026-017 exhibit 3")).toBe("probity-PSD-2026-017-exhibit-3-FLAG-09ae8f02f5c0650d-2026-11-26-10-05-00.svg");
    expect(exhibitName("access-for-gain FLAG-09ae8f02f5c0650d", "png", at, "flag-09ae8f02f5c0650d for PSD-7")).toBe("probity-flag-09ae8f02f5c0650d-for-PSD-7-2026-11-26-10-05-00.png");
    expect(exhibitName("Exploration", "svg", at, "PSD-7")).toBe("probity-PSD-7-2026-11-26-10-05-00.svg");
    expect(exhibitName("Exploration", "svg", at, "///")).toBe("probity-chart-2026-11-26-10-05-00.svg"); // nothing left: as before
  });
});
