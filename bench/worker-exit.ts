/** Closes a forked worker's streams and leaves the runner, which then sees it exit. */
export function stopWorker(clients: Iterable<{ close(): void }>): void {
  for (const client of clients) {
    client.close();
  }
  process.disconnect();
}

/** A worker never outlives its runner, whatever happened to it. */
export function exitWithRunner(): void {
  process.on('disconnect', () => process.exit(0));
}
