// Entry of an isolate worker process (started by isolate-pool.ts): runs one job at a time, each in a fresh isolate.
//
// The process holds no secrets (the pool starts it with an empty environment) and no database handle: if operator code
// ever escaped its isolate, it would find only this loop, the current job's input and a socket back to the pool.
import { Socket, type OnReadOpts, type SocketConstructorOpts } from 'node:net';
import { ByteReader, writeChunks } from './byte-channel.ts';
import { runIsolateJob } from './isolate-run.ts';
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
let busy = false;

function send(message: FromWorker): Promise<void> {
  return new Promise((resolve, reject) => process.send!(message, undefined, undefined, (err) => (err ? reject(err) : resolve())));
}

async function runJob(job: JobMessage): Promise<void> {
  const body = reader.read(job.layout.bytes);
  // a failure before the body is needed (a syntax error) must still consume it, or the next job would read it
  body.catch(() => {});
  const outcome = await runIsolateJob(job, body);
  await body;
  if (outcome.ok) {
    await send({ t: 'result', id: job.id, ok: true, header: outcome.header, bytes: outcome.body.byteLength, usage: outcome.usage });
    await writeChunks(data, [new Uint8Array(outcome.body)]);
  } else {
    await send({ t: 'result', id: job.id, ok: false, failure: outcome.failure, usage: outcome.usage, recycle: outcome.recycle });
  }
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
    () => {
      busy = false;
    },
    () => process.exit(4),
  );
});

// the pool is gone: nobody will read results, and an orphan would hold memory
process.on('disconnect', () => process.exit(0));

void send({ t: 'ready' });
