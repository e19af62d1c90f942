// The timeline under the chart: dated events of the selected entities as
// ticks per kind on a day axis. Dragging across it brushes a period that
// filters the chart; the two date fields do the same from the keyboard.
import { h } from "../dom";
import { dateField, periodError, type DateField } from "../isodate";
import { brushPeriod, events, extent, scale, xOf, type EventKind, type Scale, type TimelineEvent } from "../timeline";
import type { Chart, Period } from "../types";

const NS = "http://www.w3.org/2000/svg";
const LIST_MAX = 500;
const ROWS: EventKind[] = ["access", "payment", "shift", "swipe", "complaint", "other"];
const ROW_COLOUR: Record<EventKind, string> = { access: "#2563eb", payment: "#059669", shift: "#4d7c0f", swipe: "#a16207", complaint: "#be185d", other: "#6b7280" };
const LEFT = 78;

function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

export class TimelineView {
  readonly el: HTMLElement;
  private svg: SVGSVGElement;
  private fromIn: DateField;
  private toIn: DateField;
  private info: HTMLElement;
  /** the events as text: the drawing is for eyes only (WCAG 1.1.1; a11yA) */
  private list: HTMLDetailsElement;
  private sc: Scale | null = null;
  private width = 800;

  constructor(private onBrush: (p: Period | null) => void) {
    this.svg = s("svg", { class: "timeline-svg", role: "img", "aria-label": "Timeline of events; drag to choose a period" });
    // ISO text fields (analystC L4): a day that is not one is refused beside its field, and the chart stays as it was
    const apply = (): void => {
      const [from, to] = [this.fromIn.check(), this.toIn.check()];
      if (!from.ok || !to.ok) return;
      // both emptied: no period; one: said, not silently left as the period applied (analystD L1)
      if (!from.value && !to.value) return this.onBrush(null);
      if (!from.value) return this.fromIn.refuse("Give both days, or Clear period.");
      if (!to.value) return this.toIn.refuse("Give both days, or Clear period.");
      const wrong = periodError(from.value, to.value, false);
      if (wrong) return this.toIn.refuse(wrong);
      this.onBrush({ from: from.value, to: to.value });
    };
    this.fromIn = dateField("brush-from", { label: "Period from" }, apply);
    this.toIn = dateField("brush-to", { label: "Period to" }, apply);
    this.info = h("span", { class: "timeline-info", "aria-live": "polite" });
    this.el = h(
      "section",
      { class: "timeline", "aria-label": "Timeline" },
      h("div", { class: "timeline-bar" }, h("strong", {}, "Timeline"), this.info, h("span", { class: "spacer" }), h("label", { for: "brush-from" }, "Period"), this.fromIn.el, "–", this.toIn.el, h("button", { type: "button", id: "brush-clear", onclick: () => this.onBrush(null) }, "Clear period")),
      this.svg,
      (this.list = h("details", { class: "timeline-list", id: "timeline-list" }) as HTMLDetailsElement),
    );
    this.brushing();
  }

