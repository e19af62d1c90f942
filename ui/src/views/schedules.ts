// Schedules: every scheduled scan with its next run and last result, "run
// now", enable or disable, remove and a form to add one (admin only; other
// roles see "run now" disabled with the reason) and each schedule's run
// history. The schedules API needs an admin token, so other
// roles get a note instead of the table.
import { ApiError, friendly } from "../api";
import type { App } from "../app";
import { clear, empty, failed, h, loading, minute, tiedNote, unavailable } from "../dom";
import { ADD_SCHEDULE as ADD, ENABLE_SCHEDULE as ENABLE, REMOVE_SCHEDULE as REMOVE, RUN_SCHEDULE, SCHEDULE_RUNS, SCHEDULES, UPDATE_SCHEDULE as UPDATE } from "../queries";

interface Schedule {
  name: string;
  cron: string;
  patterns: string[];
  incremental: boolean;
  enabled: boolean;
  timeoutSeconds: number;
  lastRunAt: string | null;
  lastResult: string | null;
  nextRunAt: string | null;
}

interface ScheduleRun {
  id: string;
  trigger: string;
  startedAt: string;
  endedAt: string | null;
  status: string;
  error: string | null;
  scanRunId: string | null;
  newFlags: number | null; // null for a token tied to an officer
}

const when = (v: string | null | undefined): string => (v ? `${minute(v)} UTC` : "—");
export const ADMIN_ONLY = "Only an admin token can run a schedule now.";

