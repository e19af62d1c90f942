// Reports: accuracy per pattern (against a truth file, and as reviewers
// decided), the disproportion report (tables with
// plain-SVG bar charts), scan runs and schedules. Each section loads on its
// own and says "not available" when the server lacks it.
import { ApiError, friendly } from "../api";
import type { App } from "../app";
import { type Bar, barChart } from "../bars";
import { toCsv } from "../csv";
import { clear, download, empty, failed, h, loading, minute, table, tiedNote, unavailable, utcMinute } from "../dom";
import { fileStamp } from "../exporters";
import { ACCURACY, FAIRNESS, PATTERN_NAMES, REVIEW_OUTCOMES, SCAN_RUNS } from "../queries";

type Row = Record<string, unknown>;

const has = (app: App, names: string[]): boolean => names.some((n) => app.caps.fields.has(`Query.${n}`));

/**
 * REVIEWER_REPORTS are the sections whose queries an analyst may not run:
 * not sent for one, since every refused attempt is audited as one beyond
 * the caller's role (uiQ: opening Reports left three such events).
 */
const REVIEWER_REPORTS = new Set(["accuracy", "outcomes", "disproportion"]);

/** needsReviewer is the note an analyst sees in place of a reviewer's report. */
const needsReviewer = (title: string, role: string): HTMLElement =>
  h("div", { class: "state unavailable", role: "note" }, h("strong", {}, `${title} needs a reviewer token. `), `You are signed in as ${role || "another role"}.`);

/** section draws one report card: "not available" unless the server has one of the fields; controls go under the title. */
function section(
  app: App,
  id: string,
  title: string,
  fields: string[],
  needs: string,
  fill: (body: HTMLElement, rows: Row[]) => void,
  load: () => Promise<Row[]>,
  controls?: (reload: () => void) => HTMLElement,
  csvName: () => string = () => id,
): HTMLElement {
  const body = h("div", {});
  const sec = h("section", { class: "card report", id, "aria-labelledby": `${id}-title` }, h("h2", { id: `${id}-title` }, title), body);
  if (!has(app, fields)) {
    body.append(unavailable(title, needs));
    return sec;
  }
  const role = app.store.get().session?.role ?? "";
  if (REVIEWER_REPORTS.has(id) && role === "analyst") {
    body.append(needsReviewer(title, role));
    return sec;
  }
  const run = async (): Promise<void> => {
    clear(body, loading(title.toLowerCase()));
    try {
      const rows = await load();
      fill(body, rows);
      // the figures as a spreadsheet takes them, for a board pack (boardA: no report could leave the screen)
      if (rows.length) {
        const save = h("button", { type: "button", id: `${id}-csv` }, "Download CSV");
        save.addEventListener("click", () => download(`probity-${csvName()}-${fileStamp()}.csv`, rowsCsv(rows), "text/csv"));
        body.append(h("p", { class: "report-export" }, save));
      }
    } catch (e) {
      // A role that may not read this report gets a note, not a Retry that cannot help;
      // a reviewer refused it (a token tied to an officer: analystD H1) gets the server's reason.
      if (e instanceof ApiError && e.code === "forbidden")
        return void clear(body, role === "analyst" ? needsReviewer(title, role) : h("div", { class: "state unavailable", role: "note", id: `${id}-refused` }, e.message));
      clear(body, failed(friendly(e), () => void run()));
    }
  };
  if (controls) sec.insertBefore(controls(() => void run()), body);
  void run();
  return sec;
}

/** rowsCsv is report rows as CSV: a column a field, in the rows' order; a nested value as JSON. */
export function rowsCsv(rs: Row[]): string {
  const keys = columns(rs, []).map(([k]) => k);
  const cell = (v: unknown): string | number | null => (v == null ? null : typeof v === "number" ? v : typeof v === "object" ? JSON.stringify(v) : String(v));
  return toCsv([keys, ...rs.map((r) => keys.map((k) => cell(r[k])))]);
}

const num = (v: unknown, d = 2): string => (typeof v === "number" && Number.isFinite(v) ? v.toFixed(d) : v == null ? "—" : String(v));

/** columns are the keys the rows have, in a preferred order first. */
function columns(rs: Row[], prefer: string[]): [string, string][] {
  const keys = [...new Set(rs.flatMap((r) => Object.keys(r)))].filter((k) => k !== "__typename");
  const ordered = [...prefer.filter((k) => keys.includes(k)), ...keys.filter((k) => !prefer.includes(k))];
  return ordered.map((k) => [k, k.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/^./, (c) => c.toUpperCase())]);
}


