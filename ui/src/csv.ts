/**
 * toCsv writes rows as RFC 4180 CSV: a field holding a comma, a quote or a
 * line break is quoted, quotes doubled. A field a spreadsheet would take
 * for a formula (starting with =, +, -, @, a tab or a carriage return) is
 * prefixed with an apostrophe (the loader refuses such ids; a reason
 * quoting a bad value may still start so).
 */
export function toCsv(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  const field = (v: string | number | null | undefined): string => {
    let s = v == null ? "" : String(v);
    if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = "'" + s;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return rows.map((r) => r.map(field).join(",")).join("\r\n") + "\r\n";
}
