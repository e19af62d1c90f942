// The flag view: the evidence as a link chart (evidence path highlighted,
// context dimmed), the rule's explanation, version, parameters and the
// innocent explanation, the review panel (decision, reason, history), the
// audited identity reveal, and a recusal notice when the reviewer is linked
// to the officer.
import { ApiError, friendly } from "../api";
import type { App } from "../app";
import { announce, clear, failed, h, loading, unavailable, utcMinute } from "../dom";
import { caption, explanationParts, merge, normalise, score, unitLabel } from "../model";
import { confirmation, flagFromApi, hubCause, returnedBy } from "../flagdata";
import { adoptDrafts, claimDrafts, clearDrafts, draftsOf, draftsOwner, forgetDrafts, keepDraft, restoredNote } from "../drafts";
import { CONFIRM_REFERRAL, DECISIONS, FLAG, NOTE_FLAG, RETURN_REFERRAL, REVEAL, REVEAL_IDENTITY, REVIEW_FLAG } from "../queries";
import { emptyChart, type Subgraph } from "../types";
import { Workspace } from "./workspace";

export interface Review {
  at: string;
  reviewer: string;
  from?: string;
  status: string;
  reason: string;
  /** The reviewer's links to the flag's officers, acknowledged instead of recusing. */
  acknowledged?: string[];
  /** The flag's parameters when the decision was taken, by name. */
  parameters?: Record<string, unknown>;
}

export interface FlagDetail {
  id: string;
  pattern: string;
  ruleVersion?: string | number | null;
  score: number;
  status: string;
  /** nextStatuses are the states a review may move the flag to now (the server's rule). */
  nextStatuses?: string[];
  explanation: string;
  innocentExplanation?: string | null;
  parameters?: unknown;
  /** parameterNotes says what each parameter is, by name (the pattern library's descriptions). */
  parameterNotes?: Record<string, string>;
  scannedAt?: string | null;
  createdAt?: string | null;
  lastSeen?: string | null;
  clearedAt?: string | null;
  /** A flag taken up whose case a scan no longer found: it stays where it is, and says so. */
  notFoundAt?: string | null;
  /** For such a flag, the flag of its pattern and officer the same scan found: the case as it stands. */
  newerFlag?: string | null;
  /** The evidence's entities the clearing scan found to be hubs, 'Label:id (why)': the likely cause. */
  clearedHubs?: string[];
  /** The clearing scan's parameters, by name, when any differs from the flag's: a threshold changed. */
  clearedParameters?: Record<string, unknown>;
  supersededBy?: string | null;
  officer?: { id: string; key?: string; displayName?: string | null; unit?: string | null; rank?: string | null } | null;
  evidence?: unknown;
  reviews?: Review[] | null;
  notes?: { at: string; author: string; text: string; acknowledged?: string[] }[];
  recusal?: { required: boolean; reason?: string | null; reasons?: string[]; own?: boolean } | null;
  revealed?: boolean;
  declarations?: Declaration[];
}

/** Declaration is the officer's declaration of someone in the evidence. */
export interface Declaration {
  declared: string;
  type?: string | null;
  on?: string | null;
  withdrawnOn?: string | null;
  afterFlag?: boolean;
}

/**
 * Refresh reads the flag again after a note, a decision or a reveal and
 * redraws the side panel only: the chart as the analyst expanded it, its
 * undo history and what is typed in the other forms stay. from is the
 * form that was sent (its fields are not kept); notice is said at the top.
 */
type Refresh = (from?: HTMLElement, notice?: (f: FlagDetail) => string) => Promise<void>;

