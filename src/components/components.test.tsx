import { describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { DataTable, type Column } from './DataTable';
import { Money } from './Money';
import { StatusBadge, InstanceStatusBadge, statusTone } from './StatusBadge';
import { JsonView, tokenizeJson } from './JsonView';
import { CopyButton, IdText } from './CopyButton';
import { Pager } from './Pager';
import { ErrorState, EmptyState } from './states';
import { ApiError } from '../api/errors';
import { Time } from './Time';
import { noteServerDate, resetServerClock } from '../lib/clock';
import { formatRelative } from '../lib/time';
import { renderWithRouter } from '../test/render';
import { reloadSettings, updateSettings } from '../lib/settings';
import { toast, Toaster } from './toast';

type Row = { id: string; name: string; amount: number };
const columns: Column<Row>[] = [
  { id: 'name', header: 'Name', sortValue: (r) => r.name, cell: (r) => r.name },
  { id: 'amount', header: 'Amount', sortValue: (r) => r.amount, cell: (r) => String(r.amount), align: 'right' },
];
const rows: Row[] = [
  { id: '1', name: 'beta', amount: 2 },
  { id: '2', name: 'alpha', amount: 10 },
  { id: '3', name: 'gamma', amount: 1 },
];
const names = () =>
  screen
    .getAllByRole('row')
    .slice(1)
    .map((r) => within(r).getAllByRole('cell')[0]!.textContent);

describe('DataTable', () => {
  it('renders rows with an accessible caption and reports sort clicks', () => {
    const onSortChange = vi.fn();
    render(<DataTable label="Things" columns={columns} rows={rows} rowKey={(r) => r.id} onSortChange={onSortChange} />);
    expect(screen.getByRole('table', { name: 'Things' })).toBeTruthy();
    expect(names()).toEqual(['beta', 'alpha', 'gamma']);
    fireEvent.click(screen.getByRole('button', { name: /Name/ }));
    expect(onSortChange).toHaveBeenCalledWith({ id: 'name', desc: false });
  });

  it('sorts by the state it is given (owned by the URL)', () => {
    const { rerender } = render(
      <DataTable label="Things" columns={columns} rows={rows} rowKey={(r) => r.id} sort={{ id: 'name', desc: false }} onSortChange={() => {}} />,
    );
    expect(names()).toEqual(['alpha', 'beta', 'gamma']);
    expect(screen.getByRole('columnheader', { name: /Name/ }).getAttribute('aria-sort')).toBe('ascending');
    rerender(<DataTable label="Things" columns={columns} rows={rows} rowKey={(r) => r.id} sort={{ id: 'amount', desc: true }} onSortChange={() => {}} />);
    expect(names()).toEqual(['alpha', 'beta', 'gamma']);
    expect(screen.getByRole('columnheader', { name: /Amount/ }).getAttribute('aria-sort')).toBe('descending');
  });

  it('sorted on the server: keeps the order it is given; sorted here over part of a list: says so', () => {
    const { rerender } = render(
      <DataTable label="Things" columns={columns} rows={rows} rowKey={(r) => r.id} sort={{ id: 'name', desc: false }} onSortChange={() => {}} sortOn="server" partial />,
    );
    expect(names()).toEqual(['beta', 'alpha', 'gamma']);
    expect(screen.queryByTestId('sort-scope')).toBeNull();
    rerender(
      <DataTable
        label="Things"
        columns={columns}
        rows={rows}
        rowKey={(r) => r.id}
        sort={{ id: 'name', desc: false }}
        onSortChange={() => {}}
        partial
        sortScopeNote="the stack cannot sort"
      />,
    );
    expect(names()).toEqual(['alpha', 'beta', 'gamma']);
    expect(screen.getByTestId('sort-scope').textContent).toBe('Sorted within the 3 loaded rows: the stack cannot sort.');
    rerender(<DataTable label="Things" columns={columns} rows={rows} rowKey={(r) => r.id} sort={{ id: 'name', desc: false }} onSortChange={() => {}} />);
    expect(screen.queryByTestId('sort-scope')).toBeNull(); // the whole list is here
  });

  it('one row that cannot be shown is an error cell: the other rows and cells stay', () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    const fragile: Column<Row>[] = [
      ...columns,
      {
        id: 'when',
        header: 'When',
        sortValue: (r) => {
          if (r.id === '2') throw new RangeError('Invalid time value');
          return r.id;
        },
        cell: (r) => {
          if (r.id === '2') throw new RangeError('Invalid time value');
          return `t${r.id}`;
        },
      },
    ];
    render(<DataTable label="Things" columns={fragile} rows={rows} rowKey={(r) => r.id} sort={{ id: 'when', desc: false }} onSortChange={() => {}} />);
    expect(names()).toEqual(['beta', 'gamma', 'alpha']); // the unreadable value sorts as a blank, last
    const bad = screen.getAllByRole('row')[3]!;
    expect(
      within(bad)
        .getAllByRole('cell')
        .map((c) => c.textContent?.trim()),
    ).toEqual(['alpha', '10', 'Cannot show when']);
    expect(within(bad).getByRole('alert').getAttribute('title')).toBe('When: Invalid time value');
    expect(screen.getByText('t1')).toBeTruthy();
    quiet.mockRestore();
  });

  it('shows the empty state when there are no rows', () => {
    render(<DataTable label="Things" columns={columns} rows={[]} rowKey={(r) => r.id} empty={<EmptyState title="Nothing here" />} />);
    expect(screen.getByText('Nothing here')).toBeTruthy();
  });

  it('virtualizes long lists: 10,000 rows render only a window', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({ id: String(i), name: `row ${i}`, amount: i }));
    render(<DataTable label="Many" columns={columns} rows={many} rowKey={(r) => r.id} />);
    // The virtualizer loads with the first long list; meanwhile the first 500 rows show as they are.
    expect(screen.getAllByRole('row')).toHaveLength(501);
    expect(screen.getByText('row 499')).toBeTruthy();
    // Then only its window (none in jsdom, which has no layout).
    await waitFor(() => expect(screen.queryByText('row 499')).toBeNull());
    const rendered = screen.getAllByRole('row').length;
    expect(rendered).toBeLessThan(200);
    expect(screen.getByRole('table', { name: 'Many' }).getAttribute('aria-rowcount')).toBe('10001');
  });
});

