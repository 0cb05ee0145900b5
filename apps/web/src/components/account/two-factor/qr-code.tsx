"use client";

import QRCode from "qrcode";
import { type ReactNode, useEffect, useState } from "react";

/**
 * The QR code of an `otpauth://` URI, drawn in the browser: the secret goes to no image service,
 * and the SVG is a `data:` image, which the CSP's `img-src` allows without any request.
 *
 * @example <TotpQRCode otpauthUrl={setup.otpauthUrl} />
 */
export function TotpQRCode({ otpauthUrl }: { otpauthUrl: string }): ReactNode {
  const [source, setSource] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    // Error correction M, as the server's totpQRCodeSVG: scans from a screen at an angle.
    void QRCode.toString(otpauthUrl, { type: "svg", errorCorrectionLevel: "M", margin: 2 }).then((svg) => {
      if (current) setSource(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
    });
    return () => {
      current = false;
    };
  }, [otpauthUrl]);
  if (!source) return <div className="qr-code" aria-busy="true" />;
  return <img className="qr-code" src={source} alt="QR code for your authenticator app" width={200} height={200} />;
}
