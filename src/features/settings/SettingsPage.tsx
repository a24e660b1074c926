import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { accessLabel } from '../../../common/roles';
import { RefusalNote } from '../../components/WithReason';
import { consoleSettingsQuery, meQuery, useRefusal, useUpdateConsoleSettings } from '../../api/access';
import { consoleInfoQuery, serverInfoQuery } from '../../api/info';
import { errorText } from '../../api/errors';
import { Icon } from '../../components/Icon';
import { Segmented } from '../../components/inputs';
import { PageHeader } from '../../components/Page';
import { Skeleton } from '../../components/states';
import { StatusBadge } from '../../components/StatusBadge';
import { Time } from '../../components/Time';
import { useSettings } from '../../components/preferences';
import { healthView } from '../../components/layout/connection';
import { updateSettings, type ThemePreference } from '../../lib/settings';
import { ApprovalSettings } from './ApprovalSettings';
import { TimeSettings } from './TimeSettings';

function Card({ title, description, children }: { title: string; description: string; children: ReactNode }) {
  return (
    <section className="grid gap-4 rounded-xl border border-line bg-surface p-5 md:grid-cols-[260px_1fr]">
      <div>
        <h2 className="text-sm font-semibold">{title}</h2>
        <p className="mt-1 text-[13px] text-muted">{description}</p>
      </div>
      <div className="min-w-0">{children}</div>
    </section>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-1 border-b border-line py-2 last:border-0">
      <dt className="w-36 text-[13px] text-muted">{label}</dt>
      <dd className="min-w-0 text-[13px] break-all">{children}</dd>
    </div>
  );
}

export function SettingsPage() {
  const settings = useSettings();
  const info = useQuery(consoleInfoQuery());
  const server = useQuery(serverInfoQuery());
  const health = info.data ? healthView(info.data.health) : undefined;
  return (
    <>
      <PageHeader
        title="Settings"
        description="Theme and time are personal preferences, kept in this browser only (not shared with your team). Connection details come from the server."
      />
      <div className="space-y-4">
        <Card title="Theme" description="Follow the operating system, or force light or dark.">
          <Segmented<ThemePreference>
            label="Theme"
            value={settings.theme}
            onChange={(theme) => updateSettings({ theme })}
            options={[
              {
                value: 'system',
                label: (
                  <>
                    <Icon name="monitor" size={14} /> System
                  </>
                ),
              },
              {
                value: 'light',
                label: (
                  <>
                    <Icon name="sun" size={14} /> Light
                  </>
                ),
              },
              {
                value: 'dark',
                label: (
                  <>
                    <Icon name="moon" size={14} /> Dark
                  </>
                ),
              },
            ]}
          />
        </Card>
        <Card
          title="Time"
          description="How dates read everywhere in the console: relative (“3 min ago”, the exact date on hover) or absolute, in your zone, UTC or one you choose. A link with ?tz=utc overrides the zone."
        >
          <TimeSettings />
        </Card>
        <Card title="Connection" description="Where this console's API calls go. In remote mode the server proxies to a Formance stack and holds the credentials.">
          {info.isPending ? (
            <div className="space-y-2">
              <Skeleton className="h-4 w-64" />
              <Skeleton className="h-4 w-48" />
            </div>
          ) : (
            <dl>
              <Row label="Mode">
                {info.data ? (
                  info.data.mode === 'remote' ? (
                    'Remote Formance stack'
                  ) : (
                    'Embedded sandbox (this server is the Flows service)'
                  )
                ) : (
                  <span className="text-danger">{errorText(info.error)}</span>
                )}
              </Row>
              {info.data?.stackUrl && (
                <Row label="Stack URL">
                  <span className="font-mono">{info.data.stackUrl}</span>
                </Row>
              )}
              <Row label="Console version">
                <span className="font-mono">{info.data?.version ?? '—'}</span>
              </Row>
              <Row label={info.data?.mode === 'remote' ? "Stack's Flows version" : 'Flows API version'}>
                <span className="font-mono" data-testid="flows-version">
                  {server.data?.version ?? (server.error ? errorText(server.error) : '—')}
                </span>
              </Row>
              <Row label="Health">
                {health ? (
                  <StatusBadge tone={health.tone === 'ok' ? 'success' : health.tone === 'warn' ? 'warning' : 'danger'} title={health.detail}>
                    {health.label}
                  </StatusBadge>
                ) : (
                  '—'
                )}
                {health?.detail && <span className="ml-2 text-muted">{health.detail}</span>}
              </Row>
              <Row label="API base">
                <span className="font-mono">{location.origin}/api/orchestration/v2</span>
              </Row>
            </dl>
          )}
        </Card>
        <AccountabilityCard />
      </div>
    </>
  );
}

/** Settings the server keeps for everyone (docs/accountability.md): only an admin changes them. */
function AccountabilityCard() {
  const settings = useQuery(consoleSettingsQuery());
  const me = useQuery(meQuery());
  const update = useUpdateConsoleSettings();
  const refusal = useRefusal('changeSettings');
  return (
    <Card title="Accountability" description="Kept by the server for every browser and script. Every write is recorded in the audit log.">
      <dl>
        <Row label="Signed in as">
          {me.data ? (
            <>
              {me.data.label} <span className="text-muted">· {accessLabel(me.data.access)}</span>
              {/* one note for the whole card: the reasons switch and the approval settings */}
              <RefusalNote reason={refusal} className="ml-2 align-middle" />
            </>
          ) : (
            '—'
          )}
        </Row>
        <Row label="Reasons">
          <label className="inline-flex items-center gap-2" title={refusal}>
            <input
              type="checkbox"
              role="switch"
              className="size-4 accent-[var(--accent)]"
              checked={settings.data?.requireReason ?? false}
              disabled={!settings.data || !!refusal || update.isPending}
              onChange={(e) => update.mutate({ requireReason: e.target.checked })}
            />
            Require a reason to abort an instance, delete a workflow or trigger, or change a workflow’s approval policy
          </label>
        </Row>
        {settings.data?.updatedBy && (
          <Row label="Last changed">
            by {settings.data.updatedBy} <Time value={settings.data.updatedAt} />
          </Row>
        )}
      </dl>
      <div className="mt-2 border-t border-line pt-2">
        {settings.data ? (
          // Not keyed by updatedAt: a refetch must not drop unsaved edits (the form follows the saved values itself).
          <ApprovalSettings limits={settings.data.approvalLimits} expiresAfter={settings.data.approvalExpiresAfter} refusal={refusal} />
        ) : settings.isError ? (
          <p className="text-[13px] text-danger">{errorText(settings.error)}</p>
        ) : (
          <Skeleton className="h-24 w-full" />
        )}
      </div>
    </Card>
  );
}
