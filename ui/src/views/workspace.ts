// The link-chart workspace shared by Explore and the flag view: toolbar,
// chart, details panel and timeline. Chart changes go through the store
// (undoable); the ChartView only draws.
import { friendly } from "../api";
import type { App } from "../app";
import { ChartView } from "../chart";
import { announce, clear, download, empty, failed, h, keepFocus, loading, unavailable, utcMinute } from "../dom";
import { TITLE_MAX, chartJSON, cleanTitle, exhibitLines, exhibitName, graphML } from "../exporters";
import { KIND_NAMES } from "../icons";
import { EXPAND_CAP, EXPAND_DEPTHS, HUB_DEGREE, SEARCH_FIRST, caption, complaintCount, cutShort, edgeCaption, expand, expandDeep, expandDepth, expandNote, isHub, kindOf, merge, normalise, onChart, only, reachedDepth, relCounts, remove, revealedIds, searchStatus, showsRealName, toElements, visible } from "../model";
import { NEIGHBOURHOOD, NEIGHBOUR_LIMIT, PATHS, RECORD_EXPORT, REVEAL, SEARCH, TIMELINE } from "../queries";
import { dateField, type DateField } from "../isodate";
import { fromApi, type ApiEvent, type TimelineEvent } from "../timeline";
import * as saved from "../saved";
import type { State } from "../store";
import { ENTITY_LABELS, type GEdge, type GNode, type LayoutName, type RelCount, type Subgraph } from "../types";
import { TimelineView } from "./timelineView";

/** EXPORT_LABELS are the kinds an export's audit event names: entities (shifts and swipes have no global id). */
const EXPORT_LABELS = new Set<string>(ENTITY_LABELS);
/** isEntity says a node is an entity of the graph, which the API explores; a flag's shifts and badge swipes are not. */
const isEntity = (n: GNode): boolean => EXPORT_LABELS.has(n.label);

export interface WorkspaceOptions {
  /** A note shown above the chart (for example the flag's evidence legend). */
  title: string;
  /** Called when the workspace wants to put a note in the side panel. */
  sidebar?: HTMLElement;
  /** Start in the crew view (complaints folded into co-accused links), as a co-accused crew's flag does. */
  foldComplaints?: boolean;
}

/** avoided says which hubs a path search went round (as the rules do), and any other cut, in words. */
function avoided(truncated: string[]): string {
  // "Address:ADR0000001" read as "address ADR0000001"
  const hubs = truncated.filter((t) => t.startsWith("hub:")).map((t) => t.slice(4).replace(/^([A-Za-z]+):/, (_, l: string) => `${l.toLowerCase()} `));
  const other = truncated.filter((t) => !t.startsWith("hub:"));
  const parts = [hubs.length ? `not through ${hubs.length} hub${hubs.length === 1 ? "" : "s"} (${hubs.slice(0, 3).join(", ")}${hubs.length > 3 ? ", …" : ""})` : "", other.length ? `cut short: ${other.join(", ")}` : ""].filter(Boolean);
  return parts.length ? `; ${parts.join("; ")}` : "";
}

/** PATH_REACH are the path searches offered: the default is the rules' reach (4 links, no hub). */
const PATH_REACH = [
  { label: "≤ 4 links", hops: 4, hubs: false },
  { label: "≤ 5 links", hops: 5, hubs: false },
  { label: "≤ 6 links", hops: 6, hubs: false },
  { label: "≤ 6, through hubs", hops: 6, hubs: true },
];

export class Workspace {
  readonly el: HTMLElement;
  private chart!: ChartView;
  private chartBox: HTMLElement;
  private details: HTMLElement;
  private timeline: TimelineView;
  private unsubscribe: () => void = () => {};
  private undoBtn: HTMLButtonElement;
  private redoBtn: HTMLButtonElement;
  private pathBtn: HTMLButtonElement;
  private banner: HTMLElement;
  private viewNote: HTMLElement;
  private pathReach: HTMLSelectElement;
  private asOf: DateField;
  /** Neighbourhoods fetched to show counts before expanding, by node and as-of day. */
  private previews = new Map<string, { g: Subgraph; counts: RelCount[]; atLeast: boolean } | "loading" | Error>();
  private timelineEvents: { key: string; events: TimelineEvent[] | null; note: string } = { key: "", events: null, note: "" };