export function flagView(app: App, root: HTMLElement, id: string): () => void {
  const main = h("main", { id: "main", class: "flag-view", "aria-labelledby": "flag-title" });
  root.replaceChildren(main);
  let ws: Workspace | null = null;
  let live = true; // false once the view is left: a late answer must not mount a chart in a detached element
  if (!app.caps.has("flag")) {
    main.append(h("h1", { id: "flag-title" }, `Flag ${id}`), unavailable("Flag view", "flags (the pattern library and flag store are still being built)"));
    return () => {};
  }
  const read = async (): Promise<FlagDetail | null> => {
    const d = await app.api.query<{ flag: Record<string, unknown> | null; patterns?: { name: string; parameters: { name: string; description: string }[] }[] }>(FLAG, { id });
    if (!d.flag) return null;
    const f = flagFromApi(d.flag) as FlagDetail;
    // what each parameter is, in the library's words ("days after the access ..."): a bare "after 90" gave no unit (analystZ)
    const lib = d.patterns?.find((p) => p.name === f.pattern);
    f.parameterNotes = Object.fromEntries((lib?.parameters ?? []).map((p) => [p.name, p.description]));
    return f;
  };
  const show = (node: string): void => ws?.show(node);
  const load = async (): Promise<void> => {
    clear(main, h("h1", { id: "flag-title" }, `Flag ${id}`), loading("the flag and its evidence"));
    let f: FlagDetail | null;
    try {
      f = await read();
    } catch (e) {
      // a flag that is not there will not be there on a retry
      const retry = e instanceof ApiError && e.code === "not_found" ? undefined : () => void load();
      if (live) clear(main, h("h1", { id: "flag-title" }, `Flag ${id}`), failed(friendly(e), retry), retry ? null : h("a", { href: "#/queue" }, "Back to the queue"));
      return;
    }
    if (!live) return;
    if (!f) {
      clear(main, h("h1", { id: "flag-title" }, `Flag ${id}`), failed("No such flag. It may have been merged into a newer one."), h("a", { href: "#/queue" }, "Back to the queue"));
      return;
    }
    const g = normalise(f.evidence);
    const chart = { ...merge(emptyChart(), g), evidence: [...g.nodes.map((n) => n.id), ...g.edges.map((e) => e.id)], subject: f.officer?.id };
    app.store.reset(chart);
    // each flag's chart expands one link at a time until the analyst asks for more: a depth
    // of 3 left from the flag before added some 400 entities at the first E (reviewO L5)
    app.store.set({ selected: [], selectedEdge: null, period: null, depth: 1 });
    const side = sidePanel(app, f, g, refresh, show);
    const me = app.store.get().session?.name ?? "";
    keepTyping(side, f.id, me);
    ws = new Workspace(app, { title: `${f.pattern} ${f.id}`, sidebar: side, foldComplaints: f.pattern === "co-accused-crew" });
    clear(main, ws.el);
    ws.mount();
    // Keyboard and screen-reader users land on the flag, not on the page body.
    if (document.activeElement === document.body || !document.activeElement) document.getElementById("flag-title")?.focus({ preventScroll: true });
    // what was typed here and not sent (a refused token ended the session mid-sentence) comes back;
    // another token's is offered, not put back: sent, it would go out under this one's name
    // (kept by an older build, a draft has no owner: offered too, not filled in: reviewP L2)
    const owner = draftsOwner();
    if (owner !== me && Object.keys(draftsOf(f.id)).length) side.prepend(offerDrafts(side, f.id, owner || "an earlier session of this tab", me));
    else {
      const back = restoredNote(restoreDrafts(side, f.id));
      if (back) side.prepend(h("p", { class: "notice", role: "status", id: "drafts-restored" }, back));
    }
  };
  const refresh: Refresh = async (from, notice) => {
    const side = main.querySelector<HTMLElement>(".flag-side");
    let f: FlagDetail | null;
    try {
      f = await read();
    } catch (e) {
      const msg = from?.querySelector("[role=status]");
      if (msg) msg.textContent = `Saved, but the flag could not be read again: ${friendly(e)}. Reload the page to see it.`;
      return;
    }
    if (!live || !side || !f) return;
    const drafts = keepDrafts(side, from);
    side.replaceChildren(...sidePanel(app, f, normalise(f.evidence), refresh, show).childNodes);
    drafts();
    if (notice) {
      // in sight and under the keyboard, not lost with the redrawn form (reUI)
      const p = h("p", { class: "notice", role: "alert", id: "flag-changed", tabindex: -1 }, notice(f));
      side.prepend(p);
      p.focus();
    }
  };
  void load();
  return () => {
    live = false;
    ws?.destroy();
  };
}

/**
 * keepDrafts notes what is typed or chosen in the side panel's forms,
 * except in from, and returns what puts it back once the panel is redrawn
 * (a reason half written when a note is added is not lost).
 */
function keepDrafts(side: HTMLElement, from?: HTMLElement): () => void {
  const kept: { id: string; value: string }[] = [];
  const ticked: string[] = [];
  let decision = "";
  for (const el of side.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>("textarea[id], input[type=text][id]")) {
    if (el.value && !from?.contains(el)) kept.push({ id: el.id, value: el.value });
  }
  for (const el of side.querySelectorAll<HTMLInputElement>("input[type=checkbox][id]:checked")) {
    if (!from?.contains(el)) ticked.push(el.id); // a declared link stays declared
  }
  const radio = side.querySelector<HTMLInputElement>("input[name=decision]:checked");
  if (radio && !from?.contains(radio)) decision = radio.value;
  // the keyboard comes back to the form that was sent, not to the page's top
  const back = from?.id ?? "";
  return () => {
    for (const { id, value } of kept) {
      const el = side.querySelector<HTMLInputElement | HTMLTextAreaElement>(`#${CSS.escape(id)}`);
      if (el && !el.value) el.value = value;
    }
    for (const id of ticked) {
      const el = side.querySelector<HTMLInputElement>(`#${CSS.escape(id)}`);
      if (el && !el.checked) {
        el.checked = true;
        el.dispatchEvent(new Event("change"));
      }
    }
    const r = decision ? side.querySelector<HTMLInputElement>(`input[name=decision][value=${CSS.escape(decision)}]`) : null;
    if (r) r.checked = true;
    // (a decided flag has no form left: its review box then, not the page's top; analystX)
    const form = back ? side.querySelector<HTMLElement>(`#${CSS.escape(back)}`) : null;
    (form?.querySelector<HTMLElement>("textarea, button[type=submit]") ?? form ?? (back ? side.querySelector<HTMLElement>("#review-title") : null))?.focus({ preventScroll: true });
  };
}

