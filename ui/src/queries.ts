// Every GraphQL document the UI sends, in one place, so that they are easy
// to adjust to the API's schema (api/schema.graphql). Each document names
// the root field it needs; the app asks the server (introspection) which
// root fields exist and shows "not available" for features whose field is
// missing, instead of failing.

/** The fields of an entity (interface Node) the chart and details panel use. */
export const NODE = `
  id key type displayName hubReason
  ... on Officer { pseudonym rank unit role startDate status }
  ... on Person { pseudonym dob poi poiReason highProfile }
  ... on Company { registered }
  ... on Account { bank }
  ... on Address { line postcode }
  ... on Case { caseType title opened status }
  ... on Record { system kind }
  ... on Complaint { received category status }
`;

/** The selection of a subgraph, used by every query that returns one. */
export const SUBGRAPH = `
  nodes { ${NODE} }
  edges { id type from to properties { name value } }
  truncated reasons hubs
`;

export const INTROSPECT = `query Capabilities {
  __schema {
    queryType { fields { name args { name } } }
    mutationType { fields { name args { name } } }
  }
}`;

/** Root fields (Query.x / Mutation.x) each feature needs. */
export const NEEDS = {
  me: "Query.me",
  search: "Query.search",
  neighbourhood: "Query.neighbourhood",
  paths: "Query.paths",
  timeline: "Query.timeline",
  flags: "Query.flags",
  flag: "Query.flag",
  reveal: "Query.node",
  revealIdentity: "Mutation.revealIdentity",
  confirmReferral: "Mutation.confirmReferral",
  returnReferral: "Mutation.returnReferral",
  noteFlag: "Mutation.noteFlag",
  schedules: "Query.schedules",
  charts: "Query.charts",
  saveChart: "Mutation.saveChart",
  recordExport: "Mutation.recordExport",
} as const;
export type Feature = keyof typeof NEEDS;

export const ME = `query Me { me { name role } }`;

/** RECORD_EXPORT audits a chart export (format, the entities in it, the session's purpose) before the file is written. */
export const RECORD_EXPORT = `mutation RecordExport($format: String!, $ids: [ID!]!, $revealed: [ID!]) { recordExport(format: $format, ids: $ids, revealed: $revealed) }`;

export const SEARCH = `query Search($text: String!, $first: Int) {
  search(text: $text, first: $first) { ${NODE} }
}`;

/** NEIGHBOUR_LIMIT is the most neighbours one expansion asks for (the server allows 500). */
export const NEIGHBOUR_LIMIT = 500;

/** NEIGHBOURHOOD is what lies within $depth links (1 unless given: the counts before expanding; the chart's depth choice, 1 to 3, for an expansion). */
export const NEIGHBOURHOOD = `query Neighbourhood($ids: [ID!]!, $depth: Int = 1, $types: [RelType!], $limit: Int, $asOf: String) {
  neighbourhood(ids: $ids, depth: $depth, relTypes: $types, limit: $limit, asOf: $asOf) { ${SUBGRAPH} }
}`;

export const PATHS = `query Paths($from: ID!, $to: ID!, $maxHops: Int, $throughHubs: Boolean) {
  paths(from: $from, to: $to, maxHops: $maxHops, throughHubs: $throughHubs, first: 10) {
    paths { nodeIds edgeIds length }
    ${SUBGRAPH}
  }
}`;

export const TIMELINE = `query Timeline($ids: [ID!]!, $from: String, $to: String) {
  timeline(ids: $ids, from: $from, to: $to, first: 1000) {
    events { at kind subject { id displayName } other { id type displayName } details { name value } }
    truncated
  }
}`;

/** REVEAL asks for a real name; the server audits it with the purpose. */
export const REVEAL = `query Reveal($id: ID!, $purpose: String!) {
  node(id: $id) {
    id type displayName
    ... on Officer { name(purpose: $purpose) }
    ... on Person { name(purpose: $purpose) }
  }
}`;

/**
 * REVEAL_IDENTITY reveals a flag's names for a purpose; the server stores
 * the Reveal, so later reads of the flag by this token show the names.
 */
export const REVEAL_IDENTITY = `mutation RevealIdentity($flagId: ID!, $purpose: String!) {
  revealIdentity(flagId: $flagId, purpose: $purpose) { id at purpose people { entity { id key type displayName } name } }
}`;

/** FAIRNESS is the disproportion report: flag rates per officer attribute against the force-wide rate. */
export const FAIRNESS = `query Fairness($pattern: String, $current: Boolean) {
  fairnessReport(pattern: $pattern, current: $current) { officers flagged flaggedStanding rate generatedAt comparisons notCompared groups { attribute value notRecorded officers flagged rate ratio small pValue ratioLow ratioHigh beyondChance beyondChanceFdr } }
}`;

