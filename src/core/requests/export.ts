import { stringify } from 'csv-stringify/sync';
import { canonicalJson } from './audit.js';
import type { AuditEvent, Requester, RequestState } from './model.js';

/**
 * Exports of the register: CSV for spreadsheets (one table of requests, one of audit events) and
 * one JSON document with each request and its trail. Personal data is left out unless the caller
 * resolved it and passes it in `requesters`.
 */

export interface ExportInput {
  requests: RequestState[];
  events: AuditEvent[];
  /** Requester name and contact by request id, only when the user asked for personal data. */
  requesters?: Map<string, Requester | null>;
  exportedAt: string;
}

/**
 * A spreadsheet reads a cell that begins with =, +, -, @, tab or carriage return as a formula, so a
 * requester named `=HYPERLINK(...)` would run in whoever opens the export (OWASP, "CSV Injection":
 * prepend a single quote to such cells). Spreadsheets show the apostrophe-led cell as the text typed.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** The cell as text a spreadsheet will not evaluate; other cells unchanged. */
export function spreadsheetSafe(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** Every CSV the project writes goes through here. Numbers and booleans are ours, never typed. */
function csv(rows: unknown[][]): string {
  return stringify(rows, { cast: { string: spreadsheetSafe } });
}

const REQUEST_COLUMNS = [
  'id',
  'type',
  'regime',
  'country',
  'region',
  'received',
  'logged_at',
  'channel',
  'owner',
  'policy_id',
  'status',
  'outcome',
  'closed_at',
  'due',
  'due_rule',
  'due_source',
  'extensions',
  'paused_days',
  'purged',
  'events',
];

/** One row per request, in id order. */
export function requestsCsv(input: ExportInput): string {
  const personal = input.requesters !== undefined;
  const columns = personal
    ? [...REQUEST_COLUMNS, 'requester_name', 'requester_email', 'requester_phone', 'requester_address']
    : REQUEST_COLUMNS;
  const rows = input.requests.map((r) => {
    const row = [
      r.id,
      r.type,
      r.regime,
      r.country,
      r.region ?? '',
      r.received,
      r.loggedAt,
      r.channel ?? '',
      r.owner ?? '',
      r.policyId ?? '',
      r.status,
      r.outcome ?? '',
      r.closedAt ?? '',
      r.deadlines.due,
      r.deadlines.rule,
      r.deadlines.source,
      r.extensions,
      r.pausedDays,
      r.purged,
      r.events.length,
    ];
    if (personal) {
      const who = input.requesters?.get(r.id);
      row.push(who?.name ?? '', who?.email ?? '', who?.phone ?? '', who?.address ?? '');
    }
    return row;
  });
  return csv([columns, ...rows]);
}

/** One row per audit event, in log order; `before` and `after` as canonical JSON. */
export function auditCsv(input: ExportInput): string {
  const columns = [
    'seq',
    'request_id',
    'at',
    'actor',
    'action',
    'before',
    'after',
    'text_ref',
    'prev_hash',
    'hash',
  ];
  const rows = input.events.map((e) => [
    e.seq,
    e.requestId,
    e.at,
    e.actor,
    e.action,
    canonicalJson(e.before),
    canonicalJson(e.after),
    e.textRef ?? '',
    e.prevHash,
    e.hash,
  ]);
  return csv([columns, ...rows]);
}

/** `{ exportedAt, requests: [{ ...request, requester?, trail: [...] }] }`. */
export function exportJson(input: ExportInput): string {
  const trails = new Map<string, AuditEvent[]>();
  for (const e of input.events) {
    const trail = trails.get(e.requestId);
    if (trail) trail.push(e);
    else trails.set(e.requestId, [e]);
  }
  const requests = input.requests.map((r) => ({
    ...r,
    ...(input.requesters ? { requester: input.requesters.get(r.id) ?? null } : {}),
    trail: trails.get(r.id) ?? [],
  }));
  return `${JSON.stringify({ exportedAt: input.exportedAt, requests }, null, 2)}\n`;
}