export function schedules(app: App, root: HTMLElement): () => void {
  const role = app.store.get().session?.role ?? "";
  const admin = role === "admin";
  const body = h("div", {});
  const main = h("main", { id: "main", class: "reports schedules", "aria-labelledby": "schedules-title" }, h("h1", { id: "schedules-title" }, "Schedules"), body);
  root.replaceChildren(main);
  if (!app.caps.has("schedules")) {
    body.append(unavailable("Schedules", "scheduled scans"));
    return () => {};
  }
  let live = true;
  const notAdmin = (): void =>
    clear(
      body,
      // no lone disabled "Run now" under it: it belonged to no schedule (analystD L7)
      h("div", { class: "state unavailable", role: "note", id: "schedules-role" }, h("strong", {}, "Schedules need an admin token. "), `You are signed in as ${role || "a non-admin"}: ask an admin to change or run a schedule.`),
    );
  const load = async (): Promise<void> => {
    // Another role is not sent asking: the server would refuse it and audit
    // a "failed schedules: forbidden", an attempt beyond one's role that
    // the analyst never made (adminB M5).
    if (!admin) return notAdmin();
    clear(body, loading("the schedules"));
    let list: Schedule[];
    try {
      list = (await app.api.query<{ schedules: Schedule[] }>(SCHEDULES)).schedules;
    } catch (e) {
      if (!live) return;
      if (e instanceof ApiError && e.code === "forbidden") return notAdmin(); // a role changed under the session
      clear(body, failed(friendly(e), () => void load()));
      return;
    }
    if (!live) return;
    const adding = admin && app.caps.fields.has("Mutation.addSchedule") ? addForm(app, () => void load()) : null;
    if (!list.length) return clear(body, empty(adding ? "No schedules: add one below." : "No schedules. Add one with probity schedule add NAME CRON."), adding?.form ?? null);
    const history = h("section", { class: "card", id: "schedule-history", "aria-live": "polite" });
    const showRuns = async (name: string): Promise<void> => {
      clear(history, h("h2", {}, `Runs of ${name}`), loading("the run history"));
      try {
        const runs = (await app.api.query<{ scheduleRuns: ScheduleRun[] }>(SCHEDULE_RUNS, { name })).scheduleRuns;
        clear(
          history,
          h("h2", {}, `Runs of ${name}`),
          runs.some((r) => r.newFlags == null) ? tiedNote("The counts of new flags") : null,
          runs.length
            ? h(
                "table",
                { class: "grid", id: "schedule-runs" },
                h("thead", {}, h("tr", {}, ["Started", "Ended", "Trigger", "Status", "New flags", "Scan run", "Error"].map((t) => h("th", { scope: "col" }, t)))),
                h("tbody", {}, runs.map((r) => h("tr", {}, h("td", {}, when(r.startedAt)), h("td", {}, when(r.endedAt)), h("td", {}, r.trigger), h("td", {}, h("span", { class: `status s-${r.status}` }, r.status)), h("td", { class: "num" }, r.newFlags == null ? "—" : String(r.newFlags)), h("td", {}, r.scanRunId ?? "—"), h("td", {}, r.error ?? "")))),
              )
            : empty("No runs yet."),
        );
      } catch (e) {
        clear(history, h("h2", {}, `Runs of ${name}`), failed(friendly(e), () => void showRuns(name)));
      }
    };
    clear(
      body,
      h(
        "table",
        { class: "grid", id: "schedule-table" },
        h("thead", {}, h("tr", {}, ["Name", "Cron (UTC)", "Patterns", "Enabled", "Next run", "Last run", "Last result", "Actions"].map((t) => h("th", { scope: "col" }, t)))),
        h(
          "tbody",
          {},
          list.map((s) =>
            h(
              "tr",
              { "data-name": s.name },
              h("th", { scope: "row" }, s.name),
              h("td", {}, h("code", {}, s.cron)),
              h("td", {}, s.patterns.length ? s.patterns.join(", ") : "all", s.incremental ? " (incremental)" : ""),
              h("td", {}, s.enabled ? "yes" : "no"),
              h("td", { class: "next-run" }, s.enabled ? when(s.nextRunAt) : "—"),
              h("td", {}, when(s.lastRunAt)),
              h("td", { class: "last-result" }, s.lastResult ?? "—"),
              h(
                "td",
                { class: "actions" },
                runButton(app, s.name, admin, () => void follow(s.name, s.lastRunAt)),
                h("button", { type: "button", class: "link history-btn", onclick: () => void showRuns(s.name) }, "History"),
                admin ? manageButtons(app, s, () => void load()) : null,
                adding && app.caps.fields.has("Mutation.updateSchedule") ? h("button", { type: "button", class: "link edit-btn", "aria-label": `Edit ${s.name}`, onclick: () => adding.edit(s) }, "Edit") : null,
              ),
            ),
          ),
        ),
      ),
      adding?.form ?? null,
      history,
    );
    void showRuns(list[0].name);
  };
  // After "Run now", the table and the history follow the run: read again
  // every FOLLOW_MS until the schedule's last run is a new one with its
  // result (at most FOLLOW_TIMES times).
  const follow = async (name: string, before: string | null): Promise<void> => {
    for (let i = 0; i < FOLLOW_TIMES && live; i++) {
      await new Promise((r) => setTimeout(r, FOLLOW_MS));
      if (!live) return;
      let s: Schedule | undefined;
      try {
        s = (await app.api.query<{ schedules: Schedule[] }>(SCHEDULES)).schedules.find((x) => x.name === name);
      } catch {
        return; // the table's own load reports errors
      }
      if (s && s.lastRunAt !== before && s.lastResult) return void load();
    }
  };
  void load();
  return () => {
    live = false;
  };
}

const FOLLOW_MS = 3000;
const FOLLOW_TIMES = 200; // 10 minutes

/** runButton makes a schedule due now; disabled with the reason for a non-admin. */
function runButton(app: App, name: string, admin: boolean, done: () => void): HTMLElement {
  const msg = h("span", { class: "run-msg", role: "status", "aria-live": "polite" });
  const btn = h("button", { type: "button", class: "run-now", disabled: !admin, title: admin ? "Make this schedule due now; the scheduler starts it within its poll interval." : ADMIN_ONLY, "aria-disabled": admin ? null : "true" }, "Run now");
  btn.addEventListener("click", async () => {
    btn.disabled = true;
    msg.textContent = " Queuing…";
    try {
      await app.api.query<{ runSchedule: boolean }>(RUN_SCHEDULE, { name });
      msg.textContent = " Queued: it starts within the scheduler's poll interval; this table follows it.";
      done();
    } catch (e) {
      msg.textContent = ` ${friendly(e)}`;
      btn.disabled = false;
    }
  });
  return h("span", { class: "run", title: btn.title }, btn, admin ? null : h("small", { class: "muted" }, ` ${ADMIN_ONLY}`), msg);
}


