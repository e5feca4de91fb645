/**
 * Topic events of the live stream (`event: topic`, `{ topic, data }`), handed to whoever listens for a topic.
 * The one EventSource stays in `useLiveInbox` (the bell's); pages subscribe here instead of opening another.
 */
type TopicHandler = (data: unknown) => void;

const handlers = new Map<string, Set<TopicHandler>>();

/** Listens for one topic; returns the unsubscribe function (for an effect's cleanup). */
export function subscribeTopic(topic: string, handler: TopicHandler): () => void {
  let set = handlers.get(topic);
  if (!set) {
    set = new Set();
    handlers.set(topic, set);
  }
  set.add(handler);
  return () => {
    set.delete(handler);
    if (set.size === 0) handlers.delete(topic);
  };
}

/** Hands a `topic` frame's payload to the topic's listeners; a malformed frame is ignored. */
export function dispatchTopic(frame: unknown): void {
  if (typeof frame !== 'object' || frame === null) return;
  const { topic, data } = frame as { topic?: unknown; data?: unknown };
  if (typeof topic !== 'string') return;
  for (const handler of handlers.get(topic) ?? []) handler(data);
}