/** DRAFTED are the side panel's fields whose unsent text is kept for the tab (drafts.ts): free text, and the decision chosen. */
const DRAFTED = "textarea[id], input[type=text][id]";

/**
 * keepTyping keeps what is typed in the side panel's forms, per flag, for
 * the tab (drafts.ts), as it is typed: a token refused on sending ends the
 * session, and the text is there when the flag is opened again. The panel
 * element stays when refresh redraws its contents: one listener serves.
 */
function keepTyping(side: HTMLElement, flag: string, me: string): void {
  side.dataset.flag = flag;
  const keep = (ev: Event): void => {
    const el = ev.target as HTMLInputElement | HTMLTextAreaElement;
    const drafted = el.matches?.(DRAFTED);
    const decision = !drafted && el.matches?.("input[name=decision]") && (el as HTMLInputElement).checked;
    if (!drafted && !decision) return;
    claimDrafts(me); // another token's kept text, not taken up, goes, and its offer with it (reviewP L1)
    side.querySelector("#drafts-other")?.remove();
    keepDraft(flag, drafted ? el.id : "decision", el.value);
  };
  side.addEventListener("input", keep);
  side.addEventListener("change", keep);
}

/** offerDrafts asks whether to put back the text another token (owner) typed on this flag and did not send. */
function offerDrafts(side: HTMLElement, flag: string, owner: string, me: string): HTMLElement {
  const p = h(
    "p",
    { class: "notice", role: "note", id: "drafts-other" },
    `Text that ${owner} typed on this flag and did not send (a note, a reason, a purpose) is kept in this tab. Put it back only if it is yours: sent, it goes out under your name. `,
    h("button", { type: "button", id: "drafts-claim", onclick: () => {
      adoptDrafts(me);
      p.replaceWith(h("p", { class: "notice", role: "status", id: "drafts-restored" }, restoredNote(restoreDrafts(side, flag)) || "Nothing to put back: the fields are filled."));
    } }, "Put it back"),
    " ",
    h("button", { type: "button", class: "link", id: "drafts-drop", onclick: () => {
      clearDrafts();
      p.replaceWith(h("p", { class: "notice", role: "status" }, "Discarded."));
    } }, "Discard it"),
  );
  return p;
}

/** restoreDrafts puts a flag's kept drafts back into the empty fields of its side panel, and says which it put back. */
function restoreDrafts(side: HTMLElement, flag: string): string[] {
  const back: string[] = [];
  for (const [field, value] of Object.entries(draftsOf(flag))) {
    if (field === "decision") {
      const r = side.querySelector<HTMLInputElement>(`input[name=decision][value=${CSS.escape(value)}]`);
      if (r && !r.checked) {
        r.checked = true;
        back.push(field);
      }
      continue;
    }
    const el = side.querySelector<HTMLInputElement | HTMLTextAreaElement>(`#${CSS.escape(field)}`);
    if (el?.matches(DRAFTED) && !el.value) {
      el.value = value;
      back.push(field);
    }
  }
  return back;
}

/** sent forgets the drafts of a form that was sent: its text is in the flag now. */
function sent(form: HTMLElement): void {
  const flag = form.closest<HTMLElement>("[data-flag]")?.dataset.flag;
  if (!flag) return;
  const fields = [...form.querySelectorAll<HTMLElement>(DRAFTED)].map((el) => el.id);
  if (form.querySelector("input[name=decision]")) fields.push("decision");
  forgetDrafts(flag, fields);
}

function sidePanel(app: App, f: FlagDetail, evidence: Subgraph, reload: Refresh, show: (id: string) => void): HTMLElement {
  const who = f.officer?.displayName || (f.officer ? `Officer ${f.officer.id}` : "Unknown officer");
  const params = f.parameters == null ? [] : Object.entries(typeof f.parameters === "string" ? safeJSON(f.parameters) : (f.parameters as Record<string, unknown>));
  return h(
    "div",
    { class: "flag-side" },
    h(
      "section",
      { class: "card", "aria-labelledby": "flag-title" },
      h("p", { class: "crumbs" }, h("a", { href: "#/queue" }, "← Flag queue"), h("button", { type: "button", class: "link", id: "to-explore", onclick: () => { app.exploreChart = app.store.get().chart; app.go("#/explore"); } }, "Continue in Explore →")),
      h("h1", { id: "flag-title", tabindex: -1 }, `${f.pattern}`),
      h("p", {}, h("strong", { id: "flag-officer" }, who), f.officer?.unit ? ` · ${unitLabel(f.officer.unit)}` : "", f.officer?.rank ? ` · ${f.officer.rank}` : ""),
      h("p", {}, `Score ${score(f.score)} · `, h("span", { class: `status s-${f.status}` }, f.status.replace(/_/g, " ")), f.clearedAt ? " · cleared: no longer found by a scan" : f.supersededBy ? " · superseded" : ""),
      f.recusal?.required ? recusalNotice(f.recusal) : null,
      currencyNotice(f),
      h("h2", {}, "Why this was flagged"),
      h(
        "p",
        { class: "explanation" },
        // each id of an entity on the chart shows it there: the chart names people by pseudonym
        explanationParts(f.explanation, evidence.nodes.map((n) => n.id)).map((p) =>
          p.node ? h("button", { type: "button", class: "link id-ref", title: `Show ${p.node} on the chart`, onclick: () => show(p.node!) }, p.text) : p.text,
        ),
      ),
      auditLinks(app, f),
      h("dl", { class: "meta" }, h("dt", {}, "Rule"), h("dd", {}, `${f.pattern}${f.ruleVersion != null ? ` v${f.ruleVersion}` : ""}`), h("dt", {}, "Data scanned"), h("dd", {}, utcMinute(f.scannedAt ?? f.lastSeen)), h("dt", {}, "First seen"), h("dd", {}, (f.createdAt ?? "—").slice(0, 10))),
      params.length
        ? h("details", { open: true }, h("summary", {}, "Parameters"), h("table", { class: "props params", id: "flag-parameters" }, h("tbody", {}, params.map(([k, v]) => h("tr", {}, h("th", { scope: "row" }, k), h("td", { class: "value" }, String(v)), h("td", { class: "muted" }, f.parameterNotes?.[k] ?? ""))))))
        : h("p", { class: "muted", id: "no-parameters" }, "Parameters: none (the rule has no threshold to set)."),
      h("h2", {}, "Innocent explanation"),
      h("p", { class: f.innocentExplanation ? "innocent" : "muted" }, f.innocentExplanation || "None found in the data."),
      f.declarations ? declarationList(f, evidence) : null,
    ),
    revealPanel(app, f),
    reviewPanel(app, f, reload),
    f.notes ? notesPanel(app, f, reload) : null,
  );
}

