// One isolate worker process as the pool sees it: start, run one job under guards, stop or kill.
//
// The memory guard, innermost first:
// - in the worker, each job's isolate has a heap limit (isolated-vm's memoryLimit, which also counts the isolate's
//   ArrayBuffers): the usual bomb disposes the isolate and the job ends MEMORY_LIMIT (isolate-run.ts);
// - the worker's own V8 heap is capped (--max-old-space-size, isolate-pool.ts);
// - here, while a job runs, the worker's resident memory is read from /proc every RSS_POLL_MS and the worker is
//   killed past the job's cap: what the isolate's accounting misses (v8 can overshoot memoryLimit) ends there;
// - v8's fatal out-of-memory banner on stderr: a Map growth bomb ends in a "catastrophic" OOM that can leave the
//   process hung rather than dead, so the banner is the earliest reliable sign;
// - the wall-time watchdog: the job's wallTimeMs plus a grace period.
// Each ends in SIGKILL and the pool starts a replacement.
//
// There is no address-space limit (RLIMIT_AS) any more, nor RLIMIT_DATA: both count what v8 reserves or maps, not what
// it uses. Measured on Node 24: an idle worker reserves 18 GiB of address space and maps 0.6 GiB writable while 67 MiB
// is resident, and every isolate made adds ~0.6 GiB to both while adding ~2 MiB resident. A cap calibrated on one
// V8 (Node 20's) refused every job on the next. Resident memory is what the machine runs out of, so that is what is
// capped; a deployment that wants a kernel-enforced bound as well runs the service in a memory cgroup (systemd
// MemoryMax=, a container's memory limit), which covers the workers as the gateway's children.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ByteReader, writeChunks } from './byte-channel.ts';
import type { SandboxFailure } from './failure.ts';
import type { FromWorker, JobMessage, JobUsage } from './protocol.ts';

export interface WorkerCommand {
  /** node flags before the entry, e.g. ['--no-node-snapshot', '--max-old-space-size=256', '--import', loaderUrl] */
  execArgv: string[];
  /** absolute path of isolate-worker.ts (or a compiled .js) */
  entry: string;
}

export interface JobGuards {
  /** kill when the job has not answered this long after dispatch */
  deadlineMs: number;
  /** kill when the process's resident set exceeds this */
  rssLimitMb: number;
  /** body bytes the worker may send for this job */
  maxBodyBytes: number;
}

export type WorkerJobResult =
  | { ok: true; header: string; body: ArrayBuffer; usage: Omit<JobUsage, 'wallMs'> }
  | { ok: false; failure: SandboxFailure; usage: Omit<JobUsage, 'wallMs'> | null; recycle: boolean };

const OOM_MARKERS = ['<--- Last few GCs --->', 'Fatal JavaScript out of memory', 'JavaScript heap out of memory', 'Fatal process OOM', 'FATAL ERROR:'];
/**
 * How often resident memory is read while a job runs. A read of /proc/<pid>/status costs ~20 µs; in 20 ms v8 can
 * allocate a few hundred MiB at most, which the caps' headroom (isolate-pool.ts) absorbs.
 */
const RSS_POLL_MS = 20;
const VM_RSS = /^VmRSS:\s+(\d+)\s+kB/m;

