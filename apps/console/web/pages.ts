import type { FunctionComponent } from 'preact';
import { ClientsPage } from './pages/clients/clients-page';
import { DashboardPage } from './pages/dashboard/dashboard-page';
import { GroupsPage } from './pages/groups/groups-page';
import { MessagesPage } from './pages/messages/messages-page';
import { FlashSalePage } from './pages/scenarios/flash-sale-page';
import { PriceCachePage } from './pages/scenarios/price-cache-page';
import { RegistrationPage } from './pages/scenarios/registration-page';
import { TopicsPage } from './pages/topics/topics-page';
import { TransactionsPage } from './pages/transactions/transactions-page';
import { TriggersPage } from './pages/triggers/triggers-page';

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
export const PAGES: Page[] = [
  { path: 'dashboard', title: 'Dashboard', component: DashboardPage },
  { path: 'topics', title: 'Topics', component: TopicsPage },
  { path: 'groups', title: 'Consumer groups', component: GroupsPage },
  { path: 'messages', title: 'Messages', component: MessagesPage },
  { path: 'transactions', title: 'Transactions', component: TransactionsPage },
  { path: 'clients', title: 'Clients', component: ClientsPage },
  { path: 'triggers', title: 'Triggers', component: TriggersPage },
  { path: 'flash-sale', title: 'Flash sale', component: FlashSalePage },
  { path: 'price-cache', title: 'Price cache', component: PriceCachePage },
  { path: 'registration', title: 'Registration', component: RegistrationPage },
];
