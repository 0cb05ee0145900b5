import { getTRPCErrorShape, TRPCError } from "@trpc/server";
import { appRouter } from "../src/index.ts";

/**
 * How a rejected call's error reaches a client: the tRPC code plus the formatted `data`.
 * `createCaller` skips the error formatter, so this applies it, exactly as the HTTP adapter does.
 */
export async function errorOf(promise: Promise<unknown>): Promise<{
  code: TRPCError["code"];
  message: string;
  httpStatus: number;
  authCode: string | null;
  fieldErrors: Record<string, string[]> | null;
  retryAfter: number | null;
}> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const shape = getTRPCErrorShape({ config: appRouter._def._config, error, type: "unknown", path: undefined, input: undefined, ctx: undefined });
    const { httpStatus, authCode, fieldErrors, retryAfter } = shape.data;
    return { code: error.code, message: shape.message, httpStatus, authCode, fieldErrors, retryAfter };
  }
  throw new Error("expected the call to fail, but it succeeded");
}
