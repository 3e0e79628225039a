import { createHash, randomBytes } from 'node:crypto';
import type { DraftFields } from '../conversation/fields.js';
import type { SeenKeys } from '../dedupe.js';
import { fillWithLlm, type ReadingModel } from '../llm/read-request.js';
import type { Regime, RequestType } from '../requests/deadlines.js';
import { parseReceivedDate, todayIn } from '../requests/input.js';
import type { NewRequest, Register } from '../requests/register.js';
import type { DraftDesk } from './desk.js';
import { type IntakeSubmission, readSubmission } from './submission.js';

/**
 * Machine-delivered intakes (the signed webhook) into the register: each delivery is handled once
 * per idempotency key on every replica, through the store's atomic claim (as Slack form submits
 * are), and is either logged at once (a trusted sender, a complete request) or kept for a person
 * to confirm: a draft posted to the privacy channel with Log it, Edit and Not a request, through
 * the same desk as the privacy mailbox's drafts (src/core/intake/desk.ts).
 */

/** How long a delivery being handled holds its key; a crash mid-write frees it after this. */
export const INTAKE_CLAIM_MS = 2 * 60_000;
/**
 * How long a handled key is remembered, so a retry returns the original result. Senders retry
 * for hours at most (Stripe 3 days, GitHub does not retry); a week leaves room for a manual resend.
 */
export const INTAKE_KEY_TTL_MS = 7 * 24 * 3_600_000;
/**
 * How long a request waiting for confirmation is kept: the longest response period the register
 * knows (CCPA's 45 days, doubled when extended) plus slack, so a waiting request outlives its clock.
 */
export const PENDING_INTAKE_TTL_MS = 120 * 24 * 3_600_000;

/** The actor recorded in the audit trail for a request the webhook logged. */
export const INTAKE_ACTOR = 'intake-webhook';

export type IntakeOutcome =
  | { status: 'logged'; requestId: string; received: string; due: string }
  | { status: 'pending'; intakeId: string; received: string; missing: string[] };

export type IntakeResult =
  | { kind: 'new'; outcome: IntakeOutcome }
  /** The key was handled before: the original outcome, nothing done again. */
  | { kind: 'duplicate'; outcome: IntakeOutcome }
  /** The key is being handled right now (another replica, a fast retry): try again shortly. */
  | { kind: 'in-progress' }
  /** The key was used before for a different body: a sender bug, refused. */
  | { kind: 'key-reused' };

/** A request waiting for a person, as stored (personal data: never logged, never in a shared channel). */
export interface PendingIntake {
  v: 1;
  intakeId: string;
  at: string;
  request: Partial<NewRequest>;
  missing: string[];
}

type Held = { pending: true; digest: string } | { digest: string; outcome: IntakeOutcome };

export interface IntakeServiceOptions {
  register: Register;
  /** The shared dedupe keys (every replica, across restarts). */
  seen: SeenKeys;
  /** Log complete requests at once instead of waiting for confirmation (INTAKE_AUTO_LOG). */
  autoLog: boolean;
  timeZone: string;
  /**
   * Where a kept delivery becomes a draft in the privacy channel; without one (no privacy channel)
   * it is only kept in the store. A draft no channel took is kept and posted again later.
   */
  desk?: DraftDesk;
  /**
   * A model that reads what the rules could not in a delivery kept for a person (LLM_READ_MAIL=true
   * with an LLM configured), as the mailbox's mail is read: only the type and the place they left
   * empty, each marked on the draft. The requester's message goes to it, so only when an operator
   * turned that on; only for drafts (a desk), never for what is logged at once. Absent: offline only.
   */
  llm?: ReadingModel;
  /** Told of each new outcome (a channel notice); failures there never undo the intake. */
  onOutcome?: (outcome: IntakeOutcome, request: Partial<NewRequest>) => Promise<void>;
}

/** A stable digest of what was submitted, so a key reused for another request is noticed. */
function digestOf(submission: IntakeSubmission): string {
  const { idempotencyKey: _key, ...rest } = submission;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex');
}

/**
 * The key a delivery's request is logged under (the register's intake key, at most 100
 * characters): a digest of the sender's idempotency key, so Log it, Edit and a retry all find it.
 */
export function deliveryKey(idempotencyKey: string): string {
  return `intake:${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}`;
}

/** A delivery's request as the fields of a chat draft (what Edit corrects and Log it logs). */
function draftFieldsOf(request: Partial<NewRequest>): DraftFields {
  return {
    // Read by readSubmission with the register's own parsers, so they are its codes.
    ...(request.type ? { type: request.type as RequestType } : {}),
    ...(request.regime ? { regime: request.regime as Regime } : {}),
    ...(request.country ? { country: request.country } : {}),
    ...(request.region ? { region: request.region } : {}),
    ...(request.received ? { received: request.received } : {}),
    ...(request.requesterName ? { name: request.requesterName } : {}),
    ...(request.requesterEmail ? { email: request.requesterEmail } : {}),
    ...(request.requesterPhone ? { phone: request.requesterPhone } : {}),
    ...(request.requesterAddress ? { address: request.requesterAddress } : {}),
    ...(request.channel ? { channel: request.channel } : {}),
    ...(request.note ? { note: request.note } : {}),
  };
}