describe('Money', () => {
  it('shows the asset precision and the raw amount on hover', () => {
    render(<Money amount={12345} asset="USD/2" />);
    const el = screen.getByTitle('12345 (USD/2)');
    expect(el.textContent).toBe('123.45 USD');
  });

  it('handles amounts beyond 2^53 given as strings', () => {
    render(<Money amount="900719925474099312345" asset="EUR/2" signed />);
    expect(screen.getByTitle(/900719925474099312345/).textContent).toBe('9,007,199,254,740,993,123.45 EUR');
  });
});

describe('StatusBadge', () => {
  it('derives instance states', () => {
    render(
      <>
        <InstanceStatusBadge instance={{ terminated: false }} />
        <InstanceStatusBadge instance={{ terminated: true, error: 'boom' }} />
        <InstanceStatusBadge instance={{ terminated: true, error: 'canceled' }} />
        <InstanceStatusBadge instance={{ terminated: true }} />
        <StatusBadge tone={statusTone('PROCESSED')}>PROCESSED</StatusBadge>
      </>,
    );
    for (const label of ['Running', 'Failed', 'Aborted', 'Succeeded', 'PROCESSED']) expect(screen.getByText(label)).toBeTruthy();
    expect(screen.getByText('Failed').closest('span')!.getAttribute('title')).toBe('boom');
    expect(statusTone('WAITING_FOR_VALIDATION')).toBe('info');
    expect(statusTone('something-new')).toBe('neutral');
  });
});

