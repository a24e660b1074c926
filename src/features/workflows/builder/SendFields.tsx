import { useFormContext, useWatch } from 'react-hook-form';
import { Money } from '../../../components/Money';
import { isAmountText } from '../formats';
import { LEDGER_DEFAULTS } from '../schema';
import type { EndpointKind, WorkflowForm } from '../form';
import { CheckboxField, ChoiceField, FlagField, MoreOptions, SelectField, TextField } from './fields';
import { MetadataRows } from './MetadataRows';

const SOURCE_KINDS: { value: EndpointKind; label: string }[] = [
  { value: 'account', label: 'Ledger account' },
  { value: 'wallet', label: 'Wallet' },
  { value: 'payment', label: 'Payment (pay-in)' },
];
const DESTINATION_KINDS: { value: EndpointKind; label: string }[] = [
  { value: 'account', label: 'Ledger account' },
  { value: 'wallet', label: 'Wallet' },
  { value: 'payment', label: 'External payment' },
];

function Endpoint({ base, side }: { base: string; side: 'source' | 'destination' }) {
  const { control, getValues } = useFormContext<WorkflowForm>();
  const at = `${base}.${side}`;
  const kind = useWatch({ control, name: `${at}.kind` as never }) as unknown as EndpointKind;
  const walletBy = useWatch({ control, name: `${at}.wallet.by` as never }) as unknown as 'id' | 'name';
  const filled = (...names: string[]) => names.some((n) => (getValues(`${at}.${n}` as never) as unknown as string) !== '');
  const title = side === 'source' ? 'From' : 'To';
  return (
    <section className="min-w-0 rounded-lg border border-line bg-subtle/50 p-3" aria-label={`${title} (${side})`}>
      <ChoiceField name={`${at}.kind`} legend={`${title}: ${side}`} options={side === 'source' ? SOURCE_KINDS : DESTINATION_KINDS} />
      <div className="mt-3 grid gap-3 sm:grid-cols-2">
        {kind === 'account' && (
          <>
            <TextField name={`${at}.account.id`} label="Account address" example={side === 'source' ? 'world' : 'users:${userID}'} required />
            <TextField
              name={`${at}.account.ledger`}
              label="Ledger"
              fallback={LEDGER_DEFAULTS.send}
              hint={`Blank: “${LEDGER_DEFAULTS.send}” (an update stage's blank ledger is “${LEDGER_DEFAULTS.update}”).`}
            />
          </>
        )}
        {kind === 'wallet' && (
          <>
            <ChoiceField
              name={`${at}.wallet.by`}
              legend="Wallet by"
              className="sm:col-span-2"
              options={[
                { value: 'id', label: 'Id' },
                { value: 'name', label: 'Name' },
              ]}
            />
            <TextField
              name={`${at}.wallet.ref`}
              label={walletBy === 'name' ? 'Wallet name' : 'Wallet id'}
              example={walletBy === 'name' ? 'savings-${userID}' : '${walletID}'}
              required
            />
            <TextField name={`${at}.wallet.balance`} label="Balance" fallback="main" />
          </>
        )}
        {kind === 'payment' && side === 'source' && (
          <>
            <TextField name={`${at}.payment.id`} label="Payment id" example="${paymentID}" required />
            <TextField name={`${at}.payment.ledger`} label="Ingestion ledger" fallback="orchestration-000-internal" />
          </>
        )}
        {kind === 'payment' && side === 'destination' && (
          <>
            <TextField name={`${at}.payment.psp`} label="PSP (connector)" example="stripe" />
            <SelectField
              name={`${at}.payment.type`}
              label="Type"
              options={[
                { value: '', label: 'default (TRANSFER)' },
                { value: 'TRANSFER', label: 'TRANSFER' },
                { value: 'PAYOUT', label: 'PAYOUT' },
              ]}
            />
          </>
        )}
      </div>
      {kind === 'account' && (
        <MoreOptions open={filled('account.throughAccount', 'account.allowOverdraft')}>
          <TextField
            name={`${at}.account.throughAccount`}
            label="Through account"
            fallback="world"
            hint={side === 'source' ? 'Bridge on the source ledger for cross-ledger moves.' : 'Bridge on the destination ledger.'}
          />
          <FlagField name={`${at}.account.allowOverdraft`} label="Allow overdraft" />
        </MoreOptions>
      )}
      {kind === 'payment' && side === 'source' && (
        <MoreOptions open={filled('payment.holdingAccount', 'payment.throughAccount', 'payment.allowOverdraft')}>
          <TextField name={`${at}.payment.holdingAccount`} label="Holding account" fallback="payment:<id>" />
          <TextField name={`${at}.payment.throughAccount`} label="Through account" fallback="world" />
          <FlagField name={`${at}.payment.allowOverdraft`} label="Allow overdraft" />
        </MoreOptions>
      )}
      {kind === 'payment' && side === 'destination' && (
        <MoreOptions open={filled('payment.sourceAccount', 'payment.metadata', 'payment.waitingValidation', 'payment.connectorId')}>
          <TextField name={`${at}.payment.sourceAccount`} label="PSP source account" />
          <TextField
            name={`${at}.payment.metadata`}
            label="Destination id metadata key"
            fallback="formanceAccountID"
            hint="Key on the source account or wallet holding the PSP account id."
          />
          <FlagField name={`${at}.payment.waitingValidation`} label="Wait for validation" />
          <TextField name={`${at}.payment.connectorId`} label="Connector id" />
        </MoreOptions>
      )}
    </section>
  );
}

