// Date fields in ISO form (YYYY-MM-DD), as every other date of the UI and
// of the explanations is. <input type=date> shows the browser locale's
// order instead (mm/dd/yyyy in en-US, dd/mm/yyyy in en-GB), and 03/04/2025
// reads as March or April depending on who reads it (analystC L4): a text
// field that takes one order only, says it, and refuses anything that is
// not a calendar date, beside the field, before anything is sent.
import { h } from "./dom";

/** DateCheck is a field's text read as a day: value (null when empty), or why it is not one. */
export type DateCheck = { ok: true; value: string | null } | { ok: false; error: string };

/** YEARS bound a plausible year: a typo such as 0224 or 20224 is refused, not sent. */
export const YEARS = { min: 1900, max: 2100 } as const;

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** daysIn is the number of days of a month (1..12) of a year, leap years counted. */
export function daysIn(year: number, month: number): number {
  return month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * parseIsoDate reads a date field: YYYY-MM-DD, or its eight digits alone
 * (a numeric keypad has no hyphen), written back as YYYY-MM-DD; empty is no
 * date. Anything else is refused with a reason to show beside the field:
 * another order (03/04/2025), a day the calendar lacks (2025-02-30), an
 * implausible year.
 */
export function parseIsoDate(text: string): DateCheck {
  const t = text.trim();
  if (!t) return { ok: true, value: null };
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (!m) {
    const dmy = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(t);
    if (dmy) {
      // the days it could be, day first or month first: one (or both the same) is said (analystD
      // L5: 28/11/2026 was called ambiguous), two differing are ambiguous, none is no date (reviewP L3)
      const [a, b, y] = [Number(dmy[1]), Number(dmy[2]), Number(dmy[3])];
      const day = (m: number, d: number): string | null => (m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m) ? `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}` : null);
      const could = [...new Set([day(b, a), day(a, b)].filter((x): x is string => x !== null))];
      if (could.length === 1) return { ok: false, error: `Write the year first, YYYY-MM-DD: “${t}” is ${could[0]}.` };
      if (could.length === 0) return { ok: false, error: `“${t}” is not a date in either order: write it as YYYY-MM-DD, for example 2025-02-12.` };
    }
    if (/^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$/.test(t)) return { ok: false, error: `Write the year first, YYYY-MM-DD: “${t}” could be either day or month first.` };
    return { ok: false, error: `“${t}” is not a date: write it as YYYY-MM-DD, for example 2025-02-12.` };
  }
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < YEARS.min || y > YEARS.max) return { ok: false, error: `The year ${m[1]} is out of range: ${YEARS.min} to ${YEARS.max}.` };
  if (mo < 1 || mo > 12) return { ok: false, error: `There is no month ${mo}: write YYYY-MM-DD, the month between 01 and 12.` };
  if (d < 1 || d > daysIn(y, mo)) return { ok: false, error: `${MONTHS[mo - 1]} ${y} has no day ${d} (it has ${daysIn(y, mo)}).` };
  return { ok: true, value: `${m[1]}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}` };
}

/**
 * periodError says why two ISO days (YYYY-MM-DD, compared as text) make no
 * period, or null when they do or one is missing: an inclusive period may
 * start and end on one day; an exclusive end ("To", the audit log's) must
 * come after the start.
 */
export function periodError(from: string | null, to: string | null, endExclusive: boolean): string | null {
  if (!from || !to) return null;
  if (endExclusive ? from >= to : from > to) return endExclusive ? "“To” is exclusive: it must come after “From”." : "The period ends before it starts.";
  return null;
}

/** DateField is a date input in ISO form with its message beside it. */
export interface DateField {
  /** el holds the input and its message, to put where the input goes (after its label). */
  el: HTMLElement;
  input: HTMLInputElement;
  /** check reads the field, shows why when it is not a date, and writes a valid one back as YYYY-MM-DD. */
  check(): DateCheck;
  /** set puts a day in (or empties the field) and clears any message. */
  set(value: string | null): void;
  /** refuse shows a message of the caller's (a period that ends before it starts). */
  refuse(error: string): void;
}

/**
 * dateField is a text input for a day in ISO form: placeholder YYYY-MM-DD,
 * a numeric keypad on touch screens, and a message beside it, tied to it
 * by aria-describedby, when what is typed is not a calendar date. done
 * runs with the day (null: emptied) when a valid entry is made (the field
 * left, or Enter), and not at all while it is invalid: nothing is sent.
 */
export function dateField(id: string, attrs: { label?: string; value?: string | null; title?: string } = {}, done?: (value: string | null) => void): DateField {
  const msgId = `${id}-msg`;
  const input = h("input", {
    type: "text",
    id,
    inputmode: "numeric",
    placeholder: "YYYY-MM-DD",
    size: 10,
    autocomplete: "off",
    spellcheck: "false",
    class: "iso-date",
    "aria-label": attrs.label ?? null,
    "aria-describedby": msgId,
    title: attrs.title ?? "A day as YYYY-MM-DD (year, month, day), for example 2025-02-12",
    value: attrs.value ?? "",
  });
  const msg = h("span", { id: msgId, class: "field-msg", "aria-live": "polite" });
  const refuse = (error: string): void => {
    input.setAttribute("aria-invalid", "true");
    msg.textContent = error;
  };
  const fine = (): void => {
    input.removeAttribute("aria-invalid");
    msg.textContent = "";
  };
  const check = (): DateCheck => {
    const r = parseIsoDate(input.value);
    if (!r.ok) refuse(r.error);
    else {
      fine();
      input.value = r.value ?? "";
    }
    return r;
  };
  let last = input.value;
  const commit = (): void => {
    const r = check();
    if (!r.ok || !done || input.value === last) return;
    last = input.value;
    done(r.value);
  };
  if (done) {
    input.addEventListener("change", commit);
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") {
        ev.preventDefault();
        commit();
      }
    });
  }
  // typing again takes the complaint away; leaving the field checks again
  input.addEventListener("input", () => {
    if (input.getAttribute("aria-invalid") && parseIsoDate(input.value).ok) fine();
  });
  return {
    el: h("span", { class: "date-field" }, input, msg),
    input,
    check,
    set: (value) => {
      input.value = value ?? "";
      last = input.value;
      fine();
    },
    refuse,
  };
}
