// Reads the issues of a failed input validation (a ZodError, or tRPC's StandardSchemaV1Error)
// without depending on which zod instance produced them.

interface Issue {
  message: string;
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }> | undefined;
}

function isIssue(value: unknown): value is Issue {
  return typeof value === "object" && value !== null && "message" in value && typeof value.message === "string";
}

/** The issues of a schema error, or `null` when `error` is not one. */
export function inputIssues(error: unknown): Issue[] | null {
  if (typeof error !== "object" || error === null || !("issues" in error) || !Array.isArray(error.issues)) return null;
  return error.issues.filter(isIssue);
}

function segment(part: PropertyKey | { key: PropertyKey }): string {
  return String(typeof part === "object" ? part.key : part);
}

/** Field path ("email", "address.city") to messages, as forms display them. */
export function fieldErrorsOf(issues: Issue[]): Record<string, string[]> {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of issues) {
    const field = issue.path?.map(segment).join(".") || "input";
    (fieldErrors[field] ??= []).push(issue.message);
  }
  return fieldErrors;
}
