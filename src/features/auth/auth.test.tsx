import { afterEach, describe, expect, it } from 'vitest';
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { QueryClient } from '@tanstack/react-query';
import { createApiClients, setApiClients } from '../../api/client';
import { isSignInRequired } from '../../api/errors';
import { consoleInfoQuery } from '../../api/info';
import { markSignedIn, markSignInRequired, signInRequired } from '../../api/session';
import { listWorkflowsQuery } from '../../api/workflows';
import { createQueryClient } from '../../queryClient';
import { renderWithRouter } from '../../test/render';
import { AuthGate } from './AuthGate';
import { SessionMenu } from './SessionMenu';

afterEach(() => {
  setApiClients(undefined);
  markSignedIn();
});

const JSON_HEADERS = { 'Content-Type': 'application/json' };
/** The console server's own refusal (server/http/auth.ts): no body, a Bearer challenge. */
const challenge = () => new Response(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="flows-console"' } });
const info = (extra: object = {}) => new Response(JSON.stringify({ mode: 'embedded', version: 'test', health: { ok: true }, ...extra }), { headers: JSON_HEADERS });

function serve(handler: (req: Request) => Response | undefined | Promise<Response | undefined>) {
  const calls: Request[] = [];
  setApiClients(
    createApiClients({
      baseUrl: 'http://test',
      fetch: async (req) => {
        calls.push(req.clone());
        return (await handler(req)) ?? new Response('{"errorCode":"NOT_FOUND","errorMessage":"no route"}', { status: 404, headers: JSON_HEADERS });
      },
    }),
  );
  return calls;
}

describe('learning that sign-in is required', () => {
  it('a query refused with the console’s own 401 challenge shows the sign-in screen', async () => {
    serve(() => challenge());
    const qc = createQueryClient();
    const err = await qc.fetchQuery(listWorkflowsQuery()).catch((e) => e);
    expect(isSignInRequired(err)).toBe(true);
    expect(err).toMatchObject({ status: 401, errorCode: 'UNAUTHORIZED' });
    expect(signInRequired()).toBe(true);
  });

  it('a 401 relayed from a remote stack (no challenge) is an ordinary error', async () => {
    serve(() => new Response('{"errorCode":"VALIDATION","errorMessage":"the stack answered HTTP 401"}', { status: 401, headers: JSON_HEADERS }));
    const qc = createQueryClient();
    const err = await qc.fetchQuery(listWorkflowsQuery()).catch((e) => e);
    expect(isSignInRequired(err)).toBe(false);
    expect(signInRequired()).toBe(false);
    // and other errors never do it either
    serve(() => new Response(null, { status: 403 }));
    await qc.fetchQuery({ ...listWorkflowsQuery({ pageSize: 3 }) }).catch(() => undefined);
    expect(signInRequired()).toBe(false);
  });
});

describe('AuthGate and the sign-in screen', () => {
  it('renders the console as long as no sign-in is required', async () => {
    await renderWithRouter(
      <AuthGate>
        <p>the console</p>
      </AuthGate>,
    );
    expect(screen.getByText('the console')).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Sign in' })).toBeNull();
  });

  it('validates, shows wrong credentials clearly, then signs in and shows the console again', async () => {
    const posts: unknown[] = [];
    serve(async (req) => {
      const { pathname } = new URL(req.url);
      if (req.method === 'POST' && pathname === '/api/auth/session') {
        const body = (await req.json()) as { clientId: string; clientSecret: string };
        posts.push(body);
        if (body.clientSecret !== 'right-secret')
          return new Response('{"errorCode":"UNAUTHORIZED","errorMessage":"wrong client id or secret"}', { status: 401, headers: JSON_HEADERS });
        return new Response(JSON.stringify({ clientId: body.clientId, expiresAt: '2030-01-01T00:00:00Z' }), { headers: JSON_HEADERS });
      }
      return undefined;
    });
    markSignInRequired();
    const { router } = await renderWithRouter(
      <AuthGate>
        <p>the console</p>
      </AuthGate>,
      { url: '/workflows/deep?q=x' },
    );
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    const id = (await screen.findByLabelText('Client ID')) as HTMLInputElement;
    const secret = screen.getByLabelText('Client secret') as HTMLInputElement;
    expect(secret.type).toBe('password');
    expect(id.autocomplete).toBe('username');
    await waitFor(() => expect(document.activeElement).toBe(id));

    // nothing typed: field errors, nothing sent
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Sign in' })));
    expect(await screen.findByText('Enter the client ID')).toBeTruthy();
    expect(screen.getByText('Enter the client secret')).toBeTruthy();
    expect(id.getAttribute('aria-invalid')).toBe('true');
    expect(posts).toEqual([]);

    // wrong secret: a clear error, the secret cleared
    fireEvent.change(id, { target: { value: '  console ' } });
    fireEvent.change(secret, { target: { value: 'wrong' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Sign in' })));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Wrong client ID or secret/);
    expect(posts).toEqual([{ clientId: 'console', clientSecret: 'wrong' }]);
    expect(secret.value).toBe('');
    expect(screen.queryByText('the console')).toBeNull();

    // right secret: the console shows, on the URL that was opened
    fireEvent.change(secret, { target: { value: 'right-secret' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Sign in' })));
    expect(await screen.findByText('the console')).toBeTruthy();
    expect(signInRequired()).toBe(false);
    expect(posts).toHaveLength(2);
    expect(router.state.location.href).toBe('/workflows/deep?q=x');
  });
});

describe('people sign in by name and password (AUTH_USERS)', () => {
  it('offers name and password first, beside client credentials; a refusal says not which part was wrong', async () => {
    const posts: unknown[] = [];
    serve(async (req) => {
      const { pathname } = new URL(req.url);
      if (pathname === '/api/auth/methods') return new Response('{"clients":true,"users":true}', { headers: JSON_HEADERS });
      if (req.method === 'POST' && pathname === '/api/auth/session') {
        const body = (await req.json()) as { username?: string; password?: string };
        posts.push(body);
        if (body.password !== 'right')
          return new Response('{"errorCode":"UNAUTHORIZED","errorMessage":"wrong name or password"}', { status: 401, headers: JSON_HEADERS });
        return new Response(JSON.stringify({ kind: 'user', name: body.username, access: 'operator', expiresAt: '2030-01-01T00:00:00Z' }), { headers: JSON_HEADERS });
      }
      return undefined;
    });
    markSignInRequired();
    await renderWithRouter(
      <AuthGate>
        <p>the console</p>
      </AuthGate>,
    );
    const name = (await screen.findByLabelText('Name')) as HTMLInputElement;
    const password = screen.getByLabelText('Password') as HTMLInputElement;
    expect(screen.getByRole('button', { name: 'Name and password' }).getAttribute('aria-pressed')).toBe('true');
    expect(password.type).toBe('password');
    await waitFor(() => expect(document.activeElement).toBe(name));

    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Sign in' })));
    expect(await screen.findByText('Enter your name')).toBeTruthy();
    expect(screen.getByText('Enter your password')).toBeTruthy();

    fireEvent.change(name, { target: { value: ' alice ' } });
    fireEvent.change(password, { target: { value: 'wrong' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Sign in' })));
    expect((await screen.findByRole('alert')).textContent).toBe('Wrong name or password. Check them and try again.');
    expect(posts).toEqual([{ username: 'alice', password: 'wrong' }]);
    expect(password.value).toBe('');

    // The other method is one click away, and asks for its own fields.
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Client credentials' })));
    expect(await screen.findByLabelText('Client ID')).toBeTruthy();
    expect(screen.queryByLabelText('Name')).toBeNull();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Name and password' })));

    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'alice' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'right' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Sign in' })));
    expect(await screen.findByText('the console')).toBeTruthy();
    expect(posts.at(-1)).toEqual({ username: 'alice', password: 'right' });
  });
});

describe('SessionMenu', () => {
  it('shows nothing without a session', async () => {
    serve((req) => (new URL(req.url).pathname === '/api/console/info' ? info() : undefined));
    const qc = new QueryClient();
    await qc.fetchQuery(consoleInfoQuery());
    await renderWithRouter(<SessionMenu />, { queryClient: qc });
    expect(screen.queryByRole('button', { name: /Sign out/ })).toBeNull();
    expect(screen.queryByTestId('session')).toBeNull();
  });

  it('shows who is signed in; Sign out clears the session, forgets the data and asks to sign in', async () => {
    const calls = serve((req) => {
      const { pathname } = new URL(req.url);
      if (pathname === '/api/console/info')
        return info({ session: { kind: 'client', name: 'ops-console', access: 'operator', clientId: 'ops-console', expiresAt: '2030-01-01T00:00:00Z' } });
      if (req.method === 'DELETE' && pathname === '/api/auth/session') return new Response(null, { status: 204 });
      return undefined;
    });
    const qc = new QueryClient();
    await qc.fetchQuery(consoleInfoQuery());
    await renderWithRouter(<SessionMenu />, { queryClient: qc });
    expect(screen.getByTestId('session-name').textContent).toBe('ops-console');
    expect(screen.getByTestId('session-role').textContent).toBe(', role operator');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Sign out' })));
    await waitFor(() => expect(signInRequired()).toBe(true));
    expect(calls.some((r) => r.method === 'DELETE' && new URL(r.url).pathname === '/api/auth/session')).toBe(true);
    expect(qc.getQueryData(consoleInfoQuery().queryKey)).toBeUndefined();
  });
});
