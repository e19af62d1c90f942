import { describe, expect, it } from "vitest";
import { chartSVG, type SvgEdge, type SvgNode } from "../src/svgexport";

const node = (x: number, y: number, st: Record<string, string>, visible = true): SvgNode => ({
  visible: () => visible,
  style: (k) => st[k] ?? "",
  position: () => ({ x, y }),
  width: () => 34,
  height: () => 34,
});

describe("chartSVG", () => {
  it("draws every visible node with its shape, icon and label, and edges with arrows and captions", () => {
    const icon = "data:image/svg+xml;utf8,%3Csvg%3E%3C/svg%3E";
    const edge: SvgEdge = {
      visible: () => true,
      style: (k) => ({ label: "£500 · 2025-02-01", "line-color": "#059669", width: "2.4px", "target-arrow-shape": "triangle", "line-style": "solid" })[k] ?? "",
      sourceEndpoint: () => ({ x: 17, y: 0 }),
      targetEndpoint: () => ({ x: 183, y: 0 }),
      midpoint: () => ({ x: 100, y: 0 }),
    };
    const svg = chartSVG({
      nodes: [
        node(0, 0, { shape: "ellipse", "background-color": "#1d4ed8", "background-image": `url(${icon})`, label: "Officer-7F3A2C91 <U1>", "border-width": "4px", "border-color": "#ea580c" }),
        node(200, 0, { shape: "round-rectangle", "background-color": "#059669", label: "ACC0001185" }),
        node(400, 0, { shape: "ellipse", label: "hidden" }, false),
      ],
      edges: [edge],
      box: { x1: -17, y1: -17, x2: 217, y2: 40 },
    });
    expect(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")).toBe(true);
    expect(svg).toContain('<ellipse cx="0" cy="0" rx="17" ry="17" fill="#1d4ed8" stroke="#ea580c" stroke-width="4"/>');
    expect(svg).toContain(`<image href="${icon}"`);
    expect(svg).toContain("Officer-7F3A2C91 &lt;U1&gt;"); // escaped
    expect(svg).toContain('<rect x="183" y="-17" width="34" height="34"');
    expect(svg).toContain(">ACC0001185</text>");
    expect(svg).not.toContain("hidden");
    expect(svg).toContain('<path d="M17,0 Q100,0 183,0" fill="none" stroke="#059669" stroke-width="2.4"');
    expect(svg).toContain("<polygon"); // the arrowhead
    expect(svg).toContain(">£500 · 2025-02-01</text>");
    expect(svg.split("<g ").length).toBe(svg.split("</g>").length); // every group closed
    expect(svg.trim().endsWith("</svg>")).toBe(true);
  });
  it("fades dimmed context's shapes and lines but keeps their captions readable", () => {
    const svg = chartSVG({
      nodes: [node(0, 0, { shape: "ellipse", "background-color": "#1d4ed8", "background-opacity": "0.3", "border-width": "2px", "border-color": "#111", "border-opacity": "0.3", "text-opacity": "0.85", label: "REC1" })],
      edges: [
        {
          visible: () => true,
          style: (k) => ({ label: "accessed", "line-color": "#2563eb", width: "1.5px", "line-opacity": "0.28", "text-opacity": "0.85", "target-arrow-shape": "none" })[k] ?? "",
          sourceEndpoint: () => ({ x: 0, y: 0 }),
          targetEndpoint: () => ({ x: 100, y: 0 }),
          midpoint: () => ({ x: 50, y: 0 }),
        },
      ],
      box: { x1: -17, y1: -17, x2: 117, y2: 40 },
    });
    expect(svg).toContain('fill="#1d4ed8" fill-opacity="0.3" stroke="#111" stroke-width="2" stroke-opacity="0.3"');
    expect(svg).toContain('stroke="#2563eb" stroke-width="1.5" opacity="0.3"'); // 0.28, rounded to a tenth
    expect(svg).toMatch(/fill-opacity="0.9"[^>]*>REC1<\/text>/);
    expect(svg).toMatch(/fill-opacity="0.9"[^>]*>accessed<\/text>/);
  });
});
