import { ComingSoon } from '#app/components/coming-soon.tsx';

// No loader: the app layout's loader already requires a signed-in user, and this page shows no data.
export default function ConnectionsPage() {
  return <ComingSoon title="nav.connections" description="comingSoon.connections" />;
}
