"use client";

import { type ReactNode, useEffect, useState } from "react";

/**
 * The recovery codes, shown once: the server keeps only their hashes. Copy puts them on the
 * clipboard; Download saves a .txt made in the browser (a `blob:` URL, never sent anywhere).
 *
 * @example <RecoveryCodes codes={recoveryCodes} onDone={() => setCodes(null)} />
 */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone(): void }): ReactNode {
  const text = `bearer-kit recovery codes\nEach code works once, in place of a code from your authenticator app.\n\n${codes.join("\n")}\n`;
  const [href, setHref] = useState<string | null>(null);
  const [copied, setCopied] = useState<"copied" | "failed" | null>(null);
  useEffect(() => {
    const url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
    setHref(url);
    // The codes must not outlive the card in memory longer than needed.
    return () => URL.revokeObjectURL(url);
  }, [text]);

  const copy = () => {
    navigator.clipboard.writeText(codes.join("\n")).then(
      () => setCopied("copied"),
      () => setCopied("failed"),
    );
  };

  return (
    <div className="recovery-codes">
      <p role="status" className="alert alert-success">
        Save these recovery codes somewhere safe. Each one signs you in once if you lose your phone. They are shown only now.
      </p>
      <ul className="code-list" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <div className="actions">
        <button type="button" className="button button-secondary" onClick={copy}>
          Copy
        </button>
        {href ? (
          <a className="button button-secondary" href={href} download="bearer-kit-recovery-codes.txt">
            Download
          </a>
        ) : null}
        <button type="button" className="button button-primary" onClick={onDone}>
          I saved them
        </button>
      </div>
      {copied ? (
        <p className="field-hint" role="status">
          {copied === "copied" ? "Copied to the clipboard." : "Could not copy: select the codes, or use Download."}
        </p>
      ) : null}
    </div>
  );
}
