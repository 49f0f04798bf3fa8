// Entry of an isolate worker process (started by isolate-pool.ts): runs one job at a time, each in a fresh isolate.
//
// The process holds no secrets (the pool starts it with an empty environment) and no database handle: if operator code
// ever escaped its isolate, it would find only this loop, the current job's input and a socket back to the pool.
import { createServer, Socket, type OnReadOpts, type SocketConstructorOpts } from 'node:net';
import { ByteReader, writeChunks } from './byte-channel.ts';
import { isolateMemoryMb, prepareIsolate, runIsolateJob, type PreparedIsolate } from './isolate-run.ts';
import { DATA_FD, type FromWorker, type JobMessage, type ToWorker } from './protocol.ts';

if (typeof process.send !== 'function') {
  process.stderr.write('isolate-worker must be started by the isolate pool (it needs an IPC channel)\n');
  process.exit(2);
}

// The next job's body may arrive before its IPC message does; the pool is trusted here, so no cap on read-ahead.
const reader = new ByteReader(() => Number.POSITIVE_INFINITY);
// lib/net.js honours `onread` in the constructor; @types/node declares it only for connect()
const socketOptions: SocketConstructorOpts & { onread: OnReadOpts } = { fd: DATA_FD, readable: true, writable: true, onread: reader.onread };
const data = new Socket(socketOptions);
reader.attach(data, 'onread');

// Output bodies go back over a Unix socket the pool connects to (see WorkerProcess): one connection is accepted, then
// the listener closes (which removes the socket file). A peer that is not the pool would have to be this user in
// the pool's private directory.
const outputPath = process.argv[2];
if (!outputPath) {
  process.stderr.write('isolate-worker needs the path of its output socket\n');
  process.exit(2);
}
const output = new Promise<Socket>((resolve) => {
  const server = createServer((socket) => {
    server.close();
    socket.on('error', () => process.exit(5));
    socket.on('close', () => process.exit(0)); // the pool is gone
    resolve(socket);
  });
  server.maxConnections = 1;
  server.listen(outputPath, () => void send({ t: 'ready' }));
});
let busy = false;
/**
 * The next job's isolate, made while this process is idle (creating an isolate and compiling the platform's scripts
 * is ~5–25 ms that would otherwise sit between the job's arrival and its map call). Guessed to need the last job's
 * memory limit; a job needing another one gets a fresh isolate. Never used by more than one job.
 */
let prepared: Promise<PreparedIsolate | null> | null = null;

function send(message: FromWorker): Promise<void> {
  return new Promise((resolve, reject) => process.send!(message, undefined, undefined, (err) => (err ? reject(err) : resolve())));
}

/** Runs a job and sends its result; false when the pool is about to replace this process (a limit was hit). */
async function runJob(job: JobMessage): Promise<boolean> {
  const body = reader.read(job.layout.bytes);
  // a failure before the body is needed (a syntax error) must still consume it, or the next job would read it
  body.catch(() => {});
  const warm = prepared ? await prepared : null;
  prepared = null;
  const outcome = await runIsolateJob(job, body, warm);
  await body;
  if (outcome.ok) {
    // the output arrays follow one another on the socket: one body for the pool, no concatenation here
    const chunks = outcome.bodies.map((body) => new Uint8Array(body));
    const bytes = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
    await send({ t: 'result', id: job.id, ok: true, header: outcome.header, bytes, usage: outcome.usage });
    await writeChunks(await output, chunks);
    return true;
  }
  await send({ t: 'result', id: job.id, ok: false, failure: outcome.failure, usage: outcome.usage, recycle: outcome.recycle });
  return !outcome.recycle;
}

process.on('message', (message: ToWorker) => {
  if (message.t === 'shutdown') {
    process.exit(0);
  }
  if (message.t !== 'job' || busy) {
    // the pool sends one job at a time; anything else means the two sides disagree: start over
    process.exit(3);
  }
  busy = true;
  runJob(message).then(
    (reusable) => {
      busy = false;
      // after the result is sent: off the next job's critical path unless it arrives within these few ms
      if (reusable) prepared = prepareIsolate(isolateMemoryMb(message));
    },
    () => process.exit(4),
  );
});

// the pool is gone: nobody will read results, and an orphan would hold memory
process.on('disconnect', () => process.exit(0));