describe('JsonView and copy', () => {
  it('tokenizes JSON without losing text', () => {
    const json = JSON.stringify({ a: 'x', b: [1, true, null], 'c"d': -2.5e3 }, null, 2);
    const tokens = tokenizeJson(json);
    expect(tokens.map((t) => t.text).join('')).toBe(json);
    expect(tokens.find((t) => t.text === '"a"')?.kind).toBe('key');
    expect(tokens.find((t) => t.text === '"x"')?.kind).toBe('string');
    expect(tokens.find((t) => t.text === 'true')?.kind).toBe('literal');
  });

  it('renders JSON as text (no HTML injection) and copies it', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    render(<JsonView value={{ html: '<img src=x onerror=alert(1)>' }} label="Payload" />);
    const pre = screen.getByLabelText('Payload');
    expect(pre.querySelector('img')).toBeNull();
    expect(pre.textContent).toContain('<img src=x onerror=alert(1)>');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Copy Payload' })));
    expect(writeText).toHaveBeenCalledWith(JSON.stringify({ html: '<img src=x onerror=alert(1)>' }, null, 2));
    expect(screen.getByRole('button', { name: 'Copied' })).toBeTruthy();
  });

  it('shortens long ids but copies them whole', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const id = '7c2e0000-1111-2222-3333-444455556666';
    render(<IdText id={id} />);
    expect(screen.getByTitle(id).textContent).toBe('7c2e0000…6666');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: `Copy ${id}` })));
    expect(writeText).toHaveBeenCalledWith(id);
  });

  it('CopyButton stops the click from reaching a surrounding link', async () => {
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: vi.fn().mockResolvedValue(undefined) }, configurable: true });
    const outer = vi.fn();
    render(
      <div onClick={outer}>
        <CopyButton text="x" />
      </div>,
    );
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Copy' })));
    expect(outer).not.toHaveBeenCalled();
  });
});

