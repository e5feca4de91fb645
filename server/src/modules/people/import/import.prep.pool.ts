/**
 * Worker threads preparing an import's rows (import.prep.ts) while the runner's own thread reads the file and
 * the database loads what is ready: chunks are handed out in turn and their results taken back in the same
 * order, so that the runner sees exactly what an inline preparation would have given it.
 */
import { Worker } from 'node:worker_threads';
import type { Cell } from './import.logic.js';
import type { PlaceNode } from './import.places.js';
import { encodeRows, fromWire, type PreparedChunk, type PrepInit, type WireChunk } from './import.prep.js';

const WORKER_URL = new URL('./import.prep.worker.mjs', import.meta.url);

type Waiting = { resolve: (c: PreparedChunk) => void; reject: (e: Error) => void };

export class PrepPool {
  private readonly workers: Worker[];
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;
  private failed: Error | null = null;

  /** `nodes`: the runner's places by id, which the prepared rows are given back (see fromWire). */
  constructor(
    size: number,
    init: PrepInit,
    private readonly nodes: ReadonlyMap<number, PlaceNode>,
  ) {
    this.workers = Array.from({ length: size }, () => {
      // No inherited flags (--cpu-prof …); the entry loads tsx itself.
      // A larger young generation: a chunk's short-lived strings die young, in fewer scavenges.
      const w = new Worker(WORKER_URL, {
        workerData: init,
        execArgv: [],
        resourceLimits: { maxYoungGenerationSizeMb: 64 },
      });
      w.on('message', (m: { id: number; out?: WireChunk; error?: string }) => {
        const p = this.waiting.get(m.id);
        if (!p) return;
        this.waiting.delete(m.id);
        if (m.out) p.resolve(fromWire(m.out, this.nodes));
        else p.reject(new Error(`import row preparation failed: ${m.error}`));
      });
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`import row preparation worker exited with code ${code}`));
      });
      return w;
    });
  }

  get size(): number {
    return this.workers.length;
  }

  /** Prepares a chunk of rows on the next worker in turn. */
  prepare(rows: Cell[][]): Promise<PreparedChunk> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    const w = this.workers[id % this.workers.length] as Worker;
    return new Promise<PreparedChunk>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      w.postMessage({ id, rows: encodeRows(rows) });
    });
  }

  private fail(e: Error): void {
    this.failed ??= e;
    for (const p of this.waiting.values()) p.reject(e);
    this.waiting.clear();
  }

  async close(): Promise<void> {
    this.failed ??= new Error('import row preparation closed');
    for (const p of this.waiting.values()) p.reject(this.failed);
    this.waiting.clear();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
