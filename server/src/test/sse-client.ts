/** A minimal server-sent-events reader for tests: connects with fetch and hands out parsed events in order. */
export type SseEvent = { event: string; id: string | null; data: unknown; comment?: string };

export type SseClient = {
  status: number;
  /** The next event matching `match` (earlier non-matching ones are skipped and kept in `seen`). */
  next(match?: (e: SseEvent) => boolean): Promise<SseEvent>;
  seen: SseEvent[];
  close(): void;
};

export async function openSse(url: string, headers: Record<string, string>): Promise<SseClient> {
  const ctrl = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: ctrl.signal });
  const queue: SseEvent[] = [];
  const seen: SseEvent[] = [];
  let wake = null as (() => void) | null;
  let ended = false;
  const push = (e: SseEvent) => {
    queue.push(e);
    wake?.();
  };
  if (res.body) {
    void (async () => {
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let buf = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += decoder.decode(value, { stream: true });
          let i = buf.indexOf('\n\n');
          while (i >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const e: SseEvent = { event: 'message', id: null, data: null };
            let data = '';
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) e.comment = line.slice(1).trim();
              else if (line.startsWith('event: ')) e.event = line.slice(7);
              else if (line.startsWith('id: ')) e.id = line.slice(4);
              else if (line.startsWith('data: ')) data += line.slice(6);
            }
            if (e.comment !== undefined && !data) e.event = 'comment';
            if (data) e.data = JSON.parse(data);
            if (block.startsWith('retry:')) e.event = 'retry';
            push(e);
            i = buf.indexOf('\n\n');
          }
        }
      } catch {
        // aborted
      }
      ended = true;
      wake?.();
    })();
  }
  return {
    status: res.status,
    seen,
    async next(match = () => true) {
      for (;;) {
        while (queue.length > 0) {
          const e = queue.shift()!;
          seen.push(e);
          if (match(e)) return e;
        }
        if (ended) throw new Error(`stream ended; seen: ${JSON.stringify(seen)}`);
        await new Promise<void>((r) => {
          wake = r;
        });
        wake = null;
      }
    },
    close: () => ctrl.abort(),
  };
}
