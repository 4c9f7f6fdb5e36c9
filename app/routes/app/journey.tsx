export default function JourneyPage() {
  return null;
}
