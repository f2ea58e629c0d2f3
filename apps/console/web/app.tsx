import { PAGES } from './pages';
import { href, useRoute } from './router';

export function App() {
  const route = useRoute();
  const page = PAGES.find((candidate) => candidate.path === route.page) ?? PAGES[0];
  const Page = page.component;
  return (
    <div class="layout">
      <nav class="sidebar">
        <div class="brand">
          RocketMQ shop <span>console</span>
        </div>
        {PAGES.map(({ path, title }) => (
          <a key={path} href={href(path)} class={path === page.path ? 'active' : undefined}>
            {title}
          </a>
        ))}
      </nav>
      <main class="content">
        <h1>{page.title}</h1>
        <Page params={page.path === route.page ? route.params : []} />
      </main>
    </div>
  );
}
