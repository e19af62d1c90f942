// Admin: what an admin keeps, without the command line: the hub list (known
// shared identifiers that no pattern path crosses; DESIGN "Hubs are
// managed, not just skipped"), the watch list (tripwires), API tokens and
// alert webhooks with their delivery log. Needs an admin token; other roles
// get a note. The server audits every change, and every read of the two
// lists (they name people).
import { friendly } from "../api";
import type { App } from "../app";
import { announce, clear, empty, failed, h, loading, minute, table, unavailable } from "../dom";
import { ADD_SUPPRESSION, ADD_WEBHOOK, CREATE_TOKEN, REMOVE_SUPPRESSION, REMOVE_WEBHOOK, RESET_THRESHOLD, REVOKE_TOKEN, SET_THRESHOLD, SUPPRESSIONS, THRESHOLDS, TOKENS, UNWATCH, WATCH, WATCHLIST, WEBHOOKS } from "../queries";

type Row = Record<string, unknown>;
const lbl = (id: string, text: string): HTMLElement => h("label", { for: id }, text);
/** TYPES are the entity types an id may name, as the API spells them. */
const TYPES = ["Address", "Phone", "Account", "Company", "Person", "Officer", "Record", "Case"];
/** MIN_REASON matches the server's (spaces run together) and the review forms': a reason someone can act on later. */
const MIN_REASON = 10;

/** A list an admin keeps: entries of an entity with a reason. */
interface ListKind {
  id: string;
  title: string;
  intro: string;
  types: string[];
  list: string;
  field: string;
  add: string;
  remove: string;
  removeText: string;
}

const HUBS: ListKind = {
  id: "hubs",
  title: "Hub list",
  intro: "Known shared identifiers (a station's address, the switchboard, the payroll account) that no pattern path crosses, each with its reason. The next scan applies a change; the chart marks listed hubs.",
  types: ["Address", "Phone", "Account"], // shared identifiers only: the server refuses others (adminB H1)
  list: SUPPRESSIONS,
  field: "suppressions",
  add: ADD_SUPPRESSION,
  remove: REMOVE_SUPPRESSION,
  removeText: "Remove",
};

const WATCHED: ListKind = {
  id: "watch",
  title: "Watch list",
  intro: "Records, cases and subjects (a sensitive operation, a public figure) whose look-up by an officer with no assignment to them raises a tripwire flag, whatever else the data shows. Phones and accounts cannot be watched: no record is about one.",
  types: TYPES.filter((t) => t !== "Phone" && t !== "Account"),
  list: WATCHLIST,
  field: "watchlist",
  add: WATCH,
  remove: UNWATCH,
  removeText: "Unwatch",
};

export function admin(app: App, root: HTMLElement): () => void {
  const role = app.store.get().session?.role ?? "";
  const body = h("div", {});
  root.replaceChildren(h("main", { id: "main", class: "reports admin", "aria-labelledby": "admin-title" }, h("h1", { id: "admin-title" }, "Admin"), body));
  if (!app.caps.fields.has("Query.suppressions")) {
    body.append(unavailable("Admin", "the admin lists"));
    return () => {};
  }
  if (role !== "admin") {
    body.append(h("div", { class: "state unavailable", role: "note", id: "admin-role" }, h("strong", {}, "These pages need an admin token. "), `You are signed in as ${role || "another role"}: ask an admin to add a hub, watch a record, or issue a token.`));
    return () => {};
  }
  let live = true;
  const alive = (): boolean => live;
  body.append(listCard(app, HUBS, alive), listCard(app, WATCHED, alive), thresholdsCard(app, alive), tokensCard(app, alive), webhooksCard(app, alive));
  return () => {
    live = false;
  };
}

/**
 * card is a section whose list load() draws, again after every change its
 * form or its buttons make (refresh).
 */
