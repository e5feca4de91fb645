import { useEffect } from 'react';
import { createPortal } from 'react-dom';

const PRINT_CSS = `
@media screen { .linli-print-view { display: none; } }
@media print {
  body > *:not(.linli-print-view) { display: none !important; }
  .linli-print-view { display: block; padding: 24px; font-size: 14pt; line-height: 1.8; }
}`;

/**
 * A print-only page (告知书): rendered at the end of <body>, hidden on screen; when mounted it opens the browser's
 * print dialog (window.print), and `onDone` runs when printing ends.
 */
export function PrintView({ title, lines, onDone }: { title: string; lines: string[]; onDone: () => void }) {
  useEffect(() => {
    const after = () => onDone();
    window.addEventListener('afterprint', after);
    const timer = window.setTimeout(() => window.print(), 50);
    return () => {
      window.clearTimeout(timer);
      window.removeEventListener('afterprint', after);
    };
  }, [onDone]);
  return createPortal(
    <div className="linli-print-view" data-testid="print-view">
      <style>{PRINT_CSS}</style>
      <h2 style={{ textAlign: 'center' }}>{title}</h2>
      {lines.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the lines are static text in order
        <p key={i} style={{ whiteSpace: 'pre-wrap' }}>
          {line}
        </p>
      ))}
    </div>,
    document.body,
  );
}
