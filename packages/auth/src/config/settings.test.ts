import { describe, expect, it } from "vitest";
import type { AuthDB } from "../database/auth-db.ts";
import { loadAuthEnv } from "./env.ts";
import { type AuthOptions, resolveOptions } from "./options.ts";
import { type NumericSetting, SETTINGS } from "./settings.ts";

const db = {} as AuthDB;
const SECRET = "k".repeat(32);

/** The options object that sets one setting, e.g. `throttle.window` → `{ throttle: { window } }`. */
function optionsWith(setting: NumericSetting, value: number): AuthOptions {
  const [head, leaf] = setting.option.split(".");
  const options: Record<string, unknown> = { db, secret: SECRET };
  if (head && leaf) options[head] = { [leaf]: value };
  else if (head) options[head] = value;
  return options as unknown as AuthOptions;
}

function envMessage(setting: NumericSetting, value: number): string {
  try {
    loadAuthEnv({ [setting.env]: String(value) });
  } catch (error) {
    return (error as Error).message;
  }
  return "accepted";
}

function optionMessage(setting: NumericSetting, value: number): string {
  try {
    resolveOptions(optionsWith(setting, value));
  } catch (error) {
    return (error as Error).message;
  }
  return "accepted";
}

const entries = Object.entries(SETTINGS) as [string, NumericSetting][];

describe("one table of defaults and bounds", () => {
  it.each(entries)("%s: the environment and the options share its default", (_, setting) => {
    expect(loadAuthEnv({})).toMatchObject({ [setting.env]: setting.default });
    // `now` aside: each call makes its own default clock.
    const { now: _explicitClock, ...explicit } = resolveOptions(optionsWith(setting, setting.default));
    const { now: _defaultClock, ...defaults } = resolveOptions({ db, secret: SECRET });
    expect(explicit).toEqual(defaults);
  });

  it.each(entries)("%s: both refuse a value out of range with the same message", (_, setting) => {
    for (const value of [setting.min - 1, setting.max + 1].filter((v) => v >= 0)) {
      const fromEnv = envMessage(setting, value);
      const fromOptions = optionMessage(setting, value);
      const reason = /must be at (least|most) .*/.exec(fromEnv)?.[0];
      expect(reason, `${setting.env}=${value}`).toBeDefined();
      expect(fromEnv).toContain(`${setting.env}: ${reason}`);
      expect(fromOptions).toBe(`auth: \`${setting.option}\` ${reason}`);
    }
    expect(optionMessage(setting, setting.min)).toBe("accepted");
    expect(optionMessage(setting, setting.max)).toBe("accepted");
  });

  it("refuses the unsafe values that used to slip through createAuth", () => {
    // A zero window switched throttling off; a long reuse interval disabled reuse detection.
    expect(() => resolveOptions({ db, secret: SECRET, throttle: { window: 0 } })).toThrow(
      "auth: `throttle.window` must be at least 1 minute (60 seconds)",
    );
    expect(() => resolveOptions({ db, secret: SECRET, refreshReuseInterval: "1h" })).toThrow(
      "auth: `refreshReuseInterval` must be at most 1 minute (60 seconds)",
    );
    expect(() => loadAuthEnv({ AUTH_REFRESH_REUSE_INTERVAL: "1h" })).toThrow(
      "AUTH_REFRESH_REUSE_INTERVAL: must be at most 1 minute (60 seconds)",
    );
    expect(() => resolveOptions({ db, secret: SECRET, throttle: { maxFailures: 2.5 } })).toThrow(
      "auth: `throttle.maxFailures` must be a whole number (got 2.5)",
    );
  });
});
