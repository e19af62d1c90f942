// Load: an admin uploads the CSV files of a data set (the import format of
// docs/import-format.md) to POST /load and reads the load's report: rows
// read, loaded and rejected per file, and each rejected row with its
// reason. The same loader as `probity load`; strict writes nothing when a
// row is bad. Other roles get a note.
import { friendly, uploadDataSet, type LoadAnswer, type LoadStep } from "../api";
import type { App } from "../app";
import { toCsv } from "../csv";
import { fileStamp } from "../exporters";
import { announce, clear, download, failed, h, table } from "../dom";
import { RUN_SCAN } from "../queries";

export function loadView(app: App, root: HTMLElement): () => void {
  const s = app.store.get().session!;
  const body = h("div", {});
  const main = h("main", { id: "main", class: "reports load", "aria-labelledby": "load-title" }, h("h1", { id: "load-title" }, "Load data"), body);
  root.replaceChildren(main);
  if (s.role !== "admin") {
    body.append(h("div", { class: "state unavailable", role: "note", id: "load-role" }, h("strong", {}, "Loading data needs an admin token. "), `You are signed in as ${s.role}.`));
    return () => {};
  }
  let live = true;
  const input = h("input", { type: "file", id: "load-files", multiple: true, accept: ".csv,text/csv", "aria-describedby": "load-help" }) as HTMLInputElement;
  const strict = h("input", { type: "checkbox", id: "load-strict" }) as HTMLInputElement;
  const result = h("div", { id: "load-result", "aria-live": "polite" });
  const submit = h("button", { type: "submit", class: "primary" }, "Load");
  const form = h(
    "form",
    { class: "card", id: "load-form" },
    h("p", { id: "load-help", class: "muted" }, "Choose the CSV files of a data set, named as in the import format (officers.csv, persons.csv, accesses.csv…). Good rows are loaded and bad ones listed with their reason; loading is idempotent. The load is audited with this session's purpose."),
    h("label", { for: "load-files" }, "Files "),
    input,
    h("label", { class: "check" }, strict, " Strict: check every row first and write nothing if one is bad"),
    h("div", {}, submit),
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const files = [...(input.files ?? [])];
    if (!files.length) return clear(result, failed("Choose at least one CSV file."));
    submit.disabled = true;
    const bar = h("progress", { id: "load-progress", max: 1, value: 0, "aria-label": "Upload and load progress" }) as HTMLProgressElement;
    const what = h("span", { id: "load-step" }, "Uploading…");
    clear(result, h("div", { class: "state loading", role: "status", "aria-live": "polite" }, what, " ", bar));
    const step = (p: LoadStep): void => {
      const [done, total] = p.phase === "upload" ? [p.sent, p.total] : [p.bytes, p.size];
      bar.max = Math.max(1, total);
      bar.value = Math.min(done, bar.max);
      what.textContent =
        p.phase === "upload"
          ? `Uploading ${mib(p.sent)} of ${mib(p.total)} MiB`
          : `${p.checking ? "Checking" : "Loading"} ${p.file}: ${p.rows.toLocaleString()} rows (${Math.round((100 * done) / bar.max)}%)`;
    };
    try {
      const a = await uploadDataSet(s.token, s.purpose, files, strict.checked, step);
      if (live) {
        clear(result, report(a), a.written && app.caps.fields.has("Mutation.runScan") ? scanNow(app) : null);
        result.querySelector<HTMLElement>("#load-report h2")?.focus(); // the answer, not the top of the page (analystX)
      }
      announce(summary(a));
    } catch (e) {
      if (live) clear(result, failed(friendly(e)));
    } finally {
      submit.disabled = false;
    }
  });
  body.append(form, result);
  return () => {
    live = false;
  };
}

const mib = (n: number): string => (n / (1 << 20)).toFixed(1);

function summary(a: LoadAnswer): string {
  const rows = a.files.reduce((n, f) => n + f.loaded, 0);
  const fresh = a.files.reduce((n, f) => n + f.new, 0);
  if (!a.written) return `Nothing written: ${a.rejected} bad row${a.rejected === 1 ? "" : "s"} (strict).`;
  return `${rows} row${rows === 1 ? "" : "s"} loaded (${fresh} new), ${a.rejected} rejected.`;
}


