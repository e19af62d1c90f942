// Named charts: saved through the API when the server offers it, else in
// this browser's localStorage (labelled as such in the UI).
import type { App } from "./app";
import { chartJSON, parseChart, type SavedChart } from "./exporters";
import { withoutRealNames } from "./model";
import { CHART, CHARTS, SAVE_CHART } from "./queries";
import type { Chart } from "./types";

const LOCAL = "probity.charts";

export interface SavedRef {
  id: string;
  name: string;
  savedAt: string;
  where: "server" | "browser";
}

function localAll(): Record<string, string> {
  try {
    return JSON.parse(localStorage.getItem(LOCAL) ?? "{}") as Record<string, string>;
  } catch {
    return {};
  }
}

export function whereSaved(app: App): "server" | "browser" {
  return app.caps.has("charts") && app.caps.has("saveChart") ? "server" : "browser";
}

export async function list(app: App): Promise<SavedRef[]> {
  if (whereSaved(app) === "server") {
    const d = await app.api.query<{ charts: { id: string; name: string; savedAt: string }[] }>(CHARTS);
    return d.charts.map((c) => ({ ...c, where: "server" }));
  }
  return Object.entries(localAll())
    .map(([id, doc]) => {
      const p = parseChart(doc);
      return { id, name: p.name, savedAt: p.savedAt, where: "browser" as const };
    })
    .sort((a, b) => b.savedAt.localeCompare(a.savedAt));
}

export async function save(app: App, name: string, chart: Chart, asOf: string | null): Promise<SavedRef> {
  // Real names are not kept: reopened, the chart shows pseudonyms until someone reveals again (audited).
  const doc = chartJSON(name, withoutRealNames(chart), asOf);
  if (whereSaved(app) === "server") {
    const d = await app.api.query<{ saveChart: { id: string; name: string; savedAt: string } }>(SAVE_CHART, { name, document: doc });
    return { ...d.saveChart, where: "server" };
  }
  const all = localAll();
  all[name] = doc;
  localStorage.setItem(LOCAL, JSON.stringify(all));
  return { id: name, name, savedAt: new Date().toISOString(), where: "browser" };
}

export async function open(app: App, ref: SavedRef): Promise<SavedChart> {
  if (ref.where === "server") {
    const d = await app.api.query<{ chart: { document: string } | null }>(CHART, { id: ref.id });
    if (!d.chart) throw new Error("That chart no longer exists.");
    return parseChart(d.chart.document);
  }
  const doc = localAll()[ref.id];
  if (!doc) throw new Error("That chart no longer exists.");
  return parseChart(doc);
}