  /** listEvents puts the events in a table under a disclosure, the first LIST_MAX, oldest first. */
  private listEvents(ev: TimelineEvent[]): void {
    const open = this.list.open;
    const shown = ev.slice(0, LIST_MAX);
    this.list.replaceChildren(
      h("summary", {}, `The events as a table (${ev.length}${ev.length > LIST_MAX ? `, the first ${LIST_MAX}` : ""})`),
      ev.length
        ? h(
            "table",
            { class: "tl-table" },
            h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "When (UTC)"), h("th", { scope: "col" }, "Kind"), h("th", { scope: "col" }, "What"))),
            h("tbody", {}, shown.map((e) => h("tr", {}, h("td", {}, e.when.slice(0, 16).replace("T", " ")), h("td", {}, e.kind), h("td", {}, e.text)))),
          )
        : h("p", { class: "muted" }, "No dated events."),
    );
    this.list.open = open;
  }

  /** render draws the events of the selection: the server's (given) or the chart's own dated links. */
  render(c: Chart, selected: string[], period: Period | null, given: TimelineEvent[] | null = null, note = ""): void {
    const ev = given ?? events(c, selected);
    const ext = extent(ev);
    const rect = this.svg.getBoundingClientRect();
    this.width = Math.max(200, rect.width || 800);
    const height = 96;
    this.svg.setAttribute("viewBox", `0 0 ${this.width} ${height}`);
    this.svg.replaceChildren();
    // the period as the chart has it, unless a day is being typed
    const typing = document.activeElement === this.fromIn.input || document.activeElement === this.toIn.input;
    if (!typing) {
      this.fromIn.set(period?.from.slice(0, 10) ?? null);
      this.toIn.set(period?.to.slice(0, 10) ?? null);
    }
    const who = selected.length ? `${selected.length} selected` : "whole chart";
    this.listEvents(ev);
    if (!ext) {
      this.sc = null;
      this.info.textContent = ` — no dated events (${who})`;
      const t = s("text", { x: this.width / 2, y: height / 2, "text-anchor": "middle", class: "tl-empty" });
      t.textContent = Object.keys(c.nodes).length ? "No accesses, payments, shifts, swipes or complaints on the chart for this selection." : "Add entities to see their events.";
      this.svg.append(t);
      return;
    }
    // Pad a one-day extent so that ticks do not sit on the edges.
    const sc = scale(ext, this.width - LEFT - 10);
    this.sc = sc;
    this.info.textContent = ` — ${ev.length} events, ${ext.from} to ${ext.to} (${who}${given ? ", from the server" : ""})${note ? "; " + note : ""}`;
    const g = s("g", { transform: `translate(${LEFT},0)` });
    const rowH = 15;
    ROWS.forEach((k, i) => {
      const y = 6 + i * rowH;
      const lab = s("text", { x: -6, y: y + 10, "text-anchor": "end", class: "tl-row" });
      lab.textContent = k;
      g.append(lab, s("line", { x1: 0, x2: sc.width, y1: y + rowH - 2, y2: y + rowH - 2, stroke: "#e5e7eb" }));
    });
    for (const e of ev) {
      const i = ROWS.indexOf(e.kind);
      const x = xOf(sc, e.when);
      const tick = s("rect", { x: x - 1.5, y: 6 + i * rowH + 1, width: 3, height: rowH - 4, fill: ROW_COLOUR[e.kind], class: "tl-event" });
      const title = s("title", {});
      title.textContent = `${e.when.slice(0, 16).replace("T", " ")} ${e.text}`;
      tick.append(title);
      g.append(tick);
    }
    const axisY = 6 + ROWS.length * rowH + 10;
    const a = s("text", { x: 0, y: axisY, class: "tl-axis" });
    a.textContent = ext.from;
    const b = s("text", { x: sc.width, y: axisY, "text-anchor": "end", class: "tl-axis" });
    b.textContent = ext.to;
    g.append(a, b);
    if (period) {
      const x0 = Math.max(0, xOf(sc, period.from) - 3);
      const x1 = Math.min(sc.width, xOf(sc, period.to) + 3);
      g.append(s("rect", { x: x0, y: 2, width: Math.max(2, x1 - x0), height: ROWS.length * rowH + 6, class: "tl-brush" }));
    }
    this.svg.append(g);
  }

  private brushing(): void {
    let start: number | null = null;
    let live: SVGRectElement | null = null;
    const local = (ev: PointerEvent): number => {
      const r = this.svg.getBoundingClientRect();
      return ((ev.clientX - r.left) / r.width) * this.width - LEFT;
    };
    this.svg.addEventListener("pointerdown", (ev) => {
      if (!this.sc) return;
      start = local(ev);
      this.svg.setPointerCapture(ev.pointerId);
      live = s("rect", { x: start + LEFT, y: 2, width: 1, height: 81, class: "tl-brush live" });
      this.svg.append(live);
    });
    this.svg.addEventListener("pointermove", (ev) => {
      if (start == null || !live) return;
      const x = local(ev);
      live.setAttribute("x", String(Math.min(start, x) + LEFT));
      live.setAttribute("width", String(Math.abs(x - start)));
    });
    this.svg.addEventListener("pointerup", (ev) => {
      if (start == null || !this.sc) return;
      const x = local(ev);
      const s0 = start;
      start = null;
      live?.remove();
      live = null;
      if (Math.abs(x - s0) < 3) return; // a click, not a brush
      this.onBrush(brushPeriod(this.sc, s0, x));
    });
  }
}
