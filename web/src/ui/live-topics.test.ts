import { describe, expect, it } from 'vitest';
import { dispatchTopic, subscribeTopic } from './live-topics';

describe('live topics', () => {
  it('hands a topic frame to that topic’s listeners only, until they unsubscribe', () => {
    const cases: unknown[] = [];
    const alarms: unknown[] = [];
    const stopCases = subscribeTopic('cases', (d) => cases.push(d));
    const stopAlarms = subscribeTopic('alarms', (d) => alarms.push(d));
    dispatchTopic({ topic: 'cases', data: { id: 1, stage: 'handled', supervision: 0 } });
    stopCases();
    dispatchTopic({ topic: 'cases', data: { id: 2 } });
    dispatchTopic({ topic: 'alarms', data: 'a' });
    stopAlarms();
    expect(cases).toEqual([{ id: 1, stage: 'handled', supervision: 0 }]);
    expect(alarms).toEqual(['a']);
  });

  it('ignores malformed frames', () => {
    const seen: unknown[] = [];
    const stop = subscribeTopic('cases', (d) => seen.push(d));
    dispatchTopic(null);
    dispatchTopic('cases');
    dispatchTopic({ data: 1 });
    stop();
    expect(seen).toEqual([]);
  });
});
