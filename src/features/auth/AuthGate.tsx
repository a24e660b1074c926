import { lazy, Suspense, type ReactNode } from 'react';
import { useSignInRequired } from '../../api/session';

const SignInScreen = lazy(() => import('./SignInScreen'));

/**
 * The console, or the sign-in screen once the server has refused a request for want of a session
 * (AUTH_CLIENTS; see src/api/session.ts). Without AUTH_CLIENTS this renders the console, always.
 */
export function AuthGate({ children }: { children: ReactNode }) {
  const required = useSignInRequired();
  if (!required) return <>{children}</>;
  return (
    <Suspense fallback={null}>
      <SignInScreen />
    </Suspense>
  );
}