/** ALL_PATTERNS is the pooled row's pattern (probity.AllPatterns). */
const ALL_PATTERNS = "all patterns";

/** ACCURACY_LABELS are the accuracy table's headings in words. */
const ACCURACY_LABELS: Record<string, string> = { truePositives: "True positives", trapsFlagged: "Traps flagged", precisionAtK: "Precision at k", k: "k" };

/** OUTCOME_LABELS name the review-outcome columns that count part of another. */
const OUTCOME_LABELS: Record<string, string> = {
  open: "Open (new or in review)",
  inReview: "of which in review",
  confirmed: "of which confirmed",
  decided: "Decided (the four outcomes)",
};

/** ratioOrNull is a ratio the API may leave null (nothing to divide by, nothing to compare with). */
const ratioOrNull = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** groupName is a disproportion group's value, or "(not recorded)" for the officers without one. */
const groupName = (r: Row): string => (r.notRecorded ? "(not recorded)" : String(r.value ?? ""));
/** SHOWN is how many groups of an attribute the disproportion report draws before "Show all" (the largest; groups beyond chance are always drawn). */
const SHOWN = 15;

/** withInterval is a ratio of k in n with, under it, its counts and exact 95% interval ("0.75", "3/4 · 0.19–0.99"): a few cases bound a ratio loosely (statA). */
export function withInterval(v: unknown, k: unknown, n: unknown, low: unknown, high: unknown): string | Node {
  if (ratioOrNull(v) == null) return "—";
  const range = ratioOrNull(low) != null && ratioOrNull(high) != null ? ` · ${num(low)}–${num(high)}` : "";
  return h("span", {}, num(v), h("br"), h("small", { class: "muted" }, `${String(k)}/${String(n)}${range}`));
}

