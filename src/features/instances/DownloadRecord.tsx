import { useState } from 'react';
import { downloadFile, instanceRecordUrl } from '../../api/exports';
import { errorText } from '../../api/errors';
import { Button } from '../../components/Button';
import { Icon } from '../../components/Icon';
import { toast } from '../../components/toast';
import { WithReason } from '../../components/WithReason';

/** Saves the instance's complete record (instance, stages, every stage's history, variables, provenance) as one JSON file. */
export function DownloadRecord({ instanceID }: { instanceID: string }) {
  const [pending, setPending] = useState(false);
  return (
    <WithReason reason="One JSON file: the instance, its stages, every stage's history, its variables and what started it">
      <Button
        variant="secondary"
        disabled={pending}
        onClick={() => {
          setPending(true);
          downloadFile(instanceRecordUrl(instanceID), { format: 'json', fallbackName: `instance-${instanceID}.json` })
            .then(({ fileName }) => toast({ tone: 'success', title: 'Record downloaded', description: fileName }))
            .catch((err: unknown) => toast({ tone: 'error', title: 'Could not download the record', description: errorText(err) }))
            .finally(() => setPending(false));
        }}
      >
        <Icon name="download" size={14} /> Download record
      </Button>
    </WithReason>
  );
}
