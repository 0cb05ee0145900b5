import type { ReactNode } from "react";

/**
 * The centred card the sign-in and registration pages share.
 *
 * @example <AuthCard title="Welcome back" subtitle="Sign in to continue." footer={<Link href="/register">…</Link>}>…</AuthCard>
 */
export function AuthCard({
  title,
  subtitle,
  footer,
  children,
}: {
  title: string;
  subtitle: string;
  footer: ReactNode;
  children: ReactNode;
}): ReactNode {
  return (
    <div className="auth-page">
      <section className="card auth-card" aria-labelledby="auth-card-title">
        <header className="card-header">
          <h1 id="auth-card-title">{title}</h1>
          <p className="muted">{subtitle}</p>
        </header>
        {children}
        <footer className="auth-card-footer">{footer}</footer>
      </section>
    </div>
  );
}