export function reports(app: App, root: HTMLElement): () => void {
  let evalAt = "";
  let evalWarnings: string[] = [];
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
        h(
          "p",
          { class: "muted" },
          `Precision (blue, long bar, its exact 95% interval as a whisker) and recall (amber, short bar) against the ground truth${evalAt}. "—" is a ratio of nothing: no flags (precision) or no officer in the ground truth (recall). The table gives each ratio's counts and exact 95% interval: a few planted cases bound it loosely (3 of 3 is anywhere from 0.29 to 1). The figures are as good as the ground truth: one generated with the data shows that the rules meet their specification, not how they fare on real cases.`,
        ),
        evalWarnings.length ? h("ul", { class: "state unavailable", id: "accuracy-warnings", role: "note" }, evalWarnings.map((w) => h("li", {}, w))) : null,
        barChart(
          rs.filter((r) => r.pattern !== ALL_PATTERNS).map((r) => ({ label: String(r.pattern ?? ""), value: ratioOrNull(r.precision), value2: ratioOrNull(r.recall), low: ratioOrNull(r.precisionLow), high: ratioOrNull(r.precisionHigh) })),
          { max: 1, title: "Precision (with its 95% interval) and recall per pattern" },
        ),
        table(
          columns(rs, ["pattern", "precision", "recall", "truth", "flagged", "truePositives", "trapsFlagged", "precisionAtK", "k"])
            .filter(([k]) => !/(Low|High)$/.test(k) && k !== "traps")
            .map(([k, label]): [string, string] => [k, ACCURACY_LABELS[k] ?? label]),
          // the library as a whole last ("all patterns"): counts over (pattern, officer) pairs
          rs,
          {
            precision: (v, r) => withInterval(v, r.truePositives, r.flagged, r.precisionLow, r.precisionHigh),
            recall: (v, r) => withInterval(v, r.truePositives, r.truth, r.recallLow, r.recallHigh),
            precisionAtK: (v) => num(v),
            // of how many: "0" read alike for 0 traps and 7 (boardA); none tried without a traps file (reviewE M1)
            trapsFlagged: (v, r) => (v == null ? "— (no traps file)" : `${String(v)} of ${String(r.traps ?? "—")}`),
          },
          "accuracy-table",
        ),
      );
    },
    async () => {
      const d = await app.api.query<{
        accuracy: Row[];
        accuracyReport: { at: string; truthFile: string; warnings?: string[]; scanRunId?: string | null; newerScanRunId?: string | null; changes?: Changes | null; overall?: Row } | null;
      }>(ACCURACY);
      // the file's name, not where it lies on the server
      if (d.accuracyReport) evalAt = evalSource(d.accuracyReport);
      evalWarnings = accuracyNotes(d.accuracyReport);
      return withPooled(d.accuracy, d.accuracyReport?.overall);
    },
  );
  // What reviewers decided: the accuracy a force has without a truth file.
  const outcomes = section(
    app,
    "outcomes",
    "Review outcomes per pattern",
    ["reviewOutcomes"],
    "review outcomes",
    (body, rs) => {
      const decided = rs.filter((r) => Number(r.decided) > 0);
      if (!rs.length) return clear(body, empty("No patterns."));
      clear(
        body,
        h(
          "p",
          { class: "muted" },
          "Of each pattern's decided flags, the share upheld (referred for investigation or given a prevention notice) against those closed (no further action, false positive): what the reviewers found, where no ground truth exists. It is a precision among the flags reviewers chose to decide, not accuracy: deciding the clear cases first raises it, the open flags are not in it, and it says nothing of cases no flag raised. The whiskers are exact 95% intervals (chance only): a pattern with few decisions says little.",
        ),
        decided.length
          ? barChart(
              decided.map((r) => ({ label: `${String(r.pattern ?? "")} (${String(r.decided)})`, value: ratioOrNull(r.upheld), low: ratioOrNull(r.upheldLow), high: ratioOrNull(r.upheldHigh) })),
              { max: 1, title: "Share of decided flags upheld, per pattern (number decided), with 95% intervals" },
            )
          : h("p", { class: "muted" }, "No flag has been decided yet."),
        // the columns that are parts of others say so (analystZ: 7 / 1 / 1 / 1 read as 10 flags of 8)
        table(
          columns(rs, ["pattern", "open", "inReview", "referred", "confirmed", "preventionNotice", "noFurtherAction", "falsePositive", "decided", "upheld"])
            .filter(([k]) => !/(Low|High)$/.test(k))
            .map(([k, label]): [string, string] => [k, OUTCOME_LABELS[k] ?? label]),
          rs,
          { upheld: (v, r) => withInterval(v, Number(r.referred) + Number(r.preventionNotice), r.decided, r.upheldLow, r.upheldHigh) },
          "outcomes-table",
        ),
      );
    },
    async () => (await app.api.query<{ reviewOutcomes: Row[] }>(REVIEW_OUTCOMES)).reviewOutcomes,
  );
  let force = "";
  let comparisons = "";
  let flagged = 0;
  let notCompared: string[] = [];
  let pattern = "";
  let current = false;
  const dispro = section(
    app,
    "disproportion",
    "Disproportion",
    ["fairnessReport"],
    "the disproportion report",
    (body, rs) => {
      if (!rs.length) return clear(body, empty(flagged ? noGroups(flagged, notCompared) : noRates(pattern, current)));
      const dims = [...new Set(rs.map((r) => String(r.attribute ?? "")))];
      const scale = disproportionScale(rs);
      clear(
        body,
        h(
          "p",
          { class: "muted" },
          `Flag rate of each group as a ratio to the force-wide rate${force} (1.00 = same rate); every officer a pattern ever flagged counts, cleared flags included, unless "only flags the rules as they stand raise" is ticked (then not cleared or superseded flags, nor flags taken up that a scan no longer found). A flag rate mixes how often a group's officers do what the rules look for with how the rules are written: a ratio far from 1 asks which of the two it is (the reviewers' false positives in that group, the rule's conditions), and is no finding about the group. Each group is compared with the rest of the force: it is marked "beyond chance" when p < 0.05, and the whiskers are 95% intervals, which leave out 1 exactly then; where the counts are too few for an interval ("—"), Fisher's exact test decides${comparisons}. "Also at FDR 5%" keeps the marks that hold with the false discovery rate over all comparisons held at 5% (Benjamini-Hochberg): the ones to act on. On the charts † marks a group beyond chance, by its interval or by Fisher's test, and "no interval" a group Fisher's test decided. "(not recorded)" is the officers the attribute is missing for. Pale bars and * mark small groups (fewer than 10 officers, n of them): their ratio is unreliable, so it does not set the charts' scale; a bar that runs past the axis' end stops there, "▸" after its value.`,
        ),
        dims.map((dim) => {
          // Largest groups first; on real data an attribute can hold hundreds
          // of values, mostly groups of one: the first SHOWN are drawn, the
          // rest on request.
          const all = rs.filter((r) => String(r.attribute ?? "") === dim).sort((a, b) => Number(b.officers ?? 0) - Number(a.officers ?? 0) || groupName(a).localeCompare(groupName(b), undefined, { numeric: true }));
          const beyond = all.filter((r, i) => i >= SHOWN && r.beyondChance);
          const rest = all.length - SHOWN - beyond.length;
          const part = all.length > SHOWN ? [...all.slice(0, SHOWN), ...beyond] : all;
          const more =
            all.length > SHOWN && rest > 0
              ? h(
                  "button",
                  {
                    type: "button",
                    class: "link show-all",
                    onclick: (e: Event) => {
                      const dimEl = (e.target as HTMLElement).closest(".dim");
                      if (dimEl) dimEl.replaceWith(dimView(dim, all, null));
                    },
                  },
                  `Show all ${all.length} groups (${rest} smaller ones not shown, ${all.slice(SHOWN).filter((r) => !r.beyondChance).reduce((n, r) => n + Number(r.officers ?? 0), 0)} officers)`,
                )
              : null;
          return dimView(dim, part, more);
        }),
      );
      function dimView(dim: string, part: Row[], more: HTMLElement | null): HTMLElement {
        return h(
          "div",
          { class: "dim" },
          h("h3", {}, `By ${dim}`),
          more,
          barChart(
            part.map(disproportionBar),
            { reference: 1, max: scale, title: `Flag rate ratio by ${dim}, with 95% intervals`, colour: "#7c3aed" },
          ),
          table(
            [["value", dim.replace(/^./, (c) => c.toUpperCase())], ["officers", "Officers"], ["flagged", "Flagged"], ["rate", "Rate"], ["ratio", "Ratio"], ["interval", "95% interval"], ["pValue", "p"], ["beyondChance", "Beyond chance"], ["beyondChanceFdr", "Also at FDR 5%"], ["small", "Small group"]],
            part.map((r) => ({ ...r, value: groupName(r), interval: r.ratioLow == null ? "—" : `${num(r.ratioLow)}–${num(r.ratioHigh)}` })),
            { rate: (v) => num(v, 3), ratio: (v) => num(v), pValue: (v) => (typeof v === "number" ? String(Number(v.toPrecision(3))) : "—"), beyondChance: (v) => (v ? "yes" : ""), beyondChanceFdr: (v) => (v ? "yes" : ""), small: (v) => (v ? "yes *" : "") },
            `disproportion-by-${dim.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}`,
          ),
        );
      }
    },
    async () => {
      const d = await app.api.query<{ fairnessReport: { officers: number; flagged: number; flaggedStanding?: number; rate: number; comparisons?: number; notCompared?: string[]; groups: Row[] } }>(FAIRNESS, { pattern: pattern || null, current });
      const r = d.fairnessReport;
      force = forceCounts(r, pattern, current);
      flagged = r.flagged;
      const n = r.comparisons ?? 0;
      comparisons = n ? `; of ${n} comparisons about ${Math.round(n / 20)} may be marked so by chance alone` : "";
      // what was not checked, so that nobody takes it for checked (statA L5)
      const skipped = (notCompared = r.notCompared ?? []);
      comparisons += skipped.length ? `. Not compared: ${skipped.join("; ")}; an attribute the data does not hold is not checked at all` : "";
      return disproportionRows(r);
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
      // only the flags that stand: a rule fixed, its flags cleared, shows its fix (statA L4)
      const standing = h("input", { type: "checkbox", id: "disproportion-current" }) as HTMLInputElement;
      standing.addEventListener("change", () => {
        current = standing.checked;
        reload();
      });
      return h("span", { class: "controls" }, h("label", {}, "Flags of ", select), " ", h("label", {}, standing, " only flags the rules as they stand raise"));
    },
    // the file says which report it holds (checkE: two CSVs of one name)
    () => disproportionFile(pattern, current),
  );
  const runs = section(
    app,
    "scan-runs",
    "Scan runs",
    ["scanRuns"],
    "scan run history",
    (body, rs) => {
      if (!rs.length) return clear(body, empty("No scans have run yet."));
      clear(
        body,
        rs.some((r) => r.newFlags == null) ? tiedNote("The counts of flags") : null,
        table([["startedAt", "Started (UTC)"], ["endedAt", "Ended (UTC)"], ["trigger", "Trigger"], ["status", "Status"], ["officers", "Officers"], ["newFlags", "New flags"], ["updatedFlags", "Found again"], ["clearedFlags", "Cleared"], ["notFoundFlags", "Taken up, no longer found"], ["notes", "What it could not judge"], ["error", "Error"]], rs, { startedAt: minute, endedAt: minute }, "scan-runs-table"),
      );
    },
    async () => runRows((await app.api.query<{ scanRuns: { nodes: Row[] } }>(SCAN_RUNS)).scanRuns.nodes),
  );
  root.replaceChildren(
    h(
      "main",
      { id: "main", class: "reports", "aria-labelledby": "reports-title" },
      h("h1", { id: "reports-title" }, "Reports"),
      app.store.get().session?.role === "admin" ? h("p", { class: "muted" }, "Schedules and their runs are on the ", h("a", { href: "#/schedules" }, "Schedules"), " page.") : null,
      h("div", { class: "report-grid" }, accuracy, outcomes, dispro, runs),
    ),
  );
  return () => {};
}

