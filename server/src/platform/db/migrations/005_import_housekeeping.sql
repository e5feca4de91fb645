-- Imports say they are alive: every progress update stamps heartbeat_at, so that an import whose process died
-- (a restart, a crash) can be told from one that is still running and marked failed.
ALTER TABLE imports ADD COLUMN heartbeat_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX imports_running_idx ON imports (heartbeat_at) WHERE status = 'running';