  constructor(
    private app: App,
    private opt: WorkspaceOptions,
  ) {
    const st = app.store;
    this.undoBtn = h("button", { type: "button", id: "undo", title: "Undo (Ctrl+Z)", onclick: () => st.undo() }, "Undo");
    this.redoBtn = h("button", { type: "button", id: "redo", title: "Redo (Ctrl+Y)", onclick: () => st.redo() }, "Redo");
    this.pathBtn = h("button", { type: "button", id: "find-path", title: "Find paths between the two selected entities (F)", onclick: () => this.findPaths() }, "Find paths");
    // how far paths may go, and whether through hubs (a block of flats, a switchboard: many innocent links)
    this.pathReach = h(
      "select",
      { id: "path-reach", "aria-label": "How far paths may go", title: "Paths of at most this many links; hubs (more than 20 neighbours) are avoided unless chosen" },
      ...PATH_REACH.map((r, i) => h("option", { value: String(i) }, r.label)),
    );
    const layout = h(
      "select",
      { id: "layout", "aria-label": "Layout" },
      ...(["fcose", "dagre", "circle", "grid"] as LayoutName[]).map((l) => h("option", { value: l }, { fcose: "Force layout", dagre: "Hierarchical", circle: "Circle", grid: "Grid" }[l])),
    );
    layout.value = st.get().layout;
    layout.addEventListener("change", () => st.set({ layout: layout.value as LayoutName }));
    // how far Expand goes: the API's depth, 1 to 3 links, under the same caps and hub rule (analystC L1)
    const depth = h(
      "select",
      { id: "expand-depth", title: "Expand and Expand all add what lies within this many links: 25 a type for each entity reached; hubs are shown, not passed through" },
      ...EXPAND_DEPTHS.map((d) => h("option", { value: String(d) }, d === 1 ? "1 link" : `${d} links`)),
    );
    depth.value = String(expandDepth(st.get().depth));
    depth.addEventListener("change", () => st.set({ depth: expandDepth(depth.value) }));
    // ISO, as every date of the UI (analystC L4); an entry that is no calendar date is refused beside it, and not applied
    this.asOf = dateField("as-of", { value: st.get().asOf, title: "Show the links in force on this day: YYYY-MM-DD (empty: all)" }, (v) => st.set({ asOf: v }));
    const exportSel = h(
      "select",
      { id: "export", "aria-label": "Save, open or export the chart (arrow to a choice, then Enter)" },
      h("option", { value: "" }, "Chart…"),
      h("option", { value: "save" }, saved.whereSaved(app) === "server" ? "Save as…" : "Save in this browser…"),
      h("option", { value: "open" }, "Open saved…"),
      h("option", { value: "png" }, "Export PNG image"),
      h("option", { value: "svg" }, "Export SVG image"),
      h("option", { value: "json" }, "Export chart JSON"),
      h("option", { value: "graphml" }, "Export GraphML"),
    );
    // A closed select changes on every arrow key: arrowing through the
    // choices must not run each one (WCAG 3.2.2, a11yA), so a choice made
    // by keyboard runs on Enter; one picked from the list runs at once.
    let arrowed = false;
    const act = (): void => {
      const v = exportSel.value;
      exportSel.value = "";
      arrowed = false;
      if (v === "save") void this.saveDialog();
      else if (v === "open") void this.openDialog();
      else if (v) this.exportDialog(v);
    };
    exportSel.addEventListener("keydown", (e) => {
      if (["ArrowUp", "ArrowDown", "Home", "End", "PageUp", "PageDown"].includes(e.key)) arrowed = true;
      else if (e.key === "Enter" && exportSel.value) {
        e.preventDefault();
        act();
      }
    });
    exportSel.addEventListener("pointerdown", () => (arrowed = false));
    exportSel.addEventListener("change", () => {
      if (!arrowed) act();
    });
    this.fold = h("input", { type: "checkbox", id: "fold-complaints" }) as HTMLInputElement;
    this.fold.checked = !!opt.foldComplaints;
    this.fold.addEventListener("change", () => {
      this.redraw();
      announce(this.fold.checked ? "Crew view: complaints folded into co-accused links" : "Complaints shown");
    });
    this.foldRow = h("label", { class: "inline", for: "fold-complaints", title: "Fold the complaints into links between the officers they name, “co-accused ×N”" }, this.fold, " Crew view");
    this.banner = h("div", { class: "banner", role: "status", "aria-live": "polite" });
    // a chart too large to read whole opens readable, part of it out of view (analystC H1, reviewM M1)
    this.viewNote = h("span", { class: "muted", id: "view-note", hidden: true }, "part of the chart is out of view: Fit shows it all");
    const toolbar = h(
      "div",
      { class: "toolbar", role: "toolbar", "aria-label": "Chart tools" },
      this.searchBox(),
      h("span", { class: "sep" }),
      this.undoBtn,
      this.redoBtn,
      this.pathBtn,
      this.pathReach,
      h("label", { for: "expand-depth", class: "inline" }, "Expand"),
      depth,
      h("button", { type: "button", id: "fit", title: "Show the whole chart (labels too small to read are not drawn, but the flagged officer's)", onclick: () => this.chart.fit(true) }, "Fit"),
      this.viewNote,
      h("button", { type: "button", id: "relayout", title: "Lay out again (L)", onclick: () => void this.chart.layout(true) }, "Re-layout"),
      layout,
      h("label", { for: "as-of", class: "inline" }, "As of"),
      this.asOf.el,
      this.foldRow,
      exportSel,
    );
    this.chartBox = h("div", { class: "chart", id: "chart", tabindex: 0, role: "application", "aria-label": "Link chart. Tab to the entity list in the side panel for a keyboard view; shortcuts: E expand, H hide, P pin, G group, F find paths, Ctrl+Z undo." });
    this.details = h("aside", { class: "details", id: "details", "aria-label": "Details" });
    this.timeline = new TimelineView((p) => {
      st.set({ period: p });
      announce(p ? `Chart filtered to ${p.from} – ${p.to}` : "Period cleared");
    });
    this.el = h(
      "div",
      { class: "workspace" },
      h("div", { class: "work-main" }, toolbar, this.banner, h("div", { class: "chart-wrap" }, this.chartBox, legend()), this.timeline.el),
      this.details,
    );
  }

  /** mount attaches the chart once the element is in the document. */
  mount(): void {
    const st = this.app.store;
    this.chart = new ChartView(this.chartBox, {
      select: (ids) => {
        const cur = st.get().selected;
        const same = ids.length === cur.length && ids.every((id) => cur.includes(id));
        if (!same) st.set({ selected: [...cur.filter((id) => ids.includes(id)), ...ids.filter((id) => !cur.includes(id))] });
      },
      selectEdge: (id) => {
        if (st.get().selectedEdge !== id) st.set({ selectedEdge: id });
      },
      open: (id) => {
        const m = /^more:(.+):([A-Z_]+)$/.exec(id);
        if (m) void this.expandMore(m[1], m[2]);
        else this.focusDetails(id);
      },
      moved: (id, pos) => {
        if (st.get().chart.pinned[id]) st.commit("move pinned node", (c) => ({ ...c, pinned: { ...c.pinned, [id]: pos } }));
      },
      view: (cropped) => {
        this.viewNote.hidden = !cropped;
      },
    });
    (window as unknown as { probityChart: ChartView }).probityChart = this.chart; // for tests and benchmarks
    this.unsubscribe = st.subscribe((s, prev) => this.update(s, prev));
    this.chartBox.addEventListener("keydown", (ev) => this.keys(ev));
    this.update(st.get(), null);
  }

  destroy(): void {
    this.unsubscribe();
    this.chart?.destroy();
  }

  private update(s: State, prev: State | null): void {
    // a day set elsewhere (a saved chart opened) shows in the field, unless it is being typed in
    if (prev && s.asOf !== prev.asOf && document.activeElement !== this.asOf.input) this.asOf.set(s.asOf);
    const chartChanged = !prev || s.chart !== prev.chart || s.asOf !== prev.asOf || s.period !== prev.period || s.layout !== prev.layout || s.selected !== prev.selected;
    if (chartChanged) this.redraw();
    this.undoBtn.disabled = !this.app.store.canUndo();
    this.undoBtn.title = this.app.store.canUndo() ? `Undo ${this.app.store.undoLabel()} (Ctrl+Z)` : "Nothing to undo";
    this.redoBtn.disabled = !this.app.store.canRedo();
    this.pathBtn.disabled = s.selected.length !== 2;
    if (!prev || s.chart !== prev.chart || s.selected !== prev.selected || s.period !== prev.period || s.asOf !== prev.asOf) {
      this.timeline.render(s.chart, s.selected, s.period, this.timelineEvents.events, this.timelineEvents.note);
      void this.loadTimeline();
    }
    if (!prev || s.chart !== prev.chart || s.selected !== prev.selected || s.selectedEdge !== prev.selectedEdge || s.period !== prev.period || s.asOf !== prev.asOf || s.depth !== prev.depth) this.renderDetails();
    // a node or link just picked on the chart: its details come into view
    // (under a flag's explanation they were below the fold: analystU, analystV)
    if (prev && (s.selected !== prev.selected || s.selectedEdge !== prev.selectedEdge) && (s.selected.length === 1 || (s.selected.length === 0 && s.selectedEdge))) {
      this.details.querySelector(".card.entity, #edge-details")?.scrollIntoView({ block: "nearest" });
    }
    const notes: string[] = this.pathNote && this.pathEnds.every((id) => s.chart.nodes[id]) ? [this.pathNote] : [];
    const hubs = s.chart.truncated.filter((r) => r.startsWith("hub:"));
    const cuts = s.chart.truncated.filter((r) => !r.startsWith("hub:"));
    if (cuts.length) notes.push(`Partial result (${cuts.join(", ")}): the server capped what it returned`);
    if (hubs.length) notes.push(`Hubs not passed through: ${hubs.map((h) => h.slice(4)).join(", ")}`);
    // The flag's evidence is never filtered out: a period must not hide the case.
    const kept = s.chart.evidence.length ? " (the flag's evidence stays shown)" : "";
    if (s.period) notes.push(`Filtered to ${s.period.from} – ${s.period.to}${kept}`);
    if (s.asOf) notes.push(`As of ${s.asOf}${kept}`);
    this.banner.textContent = notes.join(" · ");
    this.banner.hidden = notes.length === 0;
  }