/**
 * evalSource names what the accuracy figures were measured with, beside the truth file's name: when eval ran and the scan whose flags it
 * measured, so that a reviewer can tell a stale or wrong file's figures (statA M1: the card named only "truth.csv").
 */
export function evalSource(r: { truthFile: string; at: string; scanRunId?: string | null }): string {
  const scan = r.scanRunId ? `, of the flags up to scan ${r.scanRunId}` : "";
  return ` (${r.truthFile.split(/[\\/]/).pop() ?? ""}, measured ${utcMinute(r.at)}${scan})`;
}

/** Changes is how the flags that stand differ from those eval measured, in (pattern, officer) pairs (accuracyReport.changes). */
export interface Changes {
  raised: number;
  cleared: number;
  rescored: number;
}

/** changeWords says what changed ("3 flags raised, 59 cleared"), the parts that are not 0. */
export function changeWords(c: Changes): string {
  return [c.raised ? `${c.raised} flag${c.raised === 1 ? "" : "s"} raised` : "", c.cleared ? `${c.cleared} cleared` : "", c.rescored ? `${c.rescored} similar-to-confirmed score${c.rescored === 1 ? "" : "s"} moved` : ""].filter(Boolean).join(", ");
}

/**
 * staleNote says, when a scan has ended since eval measured the flags up to scanRunId and changed them (newer: the latest that ended without
 * an error, which the server gives only then: reviewE L6, statA L1), that the figures are of the flags before it and what changed (analystB:
 * a threshold changed, the card still read 1.00); "" otherwise: a scan that changed nothing eval measured leaves the figures standing.
 * Without changes (a report stored before reports kept what they measured) it says only that a scan ran.
 */
