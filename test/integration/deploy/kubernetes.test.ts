/**
 * deploy/kubernetes without a cluster: every YAML parses; the CronJob and the worker's Deployment have the
 * limits, probes, grace period and security context the README promises; every kustomization points at
 * files that exist; the Secret holds placeholders only; every variable the manifests set is one the CLI
 * reads. kustomizeBuild.test.ts builds them with kustomize itself.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSource, repoPath, variablesRead } from '../bi/biFiles.js';
import {
  commentedVariables,
  configMapSchema,
  cronJobSchema,
  deploymentSchema,
  K8S_DIR,
  onlyContainer,
  readManifests,
  readText,
  secretSchema,
  serviceSchema,
} from './kubernetesFiles.js';

const { files, kustomizations, one } = readManifests();
const configMap = configMapSchema.parse(one('ConfigMap'));
const secret = secretSchema.parse(one('Secret'));
const cronJob = cronJobSchema.parse(one('CronJob'));
const deployment = deploymentSchema.parse(one('Deployment'));
const service = serviceSchema.parse(one('Service'));
const cronPod = cronJob.spec.jobTemplate.spec.template.spec;
const workerPod = deployment.spec.template.spec;
const container = onlyContainer;

/** What the worker and the sync wait for on SIGTERM: the ConfigMap's value, else the default. */
const shutdownTimeoutS = Number(configMap.data.SHUTDOWN_TIMEOUT_S ?? '25');

const SECRET_NAME = /TOKEN|PASSWORD|SECRET|ROUTING_KEY|DATABASE_URL/;

describe('deploy/kubernetes files', () => {
  it('parse as Kubernetes objects and kustomizations of known kinds', () => {
    expect(files.length).toBeGreaterThan(8);
    const kinds = new Set(readManifests().docs.map((d) => d.doc.kind));
    expect([...kinds].sort()).toEqual(
      ['ConfigMap', 'CronJob', 'Deployment', 'Kustomization', 'Namespace', 'Secret', 'Service'].sort(),
    );
    expect(one('Namespace')).toMatchObject({ metadata: { name: 'pd-warehouse' } });
  });

  it('every kustomization names resources that exist, and every manifest but the Secret is in one', () => {
    const listed = new Set<string>();
    for (const [dir, k] of kustomizations) {
      expect(k.namespace, dir).toBe('pd-warehouse');
      expect(k.labels?.[0]?.pairs['app.kubernetes.io/name'], dir).toBe('pd-warehouse');
      for (const r of k.resources ?? []) {
        const path = normalize(join(dir, r));
        expect(existsSync(repoPath(path)), `${dir}: ${r}`).toBe(true);
        if (statSync(repoPath(path)).isDirectory()) {
          expect(kustomizations.has(path), `${dir}: ${r} has a kustomization.yaml`).toBe(true);
        }
        listed.add(path);
      }
    }
    const manifests = files.filter((f) => !f.endsWith('/kustomization.yaml'));
    const secretFile = `${K8S_DIR}/secret.example.yaml`;
    expect(listed.has(secretFile)).toBe(false);
    expect(manifests.filter((f) => !listed.has(f) && f !== secretFile)).toEqual([]);
    // `kubectl apply -k deploy/kubernetes` is the CronJob variant.
    expect(kustomizations.get(K8S_DIR)?.resources).toEqual(['cronjob']);
  });

  it('every image pin names the same image and tag', () => {
    const pins = [...kustomizations.values()].flatMap((k) => k.images ?? []);
    expect(pins.length).toBeGreaterThanOrEqual(2);
    expect(new Set(pins.map((p) => JSON.stringify(p))).size).toBe(1);
    expect(pins[0]?.name).toBe('pd-warehouse');
    expect(kustomizations.get(K8S_DIR)?.images).toHaveLength(1);
    for (const pod of [cronPod, workerPod]) expect(container(pod).image).toBe('pd-warehouse');
  });
});

describe('the CronJob', () => {
  it('runs `sync`, one at a time, with a small retry budget and a deadline', () => {
    expect(container(cronPod).args).toEqual(['sync']);
    expect(cronJob.spec.concurrencyPolicy).toBe('Forbid');
    expect(cronJob.spec.startingDeadlineSeconds).toBeGreaterThan(0);
    expect(cronJob.spec.successfulJobsHistoryLimit).toBeGreaterThan(0);
    expect(cronJob.spec.failedJobsHistoryLimit).toBeGreaterThan(0);
    const job = cronJob.spec.jobTemplate.spec;
    expect(job.backoffLimit).toBeGreaterThanOrEqual(0);
    expect(job.backoffLimit).toBeLessThanOrEqual(3);
    expect(job.activeDeadlineSeconds).toBeGreaterThan(60);
    expect(cronPod.restartPolicy).toBe('Never');
    expect(cronJob.spec.schedule.split(' ')).toHaveLength(5);
  });

  it('has no migrate init container: sync migrates the schema itself', () => {
    expect(cronPod.initContainers).toBeUndefined();
    expect(readSource('src/cli/syncCommand.ts')).toMatch(/await migrateDatabase\(db\);/);
  });
});