/**
 * scanNow offers the scan that turns what was loaded into flags: loading
 * does not scan, and the next scheduled one may be a while (analystW).
 */
function scanNow(app: App): HTMLElement {
  const msg = h("div", { role: "status", "aria-live": "polite", id: "scan-now-msg" });
  const btn = h("button", { type: "button", id: "scan-now" }, "Scan now");
  btn.addEventListener("click", async () => {
    btn.disabled = true;
    msg.textContent = "Scanning (all patterns)…";
    try {
      const d = await app.api.query<{ runScan: ScanOutcome }>(RUN_SCAN, {});
      msg.textContent = scanOutcome(d.runScan);
      announce(msg.textContent);
    } catch (e) {
      msg.textContent = friendly(e);
    } finally {
      btn.disabled = false;
      btn.focus(); // disabled meanwhile, it let the focus fall (analystX)
    }
  });
  return h("section", { class: "card", id: "scan-now-card" }, h("p", { class: "muted" }, "Loading does not scan: the scheduled scans find the new data, or scan now."), btn, msg);
}

/** SHOWN is how many rejected rows the page lists; all of those the server sent are in the download. */
const SHOWN = 1000;

function rejected(a: LoadAnswer): HTMLElement[] {
  const all = a.rejects;
  const sent = a.rejectsTruncated ? `the first ${all.length.toLocaleString("en-GB")} the server lists` : `all ${all.length.toLocaleString("en-GB")}`;
  const save = h("button", { type: "button", id: "load-rejects-csv" }, `Download ${sent} (CSV)`);
  save.addEventListener("click", () =>
    download(
      `rejected-rows-${fileStamp()}.csv`,
      toCsv([["file", "line", "column", "reason"], ...all.map((r) => [r.file, r.line, r.column ?? "", r.reason])]),
      "text/csv",
    ),
  );
  return [
    h("h3", {}, all.length > SHOWN ? `Rejected rows (the first ${SHOWN.toLocaleString("en-GB")} of ${sent})` : a.rejectsTruncated ? `Rejected rows (${sent})` : "Rejected rows"),
    h("p", {}, save),
    table([["file", "File"], ["line", "Line"], ["column", "Column"], ["reason", "Reason"]], all.slice(0, SHOWN), { column: (v) => (v == null ? "" : String(v)) }, "load-rejects"),
  ];
}

function report(a: LoadAnswer): HTMLElement {
  // New: the nodes or links the rows created; the rest were already stored.
  const counts: [string, string][] = a.written ? [["loaded", "Loaded"], ["new", "New"]] : [["valid", "Valid (not written)"]];
  return h(
    "section",
    { class: "card", id: "load-report" },
    h("h2", { tabindex: -1 }, summary(a)),
    a.notes?.length ? h("ul", { class: "muted", id: "load-notes" }, a.notes.map((n) => h("li", {}, n))) : null,
    table([["file", "File"], ["read", "Rows read"], ...counts, ["rejected", "Rejected"], ["seconds", "Seconds"]], a.files, { seconds: (v) => Number(v).toFixed(2) }, "load-files-table"),
    a.rejects.length ? rejected(a) : [],
  );
}

/** ScanOutcome is runScan's answer; the counts are null for a token tied to an officer (they include flags hidden from it). */
export interface ScanOutcome {
  id: string;
  status: string;
  newFlags: number | null;
  updatedFlags: number | null;
  clearedFlags: number | null;
  error?: string | null;
}

/** scanOutcome words a scan's answer for the Load screen. */
export function scanOutcome(r: ScanOutcome): string {
  if (r.status === "running") return `Scan ${r.id} is still running; its flags reach the queue when it ends (Reports lists the runs).`;
  if (r.status !== "ok") return `Scan ${r.id} failed: ${r.error ?? r.status}`;
  if (r.newFlags == null) return `Scan ${r.id} ended; its counts are not shown to a token tied to an officer.`;
  return `Scan ${r.id}: ${r.newFlags} new flag${r.newFlags === 1 ? "" : "s"}, ${r.updatedFlags} updated, ${r.clearedFlags} cleared.`;
}