describe('Pager', () => {
  it('pages with opaque cursors and changes the page size', () => {
    const onCursor = vi.fn();
    const onPageSize = vi.fn();
    render(<Pager page={{ hasMore: true, next: 'n1' }} count={15} pageSize={15} onCursor={onCursor} onPageSize={onPageSize} noun="workflows" />);
    expect(screen.getByText('15 workflows on this page')).toBeTruthy();
    expect((screen.getByRole('button', { name: /Previous/ }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: /Next/ }));
    expect(onCursor).toHaveBeenCalledWith('n1');
    fireEvent.change(screen.getByLabelText('Page size'), { target: { value: '50' } });
    expect(onPageSize).toHaveBeenCalledWith(50);
  });

  it('offers "load more" for lists that append pages, and counts what is loaded', () => {
    const onLoadMore = vi.fn();
    const { rerender } = render(
      <Pager
        page={{ hasMore: true, next: 'n3' }}
        count={1500}
        pagesLoaded={15}
        pageSize={100}
        onCursor={vi.fn()}
        onPageSize={vi.fn()}
        noun="instances"
        onLoadMore={onLoadMore}
      />,
    );
    expect(screen.getByText('1,500 instances loaded (15 pages)')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Load 100 more' }));
    expect(onLoadMore).toHaveBeenCalledTimes(1);
    rerender(
      <Pager
        page={{ hasMore: true, next: 'n3' }}
        count={1500}
        pagesLoaded={15}
        pageSize={100}
        onCursor={vi.fn()}
        onPageSize={vi.fn()}
        noun="instances"
        onLoadMore={onLoadMore}
        loadingMore
      />,
    );
    expect((screen.getByRole('button', { name: 'Loading…' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('ErrorState', () => {
  it('shows errorCode and errorMessage with a retry when asking again may help', () => {
    const onRetry = vi.fn();
    render(<ErrorState error={new ApiError({ status: 503, errorCode: 'INTERNAL', errorMessage: 'database restarting' })} onRetry={onRetry} />);
    expect(screen.getByRole('alert').textContent).toContain('Something went wrong');
    expect(screen.getByTestId('error-code').textContent).toBe('INTERNAL');
    expect(screen.getByTestId('error-message').textContent).toBe('database restarting');
    fireEvent.click(screen.getByRole('button', { name: /Retry/ }));
    expect(onRetry).toHaveBeenCalled();
  });

  it('tries again by itself every 15 s while the error is one a retry may fix, and says so', () => {
    vi.useFakeTimers();
    try {
      const onRetry = vi.fn();
      render(<ErrorState error={new ApiError({ status: 503, errorCode: 'INTERNAL', errorMessage: 'the stack answered HTTP 503' })} onRetry={onRetry} />);
      expect(screen.getByTestId('auto-retry').textContent).toBe('Trying again by itself in 15 s');
      act(() => void vi.advanceTimersByTime(14_000));
      expect(onRetry).not.toHaveBeenCalled();
      expect(screen.getByTestId('auto-retry').textContent).toBe('Trying again by itself in 1 s');
      act(() => void vi.advanceTimersByTime(1_000));
      expect(onRetry).toHaveBeenCalledTimes(1);
      act(() => void vi.advanceTimersByTime(15_000));
      expect(onRetry).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('offers no retry for an answer a retry would only repeat (not found, refused)', () => {
    render(<ErrorState error={new ApiError({ status: 404, errorCode: 'NOT_FOUND', errorMessage: 'Instance not found' })} onRetry={() => undefined} />);
    expect(screen.getByRole('alert').textContent).toContain('Not found');
    expect(screen.queryByRole('button', { name: /Retry/ })).toBeNull();
  });

  it('explains an unreachable server', () => {
    render(<ErrorState error={new ApiError({ status: 0, errorCode: 'NETWORK', errorMessage: 'Cannot reach' })} />);
    expect(screen.getByText('Server unreachable')).toBeTruthy();
  });
});

describe('Time', () => {
  const value = '2024-07-01T10:00:00.123456Z';

  it('shows relative time with the exact value on hover, in UTC when chosen', async () => {
    localStorage.clear();
    reloadSettings();
    updateSettings({ timeZone: 'utc' });
    await renderWithRouter(<Time value={value} />);
    const el = await screen.findByTitle(value);
    expect(el.tagName).toBe('TIME');
    expect(el.getAttribute('datetime')).toBe(value);
    expect(el.textContent).toMatch(/ago$/);
  });

  it('lets ?tz=local in the URL override the preference', async () => {
    updateSettings({ timeZone: 'utc' });
    await renderWithRouter(<Time value={value} />, { url: '/?tz=local' });
    const el = await screen.findByText(/ago$/);
    expect(el.getAttribute('title')).toMatch(/^2024-07-01T\d\d:\d\d:00\.123[+-]\d\d:\d\d$/);
  });

  it('with the browser’s clock 6 s behind the server: no "in 5 s" for a past time, and "ago" never shorter than "took"', async () => {
    const local = Date.now();
    for (let i = 0; i < 3; i++) noteServerDate(new Date(local + 6_000).toUTCString(), local);
    try {
      // Just written by the server: 5 s ahead of the browser's clock.
      await renderWithRouter(<Time value={new Date(local + 5_000).toISOString()} />);
      expect(await screen.findByText('just now')).toBeTruthy();
      // An activity that started 25 s ago (browser clock) and took 31 s.
      const started = new Date(local - 25_000).toISOString();
      const ended = new Date(local + 6_000).toISOString();
      await renderWithRouter(<Time value={started} seenAt={ended} />);
      expect(await screen.findByText(/^3\d s ago$/)).toBeTruthy();
      expect(formatRelative(started, Date.parse(ended))).toBe('31 s ago');
    } finally {
      resetServerClock();
    }
  });

  it('shows a dash for missing dates', async () => {
    await renderWithRouter(<Time value={undefined} />);
    expect(await screen.findByText('—')).toBeTruthy();
  });
});

describe('toasts', () => {
  it('announce mutations politely and can be dismissed', () => {
    render(<Toaster />);
    act(() => {
      toast({ tone: 'success', title: 'Workflow created' });
      toast({ tone: 'error', title: 'Could not delete', description: 'NOT_FOUND: gone' });
    });
    expect(screen.getByRole('status').textContent).toContain('Workflow created');
    expect(screen.getByRole('alert').textContent).toContain('NOT_FOUND: gone');
    fireEvent.click(screen.getAllByRole('button', { name: 'Dismiss notification' })[0]!);
    expect(screen.queryByText('Workflow created')).toBeNull();
  });
});