/** ACCURACY is the latest probity eval result. */
export const ACCURACY = `query Accuracy {
  accuracyReport { at truthFile warnings scanRunId newerScanRunId changes { raised cleared rescored } overall { pattern truth flagged truePositives precision precisionLow precisionHigh recall recallLow recallHigh trapsFlagged traps } }
  accuracy { pattern truth flagged truePositives precision precisionLow precisionHigh recall recallLow recallHigh trapsFlagged traps precisionAtK k }
}`;

/** REVIEW_OUTCOMES is what reviewers decided, per pattern. */
export const REVIEW_OUTCOMES = `query ReviewOutcomes { reviewOutcomes { pattern open inReview referred confirmed preventionNotice noFurtherAction falsePositive decided upheld upheldLow upheldHigh } }`;

/** AUDIT_LOG is a page of the audit trail (reviewer), filtered, oldest or newest first. */
export const AUDIT_LOG = `query AuditLog($first: Int, $after: String, $actor: String, $from: String, $to: String, $entity: String, $operation: String, $revealed: Boolean, $newestFirst: Boolean) {
  auditLog(first: $first, after: $after, actor: $actor, from: $from, to: $to, entity: $entity, operation: $operation, revealed: $revealed, newestFirst: $newestFirst) { nodes { seq at actor role operation purpose entityIds revealed } pageInfo { hasNextPage endCursor } }
}`;

/** AUDIT_VERIFY checks the whole hash chain. */
export const AUDIT_VERIFY = `query AuditVerify { auditVerification { ok checked brokenSeq reason } }`;

export const SCAN_RUNS = `query ScanRuns { scanRuns(first: 20) { nodes { id trigger status startedAt endedAt officers newFlags updatedFlags clearedFlags notFoundFlags error patterns { pattern note } } } }`;

export const SCHEDULES = `query Schedules { schedules { name cron patterns incremental enabled timeoutSeconds lastRunAt lastResult nextRunAt } }`;

export const SCHEDULE_RUNS = `query ScheduleRuns($name: String!) { scheduleRuns(name: $name, first: 20) { id trigger startedAt endedAt status error scanRunId newFlags } }`;

export const ADD_SCHEDULE = `mutation AddSchedule($name: String!, $cron: String!, $patterns: [String!], $incremental: Boolean, $enabled: Boolean) {
  addSchedule(name: $name, cron: $cron, patterns: $patterns, incremental: $incremental, enabled: $enabled) { name nextRunAt }
}`;
export const UPDATE_SCHEDULE = `mutation UpdateSchedule($name: String!, $cron: String!, $patterns: [String!], $incremental: Boolean, $enabled: Boolean, $timeoutSeconds: Int) {
  updateSchedule(name: $name, cron: $cron, patterns: $patterns, incremental: $incremental, enabled: $enabled, timeoutSeconds: $timeoutSeconds) { name nextRunAt }
}`;
export const ENABLE_SCHEDULE = `mutation EnableSchedule($name: String!, $enabled: Boolean!) { enableSchedule(name: $name, enabled: $enabled) }`;
export const REMOVE_SCHEDULE = `mutation RemoveSchedule($name: String!) { removeSchedule(name: $name) }`;
/** RUN_SCAN runs the pattern library now (admin; the Load screen's "Scan now"). */
export const RUN_SCAN = `mutation RunScan { runScan { id status newFlags updatedFlags clearedFlags error } }`;
export const RUN_SCHEDULE = `mutation RunSchedule($name: String!) { runSchedule(name: $name) }`;

export const CHARTS = `query Charts { charts { id name savedAt } }`;
export const CHART = `query Chart($id: ID!) { chart(id: $id) { id name savedAt document } }`;
export const SAVE_CHART = `mutation SaveChart($name: String!, $document: String!) { saveChart(name: $name, document: $document) { id name savedAt } }`;

/** The review decisions a flag can move to (DESIGN.md "Flags and review"). */
export const DECISIONS = [
  { status: "in_review", text: "Start review" },
  { status: "no_further_action", text: "Dismiss: no further action" },
  { status: "false_positive", text: "Dismiss: false positive" },
  { status: "prevention_notice", text: "Prevention notice" },
  { status: "referred_investigation", text: "Refer for investigation" },
] as const;

/** PATTERN_NAMES lists the pattern library, for choosing one. */
/** A flag's officer: the entity fields the queue and the flag view show. */
const FLAG_OFFICER = `officer { id key type displayName hubReason pseudonym rank unit role startDate status }`;

/** FLAGS is a page of the flag queue (200, by officer risk): a row's fields, never the evidence. */
export const FLAGS = `query Flags($filter: FlagFilter, $after: String, $order: FlagOrder) {
  flags(first: 200, filter: $filter, after: $after, order: $order) {
    nodes { id pattern score status explanation ${FLAG_OFFICER} officerRisk { risk } firstSeen lastSeen supersededBy clearedAt notFoundAt reviews { at reviewer from to reason } revealed }
    totalCount pageInfo { hasNextPage endCursor }
  }
}`;

