// The flag queue: every flag in one sortable, filterable table, officers
// pseudonymised, counts per pattern, arrow keys to move and Enter to open.
// There is deliberately no bulk status change: each flag is reviewed alone.
import { friendly } from "../api";
import type { App } from "../app";
import { clear, empty, failed, h, loading, unavailable } from "../dom";
import { confirmation, flagFromApi } from "../flagdata";
import { FLAGS, FLAG_COUNTS } from "../queries";
import { score, unitLabel } from "../model";

export interface FlagRow {
  id: string;
  pattern: string;
  score: number;
  status: string;
  explanation: string;
  createdAt?: string | null;
  lastSeen?: string | null;
  officer?: { id: string; key?: string; displayName?: string; unit?: string; rank?: string } | null;
  /** revealed: this token revealed the flag's names (the officer column shows the name). */
  revealed?: boolean;
  /** risk is the officer's combined risk after the last scan (the triage order), when the server says. */
  risk?: number | null;
  reviews?: { at: string; reviewer: string; from?: string; status: string; reason: string }[];
  /** clearedAt: a scan no longer found the case (the Cleared view lists such flags, still new). */
  clearedAt?: string | null;
  /** notFoundAt: a flag taken up whose case a scan no longer found (it stays where it is). */
  notFoundAt?: string | null;
}

/** stateNote says who holds a flag in review, and whether a referral awaits a second reviewer's confirmation. */
export function stateNote(r: FlagRow): string {
  // a cleared flag's state is still new; that it left the queue is what matters (analystA)
  if (r.clearedAt) return `cleared ${r.clearedAt.slice(0, 10)}: no longer found by a scan`;
  // a flag taken up is never cleared: that its case ended is said beside its state (statB, boardA)
  const gone = r.notFoundAt ? `no longer found by a scan since ${r.notFoundAt.slice(0, 10)}` : "";
  return [stateOnly(r), gone].filter(Boolean).join("; ");
}

function stateOnly(r: FlagRow): string {
  const rv = r.reviews ?? [];
  if (r.status === "in_review") {
    const took = rv.filter((x) => x.status === "in_review").at(-1);
    if (took?.from === "referred_investigation") return `referral returned by ${took.reviewer} on ${took.at.slice(0, 10)}`;
    return took ? `by ${took.reviewer} since ${took.at.slice(0, 10)}` : "";
  }
  if (r.status === "referred_investigation" && rv.length) return confirmation(rv) ? "confirmed" : "awaiting confirmation";
  return "";
}


type Key = "risk" | "pattern" | "officer" | "score" | "status" | "lastSeen";

export const pseudonym = (f: FlagRow): string => f.officer?.displayName || (f.officer ? `Officer ${f.officer.id}` : "—");

/** ALL_STATES are the review states, in the order of the review. */
const ALL_STATES = ["new", "in_review", "referred_investigation", "prevention_notice", "no_further_action", "false_positive"];

/**
 * remembered are the queue's filters and sort, how many flags it held and
 * the flag last opened, kept while the page lives: Back from a flag finds
 * the queue as it was, pages shown included, at that flag (analystZ: at
 * row 651 of 3,210, Back showed the first 200 from the top).
 */
let remembered: { key: Key; dir: 1 | -1; pattern: string; scope: string; text: string; minScore: string; unit: string; held: number; at: string } = {
  key: "risk",
  dir: -1,
  pattern: "",
  scope: "open",
  text: "",
  minScore: "",
  unit: "",
  held: 0,
  at: "",
};

/** MAX_REHELD is how many flags Back from a flag reads again to find its place (5 pages). */
const MAX_REHELD = 1000;

/** MIN_SCORES are the score floors offered (the server filters every flag). */
const MIN_SCORES = ["0.5", "0.7", "0.9"];

/**
 * sortRows orders flags by a column; ties fall back to score then id for a
 * stable order. By risk (the triage order), an officer's flags stay
 * together: risk, then officer, then score, as the server orders them.
 */
/** countLine says how many flags the queue shows of how many match (analystC L5: "200 of 200 flags (the first 200 of 310 …)"). */
export function countLine(held: number, total: number | null | undefined, order: string, more: boolean): string {
  if (total != null && total > held) return `Showing ${held} of ${total} flags, the first by ${order} (sorting a column orders these)`;
  if (more) return `Showing ${held} flags (more on the server)`;
  return `${held} flag${held === 1 ? "" : "s"}`;
}

export function sortRows(rows: FlagRow[], key: Key, dir: 1 | -1): FlagRow[] {
  const val = (f: FlagRow): string | number => (key === "officer" ? pseudonym(f) : key === "score" ? f.score : key === "risk" ? f.risk ?? 0 : String(f[key] ?? ""));
  const officer = (f: FlagRow): string => (key === "risk" ? f.officer?.id ?? "" : "");
  return [...rows].sort((a, b) => {
    const x = val(a), y = val(b);
    const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
    return c * dir || officer(a).localeCompare(officer(b)) || b.score - a.score || a.id.localeCompare(b.id);
  });
}

