// Entry point: session, hash routes, the header, and one view at a time.
//   #/queue            flag queue
//   #/flag/ID          one flag
//   #/explore          open link chart
//   #/reports          accuracy, disproportion, scan runs
//   #/schedules        scheduled scans: next run, last result, run now, history
//   #/load             upload a data set (admin) and read the load's report
//   #/audit            the audit trail (reviewer) and its chain check
//   #/audit/ENTITY     the same, of one entity or flag (who has seen it)
//   #/admin            hub and watch lists, API tokens, webhooks (admin)
import { ApiError, Capabilities, friendly } from "./api";
import { apiFor, newStore, saveSession, type App } from "./app";
import { clearDrafts } from "./drafts";
import { failed, h } from "./dom";
import type { Session } from "./store";
import "./style.css";
import { explore } from "./views/explore";
import { flagView } from "./views/flag";
import { queue } from "./views/queue";
import { reports } from "./views/reports";
import { loadView } from "./views/load";
import { schedules } from "./views/schedules";
import { audit } from "./views/audit";
import { admin } from "./views/admin";
import { signIn } from "./views/signin";

const root = document.getElementById("app")!;
const store = newStore();
let teardown: () => void = () => {};
let app: App | null = null;

/**
 * signOut ends the session. Signing out forgets the unsent drafts too;
 * a refused token (a reason given) keeps them for the tab, and the
 * sign-in page says so (drafts.ts; analystC L3).
 */
function signOut(reason = ""): void {
  saveSession(null);
  if (!reason) clearDrafts();
  store.set({ session: null });
  app = null;
  teardown();
  teardown = () => {};
  showSignIn(reason);
}

function showSignIn(reason = ""): void {
  signIn(
    root,
    (s, caps) => {
      start(s, caps);
      if (!location.hash || location.hash === "#/" || location.hash === "#/signin") location.hash = caps.has("flags") ? "#/queue" : "#/explore";
      else route();
    },
    reason,
  );
}

function start(s: Session, caps: Capabilities): void {
  store.set({ session: s });
  const api = apiFor(s, () => signOut("Your session has ended: the token was not accepted."));
  app = {
    store,
    caps,
    api,
    go: (hash) => {
      location.hash = hash;
    },
    signOut: () => signOut(),
    exploreChart: null,
  };
}

/**
 * changePurpose states a new purpose for what follows, without signing out:
 * the requests after it carry it (the audit log records each with its own),
 * the screen as it is stays.
 */
function changePurpose(a: App, shown: HTMLElement): void {
  const s = a.store.get().session!;
  const p = window.prompt("The purpose of your work from now on (recorded in the audit log with every read, reveal, export and decision):", s.purpose)?.trim();
  if (p == null || p === s.purpose) return;
  if (p.length < 5 || !/[\p{L}\p{N}]/u.test(p)) return void window.alert("A purpose needs at least 5 characters, in words; the purpose stays as it was.");
  const next: Session = { ...s, purpose: p };
  saveSession(next);
  a.store.set({ session: next });
  a.api = apiFor(next, () => signOut("Your session has ended: the token was not accepted."));
  shown.textContent = `Purpose: ${p}`;
}

function header(a: App, active: string): HTMLElement {
  const s = a.store.get().session!;
  const link = (hash: string, text: string, key: string): HTMLElement => h("a", { href: hash, "aria-current": active === key ? "page" : null, class: active === key ? "active" : "" }, text);
  const el = h(
    "header",
    { class: "top" },
    h("span", { class: "brand" }, "Probity"),
    h("nav", { "aria-label": "Main" }, link("#/queue", "Flag queue", "queue"), link("#/explore", "Explore", "explore"), link("#/reports", "Reports", "reports"), link("#/schedules", "Schedules", "schedules"), s.role === "analyst" ? null : link("#/audit", "Audit", "audit"), s.role === "admin" ? link("#/load", "Load", "load") : null, s.role === "admin" ? link("#/admin", "Admin", "admin") : null),
    h("span", { class: "spacer" }),
    h(
      "span",
      { class: "who", id: "who" },
      h("span", {}, s.name || "signed in"),
      h("span", { class: `role r-${s.role}` }, s.role),
      h("button", { type: "button", class: "purpose link", id: "change-purpose", title: "The purpose of your work, recorded with every read, reveal, export and decision: change it when the work changes" }, `Purpose: ${s.purpose}`),
    ),
    h("button", { type: "button", id: "sign-out", onclick: () => a.signOut() }, "Sign out"),
  );
  const change = el.querySelector<HTMLElement>("#change-purpose")!;
  change.addEventListener("click", () => changePurpose(a, change));
  return el;
}

function route(): void {
  if (!app) return;
  teardown();
  const hash = location.hash || "#/queue";
  const [, named, arg] = hash.match(/^#\/([^/]*)\/?(.*)$/) ?? [];
  // Alerts sent before 2026-11-26 link to #/flags/ID.
  const view = named === "flags" && arg ? "flag" : named;
  const frame = h("div", { class: "frame" });
  const active = view === "flag" ? "queue" : view || "queue";
  root.replaceChildren(header(app, active), frame);
  switch (view) {
    case "explore":
      teardown = explore(app, frame);
      break;
    case "flag":
      teardown = flagView(app, frame, decodeURIComponent(arg));
      break;
    case "reports":
      teardown = reports(app, frame);
      break;
    case "schedules":
      teardown = schedules(app, frame);
      break;
    case "load":
      teardown = loadView(app, frame);
      break;
    case "audit":
      teardown = audit(app, frame, decodeURIComponent(arg ?? ""));
      break;
    case "admin":
      teardown = admin(app, frame);
      break;
    default:
      teardown = queue(app, frame);
  }
  document.title = `Probity — ${active}`;
}

window.addEventListener("hashchange", route);

async function boot(): Promise<void> {
  const s = store.get().session;
  if (!s) return showSignIn();
  root.replaceChildren(h("div", { class: "state loading", role: "status" }, "Connecting…"));
  try {
    const caps = await Capabilities.load(apiFor(s, () => {}));
    start(s, caps);
    route();
  } catch (e) {
    // Only a refused token ends the session: with the database or the
    // server down, the session waits for a retry (analystZ: an outage
    // dropped the analyst to the sign-in screen).
    if (e instanceof ApiError && e.code === "unauthorized") signOut("Your saved session could not be resumed. Sign in again.");
    else root.replaceChildren(h("main", { id: "main" }, failed(`${e instanceof ApiError ? friendly(e) : "Cannot reach the Probity server."} You are still signed in.`, () => void boot())));
  }
}

void boot();