function card(id: string, title: string, intro: string, alive: () => boolean, load: (refresh: () => void) => Promise<Node>, form?: (refresh: () => void) => HTMLElement): HTMLElement {
  const out = h("div", { id: `${id}-list`, "aria-live": "polite" });
  const refresh = async (): Promise<void> => {
    clear(out, loading(title.toLowerCase()));
    try {
      const n = await load(() => void refresh());
      if (alive()) clear(out, n);
    } catch (e) {
      if (alive()) clear(out, failed(friendly(e), () => void refresh()));
    }
  };
  const section = h("section", { class: "card", id, "aria-labelledby": `${id}-title` }, h("h2", { id: `${id}-title`, tabindex: -1 }, title), h("p", { class: "muted" }, intro), form?.(() => void refresh()), out);
  void refresh();
  return section;
}

/**
 * submitting wires a form: on submit it runs send (disabled meanwhile) and
 * shows what it returns, or the error, in the form's status line.
 */
function submitting(form: HTMLFormElement, send: () => Promise<string | Node>, done: () => void): HTMLElement {
  const msg = h("div", { role: "status", "aria-live": "polite", class: "form-msg", id: `${form.id || "form"}-msg` });
  const btn = form.querySelector("button[type=submit]") as HTMLButtonElement;
  form.append(msg);
  // the fields say that the message below is about them (WCAG 3.3.1; a11yA)
  const fields = [...form.querySelectorAll<HTMLElement>("input, select, textarea")];
  for (const f of fields) f.setAttribute("aria-describedby", [f.getAttribute("aria-describedby"), msg.id].filter(Boolean).join(" "));
  const invalid = (on: boolean): void => fields.forEach((f) => (on ? f.setAttribute("aria-invalid", "true") : f.removeAttribute("aria-invalid")));
  // an old answer goes once the form is edited, or the browser refuses a
  // field: it must not stand under a new attempt (analystW)
  // (an error only: a success may be a secret shown once, a new token's)
  const stale = (): void => {
    if (!msg.querySelector(".bad")) return;
    clear(msg);
    invalid(false);
  };
  form.addEventListener("input", stale);
  form.addEventListener("invalid", stale, true);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    btn.disabled = true;
    clear(msg);
    invalid(false);
    try {
      clear(msg, await send());
      // the choices stay for the next entry (a second record after the first was taken for an Address: adminB L5); what was typed goes
      const kept = [...form.querySelectorAll("select")].map((sel) => [sel, sel.value] as const);
      form.reset();
      for (const [sel, v] of kept) sel.value = v;
      done();
    } catch (e) {
      clear(msg, h("span", { class: "bad" }, friendly(e)));
      invalid(true);
    } finally {
      btn.disabled = false;
      if (document.activeElement === document.body) btn.focus(); // a disabled button lets the focus fall (analystX)
    }
  });
  return form;
}

/**
 * action is a row's button (named with what it acts on) that asks first,
 * then runs and refreshes the list. With why set, the question asks for a
 * reason (kept in the audit log), which run is given; no reason, no run.
 */
function action(text: string, what: string, question: string, run: (reason: string) => Promise<unknown>, refresh: () => void, why = false): HTMLButtonElement {
  const btn = h("button", { type: "button", class: "link danger", "aria-label": `${text} ${what}` }, text);
  btn.addEventListener("click", async () => {
    let reason = "";
    if (why) {
      reason = (prompt(question) ?? "").trim();
      if (!reason) return;
    } else if (!confirm(question)) return;
    btn.disabled = true;
    const heading = btn.closest("section")?.querySelector<HTMLElement>("h2");
    try {
      await run(reason);
      announce(`${text}: done`);
      refresh();
      heading?.focus(); // its row goes with the redraw: the list's heading, not the page's top (analystY)
    } catch (e) {
      btn.disabled = false;
      btn.title = friendly(e);
      alert(friendly(e));
    }
  });
  return btn;
}

/** entityId is the global id the API takes: TYPE:key, or the key as typed when it already names its type. */
function entityId(type: string, key: string): string {
  const k = key.trim();
  const [head] = k.split(":");
  return k.includes(":") && TYPES.includes(head) ? k : `${type}:${k}`;
}

