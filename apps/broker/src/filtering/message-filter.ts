/** What a filter may look at: the tag and the user properties (`properties` holds no system properties). */
export interface FilterableMessage {
  tag?: string;
  properties: Record<string, string>;
}

export type MessageFilter = (message: FilterableMessage) => boolean;
