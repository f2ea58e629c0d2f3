import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';

/** A Kubernetes object as the manifests hold it. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

interface Generator {
  name: string;
  behavior?: 'create' | 'merge';
  literals?: string[];
}

interface Kustomization {
  apiVersion: string;
  kind: string;
  namespace?: string;
  labels?: { pairs: Record<string, string> }[];
  resources?: string[];
  configMapGenerator?: Generator[];
  secretGenerator?: Generator[];
}

/** The kustomization fields build() understands; anything else would be silently ignored, so it throws. */
const UNDERSTOOD = new Set(['apiVersion', 'kind', 'namespace', 'labels', 'resources', 'configMapGenerator', 'secretGenerator']);

const fromLiterals = (literals: string[] = []) => Object.fromEntries(literals.map((literal) => [literal.slice(0, literal.indexOf('=')), literal.slice(literal.indexOf('=') + 1)]));

/**
 * The subset of `kustomize build` these manifests use (no kustomize binary on CI machines): resources
 * (files and kustomization folders), ConfigMap/Secret generators from literals (`behavior: merge`
 * merges into the base's), `labels` on metadata, `namespace`. Generated names keep no hash suffix.
 */
export function kustomizeBuild(dir: string): KubeObject[] {
  const kustomization = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as Kustomization;
  const unknown = Object.keys(kustomization).filter((key) => !UNDERSTOOD.has(key));
  if (unknown.length > 0) throw new Error(`${dir}/kustomization.yaml: ${unknown.join(', ')} not understood by this build`);
  const objects = (kustomization.resources ?? []).flatMap((resource) => {
    const path = join(dir, resource);
    return statSync(path).isDirectory() ? kustomizeBuild(path) : parseAllDocuments(readFileSync(path, 'utf8')).map((document) => document.toJS() as KubeObject);
  });
  for (const [kind, generators, field] of [['ConfigMap', kustomization.configMapGenerator, 'data'], ['Secret', kustomization.secretGenerator, 'stringData']] as const) {
    for (const generator of generators ?? []) {
      const existing = objects.find((object) => object.kind === kind && object.metadata.name === generator.name);
      if (generator.behavior === 'merge') {
        if (!existing) throw new Error(`${dir}: merges into ${kind} ${generator.name}, which no resource has`);
        existing[field] = { ...(existing[field] as Record<string, string>), ...fromLiterals(generator.literals) };
      } else {
        if (existing) throw new Error(`${dir}: ${kind} ${generator.name} generated twice`);
        objects.push({ apiVersion: 'v1', kind, metadata: { name: generator.name }, [field]: fromLiterals(generator.literals) });
      }
    }
  }
  for (const object of objects) {
    for (const { pairs } of kustomization.labels ?? []) object.metadata.labels = { ...object.metadata.labels, ...pairs };
    if (kustomization.namespace) object.metadata.namespace = kustomization.namespace;
  }
  return objects;
}
