import { z } from "zod";

const apiEnvSchema = z.object({
  NODE_ENV: z
    .preprocess((value) => (value === "" ? undefined : value), z.enum(["development", "production", "test"]).optional())
    .transform((value) => value ?? "development"),
});

export interface ApiEnv {
  /** False in production: error responses then carry no stack and no internal message. */
  isDev: boolean;
}

/**
 * Reads and validates the variables the API layer needs; throws naming the bad variable.
 *
 * @example const { isDev } = loadApiEnv(process.env);
 */
export function loadApiEnv(source: Record<string, string | undefined> = process.env): ApiEnv {
  const result = apiEnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".") || "environment"}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return { isDev: result.data.NODE_ENV !== "production" };
}
