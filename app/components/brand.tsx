import HubOutlined from '@mui/icons-material/HubOutlined';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { PRODUCT_NAME } from './page-title.tsx';

export function Brand({ size = 'medium' }: { size?: 'medium' | 'large' }) {
  const mark = size === 'large' ? 40 : 32;
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.25 }}>
      <Box
        aria-hidden
        sx={{
          width: mark,
          height: mark,
          borderRadius: 2,
          display: 'grid',
          placeItems: 'center',
          color: 'primary.contrastText',
          background: 'linear-gradient(135deg, #4338ca 0%, #0f766e 100%)',
        }}
      >
        <HubOutlined sx={{ fontSize: mark * 0.6 }} />
      </Box>
      <Typography
        variant={size === 'large' ? 'h5' : 'h6'}
        component="span"
        noWrap
        sx={{ fontWeight: 700, letterSpacing: '-0.01em', color: 'text.primary', fontSize: size === 'large' ? undefined : { xs: 17, sm: 20 } }}
      >
        {PRODUCT_NAME}
      </Typography>
    </Box>
  );
}
