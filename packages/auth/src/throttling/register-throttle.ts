import { AuthError } from "../errors.ts";
import { hit } from "./counters.ts";
import { createThrottleKeys } from "./throttle-keys.ts";
import type { AuthConfig } from "../config/options.ts";

export interface RegisterThrottle {
  /**
   * Counts one registration from this address, before its password is hashed: each costs an
   * argon2id hash (19 MiB, tens of milliseconds of a core), so an unthrottled loop exhausts the
   * server. Throws `RATE_LIMITED` over the limit. No address, no count: the host must pass it.
   */
  count(ipAddress: string | null | undefined): Promise<void>;
}

export function createRegisterThrottle(config: AuthConfig): RegisterThrottle {
  const keys = createThrottleKeys(config);
  const { registerMaxPerIp, registerWindow } = config.throttle;
  return {
    async count(ipAddress) {
      if (!ipAddress) return;
      const spec = { key: keys.registrations(ipAddress), limit: registerMaxPerIp, window: registerWindow };
      const result = await hit(config.db, spec, config.now());
      if (result.over) {
        throw new AuthError("RATE_LIMITED", `Too many new accounts from this address. Try again in ${result.retryAfter} seconds.`, {
          retryAfter: result.retryAfter,
        });
      }
    },
  };
}
