import { join } from 'node:path';
import type { GroupConfig } from '../config/broker-config';
import type { StoredTopic } from '../messaging/topic-registry';
import { type FileSystem, isNotFound, writeFileAtomically } from '../storage/file-system';

/** Topics and groups created at run time (admin API, first use), with the topic ids the log refers to. */
export interface Metadata {
  nextTopicId: number;
  topics: StoredTopic[];
  groups: GroupConfig[];
}

export type LoadedMetadata = { state: 'ok'; metadata: Metadata } | { state: 'missing' } | { state: 'unreadable'; reason: string };

/** metadata.json, replaced atomically and durably on every change; checkpoints keep a copy of it. */
export class MetadataStore {
  readonly path: string;
  /** What the file holds now, to skip writes that would change nothing (every start saves). */
  private written: string | undefined;

  constructor(
    private readonly fileSystem: FileSystem,
    dataDir: string,
  ) {
    this.path = join(dataDir, 'metadata.json');
  }

  async load(): Promise<LoadedMetadata> {
    let text: string;
    try {
      text = (await this.fileSystem.readFile(this.path)).toString('utf8');
    } catch (error) {
      if (isNotFound(error)) return { state: 'missing' };
      return { state: 'unreadable', reason: (error as Error).message };
    }
    try {
      this.written = text;
      const metadata = JSON.parse(text) as Partial<Metadata>;
      if (!Array.isArray(metadata.topics) || !Array.isArray(metadata.groups) || !Number.isInteger(metadata.nextTopicId)) {
        return { state: 'unreadable', reason: 'not a metadata document (topics, groups, nextTopicId)' };
      }
      return { state: 'ok', metadata: metadata as Metadata };
    } catch (error) {
      return { state: 'unreadable', reason: `invalid JSON: ${(error as Error).message}` };
    }
  }

  async save(metadata: Metadata): Promise<void> {
    const text = JSON.stringify(metadata, null, 2);
    if (text === this.written) return;
    await writeFileAtomically(this.fileSystem, this.path, Buffer.from(text));
    this.written = text;
  }
}
