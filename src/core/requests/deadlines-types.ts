/** What the deadline engine is asked (a request's regime, dates and options) and what it answers. */
import type { Regime, RequestType } from './regimes.js';

export type DeadlineKind = 'response' | 'extension-notice' | 'receipt-confirmation' | 'policy-target';

export interface Deadline {
  kind: DeadlineKind;
  /** YYYY-MM-DD, the last day on which the act is on time. */
  due: string;
  /** A human sentence: how the date was counted. */
  rule: string;
  /** The legal citation (or "privacy policy" for the policy's own target). */
  source: string;
  /** False for internal targets that no law imposes. */
  binding: boolean;
}

export interface DeadlineInput {
  regime: Regime;
  /** YYYY-MM-DD, the day the request arrived. */
  received: string;
  /** ISO 3166-1 alpha-2; defaults to the regime's home country (required for the EU GDPR). */
  country?: string;
  /** e.g. BY for DE-BY, SCT for GB-SCT, QC for CA-QC. */
  region?: string;
  type?: RequestType;
  extended?: boolean;
  /** UK GDPR art. 12A: the clock starts at the latest of receipt, identity evidence, fee, authority. */
  clockStart?: string;
  /** Calendar days the clock was stopped (paused), applied only where the regime allows pausing. */
  pausedDays?: number;
  /** The policy's own promise ("we respond within 30 days"), an internal, non-binding target. */
  policyTargetDays?: number;
  /**
   * Days an extension adds where the law leaves its length to the controller: Swiss DPO art. 18(2)
   * (the controller names the new date) and PIPEDA s. 8(4)(b) (the period necessary to convert the
   * information into an alternative format). Ignored where the law fixes the extension.
   */
  extensionDays?: number;
  /** PIPEDA s. 8(4)(b): the extension is for converting the information into an alternative format. */
  extensionGround?: ExtensionGround;
  /** LGPD: a small processing agent (Resolução CD/ANPD 2/2022), which has double time (art. 14). */
  smallAgent?: boolean;
  /** LGPD art. 19, I: the data subject asked for the simplified format, due immediately. */
  simplified?: boolean;
}

/** Why an extension is taken, where the law gives more than one ground with different lengths. */
export const EXTENSION_GROUNDS = ['alternative-format'] as const;
export type ExtensionGround = (typeof EXTENSION_GROUNDS)[number];

export interface DeadlineSet {
  /** The earliest binding response deadline (the one shown first). */
  due: string;
  /** How `due` was counted, and its legal source. */
  rule: string;
  source: string;
  /** Every clock: response, extension-notice, receipt-confirmation (CCPA), policy-target. */
  deadlines: Deadline[];
  extendable: boolean;
  /** How many extensions the law allows (the register enforces it). */
  maxExtensions: number;
  pausable: boolean;
  regime: Regime;
  /** The day the clock started (receipt, or the UK GDPR art. 12A start). */
  start: string;
  country?: string;
  region?: string;
  /** Which days are treated as non-working, in words. */
  calendar: string;
  /** Inputs that did not apply under this regime, said plainly. */
  notes: string[];
}