export class IntakeService {
  constructor(private readonly options: IntakeServiceOptions) {}

  async submit(submission: IntakeSubmission, now: Date): Promise<IntakeResult> {
    const { seen } = this.options;
    const key = `intake:key:${submission.idempotencyKey}`;
    const digest = digestOf(submission);
    if (!(await seen.claim(key, INTAKE_CLAIM_MS, { pending: true, digest } satisfies Held))) {
      const held = (await seen.get(key)) as Held | undefined;
      if (!held) return { kind: 'in-progress' };
      if (held.digest !== digest) return { kind: 'key-reused' };
      return 'outcome' in held ? { kind: 'duplicate', outcome: held.outcome } : { kind: 'in-progress' };
    }
    let outcome: IntakeOutcome;
    let request: Partial<NewRequest>;
    try {
      ({ outcome, request } = await this.handle(submission, now));
    } catch (error) {
      // Nothing was stored: the sender's retry may try again.
      await seen.release(key).catch(() => undefined);
      throw error;
    }
    await seen.put(key, { digest, outcome } satisfies Held, INTAKE_KEY_TTL_MS);
    // A new delivery is a moment the channel is likely up: drafts it could not take before go now.
    if (this.options.desk) void this.repost();
    if (this.options.onOutcome) await this.options.onOutcome(outcome, request).catch(() => undefined);
    return { kind: 'new', outcome };
  }

  /** Posts again the drafts no privacy channel took; never throws (they wait for the next round). */
  async repost(): Promise<number> {
    return (await this.options.desk?.repost('webhook').catch(() => 0)) ?? 0;
  }

  /** A waiting request by its id, or undefined once confirmed or expired. */
  async pending(intakeId: string): Promise<PendingIntake | undefined> {
    return (await this.options.seen.get(`intake:pending:${intakeId}`)) as PendingIntake | undefined;
  }

  private async handle(
    submission: IntakeSubmission,
    now: Date,
  ): Promise<{ outcome: IntakeOutcome; request: Partial<NewRequest> }> {
    const { request, missing } = readSubmission(submission, now, this.options.timeZone);
    if (this.options.autoLog && missing.length === 0) {
      // The received date is the receipt date: the legal clock started when the form was sent.
      const logged = await this.options.register.add(request as NewRequest, { actor: INTAKE_ACTOR, now });
      return {
        outcome: {
          status: 'logged',
          requestId: logged.id,
          received: logged.received,
          due: logged.deadlines.due,
        },
        request,
      };
    }
    // Validated now, so the sender learns of a bad field at once rather than the person confirming.
    if (missing.length === 0) this.options.register.preview(request as NewRequest, now);
    else parseReceivedDate(request.received, todayIn(now, this.options.timeZone));
    const { desk } = this.options;
    if (desk) {
      // The form's type field is the requester's own words where the rules could not read it.
      const message = submission.message ?? '';
      const read = await fillWithLlm(this.options.llm, draftFieldsOf(request), {
        subject: submission.type,
        text: message,
        ...(submission.requester.name ? { senderName: submission.requester.name } : {}),
        original: `${submission.type}\n${message}`,
        noun: 'message',
      });
      const { draftId } = await desk.draft(
        {
          source: 'webhook',
          key: deliveryKey(submission.idempotencyKey),
          fields: read.fields,
          warnings: read.warnings,
          now,
          shown: {
            ...(read.filled.length > 0 ? { readByLlm: read.filled } : {}),
            headline: (id) =>
              `New request by ${submission.source} through the intake webhook (${id}). Is it a rights request? The clock started when it was received, ${request.received}.`,
            reference: `delivery ${submission.idempotencyKey} (its idempotency key), by ${submission.source}`,
            excerpt: submission.message ?? '',
          },
        },
        // Kept even when no channel takes it now: the sender is answered, the draft posted later.
        true,
      );
      return {
        outcome: { status: 'pending', intakeId: draftId, received: request.received!, missing },
        request,
      };
    }
    const intakeId = `INT-${randomBytes(6).toString('hex')}`;
    const pending: PendingIntake = { v: 1, intakeId, at: now.toISOString(), request, missing };
    await this.options.seen.put(`intake:pending:${intakeId}`, pending, PENDING_INTAKE_TTL_MS);
    return { outcome: { status: 'pending', intakeId, received: request.received!, missing }, request };
  }
}
