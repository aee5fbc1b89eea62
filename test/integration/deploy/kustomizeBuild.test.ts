/**
 * deploy/kubernetes through kustomize itself, when kubectl or kustomize is installed (else skipped, saying
 * so): every kustomization builds, in the pd-warehouse namespace and without a Secret; the default is the
 * CronJob, worker/ the Deployment and its Service, the second account beside the first with its own names.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { repoPath } from '../bi/biFiles.js';
import {
  configMapSchema,
  cronJobSchema,
  deploymentSchema,
  K8S_DIR,
  objectSchema,
  onlyContainer as container,
  parseDocuments,
  readManifests,
} from './kubernetesFiles.js';

const { kustomizations, one } = readManifests();
const configMap = configMapSchema.parse(one('ConfigMap'));

/** `kubectl kustomize DIR` or `kustomize build DIR`, whichever is installed; null when neither is. */
function findRenderer(): ((dir: string) => string) | null {
  const has = (cmd: string) => {
    try {
      execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', stdio: 'pipe' });
  if (has('kubectl')) return (dir) => run('kubectl', ['kustomize', repoPath(dir)]);
  if (has('kustomize')) return (dir) => run('kustomize', ['build', repoPath(dir)]);
  return null;
}

const render = findRenderer();
const renderNote = render ? '' : ' (skipped: neither kubectl nor kustomize is installed)';

describe.skipIf(!render)(`kustomize build of every kustomization${renderNote}`, () => {
  const built = (dir: string) => {
    if (!render) throw new Error('no renderer');
    return parseDocuments(render(dir), dir).map((d) => objectSchema.parse(d));
  };
  const ids = (objs: { kind: string; metadata?: unknown }[]) =>
    objs.map((o) => `${o.kind}/${nameOf(o.metadata)}`).sort();

  it.each([...kustomizations.keys()])('%s builds, in the pd-warehouse namespace, with no Secret', (dir) => {
    const objs = built(dir);
    expect(objs.length).toBeGreaterThan(1);
    for (const o of objs) {
      expect(o.kind).not.toBe('Secret');
      if (o.kind !== 'Namespace') expect(namespaceOf(o.metadata), `${dir} ${o.kind}`).toBe('pd-warehouse');
    }
  });

  it('the default is the CronJob with the image pinned; worker/ the Deployment and Service instead', () => {
    const pin = kustomizations.get(K8S_DIR)?.images?.[0];
    const image = `${pin?.newName}:${pin?.newTag}`;
    expect(ids(built(K8S_DIR))).toEqual([
      'ConfigMap/pd-warehouse-config',
      'CronJob/pd-warehouse',
      'Namespace/pd-warehouse',
    ]);
    expect(ids(built(`${K8S_DIR}/worker`))).toEqual([
      'ConfigMap/pd-warehouse-config',
      'Deployment/pd-warehouse-worker',
      'Namespace/pd-warehouse',
      'Service/pd-warehouse-metrics',
    ]);
    const cron = cronJobSchema.parse(built(K8S_DIR).find((o) => o.kind === 'CronJob'));
    expect(container(cron.spec.jobTemplate.spec.template.spec).image).toBe(image);
    const worker = deploymentSchema.parse(built(`${K8S_DIR}/worker`).find((o) => o.kind === 'Deployment'));
    expect(container(worker.spec.template.spec).image).toBe(image);
  });

  it('the second account has its own names, schema and Secret, beside the default', () => {
    const dir = `${K8S_DIR}/examples/second-account`;
    const objs = built(dir);
    const shared = ids(objs).filter((id) => ids(built(K8S_DIR)).includes(id));
    expect(shared).toEqual(['Namespace/pd-warehouse']);
    const cm = configMapSchema.parse(objs.find((o) => o.kind === 'ConfigMap'));
    expect(cm.data.DATABASE_SCHEMA).not.toBe(configMap.data.DATABASE_SCHEMA);
    expect(cm.data.SYNC_START).toBe(configMap.data.SYNC_START);
    const cron = cronJobSchema.parse(objs.find((o) => o.kind === 'CronJob'));
    expect(container(cron.spec.jobTemplate.spec.template.spec).envFrom).toEqual([
      { configMapRef: { name: cm.metadata.name } },
      { secretRef: { name: 'pd-warehouse-acme' } },
    ]);
  });
});

function nameOf(metadata: unknown): string {
  return z.object({ name: z.string() }).parse(metadata).name;
}

function namespaceOf(metadata: unknown): string | undefined {
  return z.object({ namespace: z.string().optional() }).parse(metadata).namespace;
}
