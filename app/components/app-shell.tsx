import Logout from '@mui/icons-material/Logout';
import MenuIcon from '@mui/icons-material/Menu';
import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Divider from '@mui/material/Divider';
import Drawer from '@mui/material/Drawer';
import IconButton from '@mui/material/IconButton';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import ListSubheader from '@mui/material/ListSubheader';
import Toolbar from '@mui/material/Toolbar';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useState, type ReactNode } from 'react';
import { Form, Link as RouterLink, useLocation } from 'react-router';
import { useT } from '#app/i18n/i18n-context.tsx';
import { Brand } from './brand.tsx';
import { LanguageSwitch } from './language-switch.tsx';
import { isActive, navSections } from './nav-items.ts';

const DRAWER_WIDTH = 248;

export interface ShellUser {
  email: string;
  name: string;
  tenantName: string;
}

function Navigation({ onNavigate }: { onNavigate?: () => void }) {
  const t = useT();
  const { pathname } = useLocation();
  return (
    <Box component="nav" aria-label={t('nav.label')} sx={{ overflowY: 'auto', py: 1 }}>
      {navSections.map((section, i) => (
        <List
          key={section.label ?? i}
          dense
          subheader={
            section.label ? (
              <ListSubheader disableSticky sx={{ lineHeight: '32px', bgcolor: 'transparent', fontSize: 12, textTransform: 'uppercase', letterSpacing: '0.06em' }}>
                {t(section.label)}
              </ListSubheader>
            ) : undefined
          }
        >
          {section.items.map((item) => {
            const Icon = item.icon;
            const active = isActive(item.to, pathname);
            return (
              <ListItemButton
                key={item.to}
                component={RouterLink}
                to={item.to}
                selected={active}
                aria-current={active ? 'page' : undefined}
                onClick={onNavigate}
                sx={{ mx: 1, borderRadius: 2, '&.Mui-selected': { color: 'primary.main', '& .MuiListItemIcon-root': { color: 'primary.main' } } }}
              >
                <ListItemIcon sx={{ minWidth: 36 }}>
                  <Icon fontSize="small" />
                </ListItemIcon>
                <ListItemText primary={t(item.label)} slotProps={{ primary: { sx: { fontWeight: active ? 600 : 500 } } }} />
                {item.upcoming ? <Chip label={t('nav.upcoming')} size="small" variant="outlined" sx={{ height: 20, fontSize: 11 }} /> : null}
              </ListItemButton>
            );
          })}
        </List>
      ))}
    </Box>
  );
}

function AccountArea({ user }: { user: ShellUser }) {
  const t = useT();
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: { xs: 1, sm: 2 } }}>
      <Box sx={{ textAlign: 'right', display: { xs: 'none', md: 'block' } }}>
        <Typography variant="body2" sx={{ fontWeight: 600, lineHeight: 1.3 }} data-testid="tenant-name">
          {user.tenantName}
        </Typography>
        <Typography variant="caption" color="text.secondary" sx={{ lineHeight: 1.3 }} data-testid="user-email">
          {user.email}
        </Typography>
      </Box>
      <LanguageSwitch />
      <Form method="post" action="/logout">
        <Tooltip title={t('shell.logout')}>
          <Button type="submit" color="inherit" startIcon={<Logout />} sx={{ color: 'text.secondary' }} aria-label={t('shell.logout')} data-testid="logout">
            <Box component="span" sx={{ display: { xs: 'none', sm: 'inline' } }}>
              {t('shell.logout')}
            </Box>
          </Button>
        </Tooltip>
      </Form>
    </Box>
  );
}

/** Signed-in frame: top bar, navigation drawer (permanent on desktop, slide-in on phones), content. */
export function AppShell({ user, children }: { user: ShellUser; children: ReactNode }) {
  const t = useT();
  const [mobileOpen, setMobileOpen] = useState(false);
  const drawerPaper = { width: DRAWER_WIDTH, boxSizing: 'border-box', borderRight: 1, borderColor: 'divider' } as const;
  return (
    <Box sx={{ display: 'flex', minHeight: '100vh' }}>
      {/* Above the permanent drawer on desktop; below the slide-in drawer on phones, so that one covers it. */}
      <AppBar
        position="fixed"
        color="inherit"
        elevation={0}
        sx={(theme) => ({ zIndex: { md: theme.zIndex.drawer + 1 }, borderBottom: 1, borderColor: 'divider' })}
      >
        <Toolbar sx={{ gap: 1 }}>
          <IconButton edge="start" onClick={() => setMobileOpen(true)} aria-label={t('nav.open')} sx={{ display: { md: 'none' } }}>
            <MenuIcon />
          </IconButton>
          <Box component={RouterLink} to="/" sx={{ textDecoration: 'none' }} aria-label={t('nav.home')}>
            <Brand />
          </Box>
          <Box sx={{ flex: 1 }} />
          <AccountArea user={user} />
        </Toolbar>
      </AppBar>
      <Drawer
        variant="temporary"
        open={mobileOpen}
        onClose={() => setMobileOpen(false)}
        ModalProps={{ keepMounted: true }}
        sx={{ display: { xs: 'block', md: 'none' }, '& .MuiDrawer-paper': drawerPaper }}
      >
        <Box sx={{ px: 2, py: 2 }}>
          <Typography variant="body2" sx={{ fontWeight: 600 }}>
            {user.tenantName}
          </Typography>
          <Typography variant="caption" color="text.secondary">
            {user.email}
          </Typography>
        </Box>
        <Divider />
        <Navigation onNavigate={() => setMobileOpen(false)} />
      </Drawer>
      <Drawer variant="permanent" sx={{ display: { xs: 'none', md: 'block' }, width: DRAWER_WIDTH, flexShrink: 0, '& .MuiDrawer-paper': drawerPaper }}>
        <Toolbar />
        <Navigation />
      </Drawer>
      <Box component="main" sx={{ flex: 1, minWidth: 0, px: { xs: 2, sm: 3, lg: 4 }, pb: 6 }}>
        <Toolbar />
        <Box sx={{ maxWidth: 1280, mx: 'auto', pt: 3 }}>{children}</Box>
      </Box>
    </Box>
  );
}
