// Audit: the reviewer's view of the audit trail (DESIGN: the reviewer "sees
// the audit trail"): who read what, when and why, newest first (or oldest)
// within the period chosen (the last 7 days by default), filtered by actor,
// entity or flag ("who has seen this officer's data?": #/audit/Officer:ID
// opens it so), kind of operation, or events that showed real names; 100
// events a page; and the hash chain checked on request. Needs a reviewer
// token: other roles get a note. Reading the log is itself audited.
import { ApiError, friendly } from "../api";
import type { App } from "../app";
import { clear, empty, failed, h, loading, table, tiedNote, unavailable } from "../dom";
import { dateField, periodError } from "../isodate";
import { AUDIT_LOG, AUDIT_VERIFY } from "../queries";

interface AuditEvent {
  seq: number | null; // null for a reader tied to an officer (the gaps would count the events hidden from it)
  at: string;
  actor: string;
  role: string;
  operation: string;
  purpose: string;
  entityIds: string[];
  revealed: string[];
}

interface AuditPage {
  nodes: AuditEvent[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** PAGE is how many events a page shows (the API allows 200). */
const PAGE = 100;
/** SHOWN_IDS is how many entity ids a row lists before "and N more". */
const SHOWN_IDS = 5;

const day = (d: Date): string => d.toISOString().slice(0, 10);

/** OPERATIONS are the kinds of event a reviewer asks about, by root field (every mutation is under one: test/audit.test.ts). */
export const OPERATIONS: [string, string][] = [
  ["", "Any operation"],
  ["revealIdentity", "Reveals of identity"],
  ["recordExport,cli:flags", "Exports"],
  ["reviewFlag", "Decisions on flags"],
  ["confirmReferral", "Referral confirmations"],
  ["returnReferral", "Referral returns"],
  ["noteFlag", "Notes on flags"],
  ["search", "Searches"],
  ["flag", "Flags opened"],
  ["flags", "Queue reads"],
  ["neighbourhood", "Chart expansions"],
  ["paths", "Path searches"],
  ["timeline", "Timelines"],
  ["load,cli:load", "Loads"],
  ["cli:eval", "Accuracy measurements"],
  ["addSuppression,removeSuppression,suppressions,watch,unwatch,watchlist,suppress", "Hub and watch lists"],
  ["createToken,revokeToken,token", "Tokens"],
  ["addSchedule,updateSchedule,removeSchedule,enableSchedule,runSchedule,schedule", "Schedules"],
  ["addWebhook,removeWebhook,webhooks,webhookDeliveries", "Webhooks"],
  ["saveChart,deleteChart,charts,chart", "Saved charts"],
  ["setThreshold,resetThreshold,threshold", "Thresholds"],
  ["runScan,cli:scan", "Scans run (not the scheduler's: Schedules has those)"],
];

export function audit(app: App, root: HTMLElement, entityArg = ""): () => void {
  const role = app.store.get().session?.role ?? "";
  const body = h("div", {});
  const main = h("main", { id: "main", class: "reports audit", "aria-labelledby": "audit-title" }, h("h1", { id: "audit-title" }, "Audit trail"), body);
  root.replaceChildren(main);
  if (!app.caps.fields.has("Query.auditLog")) {
    body.append(unavailable("Audit trail", "the audit log"));
    return () => {};
  }
  if (role !== "reviewer" && role !== "admin") {
    body.append(h("div", { class: "state unavailable", role: "note", id: "audit-role" }, h("strong", {}, "The audit trail needs a reviewer token. "), `You are signed in as ${role || "another role"}.`));
    return () => {};
  }
  let live = true;
  // ISO text fields (analystC L4), checked on "Show": nothing is asked while one is not a date
  const fromField = dateField("audit-from", { value: day(new Date(Date.now() - 7 * 86400_000)) });
  const toField = dateField("audit-to", { title: "The day after the last one shown, YYYY-MM-DD (empty: up to now)" });
  const from = fromField.input;
  const to = toField.input;
  const actor = h("input", { type: "text", id: "audit-actor", placeholder: "Token name (all when empty)", size: 20 }) as HTMLInputElement;
  const entity = h("input", { type: "text", id: "audit-entity", placeholder: "e.g. Officer:OFF000089, or a flag id", size: 26, value: entityArg }) as HTMLInputElement;
  const operation = h("select", { id: "audit-operation" }, ...OPERATIONS.map(([v, label]) => h("option", { value: v }, label))) as HTMLSelectElement;
  const revealed = h("input", { type: "checkbox", id: "audit-revealed" }) as HTMLInputElement;
  const newest = h("input", { type: "checkbox", id: "audit-newest", checked: true }) as HTMLInputElement;
  // an entity asked about from elsewhere: its whole history, not the last week's
  if (entityArg) from.value = "";
  const verifyOut = h("span", { id: "audit-verify-result", role: "status", "aria-live": "polite" });
  const verifyBtn = h("button", { type: "button", id: "audit-verify" }, "Verify the chain");
  verifyBtn.addEventListener("click", async () => {
    verifyBtn.disabled = true;
    verifyOut.textContent = "Checking every link…";
    try {
      const v = (await app.api.query<{ auditVerification: { ok: boolean; checked: number | null; brokenSeq: number | null; reason: string | null } }>(AUDIT_VERIFY)).auditVerification;
      verifyOut.className = v.ok ? "ok" : "bad";
      verifyOut.textContent = verdict(v);
    } catch (e) {
      verifyOut.textContent = friendly(e);
    } finally {
      verifyBtn.disabled = false;
    }
  });
  const list = h("div", { id: "audit-list", "aria-live": "polite" });
  const controls = h(
    "form",
    { class: "filters", role: "search", id: "audit-filters" },
    h("label", { for: "audit-from" }, "From"),
    fromField.el,
    h("label", { for: "audit-to" }, "To (exclusive)"),
    toField.el,
    h("label", { for: "audit-actor" }, "Actor"),
    actor,
    h("label", { for: "audit-entity" }, "Entity or flag"),
    entity,
    h("label", { for: "audit-operation" }, "Operation"),
    operation,
    h("label", { class: "check" }, revealed, " Only events that showed real names"),
    h("label", { class: "check" }, newest, " Newest first"),
    h("button", { type: "submit" }, "Show"),
    verifyBtn,
    verifyOut,
  );
  controls.addEventListener("submit", (ev) => {
    ev.preventDefault();
    // the events of the last period asked are not left under a period refused (analystD L6)
    const stale = (): void => clear(list, h("div", { class: "state unavailable", role: "note", id: "audit-stale" }, "Not shown: correct the period, then Show."));
    const bad = [fromField, toField].find((f) => !f.check().ok);
    if (bad) {
      stale();
      return void bad.input.focus();
    }
    const wrong = periodError(from.value, to.value, true);
    if (wrong) {
      toField.refuse(wrong);
      stale();
      return void to.focus();
    }
    void load(null, []);
  });
  body.append(
    h("p", { class: "muted" }, "Every read of personal data, reveal, export and decision. Each event carries the hash of the one before: Verify checks the whole chain. Reading this page is audited too."),
    controls,
    list,
  );

  const load = async (after: string | null, shown: AuditEvent[]): Promise<void> => {
    if (!shown.length) clear(list, loading("the audit log"));
    let page: AuditPage;
    try {
      page = (
        await app.api.query<{ auditLog: AuditPage }>(AUDIT_LOG, {
          first: PAGE,
          after,
          actor: actor.value.trim() || null,
          from: from.value ? `${from.value}T00:00:00Z` : null,
          to: to.value ? `${to.value}T00:00:00Z` : null,
          entity: entity.value.trim() || null,
          operation: operation.value || null,
          revealed: revealed.checked,
          newestFirst: newest.checked,
        })
      ).auditLog;
    } catch (e) {
      if (!live) return;
      if (e instanceof ApiError && e.code === "forbidden") return void clear(list, h("div", { class: "state unavailable", role: "note" }, "The audit trail needs a reviewer token."));
      return void clear(list, failed(friendly(e), () => void load(after, shown)));
    }
    if (!live) return;
    const events = [...shown, ...page.nodes];
    if (!events.length) return void clear(list, empty("No events match these filters in this period."));
    const more = page.pageInfo.hasNextPage
      ? h("button", { type: "button", id: "audit-more", onclick: () => void load(page.pageInfo.endCursor, events) }, `Show ${PAGE} more`)
      : null;
    clear(
      list,
      h("p", { class: "muted" }, `${events.length} events${page.pageInfo.hasNextPage ? " so far" : ""}.`),
      events.some((e) => e.seq == null) ? tiedNote("Sequence numbers (#)") : null,
      table(
        [["seq", "#"], ["at", "When (UTC)"], ["actor", "Actor"], ["role", "Role"], ["operation", "Operation"], ["purpose", "Purpose"], ["entityIds", "Entities"], ["revealed", "Revealed"]],
        events as unknown as Record<string, unknown>[],
        {
          seq: (v) => (v == null ? "—" : String(v)),
          at: (v) => String(v).slice(0, 19).replace("T", " "),
          purpose: (v) => String(v || "—"),
          entityIds: (v) => ids(v as string[]),
          revealed: (v) => ((v as string[]).length ? ids(v as string[]) : ""),
        },
        "audit-table",
      ),
      more,
    );
  };
  void load(null, []);
  return () => {
    live = false;
  };
}

/** verdict words the chain's check; a reader tied to an officer gets no counts (checked null). */
export function verdict(v: { ok: boolean; checked: number | null; brokenSeq: number | null; reason: string | null }): string {
  if (v.ok) return v.checked == null ? "Chain intact." : `Chain intact: ${v.checked} events.`;
  const where = v.brokenSeq == null ? "" : ` at event ${v.brokenSeq}`;
  const before = v.checked == null ? "" : ` (${v.checked} before it hold)`;
  return `Chain broken${where}${before}: ${v.reason ?? ""}`;
}

/** ids lists the first SHOWN_IDS ids, and how many more there are. */
function ids(list: string[]): string {
  if (!list.length) return "—";
  const head = list.slice(0, SHOWN_IDS).join(", ");
  return list.length > SHOWN_IDS ? `${head} and ${list.length - SHOWN_IDS} more` : head;
}
