import jsQR from 'jsqr';
import { useEffect, useRef, useState } from 'react';

export type QrScannerState = 'starting' | 'scanning' | 'unavailable';

/**
 * Reads a QR code with the phone's back camera (getUserMedia) and jsQR, a few frames a second, and calls `onCode`
 * once with the first code read; the camera stops when the component unmounts or a code is read. Where there is no
 * camera or the user refuses it, `onState('unavailable')`: the page offers typing the code instead.
 */
export function QrScanner({
  onCode,
  onState,
  size = 260,
}: {
  onCode: (text: string) => void;
  onState?: (state: QrScannerState) => void;
  size?: number;
}) {
  const video = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<QrScannerState>('starting');
  const report = useRef(onState);
  report.current = onState;
  const found = useRef(onCode);
  found.current = onCode;

  useEffect(() => {
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setInterval> | null = null;
    let done = false;
    const set = (s: QrScannerState) => {
      setState(s);
      report.current?.(s);
    };
    const stop = () => {
      done = true;
      if (timer) clearInterval(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    const scan = () => {
      const v = video.current;
      if (done || !v || !ctx || v.readyState < 2 || v.videoWidth === 0) return;
      canvas.width = v.videoWidth;
      canvas.height = v.videoHeight;
      ctx.drawImage(v, 0, 0, canvas.width, canvas.height);
      const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const code = jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' });
      if (code?.data) {
        stop();
        found.current(code.data);
      }
    };
    if (!navigator.mediaDevices?.getUserMedia) {
      set('unavailable');
      return stop;
    }
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then(async (s) => {
        if (done) {
          for (const track of s.getTracks()) track.stop();
          return;
        }
        stream = s;
        const v = video.current;
        if (!v) return;
        v.srcObject = s;
        await v.play().catch(() => undefined);
        set('scanning');
        timer = setInterval(scan, 250);
      })
      .catch(() => set('unavailable'));
    return stop;
  }, []);

  if (state === 'unavailable') return null;
  return (
    <video
      ref={video}
      muted
      playsInline
      width={size}
      height={size}
      style={{ objectFit: 'cover', borderRadius: 8, background: '#000' }}
      data-testid="qr-scanner"
      data-state={state}
    />
  );
}
