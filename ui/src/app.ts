// The app context handed to every view: the store, the API client, what
// the server offers, and navigation.
import { Capabilities, client, type Client } from "./api";
import { Store, initialState, type Session, type State } from "./store";
import type { Chart } from "./types";

export interface App {
  store: Store<State>;
  api: Client;
  caps: Capabilities;
  go(hash: string): void;
  signOut(): void;
  /** The Explore chart, kept while other screens use the store's chart. */
  exploreChart: Chart | null;
}

const KEY = "probity.session";

export function loadSession(): Session | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) ?? "null") as Session | null;
    return s && s.token ? s : null;
  } catch {
    return null;
  }
}

export function saveSession(s: Session | null): void {
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
}

export function newStore(): Store<State> {
  return new Store<State>({ ...initialState(), session: loadSession() });
}

export function apiFor(s: Session, onUnauthorized: () => void): Client {
  return client(s.token, s.purpose, onUnauthorized);
}
