/**
 * The sign-in screen, shown instead of the console when the server requires credentials
 * (AUTH_CLIENTS) and there is no session. Loaded lazily: most servers never ask for it.
 *
 * The URL is left alone, so after signing in the page that was opened (a deep link) loads.
 */
import { useEffect, useId, useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod/mini';
import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from '@tanstack/react-router';
import { ApiError, errorText } from '../../api/errors';
import { signIn, type ClientCredentials as Credentials } from '../../api/session';
import { Button } from '../../components/Button';
import { Icon } from '../../components/Icon';
import { inputClass } from '../../components/inputs';
import { cn } from '../../lib/cn';
import { reloadAfterSignIn } from './reload';

export const signInSchema: z.ZodMiniType<Credentials, Credentials> = z.object({
  clientId: z.string().check(z.trim(), z.minLength(1, 'Enter the client ID')),
  clientSecret: z.string().check(z.minLength(1, 'Enter the client secret')),
});

/** What to tell the user when the server refused the sign-in. */
export function signInFailure(error: unknown): string {
  if (error instanceof ApiError && error.status === 401) return 'Wrong client ID or secret. Check them and try again.';
  if (error instanceof ApiError && error.errorCode === 'NETWORK') return error.errorMessage;
  return `The server refused the sign-in: ${errorText(error)}`;
}

export default function SignInScreen() {
  const ids = useId();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [failure, setFailure] = useState<string>();
  const form = useForm<Credentials>({ defaultValues: { clientId: '', clientSecret: '' }, resolver: zodResolver(signInSchema) });
  const { errors, isSubmitting } = form.formState;

  useEffect(() => form.setFocus('clientId'), [form]);

  const submit = form.handleSubmit(async (credentials) => {
    setFailure(undefined);
    try {
      await signIn(credentials);
    } catch (err) {
      setFailure(signInFailure(err));
      form.resetField('clientSecret');
      form.setFocus('clientSecret');
      return;
    }
    await reloadAfterSignIn(router, queryClient);
  });

  const field = (name: keyof Credentials) => ({
    id: `${ids}-${name}`,
    'aria-invalid': !!errors[name],
    'aria-describedby': errors[name] ? `${ids}-${name}-error` : undefined,
  });

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
        <form
          aria-labelledby={`${ids}-title`}
          aria-describedby={`${ids}-intro`}
          noValidate
          onSubmit={(e) => void submit(e)}
          className="rounded-xl border border-line bg-surface p-6 shadow-sm"
        >
          <div className="mb-1 flex items-center gap-2">
            <Icon name="lock" size={18} className="text-muted" />
            <h1 id={`${ids}-title`} className="text-lg font-semibold">
              Sign in
            </h1>
          </div>
          <p id={`${ids}-intro`} className="mb-5 text-[13px] text-muted">
            This server requires client credentials. Use a client ID and secret from its <code className="font-mono text-xs">AUTH_CLIENTS</code>.
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
              <label htmlFor={`${ids}-clientId`} className="mb-1 block text-[13px] font-medium">
                Client ID
              </label>
              <input
                {...field('clientId')}
                {...form.register('clientId')}
                type="text"
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                className={cn(inputClass, 'h-9 w-full font-mono')}
              />
              {errors.clientId && (
                <p id={`${ids}-clientId-error`} className="mt-1 text-xs text-danger">
                  {errors.clientId.message}
                </p>
              )}
            </div>
            <div>
              <label htmlFor={`${ids}-clientSecret`} className="mb-1 block text-[13px] font-medium">
                Client secret
              </label>
              <input
                {...field('clientSecret')}
                {...form.register('clientSecret')}
                type="password"
                autoComplete="current-password"
                className={cn(inputClass, 'h-9 w-full font-mono')}
              />
              {errors.clientSecret && (
                <p id={`${ids}-clientSecret-error`} className="mt-1 text-xs text-danger">
                  {errors.clientSecret.message}
                </p>
              )}
            </div>
          </div>

          <Button type="submit" variant="primary" disabled={isSubmitting} className="mt-6 h-9 w-full">
            {isSubmitting ? 'Signing in…' : 'Sign in'}
          </Button>
        </form>
        <p className="mt-4 text-center text-xs text-muted">You stay signed in until the session expires or you sign out.</p>
      </div>
    </main>
  );
}
