import { opened, openWebSocket } from './web-socket.js';

/** How a Node process started with --inspect announces its inspector, on stderr. */
const ANNOUNCEMENT = /Debugger listening on (ws:\/\/\S+)/;
const REPLY_TIMEOUT_MS = 30_000;

/** The inspector's url, from the process's output; undefined until it has said it. */
export function inspectorUrl(output: string): string | undefined {
  return ANNOUNCEMENT.exec(output)?.[1];
}

/**
 * Asks the process at `url` to collect its garbage, through the inspector protocol
 * (HeapProfiler.collectGarbage), so that heap figures read afterwards from outside compare.
 */
export async function collectGarbage(url: string): Promise<void> {
  const socket = openWebSocket(url);
  if (!(await opened(socket))) {
    throw new Error(`no inspector at ${url}`);
  }
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('the inspector did not answer')),
        REPLY_TIMEOUT_MS,
      );
      socket.addEventListener('message', ({ data }) => {
        if (typeof data === 'string' && (JSON.parse(data) as { id?: number }).id === 1) {
          clearTimeout(timer);
          resolve();
        }
      });
      socket.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }));
    });
  } finally {
    socket.close();
  }
}
