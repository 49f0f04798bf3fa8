// One isolate worker process as the pool sees it: start, run one job under guards, stop or kill.
//
// Guards while a job runs, each ending in SIGKILL (the pool then starts a replacement):
// - wall-time watchdog: the job's wallTimeMs plus a grace period;
// - resident memory, polled from /proc (Linux): isolated-vm's memoryLimit is a guideline that hostile code can exceed;
// - v8's fatal out-of-memory banner on stderr: a Map growth bomb or a 2^28-element array ends in a "catastrophic" OOM
//   that can leave the process hung rather than dead, so the banner is the earliest reliable sign.
// And for the process's whole life, where `prlimit` exists (Linux): an address-space limit (RLIMIT_AS) of what the
// process had reserved once started plus a fixed allowance. It is applied after start-up because Node reserves
// ~10 GiB of address space per WebAssembly memory at start (tsx's and Node's module lexers), which no useful cap admits.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
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
  /** address space the process may add to what it reserved at start-up, in MiB (RLIMIT_AS via prlimit), or null */
  addressSpaceHeadroomMb: number | null;
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
const RSS_POLL_MS = 100;

async function procStatusMb(pid: number, field: 'VmRSS' | 'VmSize'): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Sets RLIMIT_AS (soft and hard) of a process to its current size plus `headroomMb`; false where that is not possible. */
async function capAddressSpace(pid: number, headroomMb: number): Promise<boolean> {
  const size = await procStatusMb(pid, 'VmSize');
  if (size === null) return false;
  const bytes = Math.ceil((size + headroomMb) * 1024 * 1024);
  return new Promise((resolve) => execFile('prlimit', ['--pid', String(pid), `--as=${bytes}:${bytes}`], (err) => resolve(!err)));
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
  /** whether the address-space limit is in force (known once ready) */
  addressSpaceCapped = false;
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
        const headroom = command.addressSpaceHeadroomMb;
        if (headroom === null || process.platform !== 'linux' || this.child.pid === undefined) return resolve();
        void capAddressSpace(this.child.pid, headroom).then((capped) => {
          this.addressSpaceCapped = capped;
          resolve();
        });
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
      const rssTimer = setInterval(() => void this.checkRss(guards.rssLimitMb), RSS_POLL_MS);
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
    const rss = await procStatusMb(pid, 'VmRSS');
    if (rss !== null && rss > limitMb) this.kill({ code: 'MEMORY_LIMIT', reason: `the sandbox worker exceeded its memory cap of ${limitMb} MiB and was stopped` });
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