export function queue(app: App, root: HTMLElement): () => void {
  const main = h("main", { id: "main", class: "queue", "aria-labelledby": "queue-title" }, h("h1", { id: "queue-title" }, "Flag queue"));
  root.replaceChildren(main);
  if (!app.caps.has("flags")) {
    main.append(unavailable("Flag queue", "flags (the pattern library and flag store are still being built)"));
    return () => {};
  }
  const body = h("div", {}, loading("flags"));
  main.append(body);
  let rows: FlagRow[] = [];
  let total: number | null = null; // flags matching on the server, when it says
  let perPattern: Map<string, number> | null = null; // the server's count per pattern, under the state and text filters
  // Filters and sort live for the page's session, so Back from a flag finds them as they were.
  // The server filters every flag (FLAG_FILTERS: state, pattern, unit, text, risk), not the page held.
  let { key, dir, pattern, scope, text, minScore, unit } = remembered;
  const { held: heldBefore, at: openedBefore } = remembered;
  let cursor = 0;
  const remember = (at = remembered.at): void => {
    remembered = { key, dir, pattern, scope, text, minScore, unit, held: rows.length, at };
  };
  const open = (id: string): void => {
    remember(id);
    app.go(`#/flag/${encodeURIComponent(id)}`);
  };
  /** serverOrder is the order the server pages in: by officer risk when that column sorts, else by score. */
  const serverOrder = (): string => (key === "risk" ? "RISK" : "SCORE");

  let next: string | null = null; // the cursor of the next page, when there is one
  // load reads the first page, or (more) the next one after what is shown.
  let generation = 0; // a load overtaken by a newer one (typing) is dropped
  const load = async (more = false): Promise<void> => {
    const mine = ++generation;
    if (!more && rows.length === 0) clear(body, loading("flags")); // a reload keeps the table until the new one comes
    body.setAttribute("aria-busy", "true");
    try {
      // Filters the server applies reach every flag, not only the page held here.
      const filter: Record<string, unknown> = {};
      if (scope === "awaiting") filter.awaitingConfirmation = true;
      else if (scope === "cleared") filter.cleared = true; // no longer found by a scan: out of the open queue, not out of sight
      else if (scope === "notFound") {
        // taken up, then no longer found: in review or decided, every state (analystB)
        filter.notFound = true;
      }
      else if (scope !== "open") filter.status = scope === "all" ? ALL_STATES : [scope];
      if (text.trim()) filter.text = text.trim();
      if (unit.trim()) filter.unit = unit.trim();
      // the floor is on the officer's risk, the order the queue is in (a flag's own score is not comparable across patterns)
      if (minScore) {
        filter.minRisk = Number(minScore);
      }
      // The counts are a help, not the queue: without them the chips count the page held.
      const counting =
        !more
          ? app.api.query<{ flagCounts: { byPattern: { pattern: string; count: number }[] } }>(FLAG_COUNTS, { filter: Object.keys(filter).length ? filter : null }).catch(() => null)
          : null;
      if (pattern) filter.pattern = [pattern];
      const vars = { filter: Object.keys(filter).length ? filter : null, after: more ? next : null, order: serverOrder() };
      const d = await app.api.query<{ flags: { nodes: Record<string, unknown>[]; totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>(FLAGS, vars);
      const counted = counting ? await counting : null;
      if (mine !== generation) return;
      if (counting) perPattern = counted ? new Map(counted.flagCounts.byPattern.map((c) => [c.pattern, c.count])) : null;
      const page = d.flags.nodes.map((f) => flagFromApi(f) as FlagRow);
      rows = more ? [...rows, ...page] : page;
      total = d.flags.totalCount;
      next = d.flags.pageInfo.hasNextPage ? d.flags.pageInfo.endCursor : null;
      body.removeAttribute("aria-busy");
      draw();
    } catch (e) {
      if (mine !== generation) return;
      body.removeAttribute("aria-busy");
      clear(body, failed(friendly(e), () => void load()));
    }
  };

  const draw = (): void => {
    remember();
    const patterns = [...new Set([...rows.map((r) => r.pattern), ...(perPattern?.keys() ?? []), ...(pattern ? [pattern] : [])])].sort();
    const shown = sortRows(rows, key, dir);
    // A pattern chosen is asked of the server.
    const choose = (next: string): void => {
      pattern = next;
      cursor = 0;
      void load();
    };
    cursor = Math.min(cursor, Math.max(0, shown.length - 1));
    const counts = h(
      "div",
      { class: "chips", role: "group", "aria-label": "Flags per pattern (click to filter)" },
      patterns.map((p) => {
        const n = perPattern?.get(p) ?? rows.filter((r) => r.pattern === p).length;
        return h("button", { type: "button", class: `chip${pattern === p ? " on" : ""}`, "aria-pressed": pattern === p ? "true" : "false", onclick: () => choose(pattern === p ? "" : p) }, `${p} `, h("span", { class: "count" }, String(n)));
      }),
    );
    const patSel = h("select", { id: "f-pattern", onchange: (e: Event) => choose((e.target as HTMLSelectElement).value) }, h("option", { value: "" }, "All patterns"), patterns.map((p) => h("option", { value: p }, p)));
    patSel.value = pattern;
    // The server holds every state: ask it for the one chosen (decided flags are not in the open queue).
    const stSel = h("select", { id: "f-status", onchange: (e: Event) => { scope = (e.target as HTMLSelectElement).value; cursor = 0; remember(); void load(); } }, h("option", { value: "open" }, "Open (new, in review)"), ALL_STATES.map((p) => h("option", { value: p }, p.replace(/_/g, " "))), h("option", { value: "awaiting" }, "referred, awaiting confirmation"), h("option", { value: "all" }, "All states"), h("option", { value: "cleared" }, "Cleared (no longer found by a scan)"), h("option", { value: "notFound" }, "Taken up, no longer found by a scan"));
    stSel.value = scope;
    // the floor is on the officer's risk, the order the queue is in (a flag's own score is not comparable across patterns)
    const minSel = h(
      "select",
      { id: "f-min-score", title: "The officer's risk (the triage order), not a flag's own score", onchange: (e: Event) => { minScore = (e.target as HTMLSelectElement).value; cursor = 0; remember(); void load(); } },
      h("option", { value: "" }, "Any risk"),
      MIN_SCORES.map((m) => h("option", { value: m }, `Risk ≥ ${m}`)),
    );
    minSel.value = minScore;
    const moreBtn = next ? h("button", { type: "button", id: "queue-more", onclick: () => void load(true) }, `Show ${Math.min(200, (total ?? rows.length + 200) - rows.length)} more`) : null;
    const unitBox = h("input", {
      type: "search",
      id: "f-unit",
      value: unit,
      size: 8,
      placeholder: "Any unit",
      title: "Only the flags of officers of this unit, as the data names it (exactly; a number as it is, 22 for unit 22)",
      oninput: (e: Event) => {
        unit = (e.target as HTMLInputElement).value;
        redrawSoon("f-unit");
      },
    });
    const search = h("input", {
      type: "search",
      id: "f-text",
      value: text,
      placeholder: "Officer id or pseudonym, unit, text",
      title: "Searches every flag on the server: the officer's id or pseudonym, unit, and the explanation (which names the other officers, persons and records by id)",
      oninput: (e: Event) => {
        text = (e.target as HTMLInputElement).value;
        redrawSoon("f-text");
      },
    });
    const th = (k: Key, label: string, title = ""): HTMLElement =>
      h(
        "th",
        { scope: "col", "aria-sort": key === k ? (dir === 1 ? "ascending" : "descending") : "none", title },
        h(
          "button",
          {
            type: "button",
            class: "sort",
            "data-key": k,
            onclick: () => {
              const before = serverOrder();
              if (key === k) dir = dir === 1 ? -1 : 1;
              else {
                key = k;
                dir = k === "score" || k === "risk" ? -1 : 1;
              }
              // the server pages in the order chosen when it is risk or score: the first page is then the right one
              if (serverOrder() !== before && next) void load();
              else draw();
            },
          },
          label,
          key === k ? (dir === 1 ? " ▲" : " ▼") : "",
        ),
      );
    const table = h(
      "table",
      { class: "grid", id: "flag-table", "aria-label": `Flags, ${shown.length} shown`, "aria-rowcount": shown.length },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          th("risk", "Officer risk", "The officer's combined risk after the last scan: each pattern's best open score, weighted (access-for-gain 1.0 … similar-to-confirmed 0.4). The triage order."),
          th("score", "Score", "This flag's score under its own pattern: scores of different patterns are not comparable"),
          th("pattern", "Pattern"),
          th("officer", "Officer"),
          h("th", { scope: "col" }, "Explanation"),
          th("status", "Status"),
          th("lastSeen", "Last seen"),
        ),
      ),
      h(
        "tbody",
        {},
        shown.map((r, i) => {
          const tr = h(
            "tr",
            { tabindex: i === cursor ? 0 : -1, "data-id": r.id, class: i === cursor ? "cursor" : "" },
            h("td", { class: "num c-risk" }, h("span", { class: "score-bar", style: `--w:${Math.round((r.risk ?? 0) * 100)}%` }), r.risk == null ? "—" : score(r.risk)),
            h("td", { class: "num c-score" }, h("span", { class: "score-bar", style: `--w:${Math.round(r.score * 100)}%` }), score(r.score)),
            // a link too, for screen readers' link lists and browse mode (the row's Enter stays the keyboard way; a11yA)
            h("td", { class: "c-pattern" }, h("a", { href: `#/flag/${encodeURIComponent(r.id)}`, tabindex: -1, "aria-label": `Open flag ${r.id}: ${r.pattern}, ${pseudonym(r)}` }, r.pattern)),
            h("td", { class: "c-officer" }, pseudonym(r), r.revealed ? h("span", { class: "tag", title: "You revealed this flag's names (audited)" }, " revealed") : null, r.officer?.unit ? h("small", { class: "muted" }, ` ${unitLabel(r.officer.unit)}`) : null),
            h("td", { class: "expl" }, r.explanation),
            h("td", { class: "c-status" }, h("span", { class: `status s-${r.status}` }, r.status.replace(/_/g, " ")), stateNote(r) ? h("small", { class: "muted state-note" }, ` ${stateNote(r)}`) : null),
            h("td", { class: "c-seen" }, (r.lastSeen ?? r.createdAt ?? "").slice(0, 10)),
          );
          tr.addEventListener("click", () => open(r.id));
          tr.addEventListener("keydown", (ev) => {
            if (ev.key === "Enter") open(r.id);
            else if (ev.key === "ArrowDown" || ev.key === "j") move(i + 1);
            else if (ev.key === "ArrowUp" || ev.key === "k") move(i - 1);
            else if (ev.key === "Home") move(0);
            else if (ev.key === "End") move(shown.length - 1);
            else return;
            ev.preventDefault();
          });
          return tr;
        }),
      ),
    );
    const move = (i: number): void => {
      const trs = table.tBodies[0].rows;
      if (i < 0 || i >= trs.length) return;
      trs[cursor]?.setAttribute("tabindex", "-1");
      trs[cursor]?.classList.remove("cursor");
      cursor = i;
      trs[i].setAttribute("tabindex", "0");
      trs[i].classList.add("cursor");
      trs[i].focus();
    };
    // Enter on a header sorts and keeps the focus there, so that Enter again reverses it (it went to the first row; uiQ)
    const onSort = document.activeElement?.closest<HTMLElement>("#flag-table thead button.sort")?.dataset.key;
    clear(
      body,
      counts,
      h("div", { class: "filters", role: "search" }, h("label", { for: "f-pattern" }, "Pattern"), patSel, h("label", { for: "f-status" }, "Status"), stSel, h("label", { for: "f-min-score" }, "Risk"), minSel, h("label", { for: "f-unit" }, "Unit"), unitBox, h("label", { for: "f-text" }, "Text"), search, h("span", { class: "muted" }, `${countLine(rows.length, total, serverOrder() === "RISK" ? "officer risk" : "score", !!next)} · names are pseudonyms; reveal from a flag with a purpose · ↑/↓ to move, Enter to open`)),
      shown.length > 0
        ? table
        : rows.length > 0 || pattern || text.trim() || unit.trim() || scope !== "open" || minScore
          ? empty("No flag matches these filters.")
          : empty("No open flags. Run a scan (probity scan) to fill the queue, or choose another status."),
      moreBtn,
    );
    if (onSort) table.querySelector<HTMLElement>(`thead button.sort[data-key="${onSort}"]`)?.focus();
    else if (document.activeElement === document.body || document.activeElement?.closest("#flag-table")) (table.tBodies[0]?.rows[cursor] as HTMLElement | undefined)?.focus();
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Typing filters after a pause, on the server; the box typed in keeps the focus.
  const redrawSoon = (boxId: string): void => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      cursor = 0;
      await load();
      const box = document.getElementById(boxId) as HTMLInputElement | null;
      box?.focus();
      box?.setSelectionRange(box.value.length, box.value.length);
    }, 350);
  };
  // Back from a flag: the pages held before, again (up to MAX_REHELD), at the flag opened.
  const reopen = async (): Promise<void> => {
    await load();
    let g = generation; // a filter changed meanwhile makes a newer load: stop then
    while (next && rows.length < Math.min(heldBefore, MAX_REHELD) && generation === g) {
      await load(true);
      g++;
    }
    if (generation !== g) return;
    const i = sortRows(rows, key, dir).findIndex((r) => r.id === openedBefore);
    if (i < 0) return;
    cursor = i;
    draw();
    const tr = document.querySelector<HTMLElement>(`#flag-table tbody tr[data-id="${CSS.escape(openedBefore)}"]`);
    tr?.focus();
    tr?.scrollIntoView({ block: "center" });
  };
  void reopen();
  return () => clearTimeout(timer);
}
