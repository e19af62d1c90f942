// Drafts: what is typed on a flag's page and not sent yet (a review reason,
// a note, a referral's reason, a reveal's purpose), kept per flag for this
// tab only, in sessionStorage as the token is: a refused token ends the
// session but no longer loses the text (analystC L3). They go when the tab
// closes, when they are sent, and on an explicit sign-out. Free text may
// name people (notes are not pseudonymised): nothing here outlives the tab.

export const DRAFTS_KEY = "probity.drafts";

/** DRAFT_FLAGS bounds how many flags keep drafts: the oldest written goes first. */
export const DRAFT_FLAGS = 50;

/** DRAFT_MAX bounds one draft; the longest field, a note, takes 4,000 characters. */
export const DRAFT_MAX = 4000;

/** Drafts are the texts kept, by flag id, then by field (an element id, or "decision"). */
export type Drafts = Record<string, Record<string, string>>;

type Storage = Pick<globalThis.Storage, "getItem" | "setItem" | "removeItem">;

/** tab is the tab's sessionStorage, or null where there is none (or it refuses: a private window's quota). */
function tab(): Storage | null {
  try {
    return typeof sessionStorage === "undefined" ? null : sessionStorage;
  } catch {
    return null;
  }
}

function read(s: Storage | null): Drafts {
  if (!s) return {};
  try {
    const d = JSON.parse(s.getItem(DRAFTS_KEY) ?? "{}") as unknown;
    if (!d || typeof d !== "object" || Array.isArray(d)) return {};
    const out: Drafts = {};
    for (const [flag, fields] of Object.entries(d as Record<string, unknown>)) {
      if (!fields || typeof fields !== "object") continue;
      const kept = Object.entries(fields as Record<string, unknown>).filter((kv): kv is [string, string] => typeof kv[1] === "string" && kv[1] !== "");
      if (kept.length) out[flag] = Object.fromEntries(kept);
    }
    return out;
  } catch {
    return {};
  }
}

function write(s: Storage | null, d: Drafts): void {
  if (!s) return;
  try {
    if (Object.keys(d).length) s.setItem(DRAFTS_KEY, JSON.stringify(d));
    else s.removeItem(DRAFTS_KEY);
  } catch {
    // full: the draft stays on screen, as before drafts were kept
  }
}

/** keepDraft keeps what a field of a flag's page holds now; an empty (or blank) field forgets it. */
export function keepDraft(flag: string, field: string, value: string, s: Storage | null = tab()): void {
  const d = read(s);
  const fields = { ...(d[flag] ?? {}) };
  if (value.trim()) fields[field] = value.slice(0, DRAFT_MAX);
  else delete fields[field];
  delete d[flag]; // written last: the newest
  if (Object.keys(fields).length) d[flag] = fields;
  const flags = Object.keys(d);
  for (const old of flags.slice(0, Math.max(0, flags.length - DRAFT_FLAGS))) delete d[old];
  write(s, d);
}

/** draftsOf are the texts kept for a flag, by field. */
export function draftsOf(flag: string, s: Storage | null = tab()): Record<string, string> {
  return read(s)[flag] ?? {};
}

/** forgetDrafts drops a flag's drafts of these fields (sent), or all of its drafts. */
export function forgetDrafts(flag: string, fields?: string[], s: Storage | null = tab()): void {
  const d = read(s);
  if (!d[flag]) return;
  if (fields) for (const f of fields) delete d[flag][f];
  if (!fields || !Object.keys(d[flag]).length) delete d[flag];
  write(s, d);
}

/** hasDrafts says whether any unsent text is kept (the sign-in page says so). */
export function hasDrafts(s: Storage | null = tab()): boolean {
  return Object.keys(read(s)).length > 0;
}

/** clearDrafts forgets every draft: an explicit sign-out, or "Discard" on the sign-in page. */
export function clearDrafts(s: Storage | null = tab()): void {
  s?.removeItem(DRAFTS_KEY);
  s?.removeItem(DRAFTS_OWNER_KEY);
}

/** DRAFTS_OWNER_KEY keeps the name of the token whose drafts they are. */
export const DRAFTS_OWNER_KEY = "probity.drafts.owner";

/** draftsOwner is the token name whose drafts are kept ("" when none are, or an older build kept them unnamed). */
export function draftsOwner(s: Storage | null = tab()): string {
  if (!hasDrafts(s)) return "";
  try {
    return s?.getItem(DRAFTS_OWNER_KEY) ?? "";
  } catch {
    return "";
  }
}

/**
 * claimDrafts makes the drafts name's as it types: another token's kept
 * drafts are discarded first. Put back for whoever signed in next, they
 * went out under that person's name (analystD M3, reviewO L6); the flag's
 * page now asks (adoptDrafts), and typing without taking them up drops them.
 */
export function claimDrafts(name: string, s: Storage | null = tab()): void {
  if (!s) return;
  try {
    const owner = s.getItem(DRAFTS_OWNER_KEY);
    if (owner !== null && owner !== name) clearDrafts(s);
    s.setItem(DRAFTS_OWNER_KEY, name);
  } catch {
    // no storage: no drafts either
  }
}

/** adoptDrafts makes another token's kept drafts name's: its holder chose to put them back (a new token of the same person). */
export function adoptDrafts(name: string, s: Storage | null = tab()): void {
  try {
    s?.setItem(DRAFTS_OWNER_KEY, name);
  } catch {
    // no storage: no drafts either
  }
}

/** FIELD_NAMES say in words what each kept field is. */
export const FIELD_NAMES: Record<string, string> = {
  decision: "the decision chosen",
  "review-reason": "the review reason",
  "confirm-reason": "the confirmation's reason",
  "return-reason": "the return's reason",
  "note-text": "the note",
  "reveal-purpose": "the reveal's purpose",
};

/** restoredNote says which unsent texts were put back ("" when none). */
export function restoredNote(fields: string[]): string {
  if (!fields.length) return "";
  const names = fields.map((f) => FIELD_NAMES[f] ?? f);
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
  return `Put back what you had typed here and not sent: ${list}. It is kept in this tab only, until you send it or sign out.`;
}