/** auditLinks open the audit trail of the officer and of the flag, to reviewers (who read it): who has seen them, revealed them, decided. */
function auditLinks(app: App, f: FlagDetail): HTMLElement | null {
  const role = app.store.get().session?.role ?? "";
  if ((role !== "reviewer" && role !== "admin") || !app.caps.fields.has("Query.auditLog")) return null;
  return h(
    "p",
    { class: "crumbs", id: "flag-audit-links" },
    f.officer ? h("a", { href: `#/audit/${encodeURIComponent(f.officer.id)}` }, "Who has seen this officer's data") : null,
    h("a", { href: `#/audit/${encodeURIComponent(f.id)}` }, "Who has read or decided on this flag"),
  );
}

/** currencyNotice says when the flag no longer stands as the pattern's finding: superseded by a newer flag, or cleared by a full scan that did not find its case again. */
function currencyNotice(f: FlagDetail): HTMLElement | null {
  const notice = (...says: (string | Node | null)[]): HTMLElement => h("p", { class: "notice", id: "flag-currency", role: "note" }, ...says);
  if (f.supersededBy) {
    return notice("Superseded: the evidence changed and a newer flag holds the case. ", h("a", { href: `#/flag/${encodeURIComponent(f.supersededBy)}` }, "Open the newer flag"));
  }
  if (f.clearedAt) {
    return notice(`No longer found: the scan of ${utcMinute(f.clearedAt)} did not find this case again.${notFoundWhy(f)} It has left the open queue (Status "Cleared" lists it); it comes back if a scan finds it again.`);
  }
  if (f.notFoundAt) {
    // taken up, so never cleared: it stays, and says its case ended (statB, boardA)
    const state = f.status.replace(/_/g, " ");
    const decided = !["new", "in_review"].includes(f.status);
    const then = decided ? `It stays ${state}: the decision was taken on a case the rules as they stand no longer raise.` : `It stays ${state}, as a person has taken it up; decide it knowing the rules as they stand no longer raise it.`;
    return notice(
      `No longer found: the scan of ${utcMinute(f.notFoundAt)} did not find this case again.${notFoundWhy(f)} ${then} The accuracy and the disproportion of current flags leave it out.`,
      // the same scan found the officer's case with other evidence (checkE M1)
      f.newerFlag ? h("span", {}, " The same scan found this officer's case with other evidence: ", h("a", { href: `#/flag/${encodeURIComponent(f.newerFlag)}` }, f.newerFlag), ".") : null,
    );
  }
  // found again under other thresholds than its last decision saw: its
  // explanation and parameters are the new scan's (analystB)
  const last = (f.reviews ?? []).at(-1);
  // (a decision recorded before reviews kept their thresholds has none to compare)
  const since = last?.parameters && Object.keys(last.parameters).length ? thresholdsChanged(f.parameters as Record<string, unknown> | undefined, last.parameters, "when last decided", f.parameterNotes) : "";
  if (since) {
    return notice(`Found again under other thresholds than its last decision was recorded under: ${since}. The explanation and parameters above are the latest scan's.`);
  }
  return null;
}

/** notFoundWhy is the likely cause a scan no longer found a flag's case: a hub now in its evidence, a threshold changed (only the values that did: reviewD M2), or the data. */
function notFoundWhy(f: FlagDetail): string {
  const hubs = (f.clearedHubs ?? []).map(hubCause);
  const changed = thresholdsChanged(f.clearedParameters, f.parameters, "found with", f.parameterNotes);
  if (hubs.length) return ` Its evidence now holds ${hubs.join("; ")}: no pattern path passes through a hub, so that is the likely cause (the Admin screen's hub list says who listed an entry, when and why).`;
  if (changed) return ` The scan ran with other thresholds: ${changed}. An administrator's change is the likely cause (the Audit screen's Thresholds entries say who made it, when and why).`;
  return " (a declaration made since, a link ended, data corrected).";
}

