import { randomBytes } from "node:crypto";

export interface TestUser {
  name: string;
  email: string;
  password: string;
}

/**
 * A user no other test (or earlier run) has registered.
 *
 * @example const user = newUser(); await registerThroughUI(page, user);
 */
export function newUser(): TestUser {
  const id = `${Date.now()}-${randomBytes(4).toString("hex")}`;
  return { name: `Ada Tester ${id.slice(-4)}`, email: `user-${id}@example.com`, password: `correct horse ${id}` };
}