function listCard(app: App, kind: ListKind, alive: () => boolean): HTMLElement {
  const load = async (refresh: () => void): Promise<Node> => {
    const rows = (await app.api.query<Record<string, Row[]>>(kind.list))[kind.field];
    if (!rows.length) return empty("Nothing listed.");
    return table(
      [["entityKey", "Entity"], ["reason", "Reason"], ["addedBy", "Added by"], ["addedAt", "When (UTC)"], ["id", "Action"]],
      rows,
      {
        addedAt: minute,
        // an entry of a kind the hub list no longer takes cuts nothing: say so (secI M4)
        entityKey: (v, r) => (r.applies === false ? h("span", {}, String(v), " ", h("small", { class: "muted" }, "(not applied: not a shared identifier; remove it)")) : String(v)),
        id: (v, r) => action(kind.removeText, String(r.entityKey), `${kind.removeText} ${String(r.entityKey)}? The next scan applies it.`, () => app.api.query(kind.remove, { id: String(v) }), refresh),
      },
      `${kind.id}-table`,
    );
  };
  const form = (refresh: () => void): HTMLElement => {
    const type = h("select", { id: `${kind.id}-type` }, kind.types.map((t) => h("option", { value: t }, t))) as HTMLSelectElement;
    const key = h("input", { id: `${kind.id}-key`, required: true, placeholder: "e.g. ADR0000001", size: 18 }) as HTMLInputElement;
    const reason = h("input", { id: `${kind.id}-reason`, required: true, minlength: MIN_REASON, placeholder: "kept with the entry, 10+ characters", size: 40 }) as HTMLInputElement;
    const f = h("form", { class: "filters", id: `${kind.id}-form` }, lbl(`${kind.id}-type`, "Type"), type, lbl(`${kind.id}-key`, "Id"), key, lbl(`${kind.id}-reason`, "Reason"), reason, h("button", { type: "submit" }, "Add")) as HTMLFormElement;
    return submitting(
      f,
      async () => {
        const id = entityId(type.value, key.value);
        await app.api.query(kind.add, { id, reason: reason.value.trim() });
        return `Added ${id}.`;
      },
      refresh,
    );
  };
  return card(kind.id, kind.title, kind.intro, alive, load, form);
}

