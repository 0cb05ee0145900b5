import type { ReactNode } from "react";
import { LandingActions } from "../components/landing-actions.tsx";
import { env } from "../env.ts";
import { formatDuration } from "../lib/format-duration.ts";

// Said as configured (AUTH_TOKEN_TTL), not as a guess that goes stale with the setting.
const FEATURES = [
  {
    title: "Short-lived access tokens",
    body: `Signed JWTs that expire after ${formatDuration(env.AUTH_TOKEN_TTL)} and live only in memory, out of reach of storage-stealing scripts.`,
  },
  {
    title: "Rotating refresh tokens",
    body: "Kept in an httpOnly, same-site cookie and replaced on every use. A replayed token ends the session.",
  },
  {
    title: "Sessions you control",
    body: "See every signed-in device, revoke one, or sign out everywhere at once.",
  },
];

export default function HomePage(): ReactNode {
  return (
    <div className="landing">
      <section className="hero">
        <p className="eyebrow">Bearer-token auth, done carefully</p>
        <h1>Sign-in you can read, revoke and reuse.</h1>
        <p className="lead">
          bearer-kit is a small authentication core with a typed API: argon2id passwords, rotating refresh tokens,
          throttled sign-in and sessions people can manage themselves.
        </p>
        <LandingActions />
      </section>
      <ul className="features">
        {FEATURES.map((feature) => (
          <li key={feature.title} className="card feature">
            <h2>{feature.title}</h2>
            <p className="muted">{feature.body}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}
