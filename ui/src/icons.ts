// Node icons, one per kind, as small white SVG glyphs drawn on the node's
// colour. Shapes also differ per kind so that colour is never the only cue.
import type { Kind } from "./types";

const svg = (body: string): string =>
  "data:image/svg+xml;utf8," +
  encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24" fill="none" stroke="#fff" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">${body}</svg>`);

const person = '<circle cx="12" cy="8" r="4"/><path d="M4 21c0-4 4-6 8-6s8 2 8 6"/>';

export const ICONS: Record<Kind | "More" | "Group", string> = {
  Officer: svg('<path d="M12 2l8 3v6c0 5-3.5 9-8 11-4.5-2-8-6-8-11V5z"/><path d="M9 12l2 2 4-4"/>'),
  PersonOfInterest: svg(person + '<path d="M19 2v5M19 10v.5" stroke="#fff"/>'),
  Person: svg(person),
  Company: svg('<rect x="4" y="3" width="16" height="18"/><path d="M8 7h2M14 7h2M8 11h2M14 11h2M10 21v-4h4v4"/>'),
  Account: svg('<path d="M3 10l9-6 9 6"/><path d="M5 10v8M9 10v8M15 10v8M19 10v8M3 21h18"/>'),
  Address: svg('<path d="M3 11l9-8 9 8"/><path d="M5 10v11h14V10"/><path d="M10 21v-6h4v6"/>'),
  Phone: svg('<rect x="7" y="2" width="10" height="20" rx="2"/><path d="M11 18h2"/>'),
  Record: svg('<path d="M6 2h9l5 5v15H6z"/><path d="M14 2v6h6M9 13h8M9 17h8"/>'),
  Case: svg('<path d="M3 7h7l2 2h9v11H3z"/>'),
  Complaint: svg('<path d="M4 4h16v12H8l-4 4z"/><path d="M12 7v4M12 13.5v.5"/>'),
  Shift: svg('<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 3"/>'),
  BadgeSwipe: svg('<rect x="3" y="6" width="18" height="12" rx="2"/><path d="M3 10h18"/>'),
  MisconductCase: svg('<path d="M12 3v18M5 7h14M5 7l-3 7h6zM19 7l-3 7h6z"/>'),
  Flag: svg('<path d="M5 21V4h12l-2 4 2 4H5"/>'),
  Other: svg('<circle cx="12" cy="12" r="4"/>'),
  More: svg('<circle cx="6" cy="12" r="1.5"/><circle cx="12" cy="12" r="1.5"/><circle cx="18" cy="12" r="1.5"/>'),
  Group: svg(""),
};

/** Colours per kind: chosen for white-icon contrast (WCAG AA at node size). */
export const COLOURS: Record<Kind | "More" | "Group", string> = {
  Officer: "#1d4ed8",
  PersonOfInterest: "#b91c1c",
  Person: "#475569",
  Company: "#7c3aed",
  Account: "#047857",
  Address: "#92400e",
  Phone: "#0e7490",
  Record: "#334155",
  Case: "#a16207",
  Complaint: "#be185d",
  Shift: "#4d7c0f",
  BadgeSwipe: "#3f6212",
  MisconductCase: "#9f1239",
  Flag: "#c2410c",
  Other: "#6b7280",
  More: "#e5e7eb",
  Group: "#f1f5f9",
};

export const SHAPES: Record<Kind | "More" | "Group", string> = {
  Officer: "round-hexagon",
  PersonOfInterest: "round-diamond",
  Person: "ellipse",
  Company: "round-rectangle",
  Account: "round-tag",
  Address: "round-pentagon",
  Phone: "ellipse",
  Record: "rectangle",
  Case: "round-rectangle",
  Complaint: "round-triangle",
  Shift: "ellipse",
  BadgeSwipe: "ellipse",
  MisconductCase: "round-octagon",
  Flag: "star",
  Other: "ellipse",
  More: "round-rectangle",
  Group: "round-rectangle",
};

/** KIND_NAMES are the legend's words for each kind. */
export const KIND_NAMES: Partial<Record<Kind, string>> = {
  Officer: "Officer",
  PersonOfInterest: "Person of interest",
  Person: "Person",
  Company: "Company",
  Account: "Account",
  Address: "Address",
  Phone: "Phone",
  Record: "Record",
  Case: "Case",
  Complaint: "Complaint",
  Shift: "Shift",
};
