/** The longest a command may plausibly spend before it starts the server (building the web console included). */
const MAX_COMMAND_LEAD_MS = 60 * 60_000;

/**
 * When the wait began, for the start banner's "Started in": the launching command's start (`npm start` passes
 * LINLI_STARTED_AT) when it is believable — not after this process began, and not from long before (a value left
 * in a shell's environment) — else this process's own start.
 */
export function startOfWait(commandStartedAt: number | undefined, processStartedAt: number): number {
  if (commandStartedAt === undefined) return processStartedAt;
  const lead = processStartedAt - commandStartedAt;
  return lead >= 0 && lead <= MAX_COMMAND_LEAD_MS ? commandStartedAt : processStartedAt;
}
