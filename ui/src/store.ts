// The app's one store: plain state, replaced (never mutated) by actions,
// with listeners and an undo/redo history for the link chart. Every chart
// change goes through commit() so that undo restores exactly what was seen.
import { emptyChart, type Chart, type LayoutName, type Period } from "./types";

export interface Session {
  token: string;
  purpose: string;
  name: string;
  role: string;
}

export interface State {
  session: Session | null;
  chart: Chart;
  selected: string[];
  /** selectedEdge is the link clicked on the chart (its details are shown when no node is selected). */
  selectedEdge: string | null;
  layout: LayoutName;
  asOf: string | null;
  /** How many links deep Expand and Expand all go (1 to 3), the chart's choice. */
  depth: number;
  period: Period | null;
  /** One-line status for screen readers and the status bar. */
  status: string;
}

export const initialState = (): State => ({
  session: null,
  chart: emptyChart(),
  selected: [],
  selectedEdge: null,
  layout: "fcose",
  asOf: null,
  depth: 1,
  period: null,
  status: "",
});

type Listener<S> = (s: S, prev: S) => void;

/** HISTORY_LIMIT bounds the undo stack. */
export const HISTORY_LIMIT = 100;

export class Store<S extends { chart: Chart }> {
  private state: S;
  private listeners = new Set<Listener<S>>();
  private past: { chart: Chart; what: string }[] = [];
  private future: { chart: Chart; what: string }[] = [];

  constructor(initial: S) {
    this.state = initial;
  }

  get(): S {
    return this.state;
  }

  /** set replaces part of the state without touching the history. */
  set(patch: Partial<S>): void {
    const prev = this.state;
    this.state = { ...prev, ...patch };
    for (const l of this.listeners) l(this.state, prev);
  }

  /** commit changes the chart and records the previous chart for undo. */
  commit(what: string, f: (c: Chart) => Chart): void {
    const before = this.state.chart;
    const after = f(before);
    if (after === before) return;
    this.past.push({ chart: before, what });
    if (this.past.length > HISTORY_LIMIT) this.past.shift();
    this.future = [];
    this.set({ chart: after } as Partial<S>);
  }

  /** reset starts a new chart and forgets the history. */
  reset(chart: Chart): void {
    this.past = [];
    this.future = [];
    this.set({ chart } as Partial<S>);
  }

  /** rewrite changes the chart and every chart of its undo and redo history alike (a revealed name is not undone). */
  rewrite(f: (c: Chart) => Chart): void {
    this.past = this.past.map((p) => ({ ...p, chart: f(p.chart) }));
    this.future = this.future.map((p) => ({ ...p, chart: f(p.chart) }));
    this.set({ chart: f(this.state.chart) } as Partial<S>);
  }

  canUndo(): boolean {
    return this.past.length > 0;
  }
  canRedo(): boolean {
    return this.future.length > 0;
  }
  /** undoLabel names what undo would revert, for the button's title. */
  undoLabel(): string {
    return this.past.at(-1)?.what ?? "";
  }
  redoLabel(): string {
    return this.future.at(-1)?.what ?? "";
  }

  undo(): boolean {
    const last = this.past.pop();
    if (!last) return false;
    this.future.push({ chart: this.state.chart, what: last.what });
    this.set({ chart: last.chart } as Partial<S>);
    return true;
  }

  redo(): boolean {
    const next = this.future.pop();
    if (!next) return false;
    this.past.push({ chart: this.state.chart, what: next.what });
    this.set({ chart: next.chart } as Partial<S>);
    return true;
  }

  subscribe(l: Listener<S>): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}