export function staleNote(scanRunId: string | null | undefined, newer: string | null | undefined, changes?: Changes | null): string {
  if (!scanRunId || !newer || newer === scanRunId) return "";
  const what = changes ? changeWords(changes) : "";
  if (what) return `The flags have changed since these figures were measured: ${what} since (they are of the flags up to ${scanRunId}; the latest scan is ${newer}): run probity eval again.`;
  return `A scan has run since these figures were measured (they are of the flags up to ${scanRunId}; the latest is ${newer}): run probity eval again.`;
}

/** accuracyNotes are the notes the accuracy card lists above its table: whether the flags changed since eval measured them (staleNote), then eval's own warnings. */
export function accuracyNotes(r: { warnings?: string[]; scanRunId?: string | null; newerScanRunId?: string | null; changes?: Changes | null } | null | undefined): string[] {
  const stale = staleNote(r?.scanRunId, r?.newerScanRunId, r?.changes);
  return stale ? [stale, ...(r?.warnings ?? [])] : (r?.warnings ?? []);
}

/** withPooled puts the pooled row ("all patterns") after the patterns': the table and its CSV show it (checkE). */
export function withPooled(rows: Row[], overall: Row | null | undefined): Row[] {
  return overall && rows.length ? [...rows, overall] : rows;
}

/**
 * forceCounts is the disproportion card's force-wide figures, in its first sentence: printed, the controls are gone, so it is the record of the filter (analystB L8);
 * counting every flag ever raised, it gives beside them the officers flags that stand concern, so that a rate made mostly of cleared flags shows (statA L6: 101 ever flagged, 45 by flags that stand).
 */
