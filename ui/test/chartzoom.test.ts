import { describe, expect, it } from "vitest";
import { labelsDrawn, readableZoom } from "../src/chart";

describe("the zoom a chart opens at", () => {
  it("knows when cytoscape draws an entity's label (analystC H1, reviewM M1)", () => {
    // the zoom times the pixel ratio, rounded up to a power of two, times 11 px, against 7 px
    expect(labelsDrawn(0.6)).toBe(true);
    expect(labelsDrawn(0.51)).toBe(true);
    expect(labelsDrawn(0.5)).toBe(false);
    expect(labelsDrawn(0.31)).toBe(false);
    expect(labelsDrawn(0.3, 2)).toBe(true);
    expect(labelsDrawn(0.25, 2)).toBe(false);
  });
  it("opens a chart too large to read whole at the least zoom that draws its labels", () => {
    for (const ratio of [1, 1.5, 2]) {
      expect(labelsDrawn(readableZoom(ratio), ratio)).toBe(true);
      expect(labelsDrawn(readableZoom(ratio) * 0.9, ratio)).toBe(false);
    }
  });
});
