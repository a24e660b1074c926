/**
 * The sign-in screen, shown instead of the console when the server requires credentials
 * (AUTH_CLIENTS, AUTH_USERS) and there is no session. Loaded lazily: most servers never ask for it.
 *
 * It offers what the server accepts (`GET /api/auth/methods`): a person's name and password
 * (AUTH_USERS), a client ID and secret (AUTH_CLIENTS), or a choice of both — a person first.
 * The URL is left alone, so after signing in the page that was opened (a deep link) loads.
 */
import { useEffect, useId, useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod/mini';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from '@tanstack/react-router';
import { ApiError, errorText } from '../../api/errors';
import { signIn, type Credentials } from '../../api/session';
import { signInMethodsQuery } from '../../api/signInMethods';
import { Button } from '../../components/Button';
import { Icon } from '../../components/Icon';
import { inputClass } from '../../components/inputs';
import { tabClass } from '../../components/Tabs';
import { cn } from '../../lib/cn';
import { reloadAfterSignIn } from './reload';

type Method = 'user' | 'client';

interface Fields {
  id: string;
  secret: string;
}

/** What each method asks for, and how the screen words it. */
const METHODS: Record<Method, { tab: string; id: string; secret: string; idMissing: string; secretMissing: string; wrong: string; intro: string }> = {
  user: {
    tab: 'Name and password',
    id: 'Name',
    secret: 'Password',
    idMissing: 'Enter your name',
    secretMissing: 'Enter your password',
    wrong: 'Wrong name or password. Check them and try again.',
    intro: 'Sign in with your name and password: what you do here is recorded under your name.',
  },
  client: {
    tab: 'Client credentials',
    id: 'Client ID',
    secret: 'Client secret',
    idMissing: 'Enter the client ID',
    secretMissing: 'Enter the client secret',
    wrong: 'Wrong client ID or secret. Check them and try again.',
    intro: 'Use a client ID and secret from the server’s AUTH_CLIENTS.',
  },
};

export function signInSchema(method: Method): z.ZodMiniType<Fields, Fields> {
  return z.object({
    id: z.string().check(z.trim(), z.minLength(1, METHODS[method].idMissing)),
    secret: z.string().check(z.minLength(1, METHODS[method].secretMissing)),
  });
}

/** What to tell the user when the server refused the sign-in (never which part was wrong). */
export function signInFailure(error: unknown, method: Method = 'client'): string {
  if (error instanceof ApiError && error.status === 401) return METHODS[method].wrong;
  if (error instanceof ApiError && error.errorCode === 'NETWORK') return error.errorMessage;
  return `The server refused the sign-in: ${errorText(error)}`;
}

function credentials(method: Method, { id, secret }: Fields): Credentials {
  return method === 'user' ? { username: id, password: secret } : { clientId: id, clientSecret: secret };
}

export default function SignInScreen() {
  const ids = useId();
  const methods = useQuery(signInMethodsQuery());
  // A server that cannot say (an older one): client credentials, as before people could sign in.
  const offered: Method[] = methods.data ? (['user', 'client'] as const).filter((m) => (m === 'user' ? methods.data.users : methods.data.clients)) : ['client'];
  const [chosen, setChosen] = useState<Method>();
  const method = chosen && offered.includes(chosen) ? chosen : offered[0]!;

  return (
    <main id="main" className="flex min-h-full items-center justify-center bg-bg px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-center gap-2">
          <svg width="26" height="26" viewBox="0 0 32 32" aria-hidden="true">
            <rect width="32" height="32" rx="7" className="fill-accent" />
            <path d="M9 10h14M9 16h9M9 22h5" stroke="white" strokeWidth="3" strokeLinecap="round" />
          </svg>
          <span className="text-[17px] font-semibold tracking-tight">Flows Console</span>
        </div>
        <div className="rounded-xl border border-line bg-surface p-6 shadow-sm">
          <div className="mb-1 flex items-center gap-2">
            <Icon name="lock" size={18} className="text-muted" />
            <h1 id={`${ids}-title`} className="text-lg font-semibold">
              Sign in
            </h1>
          </div>
          {methods.isPending ? (
            <p className="py-8 text-center text-[13px] text-muted">Loading…</p>
          ) : (
            <>
              {offered.length > 1 && (
                <div role="group" aria-label="Sign in with" className="mt-3 mb-4 flex gap-1 border-b border-line">
                  {offered.map((m) => (
                    <button key={m} type="button" aria-pressed={m === method} className={tabClass(m === method)} onClick={() => setChosen(m)}>
                      {METHODS[m].tab}
                    </button>
                  ))}
                </div>
              )}
              <SignInForm key={method} method={method} titleId={`${ids}-title`} />
            </>
          )}
        </div>
        <p className="mt-4 text-center text-xs text-muted">You stay signed in until the session expires or you sign out.</p>
      </div>
    </main>
  );
}

function SignInForm({ method, titleId }: { method: Method; titleId: string }) {
  const ids = useId();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [failure, setFailure] = useState<string>();
  const words = METHODS[method];
  const form = useForm<Fields>({ defaultValues: { id: '', secret: '' }, resolver: zodResolver(signInSchema(method)) });
  const { errors, isSubmitting } = form.formState;

  useEffect(() => form.setFocus('id'), [form]);

  const submit = form.handleSubmit(async (fields) => {
    setFailure(undefined);
    try {
      await signIn(credentials(method, fields));
    } catch (err) {
      setFailure(signInFailure(err, method));
      form.resetField('secret');
      form.setFocus('secret');
      return;
    }
    await reloadAfterSignIn(router, queryClient);
  });

  const field = (name: keyof Fields) => ({
    id: `${ids}-${name}`,
    'aria-invalid': !!errors[name],
    'aria-describedby': errors[name] ? `${ids}-${name}-error` : undefined,
  });

  return (
    <form aria-labelledby={titleId} aria-describedby={`${ids}-intro`} noValidate onSubmit={(e) => void submit(e)}>
      <p id={`${ids}-intro`} className="mb-5 text-[13px] text-muted">
        {words.intro}
      </p>

      {failure && (
        <div
          role="alert"
          className="mb-4 flex items-start gap-2 rounded-md border border-danger/30 bg-danger-soft px-3 py-2 text-[13px] text-danger"
          data-testid="sign-in-error"
        >
          <Icon name="alert" size={16} className="mt-px shrink-0" />
          <span>{failure}</span>
        </div>
      )}

      <div className="space-y-4">
        <div>
          <label htmlFor={`${ids}-id`} className="mb-1 block text-[13px] font-medium">
            {words.id}
          </label>
          <input
            {...field('id')}
            {...form.register('id')}
            type="text"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            className={cn(inputClass, 'h-9 w-full', method === 'client' && 'font-mono')}
          />
          {errors.id && (
            <p id={`${ids}-id-error`} className="mt-1 text-xs text-danger">
              {errors.id.message}
            </p>
          )}
        </div>
        <div>
          <label htmlFor={`${ids}-secret`} className="mb-1 block text-[13px] font-medium">
            {words.secret}
          </label>
          <input {...field('secret')} {...form.register('secret')} type="password" autoComplete="current-password" className={cn(inputClass, 'h-9 w-full font-mono')} />
          {errors.secret && (
            <p id={`${ids}-secret-error`} className="mt-1 text-xs text-danger">
              {errors.secret.message}
            </p>
          )}
        </div>
      </div>

      <Button type="submit" variant="primary" disabled={isSubmitting} className="mt-6 h-9 w-full">
        {isSubmitting ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}
