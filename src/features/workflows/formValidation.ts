/**
 * Per-field validation of the builder (zod/mini, like the route schemas, through @hookform/resolvers): the server's create
 * rules (server/stages), plus the run-time rules that do not depend on variables (required
 * ids, exactly one of…), so mistakes show next to the field before saving.
 */
import { z } from 'zod/mini';
import { amountMessage, delayDurationMessage, hasPlaceholder, parseRfc3339Date } from './formats';
import type { MetadataRow, StageForm, WorkflowForm } from './form';

export interface FieldIssue {
  path: (string | number)[];
  message: string;
}

const ASSET = /^[A-Z][A-Z0-9]{0,16}(_[A-Z]{1,16})?(\/\d{1,6})?$/;

function required(issues: FieldIssue[], path: FieldIssue['path'], value: string, message: string) {
  if (value.trim() === '') issues.push({ path, message });
}

function flag(issues: FieldIssue[], path: FieldIssue['path'], value: string) {
  if (value !== '' && !/^(true|false)$/i.test(value) && !hasPlaceholder(value)) issues.push({ path, message: 'Expected true, false or a ${variable}' });
}

function metadata(issues: FieldIssue[], path: FieldIssue['path'], rows: MetadataRow[]) {
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    if (r.key === '' && r.value !== '') issues.push({ path: [...path, i, 'key'], message: 'Key is required' });
    else if (seen.has(r.key)) issues.push({ path: [...path, i, 'key'], message: `Duplicate key “${r.key}”` });
    seen.add(r.key);
  });
}

function typed(issues: FieldIssue[], path: FieldIssue['path'], value: string, ok: (v: string) => boolean, message: string) {
  checked(issues, path, value, (v) => (ok(v) ? undefined : message));
}

/** Like `typed`, with the reason depending on the value. */
function checked(issues: FieldIssue[], path: FieldIssue['path'], value: string, problem: (v: string) => string | undefined) {
  if (value === '' || hasPlaceholder(value)) return;
  const message = problem(value);
  if (message) issues.push({ path, message });
}

export function stageIssues(stage: StageForm): FieldIssue[] {
  const issues: FieldIssue[] = [];
  switch (stage.kind) {
    case 'send': {
      const s = stage.send;
      for (const side of ['source', 'destination'] as const) {
        const e = s[side];
        const at = ['send', side];
        if (e.kind === 'account') {
          required(issues, [...at, 'account', 'id'], e.account.id, 'Account address is required');
          flag(issues, [...at, 'account', 'allowOverdraft'], e.account.allowOverdraft);
        } else if (e.kind === 'wallet') {
          required(issues, [...at, 'wallet', 'ref'], e.wallet.ref, e.wallet.by === 'id' ? 'Wallet id is required' : 'Wallet name is required');
        }
      }
      if (s.source.kind === 'payment') {
        required(issues, ['send', 'source', 'payment', 'id'], s.source.payment.id, 'Payment id is required');
        flag(issues, ['send', 'source', 'payment', 'allowOverdraft'], s.source.payment.allowOverdraft);
      }
      if (s.destination.kind === 'payment') {
        const p = s.destination.payment;
        if (s.source.kind === 'payment') issues.push({ path: ['send', 'destination', 'kind'], message: 'Send from payment to payment is not supported' });
        typed(issues, ['send', 'destination', 'payment', 'type'], p.type, (v) => /^(transfer|payout)$/i.test(v), 'Expected TRANSFER or PAYOUT');
        flag(issues, ['send', 'destination', 'payment', 'waitingValidation'], p.waitingValidation);
      }
      if (s.source.kind !== 'payment' || !s.usePaymentAmount) {
        required(issues, ['send', 'amount', 'asset'], s.amount.asset, 'Asset is required, e.g. USD/2');
        typed(issues, ['send', 'amount', 'asset'], s.amount.asset, (v) => ASSET.test(v), 'Assets look like USD/2, EUR/2 or JPY');
        required(issues, ['send', 'amount', 'amount'], s.amount.amount, 'Amount is required');
        checked(issues, ['send', 'amount', 'amount'], s.amount.amount, amountMessage);
      }
      metadata(issues, ['send', 'metadata'], s.metadata);
      typed(issues, ['send', 'timestamp'], s.timestamp, (v) => !!parseRfc3339Date(v), 'Expected an RFC 3339 date, e.g. 2024-07-01T00:00:00Z');
      break;
    }
    case 'delay':
      if (stage.delay.mode === 'duration') {
        required(issues, ['delay', 'duration'], stage.delay.duration, 'Duration is required');
        checked(issues, ['delay', 'duration'], stage.delay.duration, delayDurationMessage);
      } else {
        required(issues, ['delay', 'until'], stage.delay.until, 'Date is required');
        typed(issues, ['delay', 'until'], stage.delay.until, (v) => !!parseRfc3339Date(v), 'Expected an RFC 3339 date, e.g. 2030-01-01T00:00:00Z');
      }
      break;
    case 'wait_event':
      required(issues, ['wait_event', 'event'], stage.wait_event.event, 'Event name is required');
      break;
    case 'update':
      required(issues, ['update', 'account', 'id'], stage.update.account.id, 'Account address is required');
      metadata(issues, ['update', 'account', 'metadata'], stage.update.account.metadata);
      break;
    case 'raw':
      try {
        JSON.parse(stage.raw);
      } catch (err) {
        issues.push({ path: ['raw'], message: `Invalid JSON: ${err instanceof Error ? err.message : String(err)}` });
      }
      break;
  }
  return issues;
}

/** The builder's zod schema: shapes come from the form itself, rules from `stageIssues`. */
export const workflowFormSchema: z.ZodMiniType<WorkflowForm, WorkflowForm> = z
  .object({
    name: z.string().check(z.maxLength(1024, 'At most 1024 characters')),
    stages: z.array(z.custom<StageForm>()).check(z.maxLength(1000, 'At most 1000 stages')),
  })
  .check(
    z.superRefine((form, ctx) => {
      form.stages.forEach((stage, i) => {
        for (const issue of stageIssues(stage)) ctx.addIssue({ code: 'custom', path: ['stages', i, ...issue.path], message: issue.message });
      });
    }),
  );
