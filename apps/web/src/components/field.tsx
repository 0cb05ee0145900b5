import type { InputHTMLAttributes, ReactNode } from "react";

type FieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "name"> & {
  /** Also the input's `name`, so `FormData` and the API's `fieldErrors` use the same key. */
  name: string;
  label: string;
  /** Prefix for the element id, so two forms on a page cannot collide. */
  form: string;
  errors?: string[] | undefined;
  hint?: string;
};

/**
 * A labelled input with its hint and errors wired to it for assistive technology.
 *
 * @example <Field form="signin" name="email" label="Email" type="email" errors={fieldErrors.email} />
 */
export function Field({ name, label, form, errors = [], hint, ...input }: FieldProps): ReactNode {
  const id = `${form}-${name}`;
  const describedBy = [hint ? `${id}-hint` : null, errors.length > 0 ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        aria-invalid={errors.length > 0 || undefined}
        aria-describedby={describedBy || undefined}
        {...input}
      />
      {hint ? (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
      {errors.length > 0 ? (
        <p id={`${id}-error`} className="field-error">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
