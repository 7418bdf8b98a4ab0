/**
 * A turn of the event loop for long computations, so that heartbeats go out and IPC messages (a
 * cancel) come in. Two setImmediate hops: a single one, taken while a message is being handled (the
 * poll phase), runs in the same loop iteration's check phase and reads no new message; the second
 * comes after the next poll.
 */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
