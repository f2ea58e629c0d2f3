import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GroupConfig, TopicConfig } from './broker-config';

export interface StoredTopic extends TopicConfig {
  /** Messages stored before this moment belong to an earlier topic of the same name. */
  createdAt: number;
}

export interface Metadata {
  topics: StoredTopic[];
  groups: GroupConfig[];
}

/** Topics and groups created at run time (admin API, first use), kept in one JSON file replaced atomically. */
export class MetadataStore {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'metadata.json');
  }

  load(): Metadata {
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as Metadata;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { topics: [], groups: [] };
      throw error;
    }
  }

  save(metadata: Metadata): void {
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, JSON.stringify(metadata, null, 2));
    const fd = openSync(temp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.file);
  }
}
