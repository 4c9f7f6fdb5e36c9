import Card from '@mui/material/Card';
import CardActionArea from '@mui/material/CardActionArea';
import CardContent from '@mui/material/CardContent';
import Typography from '@mui/material/Typography';

export function StatCard({ label, value, hint, href, testId }: { label: string; value: string; hint?: string; href?: string; testId?: string }) {
  const body = (
    <CardContent>
      <Typography variant="body2" color="text.secondary" sx={{ fontWeight: 500 }}>
        {label}
      </Typography>
      <Typography variant="h4" component="p" sx={{ mt: 1 }} data-testid={testId}>
        {value}
      </Typography>
      {hint ? (
        <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
          {hint}
        </Typography>
      ) : null}
    </CardContent>
  );
  return <Card sx={{ height: '100%' }}>{href ? <CardActionArea href={href} sx={{ height: '100%' }}>{body}</CardActionArea> : body}</Card>;
}
