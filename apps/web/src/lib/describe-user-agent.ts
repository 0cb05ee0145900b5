// Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
const BROWSERS: [RegExp, string][] = [
  [/Edg\//, "Edge"],
  [/OPR\//, "Opera"],
  [/Firefox\//, "Firefox"],
  [/HeadlessChrome\//, "Headless Chrome"],
  [/Chrome\//, "Chrome"],
  [/Safari\//, "Safari"],
  [/^curl\//, "curl"],
];

const SYSTEMS: [RegExp, string][] = [
  [/Android/, "Android"],
  [/iPhone|iPad|iPod/, "iOS"],
  [/Windows/, "Windows"],
  [/Mac OS X|Macintosh/, "macOS"],
  [/CrOS/, "ChromeOS"],
  [/Linux/, "Linux"],
];

const MOBILE = /Mobile|Android|iPhone|iPad|iPod/;

export interface DeviceDescription {
  label: string;
  mobile: boolean;
}

function label(userAgent: string): string {
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? userAgent.slice(0, 60);
}

/**
 * A short human label for a session's user agent; good enough to recognise a device, not a parser.
 *
 * @example describeUserAgent("Mozilla/5.0 (X11; Linux x86_64) ... Chrome/130.0 Safari/537.36") // { label: "Chrome on Linux", mobile: false }
 */
export function describeUserAgent(userAgent: string | null): DeviceDescription {
  if (!userAgent) return { label: "Unknown device", mobile: false };
  return { label: label(userAgent), mobile: MOBILE.test(userAgent) };
}
