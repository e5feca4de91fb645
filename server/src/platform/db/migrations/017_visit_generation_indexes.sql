-- Grid work: indexes for task generation's withdrawal step, which starts from what changed rather than scanning
-- every open task: residents no longer active (moved out, deceased), dissolved households, and the open tasks of
-- one rule (a disabled rule's, or a periodic rule's checked against its tag's holders), resident by resident.
CREATE INDEX residents_inactive_idx ON residents (id) WHERE status <> 'active';
CREATE INDEX households_dissolved_idx ON households (id) WHERE dissolved_at IS NOT NULL;
CREATE INDEX visit_tasks_open_rule_idx ON visit_tasks (rule_id, resident_id) WHERE status = 'open';
