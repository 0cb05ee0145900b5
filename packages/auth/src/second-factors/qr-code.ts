/**
 * The QR code of an `otpauth://` URI as an SVG document: drawn locally (no image service ever
 * sees the secret) and inline, so a page shows it without any request its CSP would have to allow.
 * Error correction M (15%): enough for a screen photographed at an angle, small enough to scan.
 *
 * @example
 * const { otpauthUrl } = await auth.totpSetup(current, { password });
 * const svg = await totpQRCodeSVG(otpauthUrl); // "<svg xmlns=…"
 */
export async function totpQRCodeSVG(otpauthUrl: string): Promise<string> {
  // Loaded here, at the first enrolment, rather than with the package at every start.
  const { default: QRCode } = await import("qrcode");
  return QRCode.toString(otpauthUrl, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}
