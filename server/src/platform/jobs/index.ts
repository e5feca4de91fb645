export {
  createJobs,
  type JobContext,
  type JobDef,
  JobPayloadError,
  type Jobs,
  type JobsLogger,
  type JobsOptions,
  type SendOptions,
  TIMEZONE,
} from './jobs.js';
