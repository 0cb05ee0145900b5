/**
 * A text field's value from a submitted form; "" when absent.
 *
 * @example formText(new FormData(event.currentTarget), "email")
 */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}