describe('the worker Deployment and its Service', () => {
  const c = container(workerPod);
  const env = new Map((c.env ?? []).map((e) => [e.name, e.value]));
  const port = c.ports?.find((p) => p.name === 'metrics');

  it('runs one `worker` with SYNC_SCHEDULE and METRICS_PORT on the metrics containerPort', () => {
    expect(c.args).toEqual(['worker']);
    expect(deployment.spec.replicas).toBe(1);
    expect(env.get('SYNC_SCHEDULE')?.split(' ')).toHaveLength(5);
    expect(port?.containerPort).toBe(9464);
    expect(Number(env.get('METRICS_PORT'))).toBe(port?.containerPort);
  });

  it('probes /healthz for liveness and /readyz for readiness on the metrics port', () => {
    const at = (p: string | number | undefined) => (p === 'metrics' ? port?.containerPort : p);
    expect(c.livenessProbe?.httpGet.path).toBe('/healthz');
    expect(c.readinessProbe?.httpGet.path).toBe('/readyz');
    expect(at(c.livenessProbe?.httpGet.port)).toBe(9464);
    expect(at(c.readinessProbe?.httpGet.port)).toBe(9464);
  });

  it('the Service selects the worker pods and exposes the metrics port to Prometheus', () => {
    const labels = deployment.spec.template.metadata.labels;
    for (const [k, v] of Object.entries(service.spec.selector)) expect(labels[k], k).toBe(v);
    expect(deployment.spec.selector.matchLabels).toEqual(service.spec.selector);
    expect(service.spec.ports).toEqual([{ name: 'metrics', port: 9464, targetPort: 'metrics' }]);
    expect(service.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '9464',
      'prometheus.io/path': '/metrics',
    });
  });
});

describe.each([
  ['CronJob', cronPod],
  ['Deployment', workerPod],
])('the %s pod', (_, pod) => {
  const c = container(pod);

  it('outlasts SHUTDOWN_TIMEOUT_S before the SIGKILL', () => {
    expect(shutdownTimeoutS).toBeGreaterThan(0);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(shutdownTimeoutS);
  });

  it('runs non-root, read-only, without capabilities, with a writable /tmp', () => {
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(pod.securityContext.seccompProfile.type).toBe('RuntimeDefault');
    expect(c.securityContext.capabilities.drop).toEqual(['ALL']);
    const tmp = c.volumeMounts?.find((m) => m.mountPath === '/tmp');
    expect(pod.volumes?.find((v) => v.name === tmp?.name)?.emptyDir).toBeDefined();
  });

  it('requests cpu and memory and limits memory', () => {
    expect(Object.keys(c.resources.requests).sort()).toEqual(['cpu', 'memory']);
    expect(c.resources.limits.memory).toMatch(/^\d+Mi$/);
    expect(parseInt(String(c.resources.limits.memory))).toBeGreaterThanOrEqual(512);
  });

  it('reads the ConfigMap and the Secret `pd-warehouse`', () => {
    expect(c.envFrom).toEqual([
      { configMapRef: { name: configMap.metadata.name } },
      { secretRef: { name: secret.metadata.name } },
    ]);
    expect(secret.metadata.name).toBe('pd-warehouse');
  });
});

describe('secrets and variables', () => {
  const srcFiles = readdirSync(repoPath('src'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `src/${f}`);
  const read = variablesRead(srcFiles);
  const readme = readText(`${K8S_DIR}/README.md`);

  it('the Secret example holds placeholders only, and the README passes values from shell variables', () => {
    for (const [name, value] of Object.entries(secret.stringData)) {
      expect(value, name).toMatch(/<[^>]+>/);
      expect(value.replace(/<[^>]+>/g, ''), name).not.toMatch(/[A-Za-z0-9+/_-]{16,}/);
    }
    expect(secret.stringData.DATABASE_URL).toMatch(/^postgres:\/\/<\w+>:<password>@/);
    const literals = [...readme.matchAll(/--from-literal=(\w+)=(\S+)/g)];
    expect(literals.length).toBeGreaterThan(2);
    for (const [, name, value] of literals) expect(value, name).toMatch(/^"\$\w+"$/);
  });

  it('no manifest nor the README holds anything that looks like a key or a password', () => {
    for (const file of [...files, `${K8S_DIR}/README.md`]) {
      const text = readText(file);
      // A long run of letters mixed with digits is what API keys and routing keys look like.
      for (const m of text.matchAll(/[A-Za-z0-9+_-]{20,}/g)) {
        expect(/\d/.test(m[0]) && /[a-z]/i.test(m[0]), `${file}: ${m[0]}`).toBe(false);
      }
      expect(text, file).not.toMatch(/:\/\/[^<\s:/]+:[^<\s@]+@/);
    }
  });

  it('every variable the manifests and the README set is one the CLI reads', () => {
    expect(read).toContain('SYNC_SCHEDULE');
    expect(read).toContain('PUSHGATEWAY_URL');
    const set = new Map<string, string>();
    const add = (names: Iterable<string>, where: string) => {
      for (const n of names) set.set(n, where);
    };
    add(Object.keys(configMap.data), 'configmap');
    add(Object.keys(secret.stringData), 'secret');
    for (const c of [container(cronPod), container(workerPod)])
      add(
        (c.env ?? []).map((e) => e.name),
        c.name,
      );
    for (const file of files) add(commentedVariables(readText(file)), file);
    for (const [dir, k] of kustomizations) {
      for (const g of k.configMapGenerator ?? [])
        add(
          (g.literals ?? []).map((l) => l.split('=')[0] ?? ''),
          dir,
        );
    }
    add(commentedVariables(readme), 'README.md');
    add(
      [...readme.matchAll(/--from-literal=(\w+)=/g)].map((m) => m[1] ?? ''),
      'README.md',
    );
    expect(set.size).toBeGreaterThan(10);
    for (const [name, where] of set) expect(read.has(name), `${name} (${where})`).toBe(true);
    for (const name of Object.keys(configMap.data)) expect(name, 'not a secret').not.toMatch(SECRET_NAME);
    for (const name of Object.keys(secret.stringData)) expect(name).toMatch(SECRET_NAME);
  });
});