  /** hubs are the nodes whose neighbour counts pass the hub rule. */
  private hubs = new Set<string>();
  /** onPath holds the entities of the paths found last: the list says so, not only the chart's colour. */
  private onPath = new Set<string>();
  /** pathNote is the found path in words: the banner keeps it while the path's ends are on the chart (analystY). */
  private pathNote = "";
  private pathEnds: string[] = [];

  /** The crew view's switch, offered when the chart holds two complaints or more. */
  private fold: HTMLInputElement;
  private foldRow: HTMLElement;

  private redraw(): void {
    const s = this.app.store.get();
    this.foldRow.hidden = complaintCount(s.chart) < 2;
    const foldComplaints = this.fold.checked && !this.foldRow.hidden;
    this.chart.render(toElements(s.chart, { asOf: s.asOf, period: s.period, hubs: this.hubs, foldComplaints }), s.layout, s.selected);
  }

  // --- search -------------------------------------------------------------

  private searchBox(): HTMLElement {
    const input = h("input", { type: "search", id: "search", placeholder: "Search names, ids, postcodes…", "aria-label": "Search entities", autocomplete: "off", role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": "search-results", "aria-describedby": "search-note" });
    // the combobox says whether its list is open (a11yA)
    const shown = (open: boolean): void => {
      results.hidden = !open;
      input.setAttribute("aria-expanded", String(open));
    };
    // the listbox holds options only; what the search is doing, and what a
    // name search means, are beside it (a11yA; analystW)
    const list = h("ul", { id: "search-results", role: "listbox", "aria-label": "Search results" });
    const status = h("p", { class: "search-status muted", role: "status" });
    const note = h("p", { class: "search-note muted", id: "search-note" }, "A search that finds a person or officer by name is recorded in the audit log as a reveal, with your purpose.");
    const results = h("div", { class: "search-results", hidden: true }, status, list, note);
    const box = h("div", { class: "search" }, input, results);
    if (!this.app.caps.has("search")) {
      input.disabled = true;
      input.placeholder = "Search not available on this server";
      return box;
    }
    let seq = 0;
    const run = async (): Promise<void> => {
      const text = input.value.trim();
      const my = ++seq;
      if (text.length < 2) {
        shown(false);
        return;
      }
      shown(true);
      status.textContent = "Searching…";
      list.replaceChildren();
      try {
        const d = await this.app.api.query<{ search: unknown[] }>(SEARCH, { text, first: SEARCH_FIRST });
        if (my !== seq) return;
        const nodes = normalise({ nodes: d.search, edges: [] }).nodes;
        status.textContent = searchStatus(nodes.length, text);
        clear(
          list,
          nodes.map((n, i) => {
            const li = h("li", { role: "option", tabindex: -1, id: `sr-${i}`, "data-id": n.id }, h("span", { class: `kind-dot k-${kindOf(n).toLowerCase()}`, "aria-hidden": "true" }), `${caption(n)} `, h("small", {}, `${n.label} ${n.id}`));
            li.addEventListener("click", () => this.add(n, input, results));
            li.addEventListener("keydown", (ev) => {
              if (ev.key === "Enter") this.add(n, input, results);
              if (ev.key === "ArrowDown") (li.nextElementSibling as HTMLElement | null)?.focus();
              if (ev.key === "ArrowUp") ((li.previousElementSibling as HTMLElement | null) ?? input).focus();
              if (ev.key === "Escape") input.focus();
            });
            return li;
          }),
        );
      } catch (e) {
        if (my === seq) {
          status.textContent = friendly(e);
          list.replaceChildren();
        }
      }
    };
    let t: ReturnType<typeof setTimeout> | undefined;
    input.addEventListener("input", () => {
      clearTimeout(t);
      t = setTimeout(() => void run(), 250);
    });
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "ArrowDown") (list.querySelector("[role=option]") as HTMLElement | null)?.focus();
      if (ev.key === "Enter") void run();
      if (ev.key === "Escape") shown(false);
    });
    return box;
  }

  private add(n: GNode, input: HTMLInputElement, results: HTMLElement): void {
    this.app.store.commit(`add ${caption(n)}`, (c) => merge(c, { nodes: [n], edges: [], truncated: [] }));
    this.app.store.set({ selected: [n.id] });
    results.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.value = "";
    input.focus(); // back to the search, ready for the next (the result chosen is gone: analystX)
    announce(`${caption(n)} added to the chart`);
  }

  // --- expand, paths ------------------------------------------------------

  private previewKey(id: string): string {
    return `${id}@${this.app.store.get().asOf ?? ""}`;
  }

  /** preview fetches a node's neighbourhood once to count its neighbours per type before expanding. */
  private async preview(id: string): Promise<{ g: Subgraph; counts: RelCount[]; atLeast: boolean } | null> {
    if (!this.app.caps.has("neighbourhood")) return null;
    const key = this.previewKey(id);
    const have = this.previews.get(key);
    if (have && have !== "loading" && !(have instanceof Error)) return have;
    // A failure stays until a retry clears it (the card's Retry, expanding):
    // renderDetails calls preview again, which must not fetch again.
    if (have === "loading" || have instanceof Error) return null;
    this.previews.set(key, "loading");
    try {
      const d = await this.app.api.query<{ neighbourhood: unknown }>(NEIGHBOURHOOD, { ids: [id], limit: NEIGHBOUR_LIMIT, asOf: this.app.store.get().asOf });
      const g = normalise(d.neighbourhood);
      const p = { g, ...relCounts(id, g) };
      this.previews.set(key, p);
      if (isHub(id, p.counts) && !this.hubs.has(id)) {
        this.hubs.add(id);
        this.redraw();
      }
      this.renderDetails();
      return p;
    } catch (e) {
      this.previews.set(key, e instanceof Error ? e : new Error(String(e)));
      this.renderDetails();
      return null;
    }
  }

  /**
   * expandNode adds a node's neighbours (over one type, or all), at most
   * cap per type, and at a depth of 2 or 3 (the chart's choice) what lies
   * further, each entity reached expanded in turn under the same cap; hubs
   * are shown, not passed through (model.expandDeep).
   */
  async expandNode(id: string, type?: string, cap = EXPAND_CAP, depth = expandDepth(this.app.store.get().depth)): Promise<void> {
    if (!this.app.caps.has("neighbourhood")) return announce("Expanding is not available on this server.");
    const st = this.app.store;
    const node = st.get().chart.nodes[id];
    if (node && !isEntity(node)) return announce("A shift or a badge swipe has no links of its own: expand its officer.");
    const name = caption(st.get().chart.nodes[id] ?? { id, label: "", properties: {} });
    const deep = depth > 1 ? `, ${depth} links deep` : "";
    this.banner.hidden = false;
    this.banner.textContent = `Expanding ${name}${deep}…`;
    const key = this.previewKey(id);
    if (this.previews.get(key) instanceof Error) this.previews.delete(key);
    const p = await this.preview(id);
    if (!p) {
      const e = this.previews.get(key);
      this.banner.textContent = `Expand failed: ${e instanceof Error ? friendly(e) : "still loading, try again"}`;
      return;
    }
    const totals: Record<string, number> = {};
    for (const k of p.counts) totals[k.type] = k.count;
    let g = type ? only(p.g, id, type) : p.g;
    if (depth > 1) {
      // further than one link: the server's neighbourhood at that depth (over the one type, when one was chosen)
      try {
        const d = await this.app.api.query<{ neighbourhood: unknown }>(NEIGHBOURHOOD, { ids: [id], depth, types: type ? [type] : null, limit: NEIGHBOUR_LIMIT, asOf: st.get().asOf });
        g = normalise(d.neighbourhood);
      } catch (e) {
        this.banner.textContent = `Expand failed: ${friendly(e)}`;
        return;
      }
    }
    const before = Object.keys(st.get().chart.nodes).length;
    const hub = (n: GNode): boolean => !!n.hub || this.hubs.has(n.id) || (n.degree ?? 0) > HUB_DEGREE;
    st.commit(`expand ${id}${type ? " " + type : ""}${deep}`, (c) => (depth > 1 ? expandDeep(c, id, g, depth, cap, totals, hub, p.atLeast) : expand(c, id, g, cap, totals, p.atLeast)));
    const added = Object.keys(st.get().chart.nodes).length - before;
    // how deep the answer went: the server stops at the level where a cap is reached
    const reached = depth > 1 ? Math.min(depth, reachedDepth(g, id)) : depth;
    const went = depth > 1 ? (reached < depth && cutShort(g) ? `, ${reached} link${reached === 1 ? "" : "s"} deep of the ${depth} asked` : deep) : "";
    this.banner.textContent = added ? `${added} entities added${went}${expandNote(depth > 1 ? g : p.g, depth, NEIGHBOUR_LIMIT, reached)}.` : `No new neighbours${type ? " over " + type.toLowerCase().replace(/_/g, " ") : ""}${went}.`;
    announce(this.banner.textContent);
  }

  /** expandMore shows the next EXPAND_CAP neighbours behind an "and N more" placeholder: one link, whatever the depth. */
  async expandMore(id: string, type: string): Promise<void> {
    await this.expandNode(id, type, this.shownOver(id, type) + EXPAND_CAP, 1);
  }

  /**
   * expandType is a link type's button in the entity card: the next
   * EXPAND_CAP neighbours over that type and, at 2 or 3 links (the
   * toolbar's choice), what lies beyond over the same type (analystD M1:
   * it went one link whatever the choice, as the placeholder does).
   */
  async expandType(id: string, type: string): Promise<void> {
    await this.expandNode(id, type, this.shownOver(id, type) + EXPAND_CAP);
  }

  /** shownOver counts the neighbours of id the chart shows over type. */
  private shownOver(id: string, type: string): number {
    const c = this.app.store.get().chart;
    return new Set(Object.values(c.edges).filter((e) => e.type === type && (e.from === id || e.to === id)).map((e) => (e.from === id ? e.to : e.from))).size;
  }

  private async reveal(n: GNode, out: HTMLElement, purpose: string): Promise<void> {
    if (purpose.trim().length < 5) {
      out.textContent = "State a purpose of at least 5 characters.";
      return;
    }
    out.textContent = "Revealing…";
    try {
      const d = await this.app.api.query<{ node: { name?: string | null } | null }>(REVEAL, { id: n.id, purpose: purpose.trim() });
      const name = d.node?.name;
      if (!name) {
        out.textContent = "No name is recorded for this entity.";
        return;
      }
      this.app.store.commit(`reveal ${n.id}`, (c) => ({ ...c, nodes: { ...c.nodes, [n.id]: { ...c.nodes[n.id], properties: { ...c.nodes[n.id].properties, revealedName: name } } } }));
      announce(`Revealed: ${name}. This was audited.`);
    } catch (e) {
      out.textContent = friendly(e);
    }
  }

  /** loadTimeline asks the server for the selected entities' events (accesses, payments, shifts, swipes, complaints). */
  private async loadTimeline(): Promise<void> {
    const s = this.app.store.get();
    const ids = s.selected.filter((id) => s.chart.nodes[id] && isEntity(s.chart.nodes[id])).slice(0, 50); // the server knows entities only
    const key = `${ids.join(",")}@${s.asOf ?? ""}`;
    if (key === this.timelineEvents.key) return;
    this.timelineEvents = { key, events: null, note: "" };
    if (!this.app.caps.has("timeline") || ids.length === 0) return this.timeline.render(s.chart, s.selected, s.period, null);
    try {
      const d = await this.app.api.query<{ timeline: { events: ApiEvent[]; truncated: boolean } }>(TIMELINE, { ids, to: s.asOf ? nextDay(s.asOf) : null });
      if (this.timelineEvents.key !== key) return;
      this.timelineEvents = { key, events: fromApi(d.timeline.events), note: d.timeline.truncated ? "first 1000 events only" : "" };
    } catch (e) {
      if (this.timelineEvents.key !== key) return;
      this.timelineEvents = { key, events: null, note: `server timeline failed (${friendly(e)}); showing the chart's own dated links` };
    }
    const now = this.app.store.get();
    this.timeline.render(now.chart, now.selected, now.period, this.timelineEvents.events, this.timelineEvents.note);
  }

  async findPaths(): Promise<void> {
    const st = this.app.store;
    const [a, b] = st.get().selected;
    if (!a || !b) return;
    if (!this.app.caps.has("paths")) {
      this.banner.hidden = false;
      this.banner.textContent = "Finding paths is not available on this server.";
      return;
    }
    const nodes = st.get().chart.nodes;
    if ([a, b].some((id) => nodes[id] && !isEntity(nodes[id]))) {
      // a shift or a swipe has no links of its own (reUI)
      this.banner.hidden = false;
      this.banner.textContent = "Paths run between entities: a shift or a badge swipe has no links of its own. Select its officer instead.";
      return;
    }
    const reach = PATH_REACH[Number(this.pathReach.value)] ?? PATH_REACH[0];
    this.banner.hidden = false;
    this.banner.textContent = `Finding paths between ${a} and ${b}…`;
    try {
      const d = await this.app.api.query<{ paths: { paths?: { nodeIds: string[]; edgeIds: string[] }[] } }>(PATHS, { from: a, to: b, maxHops: reach.hops, throughHubs: reach.hubs });
      const g = normalise(d.paths);
      if (!g.edges.length) {
        this.chart.highlight([]);
        this.onPath = new Set();
        this.pathEnds = [a, b]; // the note stays while the two are on the chart
        this.pathNote =
          `No path of at most ${reach.hops} links between ${caption(st.get().chart.nodes[a])} and ${caption(st.get().chart.nodes[b])}${avoided(g.truncated)}.` +
          (reach.hubs && reach.hops === 6 ? "" : " Choose a longer reach, or “through hubs”, to look further.");
        this.banner.textContent = this.pathNote;
        this.renderDetails();
        return;
      }
      st.commit(`paths ${a}–${b}`, (c) => merge(c, g));
      // the path's links as the chart draws them (an evidence link keeps its own id)
      const drawn = st.get().chart;
      const paths = (d.paths.paths ?? []).map((p) => ({ nodeIds: p.nodeIds, edgeIds: onChart(drawn, g, p.edgeIds) }));
      const lit = paths.length ? paths.flatMap((p) => [...p.nodeIds, ...p.edgeIds]) : onChart(drawn, g, [...g.nodes.map((n) => n.id), ...g.edges.map((e) => e.id)]);
      this.chart.highlight(lit);
      this.onPath = new Set(lit);
      const shortest = paths.length ? Math.min(...paths.map((p) => p.edgeIds.length)) : g.edges.length;
      // Parallel links (two look-ups of one record) make paths through the same nodes: count routes, not links.
      const routes = new Set(paths.map((p) => p.nodeIds.join(">"))).size || 1;
      const via = paths.length > routes ? ` (${paths.length} paths over parallel links)` : "";
      // through hubs, on request: say which, as a shared address or phone is no association by itself
      const c = st.get().chart;
      const through = [...new Set(paths.flatMap((p) => p.nodeIds.slice(1, -1)))].filter((id) => c.nodes[id] && (c.nodes[id].hub || this.hubs.has(id) || (c.nodes[id].degree ?? 0) > 20));
      const viaHubs = through.length ? `; through hub${through.length === 1 ? "" : "s"} ${through.map((id) => caption(c.nodes[id])).join(", ")}: sharing one is no association by itself` : "";
      // the shortest route in words too: the purple is not for everyone (a11yA)
      const first = paths.find((p) => p.edgeIds.length === shortest);
      const words = first
        ? `: ${first.nodeIds.map((id, i) => (c.nodes[id] ? caption(c.nodes[id]) : id) + (i < first.edgeIds.length ? ` —${(c.edges[first.edgeIds[i]]?.type ?? "link").toLowerCase().replace(/_/g, " ")}— ` : "")).join("")}`
        : "";
      this.pathEnds = [a, b];
      this.pathNote = `${routes} route${routes === 1 ? "" : "s"} found${via}, shortest ${shortest} link${shortest === 1 ? "" : "s"}${words} (highlighted in purple, marked "on the path" in the list)${viaHubs}${avoided(g.truncated)}.`;
      this.banner.textContent = this.pathNote;
      this.renderDetails();
      announce(this.banner.textContent);
    } catch (e) {
      this.banner.textContent = `Find paths failed: ${friendly(e)}`;
    }
  }

  // --- hide, pin, group ---------------------------------------------------

  hide(ids: string[]): void {
    if (!ids.length) return;
    this.app.store.commit(`hide ${ids.length}`, (c) => ({ ...c, hidden: [...new Set([...c.hidden, ...ids])] }));
    this.app.store.set({ selected: [] });
    announce(`Hidden: ${ids.length} entit${ids.length === 1 ? "y" : "ies"} (Undo brings ${ids.length === 1 ? "it" : "them"} back)`);
  }

  pin(ids: string[]): void {
    if (!ids.length) return;
    const pos = this.chart.positions();
    this.app.store.commit(`pin ${ids.length}`, (c) => {
      const pinned = { ...c.pinned };
      const allPinned = ids.every((id) => pinned[id]);
      for (const id of ids) {
        if (allPinned) delete pinned[id];
        else if (pos[id]) pinned[id] = pos[id];
      }
      return { ...c, pinned };
    });
  }

  group(ids: string[]): void {
    if (ids.length < 2) return announce("Select two or more entities to group them");
    const label = prompt("Name of the group", "Group") ?? "";
    if (!label) return;
    this.app.store.commit(`group ${label}`, (c) => ({
      ...c,
      groups: [...c.groups.map((g) => ({ ...g, members: g.members.filter((m) => !ids.includes(m)) })).filter((g) => g.members.length), { id: String(Date.now()), label, members: ids }],
    }));
  }

  private keys(ev: KeyboardEvent): void {
    const st = this.app.store;
    const sel = st.get().selected;
    const k = ev.key.toLowerCase();
    if ((ev.ctrlKey || ev.metaKey) && k === "z") {
      ev.preventDefault();
      if (ev.shiftKey) st.redo();
      else st.undo();
    } else if ((ev.ctrlKey || ev.metaKey) && k === "y") {
      ev.preventDefault();
      st.redo();
    } else if (ev.ctrlKey || ev.metaKey || ev.altKey) {
      return;
    } else if (k === "delete" || k === "h") this.hide(sel);
    else if (k === "p") this.pin(sel);
    else if (k === "g") this.group(sel);
    else if (k === "f") void this.findPaths();
    else if (k === "e" && sel.length === 1) void this.expandNode(sel[0]);
    else if (k === "l") void this.chart.layout(true);
    else if (k === "escape") st.set({ selected: [] });
    else return;
    ev.preventDefault();
  }

  /** show selects a node and brings it to the middle of the chart (the flag explanation's links). */
  show(id: string): void {
    if (this.fold.checked && this.app.store.get().chart.nodes[id]?.label === "Complaint") {
      this.fold.checked = false; // a complaint named in the explanation: out of the crew view to show it
      this.redraw();
    }
    this.app.store.set({ selected: [id] });
    this.chart.center(id);
  }

  private focusDetails(id: string): void {
    this.app.store.set({ selected: [id] });
    (this.details.querySelector("button") as HTMLElement | null)?.focus();
  }

  // --- details panel ------------------------------------------------------

  private renderDetails(): void {
    const s = this.app.store.get();
    const c = s.chart;
    const out: (Node | null)[] = [];
    if (this.opt.sidebar) out.push(this.opt.sidebar);
    const sel = s.selected.filter((id) => c.nodes[id]);
    // a link drawn for several (a bundle of look-ups, a crew's co-accused
    // link) stands for its members: their details, one after the other
    const members = s.selectedEdge && !c.edges[s.selectedEdge] ? ((this.chart?.cy.getElementById(s.selectedEdge).data("members") as string[] | undefined) ?? []) : [];
    const edge = s.selectedEdge ? (c.edges[s.selectedEdge] ?? members.map((id) => c.edges[id]).find(Boolean)) : undefined;
    if (sel.length === 1) {
      const n = c.nodes[sel[0]];
      if (isEntity(n)) void this.preview(n.id);
      out.push(this.entityCard(n));
    } else if (sel.length === 0 && edge) {
      out.push(this.edgeCard(edge, members.length));
    } else if (sel.length > 1) {
      out.push(
        h(
          "section",
          { class: "card", "aria-label": "Selection" },
          h("h2", {}, `${sel.length} selected`),
          h("ul", { class: "plain" }, sel.map((id) => h("li", {}, caption(c.nodes[id])))),
          h("div", { class: "actions" }, sel.length === 2 ? h("button", { type: "button", onclick: () => void this.findPaths() }, "Find paths") : null, h("button", { type: "button", onclick: () => this.hide(sel) }, "Hide"), h("button", { type: "button", onclick: () => this.pin(sel) }, "Pin / unpin"), h("button", { type: "button", onclick: () => this.group(sel) }, "Group")),
        ),
      );
    }
    out.push(this.entityList());
    // the focus stays where the user was (the list item, the explanation's
    // link), else goes to the card now shown, not to <body>
    keepFocus(this.details, () => clear(this.details, out), () => this.details.querySelector<HTMLElement>(".card.entity h2, .card.edge h2, #entity-list button.selected, #entity-list button"));
  }

  private entityCard(n: GNode): HTMLElement {
    const st0 = this.app.store.get();
    const c = st0.chart;
    // Links as the chart shows them: a period or as-of date leaves some out.
    const shown = visible(c, { asOf: st0.asOf, period: st0.period }).edges;
    const rows = Object.entries(n.properties)
      .filter(([k, v]) => v !== null && v !== "" && k !== "hub" && k !== "suppressed" && k !== "key" && k !== "hubReason" && k !== "pseudonym")
      .map(([k, v]) => h("tr", {}, h("th", { scope: "row" }, k), h("td", {}, typeof v === "object" ? JSON.stringify(v) : String(v))));
    const links = Object.values(c.edges).filter((e) => (e.from === n.id || e.to === n.id) && shown.has(e.id));
    const pv = this.previews.get(this.previewKey(n.id));
    const depthNow = expandDepth(st0.depth);
    let expandUI: HTMLElement;
    // a shift or a swipe has no global id to ask about: a note, not an error with a Retry that cannot help (uiQ)
    if (!isEntity(n)) expandUI = h("p", { class: "muted" }, `A ${n.label === "BadgeSwipe" ? "badge swipe" : n.label.toLowerCase()} is a record of its officer, not an entity of the graph: it has no links of its own to expand. Select the officer.`);
    else if (!this.app.caps.has("neighbourhood")) expandUI = unavailable("Expand", "neighbourhood queries");
    else if (pv === "loading" || pv === undefined) expandUI = loading("relationship counts");
    else if (pv instanceof Error) expandUI = failed(friendly(pv), () => { this.previews.delete(this.previewKey(n.id)); this.renderDetails(); });
    else if (!pv.counts.length) expandUI = empty("No relationships.");
    else
      expandUI = h(
        "div",
        {},
        h(
          "ul",
          { class: "expand-list" },
          pv.counts.map((rc) =>
            h(
              "li",
              {},
              h("button", { type: "button", class: "expand", "data-type": rc.type, title: depthNow > 1 ? `Add the next ${EXPAND_CAP}, then what lies up to ${depthNow} links away over this kind of link` : `Add the next ${EXPAND_CAP}`, onclick: () => void this.expandType(n.id, rc.type) }, `${rc.type.toLowerCase().replace(/_/g, " ")} ${rc.direction === "in" ? "←" : rc.direction === "out" ? "→" : "↔"}`, h("span", { class: "count" }, `${rc.count}${pv.atLeast ? "+" : ""}`)),
              rc.count > EXPAND_CAP ? h("small", { class: "muted" }, ` ${EXPAND_CAP} a click; the rest stay “and N more”`) : null,
            ),
          ),
        ),
        h("button", { type: "button", class: "expand-all", onclick: () => void this.expandNode(n.id) }, depthNow > 1 ? `Expand all, ${depthNow} links deep` : "Expand all"),
        depthNow > 1 ? h("small", { class: "muted", id: "expand-depth-note" }, ` Each entity reached is expanded in turn, ${EXPAND_CAP} a type; hubs are shown, not passed through (the toolbar's Expand choice).`) : null,
      );
    let revealUI: HTMLElement | null = null;
    if ((n.label === "Officer" || n.label === "Person") && !showsRealName(n)) {
      if (!this.app.caps.has("reveal")) revealUI = unavailable("Reveal", "the audited reveal");
      else {
        const out = h("div", { role: "status", "aria-live": "polite", class: "reveal-out" });
        const purpose = h("input", { type: "text", id: "entity-reveal-purpose", "aria-label": "Purpose of revealing this name", placeholder: "Purpose (audited)" });
        const f = h("form", { class: "reveal inline" }, purpose, h("button", { type: "submit" }, "Reveal name"), out);
        f.addEventListener("submit", (ev) => { ev.preventDefault(); void this.reveal(n, out, purpose.value); });
        revealUI = h("details", {}, h("summary", {}, "Reveal real name (audited)"), f);
      }
    }
    const st = this.app.store;
    return h(
      "section",
      { class: "card entity", "aria-label": `Details of ${caption(n)}` },
      h("h2", { tabindex: -1 }, caption(n)),
      h("p", { class: "muted" }, `${KIND_NAMES[kindOf(n)] ?? n.label} · ${n.id} `, n.hub || (n.degree ?? 0) > 20 || this.hubs.has(n.id) || c.truncated.includes(`hub:${n.id}`) ? h("span", { class: "tag hub" }, "hub: the rules' paths do not pass through it") : null, n.suppressed ? h("span", { class: "tag suppressed" }, `on the hub list${String(n.properties.hubReason ?? "").replace(/^suppressed/, "")}`) : null),
      h("table", { class: "props" }, h("tbody", {}, rows)),
      revealUI,
      h("h3", {}, "Expand"),
      expandUI,
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", onclick: () => this.hide([n.id]) }, "Hide"),
        h("button", { type: "button", onclick: () => this.pin([n.id]) }, c.pinned[n.id] ? "Unpin" : "Pin"),
        h("button", { type: "button", onclick: () => { st.commit(`remove ${n.id}`, (x) => remove(x, [n.id])); st.set({ selected: [] }); } }, "Remove"),
        h("button", { type: "button", onclick: () => this.chart.center(n.id) }, "Centre"),
      ),
      links.length ? h("h3", {}, `Links on the chart (${links.length})`) : null,
      // each link opens its own details (a payment's reference, a look-up's
      // terminal and channel), by keyboard too, not only by clicking the chart (a11yA)
      links.length
        ? h(
            "ul",
            { class: "plain links" },
            links.slice(0, 50).map((e) => {
              const other = c.nodes[e.from === n.id ? e.to : e.from];
              const what = edgeCaption(e) || e.type.toLowerCase().replace(/_/g, " ");
              return h(
                "li",
                {},
                `${e.from === n.id ? "→" : "←"} `,
                h("button", { type: "button", class: "link edge-details", "data-id": e.id, "aria-label": `Details of the link: ${what}`, onclick: () => st.set({ selected: [], selectedEdge: e.id }) }, what),
                " ",
                h("button", { type: "button", class: "link", onclick: () => st.set({ selected: [other.id] }) }, caption(other)),
                e.properties.source ? h("small", { class: "muted" }, ` source: ${String(e.properties.source)}`) : null,
              );
            }),
          )
        : null,
    );
  }

  /** edgeCard is a link's details: what it joins, where it comes from (source), its dates and other properties. */
  private edgeCard(e: GEdge, bundled = 0): HTMLElement {
    const c = this.app.store.get().chart;
    const st = this.app.store;
    const end = (id: string): HTMLElement =>
      c.nodes[id] ? h("button", { type: "button", class: "link", onclick: () => st.set({ selected: [id], selectedEdge: null }) }, caption(c.nodes[id])) : h("span", {}, id);
    const rows = Object.entries(e.properties)
      .filter(([, v]) => v !== null && v !== "" && v !== undefined)
      .map(([k, v]) => h("tr", {}, h("th", { scope: "row" }, k), h("td", {}, typeof v === "object" ? JSON.stringify(v) : String(v))));
    return h(
      "section",
      { class: "card edge", id: "edge-details", "aria-label": `Details of the link ${e.type}` },
      h("h2", { tabindex: -1 }, `${e.type.toLowerCase().replace(/_/g, " ")}: ${edgeCaption(e)}`),
      h("p", {}, end(e.from), " → ", end(e.to)),
      bundled > 1 ? h("p", { class: "muted" }, `One of ${bundled} links drawn as one; the timeline lists them all.`) : null,
      e.type === "SIMILAR_TO" ? h("p", { class: "notice", role: "note" }, "A likeness computed by similar-to-confirmed from the two officers' profiles: not a link in the data.") : null,
      rows.length ? h("table", { class: "props" }, h("tbody", {}, rows)) : h("p", { class: "muted" }, "No properties recorded."),
      e.properties.source ? null : h("p", { class: "muted" }, "No source recorded for this link."),
    );
  }

  /**
   * listTags say in words what the chart says by shape and colour: the
   * import id the explanation names, the flagged officer, a person of
   * interest, a hub, evidence, on the path found (WCAG 1.3.1, 1.4.1; a11yA).
   */
  private listTags(n: GNode): HTMLElement[] {
    const c = this.app.store.get().chart;
    const id = n.id.slice(n.id.indexOf(":") + 1);
    const tags: HTMLElement[] = [];
    if (!caption(n).includes(id)) tags.push(h("small", { class: "muted" }, ` ${id}`));
    const tag = (cls: string, text: string): void => void tags.push(h("span", { class: `tag ${cls}` }, text));
    if (c.subject === n.id) tag("subject", "flagged officer");
    if (n.properties.poi === true) tag("poi", "person of interest");
    if (n.hub || this.hubs.has(n.id) || (n.degree ?? 0) > 20) tag("hub", "hub");
    if (c.evidence.includes(n.id)) tag("evidence", "evidence");
    if (this.onPath.has(n.id)) tag("path", "on the path");
    return tags;
  }

  /** entityList is the keyboard and screen-reader view of the chart. */
  private entityList(): HTMLElement {
    const s = this.app.store.get();
    const c = s.chart;
    const hidden = new Set(c.hidden);
    const nodes = Object.values(c.nodes).sort((a, b) => caption(a).localeCompare(caption(b)));
    const sel = new Set(s.selected);
    const list = h(
      "ul",
      { class: "entity-list", id: "entity-list", "aria-label": "Entities on the chart (Space selects, Shift+Space adds to the selection, E expands, H hides)" },
      nodes.map((n) => {
        const li = h("li", {}, h("button", { type: "button", class: `entity-item${sel.has(n.id) ? " selected" : ""}${hidden.has(n.id) ? " hidden-node" : ""}`, "aria-pressed": sel.has(n.id) ? "true" : "false", "data-id": n.id }, h("span", { class: `kind-dot k-${kindOf(n).toLowerCase()}`, "aria-hidden": "true" }), caption(n), hidden.has(n.id) ? " (hidden)" : "", ...this.listTags(n)));
        const b = li.firstElementChild as HTMLButtonElement;
        b.addEventListener("click", (ev) => {
          const cur = this.app.store.get().selected;
          if (hidden.has(n.id)) {
            this.app.store.commit(`show ${n.id}`, (x) => ({ ...x, hidden: x.hidden.filter((id) => id !== n.id) }));
          }
          this.app.store.set({ selected: ev.shiftKey || ev.ctrlKey ? (cur.includes(n.id) ? cur.filter((x) => x !== n.id) : [...cur, n.id]) : [n.id] });
          announce(`Selected ${caption(n)}`); // said, not only shown (a11yA)
        });
        b.addEventListener("keydown", (ev) => {
          if (ev.key === "e") void this.expandNode(n.id);
          if (ev.key === "h") this.hide([n.id]);
          if (ev.key === "ArrowDown") (li.nextElementSibling?.firstElementChild as HTMLElement | null)?.focus();
          if (ev.key === "ArrowUp") (li.previousElementSibling?.firstElementChild as HTMLElement | null)?.focus();
        });
        return li;
      }),
    );
    return h("section", { class: "card" }, h("h2", {}, `On the chart (${nodes.length})`), nodes.length ? list : empty("The chart is empty. Search for a person, officer, company, account, address or phone to start."));
  }

  // --- export, save, open -------------------------------------------------

  /** exportTitle is the title this chart's last export was given, offered again on the next. */
  private exportTitle = "";

  /**
   * exportDialog asks for the exhibit's title before an export: optional (a
   * case reference, "PSD-2026-017 exhibit 3"), plain text of at most
   * TITLE_MAX characters (cleanTitle), printed first in the exhibit's
   * header and slugged into its file name (exhibitName); Cancel exports
   * nothing. The title is not sent with the audit event (docs/ui.md, "Export").
   */
  private exportDialog(kind: string): void {
    const what = ({ png: "PNG image", svg: "SVG image", json: "chart JSON", graphml: "GraphML" } as Record<string, string>)[kind] ?? kind;
    const dlg = h("dialog", { class: "open-dialog export-dialog", "aria-labelledby": "export-dialog-title" });
    const input = h("input", { type: "text", id: "export-title", maxlength: TITLE_MAX, value: this.exportTitle, placeholder: "e.g. PSD-2026-017 exhibit 3", autocomplete: "off", "aria-describedby": "export-title-note" }) as HTMLInputElement;
    const form = h(
      "form",
      { method: "dialog", class: "export-form" },
      h("label", { for: "export-title" }, "Title (optional)"),
      input,
      h("p", { class: "muted", id: "export-title-note" }, `Printed at the top of the exhibit and used in its file name: up to ${TITLE_MAX} characters of plain text. Without one the exhibit says “Probity link chart: ${this.opt.title}” and is named after ${/FLAG-/.test(this.opt.title) ? "the flag" : "“chart”"}.`),
      h("div", { class: "actions" }, h("button", { type: "submit", id: "export-go" }, `Export ${what}`), h("button", { type: "button", onclick: () => dlg.close() }, "Cancel")),
    );
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      this.exportTitle = cleanTitle(input.value);
      dlg.close();
      void this.export(kind, this.exportTitle);
    });
    dlg.append(h("h2", { id: "export-dialog-title" }, `Export ${what}`), form);
    document.body.append(dlg);
    dlg.addEventListener("close", () => dlg.remove());
    dlg.showModal();
    input.select();
  }

  private async export(kind: string, named: string): Promise<void> {
    const s = this.app.store.get();
    const purpose = this.app.store.get().session?.purpose ?? "";
    try {
      // No audit, no export: the server records the export (entities, format, purpose) first.
      if (this.app.caps.has("recordExport")) {
        const ids = Object.values(s.chart.nodes).filter((n) => EXPORT_LABELS.has(n.label)).map((n) => n.id);
        if (ids.length > 2000) throw new Error(`the chart holds ${ids.length} entities; an export is limited to 2,000 (remove some from the chart first)`);
        // The file carries the names revealed on the chart: the event says which real names leave.
        await this.app.api.query(RECORD_EXPORT, { format: kind, ids, revealed: revealedIds(s.chart).filter((id) => ids.includes(id)) });
      }
      const session = this.app.store.get().session;
      const drawn = visible(s.chart, { period: s.period, asOf: s.asOf });
      const left = Math.max(0, Object.keys(s.chart.nodes).length - drawn.nodes.size);
      const leftLinks = Math.max(0, Object.keys(s.chart.edges).length - drawn.edges.size);
      const header = exhibitLines({ title: this.opt.title, exporter: session?.name ?? "", role: session?.role ?? "", purpose, asOf: s.asOf, realNames: revealedIds(s.chart).length, period: s.period, left, leftLinks, whole: kind === "graphml", named });
      const file = (ext: string): string => exhibitName(this.opt.title, ext, new Date(), named);
      if (kind === "png") download(file("png"), await this.chart.png(header));
      if (kind === "svg") download(file("svg"), this.chart.svg(header), "image/svg+xml");
      if (kind === "json") download(file("json"), chartJSON(named || this.opt.title, s.chart, s.asOf), "application/json");
      if (kind === "graphml") download(file("graphml"), graphML(s.chart, header), "application/xml");
      announce(`Exported ${kind.toUpperCase()} (purpose: ${purpose})`);
    } catch (e) {
      this.banner.hidden = false;
      this.banner.textContent = `Export failed: ${friendly(e)}`;
    }
  }

  private async saveDialog(): Promise<void> {
    const where = saved.whereSaved(this.app);
    const name = prompt(where === "server" ? "Save chart on the server as:" : "Save chart in THIS BROWSER ONLY (the server cannot store charts yet) as:", this.opt.title);
    if (!name) return;
    try {
      const s = this.app.store.get();
      const pins = this.chart.positions();
      const r = await saved.save(this.app, name, { ...s.chart, pinned: { ...pins, ...s.chart.pinned } }, s.asOf);
      this.banner.hidden = false;
      this.banner.textContent = `Saved “${r.name}” ${r.where === "server" ? "on the server" : "in this browser only"}.`;
    } catch (e) {
      this.banner.hidden = false;
      this.banner.textContent = `Save failed: ${friendly(e)}`;
    }
  }

  private async openDialog(): Promise<void> {
    const dlg = h("dialog", { class: "open-dialog", "aria-labelledby": "open-title" });
    const body = h("div", {}, loading("saved charts"));
    dlg.append(h("h2", { id: "open-title" }, "Open a saved chart"), h("p", { class: "muted" }, saved.whereSaved(this.app) === "server" ? "Charts saved on the server." : "Charts saved in this browser only (the server cannot store charts yet)."), body, h("button", { type: "button", onclick: () => dlg.close() }, "Cancel"));
    document.body.append(dlg);
    dlg.addEventListener("close", () => dlg.remove());
    dlg.showModal();
    try {
      const refs = await saved.list(this.app);
      if (!refs.length) return clear(body, empty("No saved charts yet."));
      clear(
        body,
        h(
          "ul",
          { class: "plain" },
          refs.map((r) =>
            h("li", {}, h("button", { type: "button", class: "link", onclick: async () => {
              try {
                const doc = await saved.open(this.app, r);
                this.app.store.reset(doc.chart);
                this.app.store.set({ asOf: doc.asOf, selected: [], period: null });
                dlg.close();
                void this.chart.layout(false);
              } catch (e) {
                clear(body, failed(friendly(e)));
              }
            } }, r.name), h("small", { class: "muted" }, ` ${utcMinute(r.savedAt)} · ${r.where === "server" ? "server" : "this browser"}`)),
          ),
        ),
      );
    } catch (e) {
      clear(body, failed(friendly(e)));
    }
  }
}

function legend(): HTMLElement {
  return h(
    "details",
    { class: "legend" },
    h("summary", {}, "Legend"),
    h(
      "ul",
      { class: "plain" },
      Object.entries(KIND_NAMES).map(([k, v]) => h("li", {}, h("span", { class: `kind-dot k-${k.toLowerCase()}`, "aria-hidden": "true" }), v)),
      h("li", {}, h("span", { class: "swatch hub", "aria-hidden": "true" }), "Hub (double amber ring): no path passes through"),
      h("li", {}, h("span", { class: "swatch suppressed", "aria-hidden": "true" }), "On the hub list: a known shared identifier (dashed grey)"),
      h("li", {}, h("span", { class: "swatch evidence", "aria-hidden": "true" }), "Evidence path (orange); context dimmed"),
      h("li", {}, h("span", { class: "swatch path", "aria-hidden": "true" }), "Found path (purple)"),
      h("li", {}, h("span", { class: "swatch co-accused", "aria-hidden": "true" }), "Crew view: co-accused ×N, complaints shared (brown, thicker for more)"),
      h("li", {}, "A label that would overlap others is hidden: point at the element or select it to see it"),
    ),
  );
}

function nextDay(day: string): string {
  const d = new Date(day.slice(0, 10) + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
