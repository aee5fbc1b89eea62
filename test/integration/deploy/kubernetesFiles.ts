/**
 * Reads deploy/kubernetes: every YAML file (all documents of each), parsed with zod keeping only what
 * kubernetes.test.ts looks at, and the YAML comments naming variables (`# PUSHGATEWAY_URL: …`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { repoPath } from '../bi/biFiles.js';

export const K8S_DIR = 'deploy/kubernetes';

/** Every .yaml under deploy/kubernetes, relative to the repository, sorted. */
export function yamlFiles(): string[] {
  return readdirSync(repoPath(K8S_DIR), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .map((f) => `${K8S_DIR}/${f}`)
    .sort();
}

export const readText = (relative: string) => readFileSync(repoPath(relative), 'utf8');

/** Every document of a YAML stream; a syntax error throws, naming the file. */
export function parseDocuments(text: string, where: string): unknown[] {
  return parseAllDocuments(text).flatMap((doc, i) => {
    if (doc.errors.length > 0) throw new Error(`${where} document ${i}: ${doc.errors[0]?.message}`);
    const value: unknown = doc.toJS();
    return doc.contents === null ? [] : [value];
  });
}

/** Variable names in comments shaped like a commented-out entry: `# NAME: value` or `# --from-literal=NAME=`. */
export function commentedVariables(text: string): string[] {
  return [...text.matchAll(/#\s*(?:--from-literal=)?([A-Z][A-Z0-9_]{2,})[:=]/g)].map((m) => m[1] ?? '');
}

const metadata = z.object({
  name: z.string(),
  namespace: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

const probe = z.object({ httpGet: z.object({ path: z.string(), port: z.union([z.string(), z.number()]) }) });
const quantities = z.record(z.string(), z.union([z.string(), z.number()]));

const container = z.object({
  name: z.string(),
  image: z.string(),
  args: z.array(z.string()),
  envFrom: z.array(
    z.object({
      configMapRef: z.object({ name: z.string() }).optional(),
      secretRef: z.object({ name: z.string() }).optional(),
    }),
  ),
  env: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  ports: z.array(z.object({ name: z.string(), containerPort: z.number() })).optional(),
  livenessProbe: probe.optional(),
  readinessProbe: probe.optional(),
  resources: z.object({ requests: quantities, limits: quantities }),
  securityContext: z.object({
    allowPrivilegeEscalation: z.literal(false),
    readOnlyRootFilesystem: z.literal(true),
    capabilities: z.object({ drop: z.array(z.string()) }),
  }),
  volumeMounts: z.array(z.object({ name: z.string(), mountPath: z.string() })).optional(),
});

export type Container = z.infer<typeof container>;

const podSpec = z.object({
  restartPolicy: z.string().optional(),
  terminationGracePeriodSeconds: z.number(),
  securityContext: z.object({
    runAsNonRoot: z.literal(true),
    runAsUser: z.number(),
    seccompProfile: z.object({ type: z.string() }),
  }),
  initContainers: z.array(container).optional(),
  containers: z.array(container),
  volumes: z
    .array(z.object({ name: z.string(), emptyDir: z.object({}).passthrough().optional() }))
    .optional(),
});

export type PodSpec = z.infer<typeof podSpec>;

export const cronJobSchema = z.object({
  kind: z.literal('CronJob'),
  metadata,
  spec: z.object({
    schedule: z.string(),
    concurrencyPolicy: z.string(),
    startingDeadlineSeconds: z.number(),
    successfulJobsHistoryLimit: z.number(),
    failedJobsHistoryLimit: z.number(),
    jobTemplate: z.object({
      spec: z.object({
        backoffLimit: z.number(),
        activeDeadlineSeconds: z.number(),
        template: z.object({ spec: podSpec }),
      }),
    }),
  }),
});

export const deploymentSchema = z.object({
  kind: z.literal('Deployment'),
  metadata,
  spec: z.object({
    replicas: z.number(),
    selector: z.object({ matchLabels: z.record(z.string(), z.string()) }),
    template: z.object({ metadata: z.object({ labels: z.record(z.string(), z.string()) }), spec: podSpec }),
  }),
});

export const serviceSchema = z.object({
  kind: z.literal('Service'),
  metadata,
  spec: z.object({
    selector: z.record(z.string(), z.string()),
    ports: z.array(
      z.object({ name: z.string(), port: z.number(), targetPort: z.union([z.string(), z.number()]) }),
    ),
  }),
});

export const configMapSchema = z.object({
  kind: z.literal('ConfigMap'),
  metadata,
  data: z.record(z.string(), z.string()),
});

export const secretSchema = z.object({
  kind: z.literal('Secret'),
  metadata,
  stringData: z.record(z.string(), z.string()),
});

const image = z.object({ name: z.string(), newName: z.string().optional(), newTag: z.string().optional() });

export const kustomizationSchema = z.object({
  kind: z.literal('Kustomization'),
  namespace: z.string().optional(),
  resources: z.array(z.string()).optional(),
  images: z.array(image).optional(),
  labels: z.array(z.object({ pairs: z.record(z.string(), z.string()) })).optional(),
  configMapGenerator: z
    .array(z.object({ name: z.string(), literals: z.array(z.string()).optional() }))
    .optional(),
  patches: z.array(z.object({ patch: z.string() })).optional(),
});

export type Kustomization = z.infer<typeof kustomizationSchema>;

/** Any Kubernetes object: its kind and name, for picking the schema above. */
export const objectSchema = z.object({ apiVersion: z.string(), kind: z.string() }).passthrough();

/** Every document under deploy/kubernetes with its file, the kustomizations by folder, and one(kind). */
export function readManifests() {
  const files = yamlFiles();
  const docs = files.flatMap((file) =>
    parseDocuments(readText(file), file).map((doc) => ({ file, doc: objectSchema.parse(doc) })),
  );
  const ofKind = (kind: string) => docs.filter((d) => d.doc.kind === kind);
  const one = (kind: string) => {
    const all = ofKind(kind);
    if (all.length !== 1) throw new Error(`expected one ${kind} under ${K8S_DIR}, found ${all.length}`);
    return all[0]?.doc;
  };
  const kustomizations = new Map<string, Kustomization>(
    ofKind('Kustomization').map((d) => [dirname(d.file), kustomizationSchema.parse(d.doc)]),
  );
  return { files, docs, kustomizations, one };
}

/** The pod's one container; pd-warehouse pods have no sidecar. */
export function onlyContainer(pod: PodSpec): Container {
  const [c, ...more] = pod.containers;
  if (!c || more.length > 0) throw new Error(`expected one container, found ${pod.containers.length}`);
  return c;
}
