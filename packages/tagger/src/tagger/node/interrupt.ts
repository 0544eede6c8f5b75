/**
 * Ctrl-C handling of the training commands: the first SIGINT aborts the returned signal (the
 * run stops after its current step and keeps its best epoch) and calls `onFirst` to say so; a
 * second one exits at once with status 130.
 */
export interface Interrupt {
  /** Aborted at the first Ctrl-C. */
  signal: AbortSignal;
  /** Removes the handler. */
  dispose(): void;
}

/** Installs the SIGINT handler; call `dispose` when the run is over. */
export function interruptOnSigint(onFirst: () => void): Interrupt {
  const stop = new AbortController();
  const onSigint = () => {
    if (stop.signal.aborted) process.exit(130);
    stop.abort();
    onFirst();
  };
  process.on('SIGINT', onSigint);
  return { signal: stop.signal, dispose: () => process.off('SIGINT', onSigint) };
}
