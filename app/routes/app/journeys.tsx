import { ComingSoon } from '#app/components/coming-soon.tsx';

// No loader: the app layout's loader already requires a signed-in user, and this page shows no data.
export default function JourneysPage() {
  return <ComingSoon title="nav.journeys" description="comingSoon.journeys" />;
}
