import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETUP_SCRIPT } from '../src/apache-rocketmq-setup';
import { BROKER_ADMIN_PORT, CONSOLE_PORT, SHOP_PROCESSES } from '../src/shop-processes';
import { ROOT } from './compose-file';
import { type KubeObject, kustomizeBuild } from './kustomize-build';

// deploy/k8s, built as kustomize would and validated against the Kubernetes OpenAPI schemas that the
// kubernetes-models package compiles (its validate() runs them with ajv).

type Model = new (data: never) => { validate(): void };

/** The model class (its OpenAPI schema) of each kind the manifests use; kubernetes-models is ESM-only, hence import(). */
async function models(): Promise<Record<string, Model>> {
  const [apps, autoscaling, batch, core] = await Promise.all([import('kubernetes-models/apps/v1'), import('kubernetes-models/autoscaling/v2'), import('kubernetes-models/batch/v1'), import('kubernetes-models/v1')]);
  return {
    'apps/v1 Deployment': apps.Deployment,
    'apps/v1 StatefulSet': apps.StatefulSet,
    'autoscaling/v2 HorizontalPodAutoscaler': autoscaling.HorizontalPodAutoscaler,
    'batch/v1 Job': batch.Job,
    'v1 ConfigMap': core.ConfigMap,
    'v1 Secret': core.Secret,
    'v1 Service': core.Service,
  };
}

async function validate(object: KubeObject): Promise<void> {
  const Model = (await models())[`${object.apiVersion} ${object.kind}`];
  if (!Model) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
  new Model(object as never).validate();
}

interface Container {
  name: string;
  image: string;
  ports?: { name: string; containerPort: number }[];
  env?: { name: string; value?: string }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  readinessProbe?: { httpGet?: { path: string; port: string }; exec?: { command: string[] } };
  livenessProbe?: { httpGet?: { path: string; port: string }; exec?: { command: string[] } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: { containers: Container[]; volumes?: { configMap?: { name: string } }[]; terminationGracePeriodSeconds?: number };
}

const workloads = (objects: KubeObject[]) => objects.filter((object) => ['Deployment', 'StatefulSet', 'Job'].includes(object.kind));
const templateOf = (workload: KubeObject) => (workload.spec as { template: PodTemplate }).template;
const mebibytes = (quantity: string) => Number(/^(\d+)Mi$/.exec(quantity)?.[1] ?? Number(/^(\d+)Gi$/.exec(quantity)?.[1]) * 1024);

/** Objects an overlay expects to exist before it is applied (created by hand, documented in its kustomization.yaml). */
const CREATED_BEFORE: Record<string, string[]> = {
  'embedded-broker': [],
  'apache-rocketmq': ['shop-database', 'shop-rocketmq-setup'],
};

describe.each(Object.keys(CREATED_BEFORE))('deploy/k8s/overlays/%s', (overlay) => {
  const dir = join(ROOT, 'deploy/k8s/overlays', overlay);
  const objects = kustomizeBuild(dir);
  const configMaps = new Map(objects.filter((object) => object.kind === 'ConfigMap').map((object) => [object.metadata.name, object.data as Record<string, string>]));

  it('is valid against the Kubernetes schemas, object by object', async () => {
    expect(objects.length).toBeGreaterThan(10);
    for (const object of objects) await expect(validate(object), `${object.kind} ${object.metadata.name}`).resolves.toBeUndefined();
  });

  it('runs every service of the shop on its documented port, with readiness and liveness from /health', () => {
    for (const app of new Set(SHOP_PROCESSES.map((process) => process.app))) {
      const workload = workloads(objects).find((object) => object.metadata.name === app);
      const [container] = templateOf(workload as KubeObject).spec.containers;
      expect(container.ports).toEqual([{ name: 'http', containerPort: SHOP_PROCESSES.find((process) => process.app === app)?.port }]);
      for (const probe of [container.readinessProbe, container.livenessProbe]) expect(probe?.httpGet, app).toEqual({ path: '/health', port: 'http' });
    }
  });

  it('gives every container probes, a memory request equal to its limit, and a heap below it', () => {
    for (const workload of workloads(objects)) {
      for (const container of templateOf(workload).spec.containers) {
        const name = `${workload.metadata.name}/${container.name}`;
        if (workload.kind !== 'Job') expect(container.readinessProbe && container.livenessProbe, name).toBeTruthy();
        expect(container.resources?.requests?.cpu, name).toBeDefined();
        expect(container.resources?.requests?.memory, name).toBe(container.resources?.limits?.memory);
        const heap = /--max-old-space-size=(\d+)/.exec(container.env?.find((variable) => variable.name === 'NODE_OPTIONS')?.value ?? '')?.[1];
        if (heap) expect(Number(heap), name).toBeLessThanOrEqual((mebibytes(container.resources?.limits?.memory ?? '0') * 2) / 3);
      }
    }
  });

  it('refers only to ConfigMaps and Secrets it creates or that its kustomization.yaml says to create first', () => {
    const kustomization = readFileSync(join(dir, 'kustomization.yaml'), 'utf8');
    const available = new Set([...objects.filter((object) => ['ConfigMap', 'Secret'].includes(object.kind)).map((object) => object.metadata.name), ...CREATED_BEFORE[overlay]]);
    for (const name of CREATED_BEFORE[overlay]) expect(kustomization).toMatch(new RegExp(`kubectl -n shop create (secret generic|configmap) ${name} `));
    for (const workload of workloads(objects)) {
      const { spec } = templateOf(workload);
      const references = [
        ...spec.containers.flatMap((container) => (container.envFrom ?? []).map((source) => source.configMapRef?.name ?? source.secretRef?.name)),
        ...(spec.volumes ?? []).map((volume) => volume.configMap?.name),
      ].filter((name): name is string => name !== undefined);
      for (const name of references) expect(available, `${workload.metadata.name} → ${name}`).toContain(name);
    }
  });

  it('selects a workload with every Service, on a port its containers name', () => {
    for (const service of objects.filter((object) => object.kind === 'Service')) {
      const spec = service.spec as { selector: Record<string, string>; ports: { targetPort: string }[] };
      const target = workloads(objects).find((workload) => Object.entries(spec.selector).every(([key, value]) => templateOf(workload).metadata.labels[key] === value));
      expect(target, service.metadata.name).toBeDefined();
      const named = templateOf(target as KubeObject).spec.containers.flatMap((container) => (container.ports ?? []).map((port) => port.name));
      for (const port of spec.ports) expect(named, service.metadata.name).toContain(port.targetPort);
    }
  });

  it('autoscales order between 2 and 10 replicas on CPU', () => {
    const autoscaler = objects.find((object) => object.kind === 'HorizontalPodAutoscaler') as KubeObject;
    expect(autoscaler.spec).toMatchObject({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'order' }, minReplicas: 2, maxReplicas: 10 });
    expect(workloads(objects).find((workload) => workload.kind === 'Deployment' && workload.metadata.name === 'order')).toBeDefined();
  });

  it('points the services at a RocketMQ 5 endpoint by shop-env only, and gives pods time to drain', () => {
    const endpoint = configMaps.get('shop-env')?.ROCKETMQ_ENDPOINTS ?? '';
    if (overlay === 'embedded-broker') {
      const broker = objects.find((object) => object.kind === 'Service' && object.metadata.name === 'broker');
      expect(endpoint).toBe(`broker:${(broker?.spec as { ports: { port: number }[] }).ports[0].port}`);
    } else {
      expect(endpoint).toBe('rocketmq-proxy.rocketmq:8081');
    }
    const nodeProcesses = workloads(objects).filter((workload) => templateOf(workload).spec.containers.some((container) => container.image.startsWith('rocketmq-shop/')));
    expect(nodeProcesses.length).toBe(new Set(SHOP_PROCESSES.map((process) => process.app)).size + (overlay === 'embedded-broker' ? 1 : 0));
    for (const workload of nodeProcesses) expect(templateOf(workload).spec.terminationGracePeriodSeconds, workload.metadata.name).toBeGreaterThanOrEqual(40);
  });
});