function AmountPreview({ base }: { base: string }) {
  const { control } = useFormContext<WorkflowForm>();
  const [asset, amount] = useWatch({ control, name: [`${base}.amount.asset`, `${base}.amount.amount`] as never }) as unknown as [string, string];
  if (!asset || !isAmountText(amount ?? '') || asset.includes('${')) return null;
  return (
    <p className="mt-6 text-[13px] text-muted" data-testid="amount-preview">
      = <Money amount={amount} asset={asset} />
    </p>
  );
}

export function SendFields({ base }: { base: string }) {
  const { control, getValues } = useFormContext<WorkflowForm>();
  const sourceKind = useWatch({ control, name: `${base}.source.kind` as never }) as unknown as EndpointKind;
  const usePaymentAmount = useWatch({ control, name: `${base}.usePaymentAmount` as never }) as unknown as boolean;
  const withAmount = sourceKind !== 'payment' || !usePaymentAmount;
  return (
    <div className="space-y-3">
      <div className="grid gap-3 lg:grid-cols-[1fr_auto_1fr] lg:items-start">
        <Endpoint base={base} side="source" />
        <div className="hidden self-center text-muted lg:block" aria-hidden="true">
          →
        </div>
        <Endpoint base={base} side="destination" />
      </div>
      <div className="rounded-lg border border-line p-3">
        {sourceKind === 'payment' && (
          <div className="mb-3">
            <CheckboxField name={`${base}.usePaymentAmount`} label="Move the payment's own amount" hint="Untick to move a set amount instead." />
          </div>
        )}
        {withAmount && (
          <div className="grid gap-3 sm:grid-cols-[10rem_14rem_1fr]">
            <TextField name={`${base}.amount.asset`} label="Asset" example="USD/2" required />
            <TextField name={`${base}.amount.amount`} label="Amount (minor units)" example="1250 or ${amount}" required />
            <AmountPreview base={base} />
          </div>
        )}
      </div>
      <MetadataRows name={`${base}.metadata`} label="Transaction metadata" />
      <MoreOptions open={(getValues(`${base}.timestamp` as never) as unknown as string) !== ''} label="Timestamp">
        <TextField name={`${base}.timestamp`} label="Timestamp (RFC 3339)" example="2024-07-01T00:00:00Z" hint="Date of the ledger and wallet writes." />
      </MoreOptions>
    </div>
  );
}
