// The one way the UI talks to the server: POST /graphql with the session's
// bearer token. Errors come back as ApiError with the server's code
// (extensions.code) so that views can say what went wrong.
import { INTROSPECT, NEEDS, type Feature } from "./queries";

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Client {
  query<T>(doc: string, variables?: Record<string, unknown>): Promise<T>;
}

export const PURPOSE_HEADER = "X-Probity-Purpose";

/** client sends documents with the token and the session's stated purpose. */
export function client(token: string, purpose: string, onUnauthorized: () => void, endpoint = "/graphql"): Client {
  return {
    async query<T>(doc: string, variables: Record<string, unknown> = {}): Promise<T> {
      let resp: Response;
      try {
        resp = await fetch(endpoint, {
          method: "POST",
          headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}`, [PURPOSE_HEADER]: headerSafe(purpose) },
          body: JSON.stringify({ query: doc, variables }),
        });
      } catch {
        throw new ApiError("unavailable", "The server cannot be reached.");
      }
      if (resp.status === 401) {
        onUnauthorized();
        throw new ApiError("unauthorized", "The token was not accepted.");
      }
      let body: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
      try {
        body = await resp.json();
      } catch {
        throw new ApiError("internal", `The server answered ${resp.status} without GraphQL.`);
      }
      if (body.errors?.length) {
        const e = body.errors[0];
        const code = e.extensions?.code ?? (/Cannot query field|Unknown argument|Unknown type/.test(e.message) ? "not_available" : "internal");
        if (code === "unauthorized") onUnauthorized();
        throw new ApiError(code, e.message);
      }
      if (!body.data) throw new ApiError("internal", "Empty answer from the server.");
      return body.data;
    },
  };
}

/** LoadAnswer is the report of POST /load (api/upload.go). */
export interface LoadAnswer {
  /** valid rows passed the checks; loaded were written (none when a strict load wrote nothing). */
  files: { file: string; read: number; valid: number; loaded: number; new: number; rejected: number; seconds: number }[];
  rejected: number;
  written: boolean;
  rejects: { file: string; line: number; column?: string; reason: string }[];
  rejectsTruncated: boolean;
  /** What the load told besides rejects (columns absent, ignored or kept as attributes). */
  notes: string[];
}

/** LoadStep is where an upload is: sending the files, then loading one. */
export type LoadStep = { phase: "upload"; sent: number; total: number } | { phase: "load"; file: string; checking: boolean; rows: number; bytes: number; size: number };

/**
 * uploadDataSet sends CSV files of the import format to POST /load (admin)
 * and reports progress: the upload's bytes, then the server's progress lines
 * (application/x-ndjson) as it loads each file. XMLHttpRequest, because
 * fetch reports no upload progress.
 */
export function uploadDataSet(token: string, purpose: string, files: File[], strict: boolean, onStep: (s: LoadStep) => void = () => {}): Promise<LoadAnswer> {
  const form = new FormData();
  for (const f of files) form.append("file", f, f.name);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    let seen = 0; // characters of responseText already parsed
    let outcome: { result?: LoadAnswer; error?: string; code?: string } | null = null;
    const lines = (): void => {
      const text = xhr.responseText;
      const end = text.lastIndexOf("\n");
      if (end < seen) return;
      for (const line of text.slice(seen, end).split("\n")) {
        if (!line.trim()) continue;
        try {
          const m = JSON.parse(line);
          if (m.progress) onStep({ phase: "load", ...m.progress });
          else outcome = m;
        } catch {
          // a line cut short is read again with the rest
        }
      }
      seen = end + 1;
    };
    xhr.open("POST", `/load${strict ? "?strict=true" : ""}`);
    xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.setRequestHeader(PURPOSE_HEADER, headerSafe(purpose));
    xhr.setRequestHeader("Accept", "application/x-ndjson");
    xhr.upload.onprogress = (e) => onStep({ phase: "upload", sent: e.loaded, total: e.lengthComputable ? e.total : 0 });
    xhr.onprogress = lines;
    xhr.onerror = () => reject(new ApiError("unavailable", "The server cannot be reached."));
    xhr.onload = () => {
      if (xhr.status !== 200) {
        let body: { error?: string; code?: string } = {};
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          // not JSON: the status says enough
        }
        return reject(new ApiError(body.code ?? "internal", body.error ?? `The server answered ${xhr.status}.`));
      }
      lines(); // the server ends every line, the last too, with a newline
      const o = outcome as { result?: LoadAnswer; error?: string; code?: string } | null;
      if (o?.result) resolve(o.result);
      else reject(new ApiError(o?.code ?? "internal", o?.error ?? "The load ended without a report."));
    };
    xhr.send(form);
  });
}

/** Capabilities is the set of root fields the server offers. */
export class Capabilities {
  constructor(readonly fields: Set<string>) {}
  has(f: Feature): boolean {
    return this.fields.has(NEEDS[f]);
  }
  /** arg says whether a root field takes the named argument. */
  static async load(c: Client): Promise<Capabilities> {
    type F = { name: string; args: { name: string }[] };
    const d = await c.query<{ __schema: { queryType: { fields: F[] }; mutationType: { fields: F[] } | null } }>(INTROSPECT);
    const s = new Set<string>();
    for (const f of d.__schema.queryType.fields) s.add(`Query.${f.name}`);
    for (const f of d.__schema.mutationType?.fields ?? []) s.add(`Mutation.${f.name}`);
    return new Capabilities(s);
  }
}

/** friendly turns an error into one sentence for an error state. */
export function friendly(e: unknown): string {
  if (e instanceof ApiError) {
    switch (e.code) {
      case "unauthorized":
        return "Your token was not accepted. Sign in again.";
      case "forbidden":
        return e.message ? `Not allowed: ${e.message}` : "Your role does not allow this.";
      case "not_found":
        return "Not found: " + e.message;
      case "limit":
        return "Too large: " + e.message;
      case "unavailable":
        // the server's words: some unavailability passes (Neo4j restarting), some waits for an administrator (an audit log restored under the server)
        return e.message ? `Unavailable: ${e.message}` : "The database or server is unavailable. Try again shortly.";
      case "not_available":
        return "Not available on this server yet.";
      case "invalid":
      case "conflict":
        return e.message;
      default:
        return "Something went wrong on the server.";
    }
  }
  return e instanceof Error ? e.message : String(e);
}

/** headerSafe keeps a purpose as typed when it is printable ASCII (headers allow no more), else percent-encodes it. */
export function headerSafe(s: string): string {
  return /^[\x20-\x7e]*$/.test(s) ? s : encodeURIComponent(s);
}
