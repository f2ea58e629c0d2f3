/** Topic, group and trigger names: RocketMQ's (and ApsaraMQ's) rule, the same the broker enforces. */
export const RESOURCE_NAME = /^[A-Za-z0-9_-]{1,60}$/;
export const RESOURCE_NAME_RULE = 'names match [A-Za-z0-9_-]{1,60}';