/** declarationList says what the officer declared of the people and companies in the evidence, and when. */
function declarationList(f: FlagDetail, evidence: Subgraph): HTMLElement {
  const names = new Map(evidence.nodes.map((n) => [n.id, caption(n)]));
  const ds = f.declarations ?? [];
  return h(
    "section",
    { id: "declarations" },
    h("h2", {}, "Declarations"),
    ds.length === 0
      ? h("p", { class: "muted" }, "The officer has declared no one and no business interest in this evidence.")
      : h(
          "ul",
          { class: "declarations" },
          ds.map((d) =>
            h(
              "li",
              { class: d.afterFlag ? "after-flag" : d.withdrawnOn ? "withdrawn" : "" },
              `${names.get(d.declared) ?? d.declared}: ${(d.type ?? "declaration").replace(/_/g, " ")} declared ${d.on ?? "on an unrecorded date"}`,
              d.withdrawnOn ? `, withdrawn ${d.withdrawnOn}` : "",
              d.afterFlag ? h("strong", {}, ` — only after this flag was raised (${(f.createdAt ?? "").slice(0, 10)})`) : "",
            ),
          ),
        ),
  );
}

/** SECOND_LOOK are a second reviewer's two answers to a referral not yet confirmed. */
const SECOND_LOOK = {
  confirm: {
    mutation: CONFIRM_REFERRAL,
    title: "Confirm the referral",
    intro: "A reviewer other than the referrer confirms a referral before it goes to investigation.",
    placeholder: "Why the referral is sound (required; kept in the flag's history)",
    button: "Confirm referral",
    primary: true,
    ok: "Referral confirmed.",
    question: (id: string) => `Confirm the referral of flag ${id} for investigation? The confirmation is final and kept in the flag's history and the audit log.`,
  },
  return: {
    mutation: RETURN_REFERRAL,
    title: "Or return the referral",
    intro: "Not convinced? The flag goes back to in review with your reason, and the analyst decides again.",
    placeholder: "What is not sound yet (required; kept in the flag's history)",
    button: "Return to in review",
    primary: false,
    ok: "Referral returned to in review.",
    question: (id: string) => `Return the referral of flag ${id} to in review? It is kept in the flag's history and the audit log.`,
  },
} as const;

/**
 * secondLookForm is a reviewer's second pair of eyes on a referral, to
 * reviewers and admins until one confirms it: confirm it
 * (confirmReferral), or return it to in review (returnReferral); the
 * server refuses the referrer and, without the declared link, a linked
 * reviewer. Element ids: #confirm-referral, #confirm-reason... and
 * #return-referral, #return-reason...
 */
function secondLookForm(app: App, f: FlagDetail, reload: Refresh, kind: keyof typeof SECOND_LOOK): HTMLElement {
  const k = SECOND_LOOK[kind];
  const reason = h("textarea", { id: `${kind}-reason`, required: true, minlength: 10, maxlength: 2000, rows: 2, placeholder: k.placeholder });
  const msg = h("div", { role: "status", "aria-live": "polite", id: `${kind}-msg` });
  const btn = h("button", { type: "submit", class: k.primary ? "primary" : "" }, k.button);
  const ack = f.recusal?.required ? h("input", { type: "checkbox", id: `${kind}-ack` }) : null;
  const form = h(
    "form",
    { id: `${kind}-referral` },
    h("h3", {}, k.title),
    h("p", { class: "muted" }, k.intro),
    h("label", { for: `${kind}-reason` }, "Reason"),
    reason,
    ack ? h("label", { class: "ack", for: `${kind}-ack` }, ack, " I have declared my link to this officer; proceed") : null,
    btn,
    msg,
  );
  onDecision(form, { reason, ack, btn, msg }, () => null, () => app.api.query(k.mutation, { id: f.id, reason: reason.value.trim(), ack: ack?.checked ?? false }), k.ok, reload, () => k.question(f.id));
  return form;
}

/**
 * onDecision wires a decision form (a review, a referral's confirmation, a
 * note): check (else null: the form's own question), a reason of 10+
 * characters and, for a linked reviewer, the declared link come first;
 * then confirm, for a decision that cannot be undone; the button is
 * disabled while it saves; an error is shown in friendly words. A
 * conflict (someone else decided meanwhile) redraws the panel as the flag
 * now is, and says so.
 */
