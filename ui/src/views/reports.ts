// Reports: accuracy per pattern, the disproportion report (tables with
// plain-SVG bar charts), scan runs and schedules. Each section loads on its
// own and says "not available" when the server lacks it.
import { ApiError, friendly } from "../api";
import type { App } from "../app";
import { barChart } from "../bars";
import { clear, empty, failed, h, loading, table, unavailable } from "../dom";
import { named, rows, type Schema } from "../adaptive";
import { ACCURACY, FAIRNESS, PATTERN_NAMES, SCAN_RUNS } from "../queries";

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

/** section draws one report card: "not available" unless the server has one of the fields; controls go under the title. */
function section(app: App, id: string, title: string, fields: string[], needs: string, fill: (body: HTMLElement, rows: Row[]) => void, load?: () => Promise<Row[]>, controls?: (reload: () => void) => HTMLElement): HTMLElement {
  const body = h("div", {});
  const sec = h("section", { class: "card report", id, "aria-labelledby": `${id}-title` }, h("h2", { id: `${id}-title` }, title), body);
  if (!has(app, fields)) {
    body.append(unavailable(title, needs));
    return sec;
  }
  const run = async (): Promise<void> => {
    clear(body, loading(title.toLowerCase()));
    try {
      fill(body, await (load ? load() : fetchRows(app, fields)));
    } catch (e) {
      // A role that may not read this report gets a note, not a Retry that cannot help.
      if (e instanceof ApiError && e.code === "forbidden") {
        const role = app.store.get().session?.role ?? "";
        clear(body, h("div", { class: "state unavailable", role: "note" }, h("strong", {}, `${title} needs a reviewer token. `), `You are signed in as ${role || "another role"}.`));
        return;
      }
      clear(body, failed(friendly(e), () => void run()));
    }
  };
  if (controls) sec.insertBefore(controls(() => void run()), body);
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


const when = (v: unknown): string => (typeof v === "string" && v ? v.slice(0, 16).replace("T", " ") : "—");

export function reports(app: App, root: HTMLElement): () => void {
  let evalAt = "";
  const accuracy = section(
    app,
    "accuracy",
    "Accuracy per pattern",
    ["accuracy"],
    "accuracy figures (probity eval)",
    (body, rs) => {
      if (!rs.length) return clear(body, empty("No accuracy figures yet: run probity eval against a ground-truth file."));
      clear(
        body,
        h("p", { class: "muted" }, `Precision (blue, long bar) and recall (amber, short bar) against the ground truth${evalAt}.`),
        barChart(rs.map((r) => ({ label: String(r.pattern ?? ""), value: Number(r.precision ?? 0), value2: Number(r.recall ?? 0) })), { max: 1, title: "Precision and recall per pattern" }),
        table(columns(rs, ["pattern", "precision", "recall", "truth", "flagged", "truePositives", "trapsFlagged", "precisionAtK", "k"]), rs, { precision: (v) => num(v), recall: (v) => num(v), precisionAtK: (v) => num(v) }),
      );
    },
    async () => {
      const d = await app.api.query<{ accuracy: Row[]; accuracyReport: { at: string; truthFile: string } | null }>(ACCURACY);
      if (d.accuracyReport) evalAt = ` (${d.accuracyReport.truthFile}, ${when(d.accuracyReport.at)})`;
      return d.accuracy;
    },
  );
  let force = "";
  let pattern = "";
  const dispro = section(
    app,
    "disproportion",
    "Disproportion",
    ["fairnessReport"],
    "the disproportion report",
    (body, rs) => {
      if (!rs.length) return clear(body, empty("No flags yet, so no rates to compare."));
      const dims = [...new Set(rs.map((r) => String(r.attribute ?? "")))];
      clear(
        body,
        h("p", { class: "muted" }, `Flag rate of each group as a ratio to the force-wide rate${force} (1.00 = same rate). Ratios far from 1 call for a closer look at the rules, not at the group. The whiskers are 95% intervals: a group is marked "beyond chance" only when its interval leaves out 1. Pale bars and * mark small groups (fewer than 10 officers): their ratio is unreliable.`),
        dims.map((dim) => {
          const part = rs.filter((r) => String(r.attribute ?? "") === dim);
          return h(
            "div",
            { class: "dim" },
            h("h3", {}, `By ${dim}`),
            barChart(
              part.map((r) => ({ label: `${String(r.value ?? "")}${r.small ? " *" : ""}`, value: Number(r.ratio ?? 0), muted: !!r.small, low: Number(r.ratioLow ?? 0), high: Number(r.ratioHigh ?? 0) })),
              { reference: 1, title: `Flag rate ratio by ${dim}, with 95% intervals`, colour: "#7c3aed" },
            ),
            table(
              [["value", dim.replace(/^./, (c) => c.toUpperCase())], ["officers", "Officers"], ["flagged", "Flagged"], ["rate", "Rate"], ["ratio", "Ratio"], ["interval", "95% interval"], ["beyondChance", "Beyond chance"], ["small", "Small group"]],
              part.map((r) => ({ ...r, interval: `${num(r.ratioLow)}–${num(r.ratioHigh)}` })),
              { rate: (v) => num(v, 3), ratio: (v) => num(v), beyondChance: (v) => (v ? "yes" : ""), small: (v) => (v ? "yes *" : "") },
            ),
          );
        }),
      );
    },
    async () => {
      const d = await app.api.query<{ fairnessReport: { officers: number; flagged: number; rate: number; groups: Row[] } }>(FAIRNESS, { pattern: pattern || null });
      const r = d.fairnessReport;
      force = ` (${r.flagged} of ${r.officers} officers flagged${pattern ? ` by ${pattern}` : ""}, ${num(r.rate, 3)})`;
      return r.groups;
    },
    (reload) => {
      // One pattern's flags, or any: is a rule, not the force, behind a ratio?
      const select = h("select", { id: "disproportion-pattern", "aria-label": "Pattern" }, h("option", { value: "" }, "All patterns")) as HTMLSelectElement;
      select.addEventListener("change", () => {
        pattern = select.value;
        reload();
      });
      if (app.caps.fields.has("Query.patterns")) {
        void app.api
          .query<{ patterns: { name: string }[] }>(PATTERN_NAMES)
          .then((d) => select.append(...d.patterns.map((p) => h("option", { value: p.name }, p.name))))
          .catch(() => {});
      }
      return h("label", { class: "controls" }, "Flags of ", select);
    },
  );
  const runs = section(
    app,
    "scan-runs",
    "Scan runs",
    ["scanRuns"],
    "scan run history",
    (body, rs) => {
      if (!rs.length) return clear(body, empty("No scans have run yet."));
      clear(body, table([["startedAt", "Started"], ["endedAt", "Ended"], ["trigger", "Trigger"], ["status", "Status"], ["officers", "Officers"], ["newFlags", "New flags"], ["updatedFlags", "Found again"], ["clearedFlags", "Cleared"], ["error", "Error"]], rs, { startedAt: when, endedAt: when, officers: (v) => (v === -1 ? "all" : String(v)) }));
    },
    async () => (await app.api.query<{ scanRuns: { nodes: Row[] } }>(SCAN_RUNS)).scanRuns.nodes,
  );
  root.replaceChildren(
    h(
      "main",
      { id: "main", class: "reports", "aria-labelledby": "reports-title" },
      h("h1", { id: "reports-title" }, "Reports"),
      h("p", { class: "muted" }, "Schedules and their runs are on the ", h("a", { href: "#/schedules" }, "Schedules"), " page."),
      h("div", { class: "report-grid" }, accuracy, dispro, runs),
    ),
  );
  return () => {};
}
