export { AdminClient, type AdminEndpoint, type AdminResponse, type GroupState, type GroupTopicState, type HalfMessage } from './admin-client';
export { type BrokerConfigFile, FAST_TEST_SETTINGS, type GroupDeclaration, type TopicDeclaration, type TopicType, withFastTestSettings, writeBrokerConfig } from './broker-config';
export { BrokerProcess } from './broker-process';
export { type WaitForOptions, waitFor } from './wait-for';
export { type Exit, ManagedProcess, type ManagedProcessOptions } from './managed-process';
export { ServiceProcess, type ServiceSpec, envPrefix } from './service-process';
export { Stack, type StackOptions } from './stack';
export { LoadClient, type LoadAnswer, type LoadRequest, type LoadResult, countByStatus, quantile } from './load-generator';
export { RestartOnExit, type SupervisionEvent } from './restart-on-exit';
