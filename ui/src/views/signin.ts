// Sign in with an API token and the purpose of this session; both live in
// sessionStorage only (gone when the tab closes).
import { ApiError, Capabilities, client, friendly } from "../api";
import { saveSession } from "../app";
import { clearDrafts, draftsOwner, hasDrafts } from "../drafts";
import { h } from "../dom";
import { ME } from "../queries";
import type { Session } from "../store";

export function signIn(root: HTMLElement, done: (s: Session, caps: Capabilities) => void, reason = ""): void {
  const token = h("input", { id: "token", type: "password", required: true, autocomplete: "off", spellcheck: "false", "aria-describedby": "token-help" });
  const purpose = h("input", { id: "purpose", type: "text", required: true, minlength: 5, placeholder: "e.g. triage of this week's flags, case CC-2024-17", "aria-describedby": "purpose-help" });
  const msg = h("div", { id: "signin-msg", role: "alert" }, reason);
  const button = h("button", { type: "submit", class: "primary" }, "Sign in");
  // a refused token ended the session with text typed and not sent: it is kept for this tab (analystC L3)
  const kept = hasDrafts()
    ? h(
        "p",
        { class: "notice", id: "drafts-kept", role: "note" },
        draftsOwner()
          ? `Text that ${draftsOwner()} had typed on a flag and not sent (a note, a reason, a purpose) is kept in this tab: it is put back when ${draftsOwner()} signs in again and opens the flag; another token is asked first, and its typing on a flag drops it. `
          : "Text you had typed on a flag and not sent (a note, a reason, a purpose) is kept in this tab: sign in and open the flag again to find it. ",
        h("button", { type: "button", class: "link", id: "drafts-discard", onclick: () => { clearDrafts(); kept?.replaceChildren("Unsent text discarded."); token.focus(); } }, "Discard it"),
      )
    : null;
  const form = h(
    "form",
    { class: "signin", "aria-labelledby": "signin-title" },
    h("h1", { id: "signin-title" }, "Probity"),
    h("p", { class: "lede" }, "Association investigator for professional standards. Every look-up is audited with its purpose."),
    h("label", { for: "token" }, "API token"),
    token,
    h("small", { id: "token-help" }, "From your administrator (probity token create). Kept for this tab only."),
    h("label", { for: "purpose" }, "Purpose of this session"),
    purpose,
    h("small", { id: "purpose-help" }, "Recorded with every reveal and export you make."),
    button,
    msg,
    kept,
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!token.value.trim() || purpose.value.trim().length < 5 || !/[\p{L}\p{N}]/u.test(purpose.value)) {
      msg.textContent = "Enter a token and a purpose in words, of at least 5 characters (the audit log keeps it with every read).";
      return;
    }
    button.disabled = true;
    msg.textContent = "Checking the token…";
    const t = token.value.trim();
    const p = purpose.value.trim();
    try {
      const c = client(t, p, () => {});
      const caps = await Capabilities.load(c);
      let name = "", role = "";
      if (caps.has("me")) {
        const d = await c.query<{ me: { name: string; role: string } | null }>(ME);
        if (!d.me) throw new ApiError("unauthorized", "no identity");
        name = d.me.name;
        role = d.me.role;
      } else {
        role = "unknown";
      }
      const s: Session = { token: t, purpose: p, name, role };
      saveSession(s);
      done(s, caps);
    } catch (e) {
      msg.textContent = friendly(e);
      button.disabled = false;
    }
  });
  root.replaceChildren(h("main", { class: "signin-page", id: "main" }, form));
  token.focus();
}
