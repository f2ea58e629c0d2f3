import type { FunctionComponent } from 'preact';
import { DashboardPage } from './pages/dashboard/dashboard-page';

export interface PageProps {
  /** Route segments after the page's own, e.g. a message id. */
  params: string[];
}

export interface Page {
  /** The route: `#/<path>`. */
  path: string;
  title: string;
  component: FunctionComponent<PageProps>;
}

/**
 * Every page of the console, in menu order. A new page is a folder under pages/ (its component and
 * its api/ calls) and one entry here; its server side is a module under src/pages/.
 */
export const PAGES: Page[] = [{ path: 'dashboard', title: 'Dashboard', component: DashboardPage }];
