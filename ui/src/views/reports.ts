// Reports: accuracy per pattern, the disproportion report (tables with
// plain-SVG bar charts), scan runs and schedules. Each section loads on its
// own and says "not available" when the server lacks it.
import { friendly } from "../api";
import type { App } from "../app";
import { barChart } from "../bars";
import { clear, empty, failed, h, loading, unavailable } from "../dom";
import { named, rows, type Schema } from "../adaptive";

type Row = Record<string, unknown>;

/**
 * fetchRows asks for the first of the root fields named that the server
 * offers, selecting every scalar of its items (the report APIs land after
 * the UI, so the columns are whatever the server sends).
 */
async function fetchRows(app: App, names: string[]): Promise<Row[]> {
  const s = await app.schema();
  for (const name of names) {
    const f = s.field(s.query, name);
    if (!f || f.args.some((a) => a.type.kind === "NON_NULL" && a.defaultValue == null)) continue;
    const l = s.list(f, (t) => scalars(s, t));
    const d = await app.api.query<Record<string, unknown>>(`query Report { ${name} { ${l.sel} } }`);
    return rows(d[name], l.path);
  }
  throw new Error(`The server has none of ${names.join(", ")}.`);
}

function scalars(s: Schema, t: string): string {
  const fs = (s.type(t)?.fields ?? []).filter((f) => ["SCALAR", "ENUM"].includes(named(f.type).kind) && !f.args.some((a) => a.type.kind === "NON_NULL" && a.defaultValue == null));
  return fs.map((f) => f.name).join(" ") || "__typename";
}

const has = (app: App, names: string[]): boolean => names.some((n) => app.caps.fields.has(`Query.${n}`));

/** section draws one report card: "not available" unless the server has one of the fields. */
function section(app: App, id: string, title: string, fields: string[], needs: string, fill: (body: HTMLElement, rows: Row[]) => void): HTMLElement {
  const body = h("div", {});
  const sec = h("section", { class: "card report", id, "aria-labelledby": `${id}-title` }, h("h2", { id: `${id}-title` }, title), body);
  if (!has(app, fields)) {
    body.append(unavailable(title, needs));
    return sec;
  }
  const run = async (): Promise<void> => {
    clear(body, loading(title.toLowerCase()));
    try {
      fill(body, await fetchRows(app, fields));
    } catch (e) {
      clear(body, failed(friendly(e), () => void run()));
    }
  };
  void run();
  return sec;
}

const num = (v: unknown, d = 2): string => (typeof v === "number" && Number.isFinite(v) ? v.toFixed(d) : v == null ? "—" : String(v));

/** columns are the keys the rows have, in a preferred order first. */
function columns(rs: Row[], prefer: string[]): [string, string][] {
  const keys = [...new Set(rs.flatMap((r) => Object.keys(r)))].filter((k) => k !== "__typename");
  const ordered = [...prefer.filter((k) => keys.includes(k)), ...keys.filter((k) => !prefer.includes(k))];
  return ordered.map((k) => [k, k.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/^./, (c) => c.toUpperCase())]);
}

function table(cols: [string, string][], rows: Row[], fmt: Record<string, (v: unknown) => string> = {}): HTMLElement {
  return h(
    "table",
    { class: "grid" },
    h("thead", {}, h("tr", {}, cols.map(([, t]) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, cols.map(([k]) => h("td", { class: typeof r[k] === "number" ? "num" : "" }, fmt[k] ? fmt[k](r[k]) : r[k] == null ? "—" : String(r[k])))))),
  );
}

export function reports(app: App, root: HTMLElement): () => void {
  const accuracy = section(app, "accuracy", "Accuracy per pattern", ["accuracy", "evaluation", "patternAccuracy"], "accuracy figures (probity eval)", (body, rs) => {
    if (!rs.length) return clear(body, empty("No accuracy figures yet: run probity eval against a ground-truth file."));
    clear(
      body,
      h("p", { class: "muted" }, "Precision (blue, long bar) and recall (amber, short bar) against the ground truth."),
      barChart(rs.map((r) => ({ label: String(r.pattern ?? r.name ?? ""), value: Number(r.precision ?? 0), value2: Number(r.recall ?? 0) })), { max: 1, title: "Precision and recall per pattern" }),
      table(columns(rs, ["pattern", "precision", "recall"]), rs, { precision: (v) => num(v), recall: (v) => num(v), f1: (v) => num(v) }),
    );
  });
  const dispro = section(app, "disproportion", "Disproportion", ["disproportion", "disproportionReport"], "the disproportion report", (body, rs) => {
    if (!rs.length) return clear(body, empty("No flags yet, so no rates to compare."));
    const dimKey = ["dimension", "attribute", "by"].find((k) => k in rs[0]) ?? "";
    const valKey = ["value", "group"].find((k) => k in rs[0]) ?? "";
    const dims = [...new Set(rs.map((r) => String(r[dimKey] ?? "")))];
    clear(
      body,
      h("p", { class: "muted" }, "Flag rate of each group as a ratio to the force-wide rate (1.00 = same rate). Ratios far from 1 call for a closer look at the rules, not at the group."),
      dims.map((dim) => {
        const part = rs.filter((r) => String(r[dimKey] ?? "") === dim);
        return h(
          "div",
          { class: "dim" },
          h("h3", {}, dim ? `By ${dim}` : "By group"),
          barChart(part.map((r) => ({ label: String(r[valKey] ?? ""), value: Number(r.ratio ?? 0) })), { reference: 1, title: `Flag rate ratio by ${dim}`, colour: "#7c3aed" }),
          table(columns(part, [valKey, "officers", "flagged", "rate", "ratio"]).filter(([k]) => k !== dimKey), part, { rate: (v) => num(v, 3), ratio: (v) => num(v) }),
        );
      }),
    );
  });
  const runs = section(app, "scan-runs", "Scan runs", ["scanRuns", "runs"], "scan run history", (body, rs) => {
    if (!rs.length) return clear(body, empty("No scans have run yet."));
    clear(body, table(columns(rs, ["startedAt", "finishedAt", "trigger", "status", "newFlags"]), rs));
  });
  const sched = section(app, "schedules", "Schedules", ["schedules"], "scan schedules", (body, rs) => {
    if (!rs.length) return clear(body, empty("No schedules."));
    clear(body, table(columns(rs, ["name", "cron", "patterns", "enabled", "lastRun", "nextRun"]), rs));
  });
  root.replaceChildren(h("main", { id: "main", class: "reports", "aria-labelledby": "reports-title" }, h("h1", { id: "reports-title" }, "Reports"), h("div", { class: "report-grid" }, accuracy, dispro, runs, sched)));
  return () => {};
}