function tokensCard(app: App, alive: () => boolean): HTMLElement {
  const load = async (refresh: () => void): Promise<Node> => {
    const rows = (await app.api.query<{ tokens: Row[] }>(TOKENS)).tokens;
    if (!rows.length) return empty("No tokens.");
    const me = app.store.get().session?.name;
    // A force issues thousands over the years (adminB L6): the live ones by
    // default, narrowed as typed; the revoked on request.
    const revoked = rows.filter((r) => r.revokedAt).length;
    const find = h("input", { id: "token-find", type: "search", placeholder: "name, role or officer", size: 22, "aria-label": "Find a token" }) as HTMLInputElement;
    const showRevoked = h("input", { type: "checkbox", id: "token-show-revoked" }) as HTMLInputElement;
    const out = h("div", {});
    const draw = (): void => {
      const q = find.value.trim().toLowerCase();
      const shown = rows.filter((r) => (showRevoked.checked || !r.revokedAt) && (!q || [r.name, r.role, r.officerId].some((v) => String(v ?? "").toLowerCase().includes(q))));
      clear(
        out,
        shown.length
          ? table(
              [["name", "Name"], ["role", "Role"], ["officerId", "Officer"], ["createdAt", "Created (UTC)"], ["revokedAt", "Revoked (UTC)"], ["id", "Action"]],
              shown,
              {
                createdAt: minute,
                revokedAt: minute,
                id: (v, r) => (r.revokedAt ? "" : r.name === me ? "(this session)" : action("Revoke", String(r.name), `Revoke ${String(r.name)}? Every request with it is refused from now on.`, () => app.api.query(REVOKE_TOKEN, { nameOrId: String(v) }), refresh)),
              },
              "tokens-table",
            )
          : empty("No token matches."),
      );
    };
    find.addEventListener("input", draw);
    showRevoked.addEventListener("change", draw);
    draw();
    return h(
      "div",
      {},
      h("div", { class: "filters" }, lbl("token-find", "Find"), find, showRevoked, lbl("token-show-revoked", `Show revoked (${revoked})`), h("span", { class: "muted" }, `${rows.length - revoked} live of ${rows.length}`)),
      out,
    );
  };
  const form = (refresh: () => void): HTMLElement => {
    const name = h("input", { id: "token-name", required: true, placeholder: "e.g. j.smith-analyst", size: 22 }) as HTMLInputElement;
    const role = h("select", { id: "token-role" }, ["analyst", "reviewer", "admin"].map((r) => h("option", { value: r }, r))) as HTMLSelectElement;
    const officer = h("input", { id: "token-officer", placeholder: "the holder's, for recusal", size: 24 }) as HTMLInputElement;
    const f = h("form", { class: "filters", id: "token-form" }, lbl("token-name", "Name"), name, lbl("token-role", "Role"), role, lbl("token-officer", "Officer id"), officer, h("button", { type: "submit" }, "Create token")) as HTMLFormElement;
    return submitting(
      f,
      async () => {
        const d = await app.api.query<{ createToken: { secret: string; token: { name: string } } }>(CREATE_TOKEN, { name: name.value.trim(), role: role.value, officerId: officer.value.trim() || null });
        return h("span", {}, `Token ${d.createToken.token.name} created. Give its holder this secret now; it is never shown again: `, h("code", { id: "token-secret", class: "secret" }, d.createToken.secret));
      },
      refresh,
    );
  };
  return card("tokens", "API tokens", "Who may use Probity and in which role. Give each person their own token, with their officer id, so that recusal works; revoke it when they leave.", alive, load, form);
}

interface Param {
  name: string;
  value: string;
  default: string;
  min: number | null;
  max: number | null;
  fixed: boolean;
  setBy: string | null;
  setAt: string | null;
  reason: string | null;
  description: string;
}

/**
 * thresholdsCard lists the patterns' parameters an administrator may set,
 * with the value in use, the default, the range and who set it and why;
 * a form sets one, a row's button puts it back to the default. The next
 * scan is a full one.
 */
function thresholdsCard(app: App, alive: () => boolean): HTMLElement {
  const load = async (refresh: () => void): Promise<Node> => {
    const lib = (await app.api.query<{ patterns: { name: string; parameters: Param[] }[] }>(THRESHOLDS)).patterns;
    // every parameter is listed, as `probity threshold list` does; the fixed ones cannot be set (analystB L1)
    const rows = lib.flatMap((p) => p.parameters.map((x) => ({ pattern: p.name, ...x, range: x.fixed ? "fixed (in the query)" : `${x.min}–${x.max}`, key: `${p.name}/${x.name}` })));
    const pick = h("select", { id: "threshold-param" }, rows.filter((r) => !r.fixed).map((r) => h("option", { value: r.key, title: r.description }, `${r.pattern} · ${r.name} (${r.min}–${r.max})`))) as HTMLSelectElement;
    const value = h("input", { id: "threshold-value", required: true, size: 8, inputmode: "decimal" }) as HTMLInputElement;
    const reason = h("input", { id: "threshold-reason", required: true, minlength: 10, maxlength: 2000, size: 36, placeholder: "Why (kept with the value and audited)" }) as HTMLInputElement;
    const f = h("form", { class: "filters", id: "threshold-form" }, lbl("threshold-param", "Parameter"), pick, lbl("threshold-value", "Value"), value, lbl("threshold-reason", "Reason"), reason, h("button", { type: "submit" }, "Set")) as HTMLFormElement;
    const form = submitting(
      f,
      async () => {
        const [pattern, name] = pick.value.split("/");
        await app.api.query(SET_THRESHOLD, { pattern, name, value: value.value.trim(), reason: reason.value.trim() });
        return `${pattern} ${name} = ${value.value.trim()} from the next scan (a full one).`;
      },
      refresh,
    );
    const list = table(
      [["pattern", "Pattern"], ["name", "Parameter"], ["description", "What it is"], ["value", "In use"], ["default", "Default"], ["range", "Range"], ["setBy", "Set by"], ["setAt", "When (UTC)"], ["reason", "Reason"], ["key", "Action"]],
      rows,
      {
        value: (v, r) => (r.setBy ? h("strong", {}, String(v)) : String(v)),
        setBy: (v) => String(v ?? ""),
        setAt: (v) => (v ? minute(String(v)) : ""),
        reason: (v) => String(v ?? ""),
        key: (_v, r) =>
          r.setBy
            ? action(
                "Reset",
                `${String(r.pattern)} ${String(r.name)}`,
                `Why put ${String(r.pattern)} ${String(r.name)} back to its default (${String(r.default)})? The reason goes into the audit log; the next scan is a full one.`,
                (reason) => app.api.query(RESET_THRESHOLD, { pattern: String(r.pattern), name: String(r.name), reason }),
                refresh,
                true,
              )
            : "",
      },
      "thresholds-table",
    );
    return h("div", {}, form, list);
  };
  return card("thresholds", "Thresholds", "The values the patterns use (docs/patterns.md gives each default). A change is audited and takes effect at the next scan, which is then a full one; each flag records the values it was raised with.", alive, load);
}

