// A few DOM helpers: h() builds elements, and the state blocks every view
// uses for loading, empty, error and not-available.
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | ((ev: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (typeof v === "function") el.addEventListener(k.replace(/^on/, "").toLowerCase(), v);
    else if (k === "class") el.className = String(v);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: (Child | Child[])[]): void {
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    el.append(typeof c === "string" || typeof c === "number" ? String(c) : c);
  }
}

export function clear(el: Element, ...children: (Child | Child[])[]): void {
  el.replaceChildren();
  append(el, children);
}

export const loading = (what: string): HTMLElement => h("div", { class: "state loading", role: "status", "aria-live": "polite" }, h("span", { class: "spinner", "aria-hidden": "true" }), `Loading ${what}…`);
export const empty = (text: string): HTMLElement => h("div", { class: "state empty", role: "status" }, text);
export const failed = (text: string, retry?: () => void): HTMLElement =>
  h("div", { class: "state error", role: "alert" }, h("strong", {}, "Error: "), text, retry ? h("button", { type: "button", class: "link", onclick: retry }, "Retry") : null);
/**
 * tiedNote says why a column shows "—" to a token tied to an officer: the
 * server sends no figure that would count what is hidden from it ("—"
 * elsewhere means none; analystD L2). what names the figures.
 */
export const tiedNote = (what: string): HTMLElement =>
  h("p", { class: "muted tied-note", role: "note" }, `${what} are not shown to a token tied to an officer: they would count what is hidden from it.`);
export const unavailable = (what: string, needs: string): HTMLElement =>
  h("div", { class: "state unavailable", role: "note" }, h("strong", {}, `${what}: not available. `), `This server does not offer ${needs} yet.`);

/** minute shows an RFC 3339 time to the minute, as written ("2026-11-26 18:02"); "—" for none. */
export const minute = (v: unknown): string => (typeof v === "string" && v ? v.slice(0, 16).replace("T", " ") : "—");

/** utcMinute is a stored time to the minute, said to be UTC (every time the server sends is; analystZ: unlabelled ones read as local). */
export const utcMinute = (v: unknown): string => (typeof v === "string" && v ? `${minute(v)} UTC` : "—");

/** download saves text or a blob as a file. */
export function download(name: string, data: Blob | string, type = "application/octet-stream"): void {
  const blob = typeof data === "string" ? new Blob([data], { type }) : data;
  const a = h("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  setTimeout(() => {
    URL.revokeObjectURL(a.href);
    a.remove();
  }, 1000);
}

/**
 * keepFocus runs redraw, which rebuilds root's contents, and gives the
 * focus back when it was inside root: to the same element if redraw put it
 * back (a panel moved, not rebuilt), else to its new twin (same id, or
 * same data-id, data-type, or tag and text), else to fallback. A keyboard
 * user working through a rebuilt panel would otherwise land on <body>
 * and start again from the top of the page (WCAG 2.4.3; a11yA).
 */
export function keepFocus(root: Element, redraw: () => void, fallback?: () => HTMLElement | null): void {
  const active = document.activeElement as HTMLElement | null;
  if (!active || active === document.body || !root.contains(active)) return redraw();
  const { id, dataset } = active;
  const tag = active.tagName.toLowerCase();
  const text = active.textContent ?? "";
  redraw();
  if (active.isConnected) return active.focus();
  const esc = (v: string): string => (typeof CSS !== "undefined" && CSS.escape ? CSS.escape(v) : v.replace(/["\\]/g, "\\$&"));
  let twin: HTMLElement | null = null;
  if (id) twin = root.querySelector<HTMLElement>(`#${esc(id)}`);
  if (!twin && dataset.id) twin = root.querySelector<HTMLElement>(`${tag}[data-id="${esc(dataset.id)}"]`);
  if (!twin && dataset.type) twin = root.querySelector<HTMLElement>(`${tag}[data-type="${esc(dataset.type)}"]`);
  twin ??= [...root.querySelectorAll<HTMLElement>(tag)].find((e) => e.textContent === text) ?? null;
  (twin ?? fallback?.())?.focus();
}

/** announce tells screen readers (and the status bar) what just happened. */
export function announce(text: string): void {
  const live = document.getElementById("live");
  if (live) live.textContent = text;
}

/**
 * table is a grid of rows: cols are [key, heading]; fmt formats a key's
 * cells (text, or an element such as a button; else "—" for none); numbers
 * align right. It is wrapped so that a table wider than its card scrolls
 * inside it; id goes on the table.
 */
export function table(cols: [string, string][], rows: Record<string, unknown>[], fmt: Record<string, (v: unknown, row: Record<string, unknown>) => string | Node> = {}, id?: string): HTMLElement {
  // The wrap scrolls a wide table: focusable, so that a keyboard can scroll it too.
  return h(
    "div",
    { class: "table-wrap", tabindex: 0, role: "region", "aria-label": id ? id.replace(/-/g, " ") : "table" },
    h(
      "table",
      { class: "grid", id },
      // a column of numbers is marked on its head too (reports set it over them, on the right)
      h("thead", {}, h("tr", {}, cols.map(([k, t]) => h("th", { scope: "col", class: rows.length && rows.every((r) => typeof r[k] === "number") ? "num" : null }, t)))),
      h("tbody", {}, rows.map((r) => h("tr", {}, cols.map(([k]) => h("td", { class: typeof r[k] === "number" ? "num" : "" }, fmt[k] ? fmt[k](r[k], r) : r[k] == null ? "—" : String(r[k])))))),
    ),
  );
}