function onDecision(
  form: HTMLFormElement,
  el: { reason: HTMLTextAreaElement; ack: HTMLInputElement | null; btn: HTMLButtonElement; msg: HTMLElement },
  check: () => string | null,
  send: () => Promise<unknown>,
  ok: string,
  reload: Refresh,
  confirmFirst: () => string | null = () => null,
): void {
  const { reason, ack, btn, msg } = el;
  const min = Math.max(reason.minLength, 1);
  if (ack) {
    // a linked reviewer declares the link first (docs/ui.md)
    btn.disabled = !ack.checked;
    ack.addEventListener("change", () => (btn.disabled = !ack.checked));
  }
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const short = reason.value.trim().length < min ? (min > 1 ? `Give a reason of at least ${min} characters.` : "Write the note first.") : null;
    const problem = check() ?? short ?? (ack && !ack.checked ? "Declare your link to the officer first, or ask another reviewer." : null);
    if (problem) return void (msg.textContent = problem);
    const question = confirmFirst();
    if (question && !window.confirm(question)) return void (msg.textContent = "Not recorded.");
    btn.disabled = true;
    msg.textContent = "Saving…";
    try {
      await send();
      sent(form);
      msg.textContent = ok;
      await reload(form);
      announce(ok); // the panel was redrawn: its own message went with it (a11yA)
    } catch (e) {
      if (e instanceof ApiError && e.code === "conflict" && /cannot move|already/.test(e.message)) {
        // the reason typed stays where the form still stands (no form: it was not needed)
        return void reload(undefined, (now) => `Not recorded: this flag changed while you had it open, and is now ${now.status.replace(/_/g, " ")}. Read its history below before deciding.`);
      }
      msg.textContent = friendly(e);
      btn.disabled = !!ack && !ack.checked;
      // the button had the focus and was disabled while saving: give it back, not to <body> (uiQ)
      (btn.disabled ? reason : btn).focus();
    }
  });
}

/** recusalNotice lists why the reviewer is linked to the flagged officer. */
function recusalNotice(r: NonNullable<FlagDetail["recusal"]>): HTMLElement {
  const reasons = r.reasons?.length ? r.reasons : r.reason ? [r.reason] : [];
  return h(
    "div",
    { class: "recusal", role: "alert", id: "recusal" },
    h("strong", {}, "You are linked to this officer: please recuse yourself. "),
    "Ask another reviewer to decide, or declare the link before recording a decision.",
    reasons.length ? h("ul", { class: "recusal-reasons" }, reasons.map((x) => h("li", {}, x))) : h("p", {}, "Within 3 association links, or the same unit and line manager."),
  );
}

function safeJSON(s: string): Record<string, unknown> {
  try {
    return JSON.parse(s) as Record<string, unknown>;
  } catch {
    return { value: s };
  }
}

function revealPanel(app: App, f: FlagDetail): HTMLElement {
  const box = h("section", { class: "card", "aria-labelledby": "reveal-title" }, h("h2", { id: "reveal-title" }, "Identity"));
  if (!f.officer) return box;
  if (!app.caps.has("reveal")) {
    box.append(unavailable("Reveal identity", "the audited reveal"));
    return box;
  }
  if (f.recusal?.own) {
    box.append(h("p", { class: "muted", id: "own-reveal" }, "This flag concerns your own officer record: its names are not yours to reveal."));
    return box;
  }
  const purpose = h("input", { id: "reveal-purpose", type: "text", required: true, minlength: 5, value: "", placeholder: "Why you need the name" });
  const out = h("div", { role: "status", "aria-live": "polite", id: "reveal-result" });
  const btn = h("button", { type: "submit" }, "Reveal identity");
  const form = h("form", { class: "reveal" }, h("label", { for: "reveal-purpose" }, "Purpose (recorded in the audit log)"), purpose, btn, out);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (purpose.value.trim().length < 5) {
      out.textContent = "State a purpose of at least 5 characters.";
      return;
    }
    btn.disabled = true;
    out.textContent = "Revealing…";
    try {
      if (app.caps.has("revealIdentity")) {
        // The stored reveal: later reads of this flag by this token show the names.
        const d = await app.api.query<{ revealIdentity: { at: string; people: { entity: { id: string; key: string; type: string; displayName: string }; name: string | null }[] } }>(REVEAL_IDENTITY, { flagId: f.id, purpose: purpose.value.trim() });
        const people = d.revealIdentity.people;
        sent(form);
        if (!people.some((p) => p.name)) {
          out.textContent = "No names are recorded for this flag's people.";
          btn.disabled = false;
          return;
        }
        clear(
          out,
          h("ul", { class: "revealed-list" }, people.map((p) => h("li", {}, h("strong", { class: "revealed" }, p.name ?? "(no name)"), ` — ${p.entity.type} ${p.entity.key}`))),
          h("p", { class: "muted" }, "This reveal was audited with your purpose and stored: the flag now shows these names to you, and the chart shows them with the pseudonyms beside them until you reload, then in their place."),
        );
        // the names go onto the chart as it is now (expanded, laid out) and
        // into its undo history: a reveal is not a step to undo
        const names = new Map(people.filter((p) => p.name).map((p) => [p.entity.id, p.name!]));
        app.store.rewrite((c) => {
          const nodes = { ...c.nodes };
          for (const [nid, name] of names) if (nodes[nid]) nodes[nid] = { ...nodes[nid], properties: { ...nodes[nid].properties, revealedName: name } };
          return { ...c, nodes };
        });
        const officer = f.officer && names.get(f.officer.id);
        const head = document.getElementById("flag-officer");
        if (officer && head) head.textContent = officer;
        return;
      }
      const d = await app.api.query<{ node: { id: string; name?: string | null } | null }>(REVEAL, { id: f.officer!.id, purpose: purpose.value.trim() });
      sent(form);
      if (!d.node?.name) {
        out.textContent = "No name is recorded for this officer.";
        btn.disabled = false;
        return;
      }
      clear(out, h("strong", { class: "revealed" }, d.node.name), ` (${f.officer!.key ?? d.node.id}) — this reveal was audited with your purpose.`);
    } catch (e) {
      out.textContent = friendly(e);
      btn.disabled = false;
    }
  });
  if (f.revealed) {
    // Already revealed to this token: say so, and leave no second Reveal to press.
    box.append(h("p", { class: "revealed-note" }, "You revealed this flag's names earlier (audited); they are shown in place of the pseudonyms."));
    return box;
  }
  box.append(h("p", { class: "muted" }, "Names are pseudonymised. Revealing them is audited with your purpose."), form);
  return box;
}

