import type { FormHTMLAttributes, ReactNode, Ref } from "react";

type CredentialFormProps = Omit<FormHTMLAttributes<HTMLFormElement>, "method" | "action"> & {
  /** The page's own path, without a query string. */
  action: string;
  ref?: Ref<HTMLFormElement>;
  children: ReactNode;
};

/**
 * A form that holds a password. Until the page's JavaScript takes it over, a submit (Enter, a
 * password manager, `form.submit()`) would otherwise be a GET that puts every field, password
 * included, in the URL: browser history, proxy logs, the `Referer` of later requests. Here it
 * is a POST to the page's own path, which answers with a redirect and never reads the body
 * (see src/proxy.ts). Its `SubmitButton` also stays disabled until hydration.
 *
 * @example <CredentialForm action="/signin" className="form" onSubmit={onSubmit}>…</CredentialForm>
 */
export function CredentialForm({ action, children, ...form }: CredentialFormProps): ReactNode {
  return (
    <form method="post" action={action} {...form}>
      {children}
    </form>
  );
}