function webhooksCard(app: App, alive: () => boolean): HTMLElement {
  const load = async (refresh: () => void): Promise<Node> => {
    const d = await app.api.query<{ webhooks: Row[]; webhookDeliveries: Row[] }>(WEBHOOKS);
    const hooks = d.webhooks.length
      ? table(
          [["url", "URL"], ["minScore", "Min score"], ["enabled", "Enabled"], ["id", "Action"]],
          d.webhooks,
          { minScore: (v) => Number(v).toFixed(2), enabled: (v) => (v ? "yes" : "no"), id: (v, r) => action("Remove", String(r.url), `Remove the webhook to ${String(r.url)}? Its delivery log stays.`, () => app.api.query(REMOVE_WEBHOOK, { id: String(v) }), refresh) },
          "webhooks-table",
        )
      : empty("No webhooks: new flags are not sent anywhere.");
    const log = d.webhookDeliveries.length
      ? table(
          [["at", "When (UTC)"], ["flagId", "Flag"], ["attempt", "Attempt"], ["status", "Status"], ["httpStatus", "HTTP"], ["error", "Error"]],
          d.webhookDeliveries,
          { at: minute, error: (v) => String(v ?? "") },
          "deliveries-table",
        )
      : empty("No deliveries yet.");
    return h("div", {}, hooks, h("h3", {}, "Latest deliveries"), log);
  };
  const form = (refresh: () => void): HTMLElement => {
    const url = h("input", { id: "webhook-url", type: "url", required: true, placeholder: "https://alerts.example/probity", size: 36 }) as HTMLInputElement;
    const min = h("input", { id: "webhook-min", type: "number", min: 0, max: 1, step: 0.05, value: 0 }) as HTMLInputElement;
    const f = h("form", { class: "filters", id: "webhook-form" }, lbl("webhook-url", "URL"), url, lbl("webhook-min", "Min score"), min, h("button", { type: "submit" }, "Add webhook")) as HTMLFormElement;
    return submitting(
      f,
      async () => {
        const d = await app.api.query<{ addWebhook: { secret: string } }>(ADD_WEBHOOK, { url: url.value.trim(), minScore: Number(min.value) });
        return h("span", {}, "Added. Its signing secret (HMAC-SHA256 of each body), shown this once: ", h("code", { class: "secret" }, d.addWebhook.secret));
      },
      refresh,
    );
  };
  return card("webhooks", "Alert webhooks", "Where new flags are posted as they are found (tripwires always, others from the minimum score). The log shows each attempt; a receiver that was down gets its alerts again on the next runs.", alive, load, form);
}