/**
 * otherThresholds says, under a decision, the thresholds it was taken under
 * when the flag's are other now (a scan after an administrator's change):
 * the decision must not read as taken under values it never saw (secI L8).
 */
function otherThresholds(then: Record<string, unknown> | undefined, now: unknown, notes?: Record<string, string>): HTMLElement | null {
  const differ = thresholdsChanged(then, now, "now", notes);
  return differ ? h("div", { class: "acknowledged" }, "Recorded under other thresholds than the flag's now: ", differ) : null;
}

/**
 * thresholdsChanged lists the parameters whose value in a differs from
 * other's, each with what it is when notes say ("spanDays = 30, now 40 –
 * consecutive days they must fall within", word "now"); "" when none does.
 */
export function thresholdsChanged(a: Record<string, unknown> | null | undefined, other: unknown, word: string, notes?: Record<string, string>): string {
  const b = (other && typeof other === "object" ? other : {}) as Record<string, unknown>;
  return Object.entries(a ?? {})
    .filter(([k, v]) => String(b[k]) !== String(v))
    .map(([k, v]) => `${k} = ${String(v)}, ${word} ${String(b[k] ?? "—")}${notes?.[k] ? ` – ${notes[k]}` : ""}`)
    .join("; ");
}

/**
 * acknowledgedLinks says, under a decision or a note, that its author was
 * linked to the flag's officers and went on instead of recusing, and how:
 * whoever reads the history later weighs the decision knowing it.
 */
function acknowledgedLinks(links: string[] | undefined): HTMLElement | null {
  if (!links?.length) return null;
  return h("div", { class: "acknowledged" }, "Made despite a link to the officer (recusal acknowledged): ", links.join("; "));
}