/** The resident set of a process in MiB (Linux), or null where /proc is not there or the process is gone. */
async function residentMb(pid: number): Promise<number | null> {
  try {
    const match = VM_RSS.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

interface CurrentJob {
  id: number;
  settle(result: WorkerJobResult): void;
  killedFor: SandboxFailure | null;
}

export class WorkerProcess {
  readonly ready: Promise<void>;
  readonly exited: Promise<void>;
  jobsRun = 0;
  /** the most resident memory seen while a job ran, in MiB (0 before the first reading or where /proc is absent) */
  peakRssMb = 0;
  private readonly child: ChildProcess;
  /** pool → worker: input bodies (the worker's stdio 3) */
  private readonly data: Socket;
  /** worker → pool: output bodies, read straight into their buffers (connected once the worker is ready) */
  private output: Socket | null = null;
  private readonly reader: ByteReader;
  private current: CurrentJob | null = null;
  private maxBody = 0;
  private stderrTail = '';
  private alive = true;

  constructor(command: WorkerCommand) {
    // Output bodies come back over a Unix socket the worker listens on and this process connects to: only a socket
    // this side creates can take `onread`, which reads straight into the output's buffer (12 MB arrived in about half
    // the time of 'data' events plus a copy). The directory is private to this user (mkdtemp: mode 0700) and is
    // removed once connected; the worker accepts one connection and closes its listener, which unlinks the socket.
    const socketDir = mkdtempSync(join(tmpdir(), 'isolate-worker-'));
    const removeSocketDir = () => rmSync(socketDir, { recursive: true, force: true });
    const nodeArgs = [...command.execArgv, command.entry, join(socketDir, 'output.sock')];
    // No inherited environment: the worker needs no configuration and must not see the platform's secrets.
    this.child = spawn(process.execPath, nodeArgs, {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'ipc'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });
    this.data = this.child.stdio[3] as Socket;
    this.data.on('error', () => this.kill(null));
    this.reader = new ByteReader(() => this.maxBody);
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (text: string) => this.watchStderr(text));

    this.exited = new Promise((resolve) => {
      this.child.once('exit', () => {
        this.alive = false;
        this.data.destroy();
        this.output?.destroy();
        removeSocketDir();
        const job = this.current;
        if (job) job.settle({ ok: false, failure: job.killedFor ?? { code: 'WORKER_CRASHED', reason: 'the sandbox worker stopped while running the model' }, usage: null, recycle: true });
        resolve();
      });
    });
    this.ready = new Promise((resolve, reject) => {
      const connected = () => {
        removeSocketDir();
        resolve();
      };
      const onMessage = (message: FromWorker) => {
        if (message.t !== 'ready') return this.onResult(message);
        if (this.output) return this.kill(null); // ready twice: the two sides disagree
        const output = connect({ path: join(socketDir, 'output.sock'), onread: this.reader.onread });
        this.output = output;
        this.reader.attach(output, 'onread');
        output.once('connect', connected);
        output.on('error', () => this.kill(null));
      };
      this.child.on('message', onMessage);
      void this.exited.then(() => reject(new Error('the sandbox worker exited before it was ready')));
    });
    this.ready.catch(() => {});
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get isAlive(): boolean {
    return this.alive;
  }

  /** Runs one job; never rejects: a dead or killed worker yields a failure with `recycle: true`. */
  run(job: JobMessage, chunks: readonly Uint8Array[], guards: JobGuards): Promise<WorkerJobResult> {
    if (this.current) throw new Error('a job is already running in this worker');
    this.jobsRun++;
    this.maxBody = guards.maxBodyBytes;
    return new Promise<WorkerJobResult>((resolve) => {
      let done = false;
      let reading = false;
      const rssTimer = setInterval(() => {
        if (reading) return; // a slow read (a loaded machine) is not queued behind another
        reading = true;
        void this.checkRss(guards.rssLimitMb).finally(() => (reading = false));
      }, RSS_POLL_MS);
      const deadline = setTimeout(() => this.kill({ code: 'TIMEOUT', reason: `the wall time limit of ${job.limits.wallTimeMs} ms was exceeded; the worker was stopped` }), guards.deadlineMs);
      this.current = {
        id: job.id,
        killedFor: null,
        settle: (result) => {
          if (done) return;
          done = true;
          clearInterval(rssTimer);
          clearTimeout(deadline);
          this.current = null;
          this.maxBody = 0;
          resolve(result);
        },
      };
      if (!this.alive) return this.current.settle({ ok: false, failure: { code: 'WORKER_CRASHED', reason: 'the sandbox worker was not running' }, usage: null, recycle: true });
      this.child.send(job, (err) => {
        if (err) this.kill(null);
      });
      writeChunks(this.data, chunks).catch(() => this.kill(null));
    });
  }

  /** Asks the worker to exit; kills it if it has not within `graceMs`. */
  async stop(graceMs = 2000): Promise<void> {
    if (!this.alive) return;
    if (this.child.connected) this.child.send({ t: 'shutdown' }, () => {});
    const timer = setTimeout(() => this.kill(null), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** SIGKILL; a running job ends with `reason`, or WORKER_CRASHED when none is given. */
  kill(reason: SandboxFailure | null): void {
    if (this.current && reason && !this.current.killedFor) this.current.killedFor = reason;
    if (this.alive) this.child.kill('SIGKILL');
  }

  private onResult(message: FromWorker): void {
    const job = this.current;
    if (message.t !== 'result' || !job || message.id !== job.id) return this.kill(null);
    if (!message.ok) {
      job.settle({ ok: false, failure: message.failure, usage: message.usage, recycle: message.recycle });
      return;
    }
    if (!Number.isInteger(message.bytes) || message.bytes < 0 || message.bytes > this.maxBody || typeof message.header !== 'string') return this.kill(null);
    this.reader.read(message.bytes).then(
      (body) => job.settle({ ok: true, header: message.header, body, usage: message.usage }),
      () => this.kill(null),
    );
  }

  private async checkRss(limitMb: number): Promise<void> {
    const pid = this.child.pid;
    if (pid === undefined || !this.current) return;
    const rss = await residentMb(pid);
    if (rss === null) return;
    if (rss > this.peakRssMb) this.peakRssMb = rss;
    if (rss > limitMb) this.kill({ code: 'MEMORY_LIMIT', reason: `the sandbox worker exceeded its memory cap of ${limitMb} MiB and was stopped` });
  }

  private watchStderr(text: string): void {
    // only markers are looked for; the text itself is not logged (it is v8's, but logs are no place for guesses)
    this.stderrTail = (this.stderrTail + text).slice(-4096);
    if (OOM_MARKERS.some((marker) => this.stderrTail.includes(marker))) {
      this.stderrTail = '';
      this.kill({ code: 'MEMORY_LIMIT', reason: 'the model exhausted the memory of its isolate; the worker was stopped' });
    }
  }
}
