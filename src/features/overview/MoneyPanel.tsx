import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import type { LiveOptions } from '../../api/instances';
import { overviewMoneyQuery } from '../../api/overview';
import type { OverviewMoneySource } from '../../api/types';
import { Money } from '../../components/Money';
import { toBigInt } from '../../lib/money';
import { listLinks } from './links';
import { CountLink, InstanceLink, Muted, Panel, formatCount } from './parts';

function Coverage({ source, asset }: { source: OverviewMoneySource; asset: string }) {
  if (source.unbounded) return <span className="text-muted">{source.address === 'world' ? 'world: no limit' : 'may overdraw'}</span>;
  if (source.covered === undefined) return <span className="text-muted">balance unknown</span>;
  if (source.covered) return <span className="text-emerald-700 dark:text-emerald-400">covered</span>;
  const short = (toBigInt(source.pending) ?? 0n) - (toBigInt(source.balance ?? 0) ?? 0n);
  return (
    <span className="font-medium text-danger" data-testid="short">
      short by <Money amount={short} asset={asset} />
    </span>
  );
}

function SourceName({ source }: { source: OverviewMoneySource }) {
  if (source.kind === 'account' && source.ledger && source.address) {
    return (
      <Link
        to="/sandbox/ledger"
        search={{ ledger: source.ledger, account: source.address } as never}
        className="font-mono text-[12.5px] hover:underline"
        title={`${source.address} on ledger ${source.ledger}`}
      >
        {source.address} <span className="font-sans text-muted">({source.ledger})</span>
      </Link>
    );
  }
  return <span className="font-mono text-[12.5px]">{source.label}</span>;
}

/**
 * "Money in flight": what running instances' sends have yet to move, per asset, and the sources
 * they would draw from, with a flag on those whose balance does not cover it.
 */
export function MoneyPanel({ live, linkable }: { live: LiveOptions; linkable: boolean }) {
  const q = useQuery(overviewMoneyQuery(live));
  const m = q.data;
  return (
    <Panel
      title="Money in flight"
      description="What running instances’ send stages have yet to move, resolved from each run’s variables, and the accounts they would draw from."
      basis={m?.basis}
      query={q}
      className="lg:col-span-2"
    >
      {m && (
        <>
          {m.assets.length === 0 && m.unresolved.length === 0 && (
            <Muted>
              No money in flight: no running instance has a send still to run. Runs parked before a send (waiting for an event, delayed) show here with the amounts they
              will move.
            </Muted>
          )}
          <div className="space-y-4">
            {m.assets.map((a) => (
              <div key={a.asset} className="rounded-lg border border-line" data-testid="money-asset" data-asset={a.asset}>
                <div className="flex flex-wrap items-baseline justify-between gap-2 border-b border-line bg-subtle px-3 py-2">
                  <p className="text-[15px] font-semibold">
                    <Link
                      to="/instances"
                      search={(linkable ? listLinks.pending(a.asset) : {}) as never}
                      className="hover:underline"
                      aria-label={`Pending in ${a.asset}: open the instances`}
                      data-testid="money-total"
                    >
                      <Money amount={a.pending} asset={a.asset} />
                    </Link>
                  </p>
                  <p className="text-[12.5px] text-muted">
                    <CountLink value={a.instances} link={linkable ? listLinks.pending(a.asset) : undefined} label={`instances with sends in ${a.asset} still to run`} />{' '}
                    instance
                    {a.instances === 1 ? '' : 's'}, {formatCount(a.sends)} send{a.sends === 1 ? '' : 's'}
                  </p>
                </div>
                <table className="w-full text-[13px]" aria-label={`Sources of the pending ${a.asset} sends`}>
                  <thead className="text-left text-[12px] text-muted">
                    <tr>
                      <th scope="col" className="px-3 py-1.5 font-medium">
                        Draws from
                      </th>
                      <th scope="col" className="px-3 py-1.5 text-right font-medium">
                        Pending
                      </th>
                      <th scope="col" className="px-3 py-1.5 text-right font-medium">
                        Balance
                      </th>
                      <th scope="col" className="px-3 py-1.5 text-right font-medium">
                        <span className="sr-only">Coverage</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {a.sources.map((s) => (
                      <tr key={s.key} className="border-t border-line" data-testid="money-source" data-source={s.key}>
                        <td className="max-w-[28rem] truncate px-3 py-1.5">
                          <SourceName source={s} />
                          <span className="ml-1.5 text-[12px] text-muted">
                            ·{' '}
                            <CountLink
                              value={s.instances}
                              link={linkable ? listLinks.pending(a.asset, s.key) : undefined}
                              label={`instances drawing ${a.asset} from ${s.label}`}
                            />{' '}
                            run{s.instances === 1 ? '' : 's'}
                          </span>
                        </td>
                        <td className="px-3 py-1.5 text-right">
                          <Money amount={s.pending} asset={a.asset} />
                        </td>
                        <td className="px-3 py-1.5 text-right">
                          {s.balance !== undefined ? <Money amount={s.balance} asset={a.asset} /> : <span className="text-muted">—</span>}
                        </td>
                        <td className="px-3 py-1.5 text-right text-[12.5px] whitespace-nowrap">
                          <Coverage source={s} asset={a.asset} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ))}
          </div>
          {m.unresolved.length > 0 && (
            <div
              className="mt-4 rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-[13px] dark:border-amber-400/30 dark:bg-amber-400/10"
              data-testid="money-unresolved"
            >
              <p className="font-medium">Sends that cannot be resolved with their run’s variables (they will fail when reached)</p>
              <ul className="mt-1 space-y-1">
                {m.unresolved.map((u) => (
                  <li key={u.reason} className="min-w-0">
                    {formatCount(u.instances)} run{u.instances === 1 ? '' : 's'}, e.g. <InstanceLink id={u.exampleInstanceID} />:{' '}
                    <span className="font-mono text-[12.5px] break-words">{u.reason}</span>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </>
      )}
    </Panel>
  );
}