function reviewPanel(app: App, f: FlagDetail, reload: Refresh): HTMLElement {
  const box = h("section", { class: "card review", "aria-labelledby": "review-title" }, h("h2", { id: "review-title", tabindex: -1 }, "Review"));
  const history = h(
    "ol",
    { class: "history", "aria-label": "Review history" },
    (f.reviews ?? []).map((r) => h("li", {}, h("strong", {}, r.status.replace(/_/g, " ")), ` by ${r.reviewer} on ${utcMinute(r.at)}: `, r.reason, acknowledgedLinks(r.acknowledged), otherThresholds(r.parameters, f.parameters, f.parameterNotes))),
  );
  const next = f.nextStatuses ?? [];
  if (f.status === "new" && (f.supersededBy || f.clearedAt)) {
    // The server refuses these too: out of the queue, a flag in review would never be cleared and stay out of sight.
    box.append(h("p", { class: "muted", id: "no-review" }, f.supersededBy ? "Superseded: review the newer flag instead." : "Cleared: the pattern no longer finds this case, so there is nothing to review."));
  } else if (f.recusal?.own && next.length > 0) {
    box.append(h("p", { class: "recusal", id: "own-flag" }, "This flag concerns your own officer record (you are flagged, or named in its evidence): no decision on it is yours to make. Ask a colleague."));
  } else if (next.length === 0) {
    const dismissed = f.status === "false_positive" || f.status === "no_further_action";
    const referred = f.status === "referred_investigation";
    const done = referred ? confirmation(f.reviews) : undefined;
    const stands = dismissed
      ? "A dismissed flag stays dismissed until its evidence changes: new evidence raises a new flag."
      : referred && !done
        ? "A second reviewer confirms the referral, or returns it to in review."
        : "The decision stands; new evidence raises a new flag.";
    box.append(h("p", { class: "muted" }, `Decided: ${f.status.replace(/_/g, " ")}. ${stands}`));
    const session = app.store.get().session;
    const role = session?.role ?? "";
    if (referred && app.caps.has("confirmReferral") && !f.recusal?.own && (role === "reviewer" || role === "admin")) {
      // the referrer is no second pair of eyes: no forms the server would refuse (analystX)
      const referrer = (f.reviews ?? []).filter((r) => r.status === "referred_investigation" && r.from !== "referred_investigation").at(-1)?.reviewer;
      if (done) box.append(h("p", { class: "muted", id: "referral-confirmed" }, `Referral confirmed by ${done.reviewer} on ${done.at.slice(0, 10)}.`));
      else if (referrer && referrer === session?.name) box.append(h("p", { class: "muted", id: "own-referral" }, "You made this referral: another reviewer confirms or returns it."));
      else box.append(secondLookForm(app, f, reload, "confirm"), app.caps.has("returnReferral") ? secondLookForm(app, f, reload, "return") : "");
    }
  } else if (f.status === "in_review" && returnedBy(f.reviews) === app.store.get().session?.name) {
    // whoever returned a referral does not make the next decision: no form the server would refuse (uiQ)
    box.append(h("p", { class: "muted", id: "own-return" }, "You returned this referral: the next decision is another reviewer's."));
  } else {
    const choices = h(
      "fieldset",
      { class: "decisions" },
      h("legend", {}, "Decision"),
      DECISIONS.filter((d) => next.includes(d.status)).map((d) => h("label", { class: "radio" }, h("input", { type: "radio", name: "decision", value: d.status, required: true, checked: next.length === 1 }), d.text)),
      f.status === "new" ? h("small", { class: "muted" }, "A new flag is taken into review first; the decision follows.") : null,
    );
    const reason = h("textarea", { id: "review-reason", required: true, minlength: 10, maxlength: 2000, rows: 3, placeholder: "Reason (required; kept in the flag's history)" });
    const msg = h("div", { role: "status", "aria-live": "polite", id: "review-msg" });
    const btn = h("button", { type: "submit", class: "primary" }, "Record decision");
    // A linked reviewer may decide only after declaring the link (acknowledgeLink).
    const ack = f.recusal?.required ? h("input", { type: "checkbox", id: "ack-link" }) : null; // onDecision keeps btn disabled until ticked
    const ackRow = ack ? h("label", { class: "ack", for: "ack-link" }, ack, " I have declared this link; proceed") : null;
    const form = h("form", { id: "review-form" }, choices, h("label", { for: "review-reason" }, "Reason"), reason, ackRow, btn, msg);
    const chosen = (): string | undefined => (form.querySelector("input[name=decision]:checked") as HTMLInputElement | null)?.value;
    // every decision after "in review" is final: no state leads back
    const final = (): string | null => {
      const d = DECISIONS.find((x) => x.status === chosen());
      if (!d || d.status === "in_review") return null;
      // a referral waits for a second reviewer, who may return it: not final (analystB L4)
      const what = d.status === "referred_investigation"
        ? "You cannot change it afterwards; a second reviewer confirms it, or returns the flag to in review"
        : "This decision is final: it cannot be changed afterwards";
      return `Record "${d.text}" on flag ${f.id}? ${what}. It is kept in the flag's history and the audit log.`;
    };
    onDecision(form, { reason, ack, btn, msg }, () => (chosen() ? null : "Choose a decision."), () => app.api.query(REVIEW_FLAG, { id: f.id, decision: chosen()!, reason: reason.value.trim(), ack: ack?.checked ?? false }), "Decision recorded.", reload, final);
    box.append(form);
  }
  box.append(h("h3", {}, "History"), f.reviews?.length ? history : h("p", { class: "muted" }, "No decisions yet."));
  return box;
}

/**
 * notesPanel lists the analysts' working notes on the flag (what was
 * checked, what is awaited) and adds one: in any state, the state
 * unchanged. Notes are free text that everyone reading the flag sees, not
 * pseudonymised; a linked analyst declares the link first, as for a
 * decision, and the flagged officer writes none.
 */
function notesPanel(app: App, f: FlagDetail, reload: Refresh): HTMLElement {
  const notes = f.notes ?? [];
  const box = h(
    "section",
    { class: "card notes", "aria-labelledby": "notes-title" },
    h("h2", { id: "notes-title" }, "Notes"),
    notes.length
      ? h("ol", { class: "note-list", id: "notes" }, notes.map((n) => h("li", {}, h("strong", {}, n.author), ` on ${utcMinute(n.at)}: `, h("span", { class: "note-text" }, n.text), acknowledgedLinks(n.acknowledged))))
      : h("p", { class: "muted" }, "No notes yet."),
  );
  if (!app.caps.has("noteFlag") || f.recusal?.own) return box;
  const text = h("textarea", { id: "note-text", required: true, maxlength: 4000, rows: 2, placeholder: "What you checked, what you are waiting for (seen by everyone who reads this flag; not pseudonymised)" });
  const msg = h("div", { role: "status", "aria-live": "polite", id: "note-msg" });
  const btn = h("button", { type: "submit" }, "Add note");
  const ack = f.recusal?.required ? h("input", { type: "checkbox", id: "note-ack" }) : null;
  const form = h(
    "form",
    { id: "note-form" },
    h("label", { for: "note-text" }, "New note"),
    text,
    ack ? h("label", { class: "ack", for: "note-ack" }, ack, " I have declared my link to this officer; proceed") : null,
    btn,
    msg,
  );
  onDecision(form, { reason: text, ack, btn, msg }, () => null, () => app.api.query(NOTE_FLAG, { id: f.id, text: text.value.trim(), ack: ack?.checked ?? false }), "Note added.", reload);
  box.append(form);
  return box;
}