/** manageButtons enable or disable a schedule and remove it (admin; each change is audited by the server). */
function manageButtons(app: App, s: Schedule, reload: () => void): HTMLElement {
  const msg = h("span", { class: "run-msg", role: "status", "aria-live": "polite" });
  const act = async (doc: string, vars: Record<string, unknown>): Promise<void> => {
    msg.textContent = " Saving…";
    try {
      await app.api.query(doc, vars);
      reload();
    } catch (e) {
      msg.textContent = ` ${friendly(e)}`;
    }
  };
  return h(
    "span",
    { class: "manage" },
    h("button", { type: "button", class: "link toggle-btn", onclick: () => void act(ENABLE, { name: s.name, enabled: !s.enabled }) }, s.enabled ? "Disable" : "Enable"),
    h(
      "button",
      {
        type: "button",
        class: "link remove-btn",
        onclick: () => {
          if (window.confirm(`Remove the schedule ${s.name}? Its run history stays.`)) void act(REMOVE, { name: s.name });
        },
      },
      "Remove",
    ),
    msg,
  );
}

/** addForm adds a schedule: a name, a cron expression in UTC, the patterns (all when none), incremental or full. */
/**
 * addForm adds a schedule, or, after a row's Edit, changes that one (its
 * history stays; the name is fixed, the enabled state and time-out kept).
 */
function addForm(app: App, reload: () => void): { form: HTMLElement; edit: (s: Schedule) => void } {
  const name = h("input", { id: "sched-name", type: "text", required: true, placeholder: "nightly-full", size: 16 }) as HTMLInputElement;
  const cron = h("input", { id: "sched-cron", type: "text", required: true, placeholder: "0 2 * * *", size: 14, title: "Five fields, UTC: minute hour day month weekday; or @hourly, @daily" }) as HTMLInputElement;
  const patterns = h("input", { id: "sched-patterns", type: "text", placeholder: "all (or access-for-gain, tripwire)", size: 30 }) as HTMLInputElement;
  const incremental = h("input", { id: "sched-incremental", type: "checkbox" }) as HTMLInputElement;
  const msg = h("span", { role: "status", "aria-live": "polite", id: "sched-msg" });
  const title = h("h2", {}, "Add a schedule");
  const submit = h("button", { type: "submit", class: "primary" }, "Add") as HTMLButtonElement;
  let editing: Schedule | null = null;
  const cancel = h("button", { type: "button", class: "link", hidden: true, onclick: () => mode(null) }, "Cancel") as HTMLButtonElement;
  const mode = (s: Schedule | null): void => {
    editing = s;
    title.textContent = s ? `Edit ${s.name}` : "Add a schedule";
    submit.textContent = s ? "Save changes" : "Add";
    name.readOnly = !!s;
    cancel.hidden = !s;
    name.value = s?.name ?? "";
    cron.value = s?.cron ?? "";
    patterns.value = s?.patterns.join(", ") ?? "";
    incremental.checked = s?.incremental ?? false;
    msg.textContent = "";
    if (s) cron.focus();
  };
  const form = h(
    "form",
    { class: "filters card", id: "schedule-add", "aria-label": "Add or edit a schedule" },
    title,
    h("label", { for: "sched-name" }, "Name"),
    name,
    h("label", { for: "sched-cron" }, "Cron (UTC)"),
    cron,
    h("label", { for: "sched-patterns" }, "Patterns"),
    patterns,
    h("label", { class: "check" }, incremental, " Incremental (only what changed since the last scan)"),
    submit,
    cancel,
    msg,
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const list = patterns.value.split(/[\s,]+/).filter(Boolean);
    const vars = { name: name.value.trim(), cron: cron.value.trim(), patterns: list.length ? list : null, incremental: incremental.checked };
    msg.textContent = "Saving…";
    try {
      if (editing) {
        // an edit keeps what it does not name: every pattern is the empty list, not null
        const d = await app.api.query<{ updateSchedule: { name: string; nextRunAt: string | null } }>(UPDATE, { ...vars, patterns: list });
        mode(null);
        msg.textContent = `Changed ${d.updateSchedule.name}: next run ${when(d.updateSchedule.nextRunAt)}; its history stays.`;
      } else {
        const d = await app.api.query<{ addSchedule: { name: string; nextRunAt: string | null } }>(ADD, { ...vars, enabled: true });
        msg.textContent = `Added ${d.addSchedule.name}: next run ${when(d.addSchedule.nextRunAt)}.`;
      }
      reload();
    } catch (e) {
      msg.textContent = friendly(e);
    }
  });
  return { form, edit: mode };
}
