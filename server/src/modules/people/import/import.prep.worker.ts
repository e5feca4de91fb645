/**
 * A worker thread preparing rows for an import (see import.prep.ts and PrepPool): set up once from
 * `workerData` (a PrepInit), then one reply per chunk of rows, in the order they came.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { decodeRows, type PrepInit, RowPreparer, toWire, type WireRows } from './import.prep.js';

const preparer = RowPreparer.fromInit(workerData as PrepInit);
const port = parentPort;
if (!port) throw new Error('import.prep.worker runs in a worker thread');
port.on('message', (m: { id: number; rows: WireRows }) => {
  try {
    const out = toWire(preparer.prepare(decodeRows(m.rows)));
    port.postMessage({ id: m.id, out }, [out.person.buffer, out.starts.buffer, out.hashes.buffer] as ArrayBuffer[]);
  } catch (err) {
    port.postMessage({ id: m.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
});
