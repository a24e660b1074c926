import { useState } from 'react';
import { useNavigate } from '@tanstack/react-router';
import { Button } from '../../components/Button';
import { inputClass } from '../../components/inputs';
import { cn } from '../../lib/cn';

/**
 * "Open an instance by its id": on a Formance stack, runs of deleted workflows are left out of
 * every list but still answer by id.
 */
export function OpenInstanceById({ className }: { className?: string }) {
  const [id, setId] = useState('');
  const navigate = useNavigate();
  return (
    <form
      className={cn('flex items-center gap-2', className)}
      onSubmit={(e) => {
        e.preventDefault();
        const instanceId = id.trim();
        if (instanceId) void navigate({ to: '/instances/$instanceId', params: { instanceId } });
      }}
    >
      <input aria-label="Instance id to open" placeholder="Instance id" className={cn(inputClass, 'w-72 font-mono')} value={id} onChange={(e) => setId(e.target.value)} />
      <Button type="submit" variant="secondary" size="sm" disabled={!id.trim()}>
        Open
      </Button>
    </form>
  );
}
