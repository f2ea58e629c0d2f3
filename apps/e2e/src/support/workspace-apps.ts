/**
 * Whether `apps/<app>` exists in this workspace (its package is linked). Scenarios whose services are
 * still being written are skipped instead of failing. TODO(libs/testing): belongs next to ServiceProcess.
 */
export function appExists(app: string): boolean {
  try {
    require.resolve(`@rocketmq-shop/${app}/package.json`);
    return true;
  } catch {
    return false;
  }
}
