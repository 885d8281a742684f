export interface CapturedOutput {
  /** Everything written since the capture began. */
  text(): string;
  /** Writes go to the terminal again. */
  restore(): void;
}

/** Captures what this process writes to stdout and stderr, the server's logs among it. */
export function captureOutput(): CapturedOutput {
  let output = '';
  const streams = [process.stdout, process.stderr];
  const writes = streams.map((stream) => stream.write.bind(stream));
  for (const stream of streams) {
    stream.write = (chunk: string | Uint8Array) => {
      output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
      return true;
    };
  }
  return {
    text: () => output,
    restore: () => streams.forEach((stream, i) => (stream.write = writes[i])),
  };
}
