// mutX: additions to ui/test/isodate.test.ts (parseIsoDate bounds, dateField).
// dateField needs a document; vitest runs in node, so a small fake one stands in.
// Run: cp this file to ui/test/ and `npx vitest run test/isodate.mutX.test.ts`.
import { afterEach, describe, expect, it, vi } from "vitest";
import { dateField, parseIsoDate } from "../src/isodate";

describe("parseIsoDate bounds (mutX)", () => {
  it("U05: the last year of the range, 2100, is taken", () => {
    expect(parseIsoDate("2100-12-31")).toEqual({ ok: true, value: "2100-12-31" });
  });
});

type Listener = (ev: { key?: string; preventDefault(): void }) => void;
class FakeEl {
  attrs = new Map<string, string>();
  listeners = new Map<string, Listener[]>();
  children: unknown[] = [];
  textContent = "";
  className = "";
  value = "";
  setAttribute(k: string, v: string) { this.attrs.set(k, v); if (k === "value") this.value = v; }
  getAttribute(k: string) { return this.attrs.get(k) ?? null; }
  removeAttribute(k: string) { this.attrs.delete(k); }
  addEventListener(t: string, f: Listener) { this.listeners.set(t, [...(this.listeners.get(t) ?? []), f]); }
  append(...c: unknown[]) { this.children.push(...c); }
  fire(t: string, key?: string) { for (const f of this.listeners.get(t) ?? []) f({ key, preventDefault() {} }); }
}

describe("dateField (mutX)", () => {
  afterEach(() => vi.unstubAllGlobals());
  const field = (done: (v: string | null) => void) => {
    vi.stubGlobal("document", { createElement: () => new FakeEl() });
    const f = dateField("d", { value: "2025-02-12" }, done);
    return { f, input: f.input as unknown as FakeEl };
  };
  it("U10: a valid entry is written back as YYYY-MM-DD", () => {
    const { f, input } = field(() => {});
    input.value = "20250301";
    expect(f.check()).toEqual({ ok: true, value: "2025-03-01" });
    expect(input.value).toBe("2025-03-01");
  });
  it("U09: done runs once per change of day, not again when the field is left unchanged", () => {
    const seen: (string | null)[] = [];
    const { input } = field((v) => seen.push(v));
    input.fire("change"); // left without a change
    input.value = "2025-03-01";
    input.fire("change");
    input.fire("keydown", "Enter"); // Enter after the change: the same day
    input.value = "03/04/2025";
    input.fire("change"); // invalid: nothing sent
    expect(seen).toEqual(["2025-03-01"]);
    expect(input.getAttribute("aria-invalid")).toBe("true");
  });
});
