// Conformance check of a running `probity serve`:
//  1. graphql-http's auditServer (GraphQL over HTTP): every MUST and every
//     SHOULD must pass; MAY results are printed for information.
//  2. An introspection round-trip: the schema served must build with
//     graphql-js's buildClientSchema and print as valid SDL.
// Usage: PROBITY_URL=http://127.0.0.1:8080/graphql PROBITY_TOKEN=... node audit.mjs
// Exits 1 on any failure or warning.
import { auditServer } from 'graphql-http';
import { buildClientSchema, getIntrospectionQuery, printSchema, validateSchema } from 'graphql';

const url = process.env.PROBITY_URL;
const token = process.env.PROBITY_TOKEN;
if (!url || !token) {
  console.error('set PROBITY_URL (…/graphql) and PROBITY_TOKEN');
  process.exit(2);
}

// Every request carries the bearer token; the audit does not know about auth.
const fetchFn = (input, init = {}) => {
  const headers = new Headers(init.headers || {});
  headers.set('authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers });
};

let failed = 0;
const results = await auditServer({ url, fetchFn });
for (const r of results) {
  const level = r.name.split(' ')[0];
  const mandatory = level === 'MUST' || level === 'SHOULD';
  if (r.status === 'ok') {
    console.log(`ok      ${r.id} ${r.name}`);
    continue;
  }
  if (mandatory) failed++;
  console.log(`${mandatory ? 'FAIL' : 'notice'}  ${r.id} ${r.name} (${r.status}): ${r.reason}`);
}

const res = await fetchFn(url, {
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
  body: JSON.stringify({ query: getIntrospectionQuery({ descriptions: true }) }),
});
const body = await res.json();
if (res.status !== 200 || body.errors) {
  failed++;
  console.log(`FAIL    introspection: status ${res.status} ${JSON.stringify(body.errors)}`);
} else {
  const schema = buildClientSchema(body.data);
  const problems = validateSchema(schema);
  const sdl = printSchema(schema);
  const undocumented = Object.values(schema.getTypeMap())
    .filter((t) => !t.name.startsWith('__') && !['String', 'Int', 'Float', 'Boolean', 'ID'].includes(t.name))
    .flatMap((t) => {
      const out = t.description ? [] : [t.name];
      const fields = typeof t.getFields === 'function' ? Object.values(t.getFields()) : [];
      return out.concat(fields.filter((f) => !f.description).map((f) => `${t.name}.${f.name}`));
    });
  if (problems.length || undocumented.length) {
    failed++;
    console.log(`FAIL    introspection: ${problems.map(String).join('; ')} undocumented: ${undocumented.join(', ')}`);
  } else {
    console.log(`ok      introspection round-trip: ${Object.keys(schema.getTypeMap()).length} types, ${sdl.length} bytes of SDL`);
  }
}

console.log(failed ? `${failed} check(s) failed` : 'all MUST and SHOULD checks passed');
process.exit(failed ? 1 : 0);
