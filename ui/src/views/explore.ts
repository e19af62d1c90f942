// Explore: an open link chart. Search adds entities; everything else is the
// shared workspace.
import type { App } from "../app";
import { h, unavailable } from "../dom";
import { emptyChart } from "../types";
import { Workspace } from "./workspace";

export function explore(app: App, root: HTMLElement): () => void {
  const note = !app.caps.has("search") && !app.caps.has("neighbourhood") ? unavailable("Exploring", "search or neighbourhood queries") : null;
  app.store.reset(app.exploreChart ?? emptyChart());
  app.store.set({ selected: [], selectedEdge: null, period: null });
  const ws = new Workspace(app, { title: "Exploration" });
  root.replaceChildren(h("main", { id: "main", class: "explore", "aria-label": "Explore" }, h("h1", { class: "sr-only" }, "Explore"), note, ws.el));
  ws.mount();
  return () => {
    app.exploreChart = app.store.get().chart;
    ws.destroy();
  };
}