describe('deploy/k8s/overlays/embedded-broker: the console', () => {
  const objects = kustomizeBuild(join(ROOT, 'deploy/k8s/overlays/embedded-broker'));

  it("runs beside the broker, reading its admin API on the pod's loopback and every service by its Service name", () => {
    const broker = workloads(objects).find((workload) => workload.metadata.name === 'broker') as KubeObject;
    const sidecar = templateOf(broker).spec.containers.find((container) => container.name === 'console');
    const env = Object.fromEntries((sidecar?.env ?? []).map((variable) => [variable.name, variable.value]));
    expect(sidecar?.image).toBe('rocketmq-shop/console:local');
    expect(sidecar?.ports).toEqual([{ name: 'console', containerPort: CONSOLE_PORT }]);
    expect(env.CONSOLE_BROKER_ADMIN_URL).toBe(`http://127.0.0.1:${BROKER_ADMIN_PORT}`);
    const apps = [...new Set(SHOP_PROCESSES.map((process) => process.app))];
    expect(env.CONSOLE_SERVICES?.split(',')).toEqual(apps.map((app) => `${app}=http://${app}:${SHOP_PROCESSES.find((process) => process.app === app)?.port}`));
  });
});

describe('the overlays', () => {
  it('run the same service manifests: only shop-env differs', () => {
    const services = (overlay: string) =>
      kustomizeBuild(join(ROOT, 'deploy/k8s/overlays', overlay)).filter((object) => SHOP_PROCESSES.some((process) => process.app === object.metadata.name));
    expect(services('apache-rocketmq')).toEqual(services('embedded-broker'));
  });

  it('create the Apache topics and groups with the script generated from libs/contracts', () => {
    const [job] = kustomizeBuild(join(ROOT, 'deploy/k8s/overlays/apache-rocketmq')).filter((object) => object.kind === 'Job');
    const command = (templateOf(job).spec.containers[0] as Container & { command: string[] }).command;
    expect(command[1]).toBe(`/setup/${basename(SETUP_SCRIPT)}`);
  });

  it('the schema validation does reject a wrong object', async () => {
    const broken = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { selector: {}, template: { spec: { containers: [{ name: 'x', resources: { limits: { memory: {} } } }] } } } };
    await expect(validate(broken as KubeObject)).rejects.toThrow(/memory/);
  });
});
