// Reports: accuracy per pattern, the disproportion report (tables with
// plain-SVG bar charts), scan runs and schedules. Each section loads on its
// own and says "not available" when the server lacks it.
import { friendly } from "../api";
import type { App } from "../app";
import { barChart } from "../bars";
import { clear, empty, failed, h, loading, unavailable } from "../dom";
import { ACCURACY, DISPROPORTION, SCAN_RUNS, SCHEDULES, type Feature } from "../queries";

type Row = Record<string, unknown>;

function section(app: App, id: string, title: string, feature: Feature, needs: string, fill: (body: HTMLElement) => Promise<void>): HTMLElement {
  const body = h("div", {});
  const sec = h("section", { class: "card report", id, "aria-labelledby": `${id}-title` }, h("h2", { id: `${id}-title` }, title), body);
  if (!app.caps.has(feature)) {
    body.append(unavailable(title, needs));
    return sec;
  }
  const run = async (): Promise<void> => {
    clear(body, loading(title.toLowerCase()));
    try {
      await fill(body);
    } catch (e) {
      clear(body, failed(friendly(e), () => void run()));
    }
  };
  void run();
  return sec;
}

const num = (v: unknown, d = 2): string => (typeof v === "number" && Number.isFinite(v) ? v.toFixed(d) : v == null ? "—" : String(v));

function table(cols: [string, string][], rows: Row[], fmt: Record<string, (v: unknown) => string> = {}): HTMLElement {
  return h(
    "table",
    { class: "grid" },
    h("thead", {}, h("tr", {}, cols.map(([, t]) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, cols.map(([k]) => h("td", { class: typeof r[k] === "number" ? "num" : "" }, fmt[k] ? fmt[k](r[k]) : r[k] == null ? "—" : String(r[k])))))),
  );
}

export function reports(app: App, root: HTMLElement): () => void {
  const accuracy = section(app, "accuracy", "Accuracy per pattern", "accuracy", "accuracy figures (probity eval)", async (body) => {
    const d = await app.api.query<{ accuracy: Row[] }>(ACCURACY);
    if (!d.accuracy.length) return clear(body, empty("No accuracy figures yet: run probity eval against a ground-truth file."));
    clear(
      body,
      h("p", { class: "muted" }, "Precision (blue, long bar) and recall (amber, short bar) against the ground truth."),
      barChart(d.accuracy.map((r) => ({ label: String(r.pattern), value: Number(r.precision ?? 0), value2: Number(r.recall ?? 0) })), { max: 1, title: "Precision and recall per pattern" }),
      table([["pattern", "Pattern"], ["precision", "Precision"], ["recall", "Recall"], ["truePositives", "True +"], ["falsePositives", "False +"], ["falseNegatives", "False −"]], d.accuracy, { precision: (v) => num(v), recall: (v) => num(v) }),
    );
  });
  const dispro = section(app, "disproportion", "Disproportion", "disproportion", "the disproportion report", async (body) => {
    const d = await app.api.query<{ disproportion: Row[] }>(DISPROPORTION, {});
    if (!d.disproportion.length) return clear(body, empty("No flags yet, so no rates to compare."));
    const dims = [...new Set(d.disproportion.map((r) => String(r.dimension)))];
    clear(
      body,
      h("p", { class: "muted" }, "Flag rate of each group as a ratio to the force-wide rate (1.00 = same rate). Ratios far from 1 call for a closer look at the rules, not at the group."),
      dims.map((dim) => {
        const rows = d.disproportion.filter((r) => String(r.dimension) === dim);
        return h(
          "div",
          { class: "dim" },
          h("h3", {}, `By ${dim}`),
          barChart(rows.map((r) => ({ label: String(r.value), value: Number(r.ratio ?? 0) })), { reference: 1, title: `Flag rate ratio by ${dim}`, colour: "#7c3aed" }),
          table([["value", dim], ["officers", "Officers"], ["flagged", "Flagged"], ["rate", "Rate"], ["ratio", "Ratio"]], rows, { rate: (v) => num(v, 3), ratio: (v) => num(v) }),
        );
      }),
    );
  });
  const runs = section(app, "scan-runs", "Scan runs", "scanRuns", "scan run history", async (body) => {
    const d = await app.api.query<{ scanRuns: Row[] }>(SCAN_RUNS);
    if (!d.scanRuns.length) return clear(body, empty("No scans have run yet."));
    clear(body, table([["startedAt", "Started"], ["finishedAt", "Finished"], ["pattern", "Pattern"], ["status", "Status"], ["newFlags", "New flags"], ["error", "Error"]], d.scanRuns));
  });
  const sched = section(app, "schedules", "Schedules", "schedules", "scan schedules", async (body) => {
    const d = await app.api.query<{ schedules: Row[] }>(SCHEDULES);
    if (!d.schedules.length) return clear(body, empty("No schedules."));
    clear(body, table([["name", "Name"], ["cron", "Cron"], ["patterns", "Patterns"], ["enabled", "Enabled"], ["lastRun", "Last run"], ["nextRun", "Next run"]], d.schedules, { patterns: (v) => (Array.isArray(v) ? v.join(", ") : String(v ?? "all")) }));
  });
  root.replaceChildren(h("main", { id: "main", class: "reports", "aria-labelledby": "reports-title" }, h("h1", { id: "reports-title" }, "Reports"), h("div", { class: "report-grid" }, accuracy, dispro, runs, sched)));
  return () => {};
}
