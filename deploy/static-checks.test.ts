// The image and the topologies checked without a container engine (none runs in CI): dockerfilelint and our own rules
// on the Dockerfile, compose.yaml read and cross-checked, every Kubernetes manifest validated against the Kubernetes
// schemas (kubernetes-models) and against what the platform needs (non-root, /readyz, secrets that exist).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Deployment } from 'kubernetes-models/apps/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { loadConfig } from '../gateway/config.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const dockerfile = read('Dockerfile');
const compose = parse(read('compose.yaml'), { merge: true }) as { services: Record<string, ComposeService> };
const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; scripts: Record<string, string> };

interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  read_only?: boolean;
}

const GATEWAY_COMMAND = ['node', '--import', 'tsx', 'gateway/main.ts'];
const WORKER_COMMAND = ['node', '--import', 'tsx', '--import', './telemetry/worker-preload.ts', 'sandbox/worker.ts'];

/** Top-level folders reachable by imports from the processes' entry files: what the image must contain. */
function foldersReachedFrom(entries: string[]): Set<string> {
  const seen = new Set<string>();
  const folders = new Set<string>();
  const queue = [...entries];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    folders.add(relative(root, file).split('/')[0]!);
    for (const [, spec] of read(relative(root, file)).matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
      const target = resolve(dirname(file), spec!);
      if (/\.(ts|tsx)$/.test(target) && existsSync(target)) queue.push(target);
    }
  }
  return folders;
}

describe('Dockerfile', () => {
  const lines = dockerfile.split('\n');
  const stages = lines.filter((l) => l.startsWith('FROM '));
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

  it('passes dockerfilelint with no finding', () => {
    const lint = createRequire(import.meta.url)('dockerfilelint') as { run(dir: string, content: string): { title: string; line: number }[] };
    expect(lint.run(root, dockerfile)).toEqual([]);
  });

  it('builds in stages on Node 24 LTS (Debian bookworm slim), with what isolated-vm needs to compile', () => {
    expect(stages).toEqual(['FROM node:24-bookworm-slim AS build', 'FROM node:24-bookworm-slim AS runtime']);
    expect(dockerfile).toMatch(/apt-get install -y --no-install-recommends python3 make g\+\+/);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    // the processes run TypeScript through tsx: it must survive --omit=dev
    expect(pkg.dependencies.tsx).toBeDefined();
    expect(pkg.dependencies['isolated-vm']).toBeDefined();
  });

  it('runs as the unprivileged node user with a health check and an exec-form command (signals reach node)', () => {
    expect(runtime).toMatch(/\nUSER node\n/);
    expect(runtime).not.toMatch(/\nUSER (root|0)\b/);
    expect(runtime).toMatch(/\nHEALTHCHECK .*\\\n\s+CMD \["node", "-e", .*\/healthz/);
    expect(JSON.parse(/\nCMD (\[.*\])\n?$/.exec(runtime.trimEnd() + '\n')![1]!)).toEqual(GATEWAY_COMMAND);
    expect(runtime).not.toMatch(/apt-get|g\+\+/);
  });

  it('copies every folder the gateway, the worker and the migrator import, and ignores none of them', () => {
    const needed = foldersReachedFrom(['gateway/main.ts', 'sandbox/worker.ts', 'telemetry/worker-preload.ts', 'store/migrate-cli.ts'].map((f) => join(root, f)));
    const copied = new Set([...dockerfile.matchAll(/^COPY (?!--from)(\S+) \.\/\1$/gm)].map((m) => m[1]));
    for (const folder of needed) expect(copied, `COPY ${folder}`).toContain(folder);
    const ignored = read('.dockerignore').split('\n').filter((l) => l && !l.startsWith('#'));
    for (const folder of needed) expect(ignored).not.toContain(folder);
    expect(ignored).toEqual(expect.arrayContaining(['.git', '.data', 'node_modules', '**/*.test.ts']));
  });
});

describe('compose.yaml', () => {
  const services = compose.services;
  const platform = Object.entries(services).filter(([name]) => name !== 'postgres');

  it('is PostgreSQL, two gateways and two workers, from the one image', () => {
    expect(Object.keys(services).sort()).toEqual(['gateway-a', 'gateway-b', 'postgres', 'worker-a', 'worker-b']);
    for (const [name, service] of platform) {
      expect(service.image, name).toBe('gov-data-platform:latest');
      expect(service.command, name).toEqual(name.startsWith('gateway') ? GATEWAY_COMMAND : WORKER_COMMAND);
      expect(service.read_only, name).toBe(true);
    }
    expect(pkg.scripts.worker).toContain('--import tsx --import ./telemetry/worker-preload.ts sandbox/worker.ts');
  });

  it('requires the secrets from the environment (no defaults), the same for every process', () => {
    for (const [name, service] of platform) {
      expect(service.environment?.PSEUDONYM_SECRET, name).toMatch(/^\$\{PSEUDONYM_SECRET:\?/);
      expect(service.environment?.DATABASE_URL, name).toMatch(/\$\{POSTGRES_PASSWORD:\?/);
      expect(service.environment?.DATABASE_URL, name).toMatch(/@postgres:5432\//);
    }
    const gateways = platform.filter(([name]) => name.startsWith('gateway')).map(([, s]) => s);
    for (const gateway of gateways) expect(gateway.environment?.BOOTSTRAP_SECURITY_PASSWORD).toMatch(/^\$\{BOOTSTRAP_SECURITY_PASSWORD:\?/);
    // one token issuer: a token from either gateway is good at the other
    expect(new Set(gateways.map((g) => g.environment?.PUBLIC_URL)).size).toBe(1);
    expect(new Set(gateways.flatMap((g) => g.ports ?? [])).size).toBe(2);
  });

  it('gives each gateway a configuration the gateway accepts', () => {
    for (const [name, service] of platform.filter(([n]) => n.startsWith('gateway'))) {
      const env = Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, v.replace(/\$\{[^}]+\}/g, (m) => (m.startsWith('${PUBLIC_URL') ? 'http://localhost:8081' : m.startsWith('${PSEUDONYM_SECRET') ? 'ab'.repeat(32) : 'x'.repeat(16)))]));
      expect(() => loadConfig(env), name).not.toThrow();
    }
  });

  it('starts workers after a healthy gateway (which migrates) and checks them on their metrics port', () => {
    for (const [name, service] of platform.filter(([n]) => n.startsWith('worker'))) {
      expect(service.depends_on?.['gateway-a']?.condition, name).toBe('service_healthy');
      expect(service.healthcheck?.test.join(' '), name).toContain(`127.0.0.1:${service.environment?.METRICS_PORT}/healthz`);
    }
    expect(services.postgres?.healthcheck?.test.join(' ')).toContain('pg_isready');
  });
});

type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; [key: string]: unknown };
type PodSpec = {
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  containers: Container[];
  initContainers?: Container[];
  volumes?: { name: string; secret?: { secretName: string; items?: { key: string }[] } }[];
};
type Container = {
  name: string;
  command?: string[];
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; capabilities?: { drop?: string[] } };
  resources?: { requests?: unknown; limits?: { memory?: string } };
  readinessProbe?: { httpGet?: { path: string } };
  livenessProbe?: { httpGet?: { path: string } };
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string } }[];
};

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
};

