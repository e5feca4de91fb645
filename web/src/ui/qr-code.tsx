import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/**
 * A QR code of `value`, drawn in the browser (nothing leaves the phone): a resident's redemption code, an organiser's
 * check-in code. `size` in CSS pixels; the image carries `data-value` for tests and the text for screen readers.
 */
export function QrCode({ value, size = 220, label }: { value: string; size?: number; label: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(value, { errorCorrectionLevel: 'M', margin: 1, width: size * 2 }).then(
      (url) => live && setSrc(url),
      () => live && setSrc(null),
    );
    return () => {
      live = false;
    };
  }, [value, size]);
  if (!src) return <div style={{ width: size, height: size }} aria-busy="true" />;
  return <img src={src} width={size} height={size} alt={label} data-testid="qr-code" data-value={value} />;
}
