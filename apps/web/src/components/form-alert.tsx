import type { ReactNode } from "react";

/**
 * A form-level message. Errors use `role="alert"` so screen readers announce them at once;
 * confirmations use the politer `role="status"`.
 *
 * @example <FormAlert tone="error" message={error ? friendlyMessage(error) : null} />
 */
export function FormAlert({ message, tone = "error" }: { message: string | null; tone?: "error" | "success" }): ReactNode {
  if (!message) return null;
  return (
    <div role={tone === "error" ? "alert" : "status"} className={`alert alert-${tone}`}>
      {message}
    </div>
  );
}