/** FLAG_COUNTS is how many flags a filter matches, per pattern. */
export const FLAG_COUNTS = `query FlagCounts($filter: FlagFilter) { flagCounts(filter: $filter) { total byPattern { pattern count } } }`;

/** FLAG is one flag whole: the rule, evidence, innocent explanation, history, recusal and the states a review may move it to; and what the rules' parameters mean (their units). */
export const FLAG = `query Flag($id: ID!) {
  flag(id: $id) {
    id pattern patternVersion score status nextStatuses explanation innocentExplanation parameters { name value }
    ${FLAG_OFFICER} officerRisk { risk }
    evidence { nodes { ${NODE} } others { id type } edges { id type from to source at properties { name value } } }
    firstSeen lastSeen scannedAt scanRunId supersededBy clearedAt clearedByRun notFoundAt newerFlag clearedHubs clearedParameters { name value }
    reviews { id at reviewer from to reason acknowledgedLinks parameters { name value } } notes { id at author text acknowledgedLinks }
    declarations { declared type on withdrawnOn afterFlag } revealed recusal { required reasons own reason }
  }
  patterns { name parameters { name description } }
}`;

/** CONFIRM_REFERRAL and RETURN_REFERRAL are a second reviewer's look at a referral; NOTE_FLAG adds a working note. */
export const CONFIRM_REFERRAL = `mutation ConfirmReferral($id: ID!, $reason: String!, $ack: Boolean) { confirmReferral(id: $id, reason: $reason, acknowledgeLink: $ack) { id } }`;
export const RETURN_REFERRAL = `mutation ReturnReferral($id: ID!, $reason: String!, $ack: Boolean) { returnReferral(id: $id, reason: $reason, acknowledgeLink: $ack) { id } }`;
export const NOTE_FLAG = `mutation Note($id: ID!, $text: String!, $ack: Boolean) { noteFlag(id: $id, text: $text, acknowledgeLink: $ack) { id } }`;

/** REVIEW_FLAG records a decision; ack: the reviewer declared a link to the officer and decides anyway. */
export const REVIEW_FLAG = `mutation ReviewFlag($id: ID!, $decision: FlagStatus!, $reason: String!, $ack: Boolean) {
  reviewFlag(id: $id, decision: $decision, reason: $reason, acknowledgeLink: $ack) { id status }
}`;

export const PATTERN_NAMES = `query PatternNames { patterns { name } }`;

// Admin: the hub and watch lists, API tokens and alert webhooks (admin tokens only).
const LISTED = `id entityKey reason addedBy addedAt`;
export const SUPPRESSIONS = `query Suppressions { suppressions { ${LISTED} applies } }`;
export const THRESHOLDS = `query Thresholds { patterns { name parameters { name value default min max fixed setBy setAt reason description } } }`;
export const SET_THRESHOLD = `mutation SetThreshold($pattern: String!, $name: String!, $value: String!, $reason: String!) { setThreshold(pattern: $pattern, name: $name, value: $value, reason: $reason) { value } }`;
export const RESET_THRESHOLD = `mutation ResetThreshold($pattern: String!, $name: String!, $reason: String!) { resetThreshold(pattern: $pattern, name: $name, reason: $reason) { value } }`;
export const ADD_SUPPRESSION = `mutation AddSuppression($id: ID!, $reason: String!) { addSuppression(id: $id, reason: $reason) { id } }`;
export const REMOVE_SUPPRESSION = `mutation RemoveSuppression($id: String!) { removeSuppression(id: $id) }`;
export const WATCHLIST = `query Watchlist { watchlist { ${LISTED} } }`;
export const WATCH = `mutation Watch($id: ID!, $reason: String!) { watch(id: $id, reason: $reason) { id } }`;
export const UNWATCH = `mutation Unwatch($id: String!) { unwatch(id: $id) }`;
export const TOKENS = `query Tokens { tokens { id name role createdAt revokedAt officerId } }`;
export const CREATE_TOKEN = `mutation CreateToken($name: String!, $role: Role!, $officerId: String) { createToken(name: $name, role: $role, officerId: $officerId) { secret token { id name role } } }`;
export const REVOKE_TOKEN = `mutation RevokeToken($nameOrId: String!) { revokeToken(nameOrId: $nameOrId) { id revokedAt } }`;
export const WEBHOOKS = `query Webhooks { webhooks { id url minScore enabled } webhookDeliveries(first: 20) { id webhookId flagId attempt status httpStatus error at } }`;
export const ADD_WEBHOOK = `mutation AddWebhook($url: String!, $minScore: Float) { addWebhook(url: $url, minScore: $minScore) { secret webhook { id url } } }`;
export const REMOVE_WEBHOOK = `mutation RemoveWebhook($id: String!) { removeWebhook(id: $id) }`;