const k8sDir = join(root, 'deploy/k8s');
const manifests: K8sObject[] = readdirSync(k8sDir)
  .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
  .flatMap((f) => parseAllDocuments(readFileSync(join(k8sDir, f), 'utf8')).map((d) => ({ ...(d.toJS() as K8sObject), file: f })));
const find = (kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name);
const podOf = (name: string) => (find('Deployment', name) as unknown as { spec: { template: { metadata: { labels: Record<string, string> }; spec: PodSpec } } }).spec.template;

describe('Kubernetes manifests', () => {
  it('are each valid against the Kubernetes schemas, and the kustomization lists every one but the secret template', () => {
    expect(manifests.length).toBeGreaterThanOrEqual(9);
    for (const m of manifests) {
      const Model = MODELS[`${m.apiVersion}/${m.kind}`];
      expect(Model, `${m.apiVersion} ${m.kind}`).toBeDefined();
      const { file: _file, ...object } = m as K8sObject & { file?: string };
      expect(() => new Model!(object as never).validate(), `${m.kind} ${m.metadata.name}`).not.toThrow();
      expect(m.metadata.namespace ?? 'gov-data-platform').toBe('gov-data-platform');
    }
    const kustomization = parse(readFileSync(join(k8sDir, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
    const files = readdirSync(k8sDir).filter((f) => f.endsWith('.yaml') && !['kustomization.yaml', 'secret.example.yaml'].includes(f));
    expect([...kustomization.resources].sort()).toEqual(files.sort());
  });

  it('run gateways and workers as Deployments of two, non-root, read-only, without privilege, with resources', () => {
    for (const name of ['gateway', 'worker']) {
      const deployment = find('Deployment', name) as unknown as { spec: { replicas: number; selector: { matchLabels: Record<string, string> } } };
      expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
      const pod = podOf(name);
      expect(deployment.spec.selector.matchLabels).toEqual(pod.metadata.labels);
      expect(pod.spec.securityContext?.runAsNonRoot).toBe(true);
      expect(pod.spec.securityContext?.runAsUser).toBe(1000);
      for (const c of [...pod.spec.containers, ...(pod.spec.initContainers ?? [])]) {
        expect(c.securityContext, `${name}/${c.name}`).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
        expect(c.resources?.limits?.memory, `${name}/${c.name}`).toBeDefined();
      }
    }
    expect(podOf('gateway').spec.containers[0]!.command).toEqual(GATEWAY_COMMAND);
    expect(podOf('worker').spec.containers[0]!.command).toEqual(WORKER_COMMAND);
    expect(podOf('gateway').spec.initContainers?.[0]?.command).toEqual(['node', '--import', 'tsx', 'store/migrate-cli.ts']);
  });

  it('call a gateway ready on /readyz and alive on /healthz; a worker on its metrics port', () => {
    const gateway = podOf('gateway').spec.containers[0]!;
    expect(gateway.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(gateway.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(podOf('worker').spec.containers[0]!.livenessProbe?.httpGet?.path).toBe('/healthz');
  });

  it('keep one gateway and one worker through voluntary disruptions (a PodDisruptionBudget matching each Deployment)', () => {
    for (const name of ['gateway', 'worker']) {
      const pdb = find('PodDisruptionBudget', name) as unknown as { spec: { minAvailable: number; selector: { matchLabels: Record<string, string> } } };
      expect(pdb.spec.minAvailable).toBe(1);
      expect(pdb.spec.selector.matchLabels).toEqual(podOf(name).metadata.labels);
    }
  });

  it('take PSEUDONYM_SECRET, the database URLs and the bootstrap passwords from the Secret, whose template holds no real value', () => {
    const secret = find('Secret', 'platform-secrets') as unknown as { stringData: Record<string, string> };
    for (const value of Object.values(secret.stringData)) expect(value).toContain('REPLACE_ME');
    const config = find('ConfigMap', 'platform-config') as unknown as { data: Record<string, string> };
    for (const name of ['gateway', 'worker']) {
      const pod = podOf(name).spec;
      for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
        for (const e of c.env ?? []) {
          if (e.valueFrom?.secretKeyRef) expect(Object.keys(secret.stringData), `${name}/${c.name} ${e.name}`).toContain(e.valueFrom.secretKeyRef.key);
          // a secret never sits in a manifest as a literal
          expect(e.value === undefined || !/PASSWORD|SECRET|TOKEN/.test(e.name)).toBe(true);
        }
      }
      const envNames = pod.containers[0]!.env!.map((e) => e.name);
      expect(envNames).toEqual(expect.arrayContaining(['DATABASE_URL', 'PSEUDONYM_SECRET']));
      expect(pod.containers[0]!.envFrom?.[0]?.configMapRef?.name).toBe('platform-config');
    }
    expect(podOf('gateway').spec.containers[0]!.env!.map((e) => e.name)).toEqual(expect.arrayContaining(['BOOTSTRAP_SECURITY_PASSWORD', 'BOOTSTRAP_STEWARD_PASSWORD']));
    const keyVolume = podOf('gateway').spec.volumes?.find((v) => v.secret)?.secret;
    expect(keyVolume?.items?.map((i) => i.key)).toEqual(['audit-checkpoint-key.pem']);
    // the gateway accepts the ConfigMap and its own literal settings with the Secret filled in
    const literals = Object.fromEntries(podOf('gateway').spec.containers[0]!.env!.flatMap((e) => (e.value === undefined ? [] : [[e.name, e.value]])));
    const env = { ...config.data, ...literals, DATABASE_URL: 'postgres://app:pw@db:5432/platform', BOOTSTRAP_SECURITY_PASSWORD: 'x'.repeat(16), BOOTSTRAP_STEWARD_PASSWORD: 'y'.repeat(16) };
    expect(loadConfig(env).telemetry).toMatchObject({ metricsListener: { port: 9464, host: '0.0.0.0' }, otlpTracesEndpoint: null });
  });
});
