// The few calls the bench makes itself, over plain HTTP as any client would (tRPC, no batching).
export const ENDPOINT = "/api/trpc";
export const BENCH_PASSWORD = "bench passphrase, long enough";

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

/** The simulated client's address, for the one trusted proxy hop the servers are told about. */
export function forwardedFor(address: string): Record<string, string> {
  return { "x-forwarded-for": address };
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

async function mutation<T>(url: string, input: unknown, headers: Record<string, string>): Promise<T> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(input) });
  const body = (await response.json()) as { result?: { data: T }; error?: { message: string } };
  if (!response.ok || !body.result) throw new Error(`${url}: ${response.status} ${body.error?.message ?? ""}`);
  return body.result.data;
}

export function register(origin: string, email: string, address: string): Promise<Tokens> {
  return mutation(`${origin}${ENDPOINT}/auth.register`, { email, password: BENCH_PASSWORD, name: "Bench user" }, forwardedFor(address));
}

export function signin(origin: string, email: string, address: string): Promise<Tokens> {
  return mutation(`${origin}${ENDPOINT}/auth.signin`, { email, password: BENCH_PASSWORD }, forwardedFor(address));
}

export async function logout(origin: string, accessToken: string): Promise<void> {
  await mutation(`${origin}${ENDPOINT}/auth.logout`, {}, bearer(accessToken));
}

/** `auth.me`'s HTTP status. */
export async function meStatus(origin: string, accessToken: string): Promise<number> {
  const response = await fetch(`${origin}${ENDPOINT}/auth.me`, { headers: bearer(accessToken) });
  await response.arrayBuffer();
  return response.status;
}

export function benchEmail(index: number, run: string): string {
  return `bench-${run}-${index}@example.com`;
}
