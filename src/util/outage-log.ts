/**
 * During a database outage every request and every timer fails the same way: one line per
 * interval says so without burying the log (a poll every second would write thousands).
 */
export function outageLog(intervalMs = 10_000): (line: string) => void {
  let loggedAt = -Infinity;
  return (line) => {
    const now = Date.now();
    if (now - loggedAt < intervalMs) return;
    loggedAt = now;
    console.error(line);
  };
}