export function forceCounts(r: { officers: number; flagged: number; flaggedStanding?: number; rate: number }, pattern: string, current: boolean): string {
  const by = pattern ? ` by ${pattern}` : "";
  if (current) return ` (${r.flagged} of ${r.officers} officers flagged${by}, rate ${num(r.rate, 3)}; only ${pattern ? "its" : "the"} flags the rules as they stand raise count)`;
  const standing = r.flaggedStanding == null ? "" : `, ${r.flaggedStanding} by flags that stand`;
  return ` (${r.flagged} of ${r.officers} officers ever flagged${by}${standing}; rate ${num(r.rate, 3)})`;
}

/** SCALE_FLOOR is the least axis end of the disproportion charts: the 1.00 line at half the width or left of it. */
const SCALE_FLOOR = 2;

/**
 * disproportionScale is the axis end shared by every attribute's chart, so that the 1.00 line stands at one place and bars compare across
 * charts (adminB L8): the largest ratio or interval end of the groups not marked small, at least SCALE_FLOOR. A small group's ratio is left
 * out: a group of one flagged officer is 1 / the force-wide rate (6.67 at 0.15), and it squashed the comparisons that carry evidence into
 * the axis' first sixth (statA M2); its bar stops at the axis' end, its label says how far.
 */
export function disproportionScale(rs: Row[]): number {
  return Math.max(SCALE_FLOOR, ...rs.filter((r) => !r.small).map((r) => Math.max(ratioOrNull(r.ratio) ?? 0, ratioOrNull(r.ratioHigh) ?? 0)));
}

/**
 * disproportionBar is a group's bar: its ratio with its 95% interval, pale with "*" and its n when small (statA M2), "no interval" when
 * Fisher's test decided it, and † when it is beyond chance, whichever test said so (statA L4: two identical pale bars, 2 of 2 beyond chance
 * and 1 of 1 not, told apart only in the table).
 */
export function disproportionBar(r: Row): Bar {
  const compared = r.pValue != null;
  const interval = ratioOrNull(r.ratioLow) != null && ratioOrNull(r.ratioHigh) != null;
  const note = [compared && !interval ? "no interval" : "", r.beyondChance ? "†" : ""].filter(Boolean).join(" ");
  return {
    label: groupName(r),
    suffix: r.small ? ` * (n=${String(r.officers ?? "?")})` : undefined,
    value: ratioOrNull(r.ratio),
    muted: !!r.small,
    low: ratioOrNull(r.ratioLow),
    high: ratioOrNull(r.ratioHigh),
    note: note || undefined,
  };
}

/** disproportionRows are a disproportion report's groups to draw: none when no officer is flagged, as every ratio is then 0/0, none (statA L2: a chart of zero bars against the 1.00 line). */
export function disproportionRows(r: { flagged: number; groups: Row[] }): Row[] {
  return r.flagged > 0 ? r.groups : [];
}

/** noRates is the disproportion card's empty state: no officer is flagged (by pattern; by the flags that stand), so there are no rates to compare. */
/** noGroups is the disproportion card's note when officers are flagged but no attribute has two values to compare (reviewR L3). */
export function noGroups(flagged: number, notCompared: string[]): string {
  return `${flagged} ${flagged === 1 ? "officer is" : "officers are"} flagged, but no attribute has two values to compare${notCompared.length ? `. Not compared: ${notCompared.join("; ")}` : ""}.`;
}

export function noRates(pattern: string, current: boolean): string {
  return `No officer is flagged${pattern ? ` by ${pattern}` : ""}${current ? " (counting only the flags that stand)" : ""}, so there are no rates to compare.`;
}

/** disproportionFile names the disproportion CSV by its filter (checkE: two CSVs of one name). */
export function disproportionFile(pattern: string, current: boolean): string {
  return `disproportion-${pattern || "all-patterns"}-${current ? "current-flags" : "every-flag"}`;
}

/** runRows shows a run over every officer as "all" rather than -1, on the screen and in the CSV (analystB), and its patterns' notes, what each could not judge (rulesM M1: officers alone in their peer group), as one cell. */
export function runRows(nodes: Row[]): Row[] {
  return nodes.map(({ patterns, ...r }) => ({
    ...r,
    officers: r.officers === -1 ? "all" : r.officers,
    notes: ((patterns as { pattern: string; note?: string | null }[] | undefined) ?? [])
      .filter((p) => p.note)
      .map((p) => `${p.pattern}: ${p.note}`)
      .join("; "),
  }));
}
