// Reading a flag as the API sends it (api/schema.graphql's Flag, through
// the FLAGS and FLAG documents in queries.ts) into the fields the queue and
// the flag view show.

type Raw = Record<string, unknown>;
const text = (v: unknown): string | null => (v == null ? null : String(v));
const list = (v: unknown): Raw[] => (Array.isArray(v) ? (v as Raw[]) : []);
/** props reads a list of Property ({name, value}) as an object by name. */
const props = (v: unknown): Record<string, unknown> => Object.fromEntries(list(v).map((p) => [String(p.name), p.value]));

/** flagFromApi maps a Flag of the API to the view's fields. */
export function flagFromApi(f: Raw) {
  const rec = f.recusal as Raw | null | undefined;
  return {
    id: String(f.id),
    pattern: String(f.pattern ?? ""),
    ruleVersion: (f.patternVersion as number | undefined) ?? null,
    score: Number(f.score ?? 0),
    status: String(f.status ?? "new"),
    nextStatuses: list(f.nextStatuses).map(String),
    explanation: String(f.explanation ?? ""),
    innocentExplanation: text(f.innocentExplanation),
    parameters: Array.isArray(f.parameters) ? props(f.parameters) : null,
    scannedAt: text(f.scannedAt),
    createdAt: text(f.firstSeen),
    lastSeen: text(f.lastSeen),
    clearedAt: text(f.clearedAt),
    notFoundAt: text(f.notFoundAt),
    newerFlag: text(f.newerFlag),
    clearedHubs: list(f.clearedHubs).map(String),
    clearedParameters: props(f.clearedParameters),
    supersededBy: text(f.supersededBy),
    officer: (f.officer as { id: string; key?: string; displayName?: string; unit?: string; rank?: string } | null | undefined) ?? null,
    evidence: f.evidence,
    reviews: list(f.reviews).map((r) => ({
      at: String(r.at ?? ""),
      reviewer: String(r.reviewer ?? ""),
      from: String(r.from ?? ""),
      status: String(r.to ?? ""),
      reason: String(r.reason ?? ""),
      acknowledged: list(r.acknowledgedLinks).map(String),
      parameters: Array.isArray(r.parameters) ? props(r.parameters) : undefined,
    })),
    notes: Array.isArray(f.notes)
      ? list(f.notes).map((n) => ({ at: String(n.at ?? ""), author: String(n.author ?? ""), text: String(n.text ?? ""), acknowledged: list(n.acknowledgedLinks).map(String) }))
      : undefined,
    recusal: rec?.required ? { required: true, reason: text(rec.reason), reasons: list(rec.reasons).map(String), own: Boolean(rec.own) } : null,
    revealed: Boolean(f.revealed),
    risk: typeof (f.officerRisk as Raw | undefined)?.risk === "number" ? ((f.officerRisk as Raw).risk as number) : null,
    declarations: Array.isArray(f.declarations)
      ? list(f.declarations).map((d) => ({ declared: String(d.declared ?? ""), type: text(d.type), on: text(d.on), withdrawnOn: text(d.withdrawnOn), afterFlag: Boolean(d.afterFlag) }))
      : undefined,
  };
}

/**
 * confirmation is a referral's confirmation by a second reviewer: the one
 * review that stays in referred_investigation (confirmReferral records it
 * from and to that state; no decision can), never judged by its reason,
 * which anyone may word "confirmed: …" (analystV).
 */
export function confirmation<R extends { from?: string; status: string }>(reviews: R[] | null | undefined): R | undefined {
  return (reviews ?? []).find((r) => r.from === "referred_investigation" && r.status === "referred_investigation");
}

/**
 * returnedBy is who returned the flag's referral to in review, when that
 * is the flag's last move (a return goes from referred_investigation to
 * in_review): that reviewer does not make the next decision.
 */
export function returnedBy<R extends { from?: string; status: string; reviewer: string }>(reviews: R[] | null | undefined): string | undefined {
  const last = (reviews ?? []).at(-1);
  return last && last.from === "referred_investigation" && last.status === "in_review" ? last.reviewer : undefined;
}

/** hubCause words a cleared flag's hub, "Address:A1 (suppressed: reason)" or "(degree)", for the notice. */
export function hubCause(hub: string): string {
  const m = /^(.*?) \((.*)\)$/.exec(hub);
  if (!m) return hub;
  const [, id, why] = m;
  if (why.startsWith("suppressed: ")) return `${id}, put on the hub list ("${why.slice("suppressed: ".length)}")`;
  if (why === "degree") return `${id}, now a hub (more than 20 neighbours)`;
  return `${id}, now a hub`;
}
