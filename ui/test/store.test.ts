import { describe, expect, it } from "vitest";
import { expand, merge, remove } from "../src/model";
import { HISTORY_LIMIT, Store, initialState } from "../src/store";
import { star } from "./fixtures";

describe("Store", () => {
  it("undoes and redoes chart changes in order", () => {
    const s = new Store(initialState());
    s.commit("add hub", (c) => merge(c, { nodes: [{ id: "HUB", label: "Address", properties: {} }], edges: [], truncated: [] }));
    s.commit("expand hub", (c) => expand(c, "HUB", star("HUB", 30), 25));
    expect(Object.keys(s.get().chart.nodes)).toHaveLength(26);
    expect(s.undoLabel()).toBe("expand hub");
    expect(s.undo()).toBe(true);
    expect(Object.keys(s.get().chart.nodes)).toEqual(["HUB"]);
    expect(s.get().chart.more).toEqual([]);
    expect(s.redo()).toBe(true);
    expect(Object.keys(s.get().chart.nodes)).toHaveLength(26);
    expect(s.get().chart.more[0].count).toBe(5);
    expect(s.canRedo()).toBe(false);
  });
  it("drops the redo stack on a new change", () => {
    const s = new Store(initialState());
    s.commit("a", (c) => merge(c, star("A", 2)));
    s.commit("b", (c) => merge(c, star("B", 2)));
    s.undo();
    s.commit("remove", (c) => remove(c, ["P0"]));
    expect(s.canRedo()).toBe(false);
    expect(s.get().chart.nodes.B).toBeUndefined();
    expect(s.get().chart.nodes.P0).toBeUndefined();
    s.undo();
    expect(s.get().chart.nodes.P0).toBeTruthy();
  });
  it("ignores no-op commits and bounds the history", () => {
    const s = new Store(initialState());
    s.commit("nothing", (c) => c);
    expect(s.canUndo()).toBe(false);
    for (let i = 0; i < HISTORY_LIMIT + 10; i++) s.commit(`n${i}`, (c) => merge(c, { nodes: [{ id: `N${i}`, label: "Phone", properties: {} }], edges: [], truncated: [] }));
    let n = 0;
    while (s.undo()) n++;
    expect(n).toBe(HISTORY_LIMIT);
    expect(Object.keys(s.get().chart.nodes)).toHaveLength(10);
  });
  it("tells listeners the old and new state", () => {
    const s = new Store(initialState());
    const seen: number[] = [];
    s.subscribe((now, prev) => seen.push(Object.keys(now.chart.nodes).length - Object.keys(prev.chart.nodes).length));
    s.commit("a", (c) => merge(c, star("A", 3)));
    s.undo();
    expect(seen).toEqual([4, -4]);
  });
});

describe("a change to the whole history", () => {
  it("reaches the undo and redo charts too (a revealed name is not undone)", () => {
    const st = new Store(initialState());
    st.commit("one", (c) => ({ ...c, hidden: ["a"] }));
    st.commit("two", (c) => ({ ...c, hidden: ["a", "b"] }));
    st.undo();
    st.rewrite((c) => ({ ...c, asOfNote: "renamed" }) as typeof c);
    expect((st.get().chart as unknown as { asOfNote: string }).asOfNote).toBe("renamed");
    st.undo();
    expect((st.get().chart as unknown as { asOfNote: string }).asOfNote).toBe("renamed");
    st.redo();
    st.redo();
    expect(st.get().chart.hidden).toEqual(["a", "b"]);
    expect((st.get().chart as unknown as { asOfNote: string }).asOfNote).toBe("renamed");
  });
});
