import AccountTreeOutlined from '@mui/icons-material/AccountTreeOutlined';
import AltRouteOutlined from '@mui/icons-material/AltRouteOutlined';
import CableOutlined from '@mui/icons-material/CableOutlined';
import UploadFileOutlined from '@mui/icons-material/UploadFileOutlined';
import FingerprintOutlined from '@mui/icons-material/FingerprintOutlined';
import GroupWorkOutlined from '@mui/icons-material/GroupWorkOutlined';
import HomeOutlined from '@mui/icons-material/HomeOutlined';
import InsightsOutlined from '@mui/icons-material/InsightsOutlined';
import QueryStatsOutlined from '@mui/icons-material/QueryStatsOutlined';
import MailOutlined from '@mui/icons-material/MailOutlined';
import MenuBookOutlined from '@mui/icons-material/MenuBookOutlined';
import PeopleAltOutlined from '@mui/icons-material/PeopleAltOutlined';
import ScienceOutlined from '@mui/icons-material/ScienceOutlined';
import SettingsOutlined from '@mui/icons-material/SettingsOutlined';
import type SvgIcon from '@mui/material/SvgIcon';
import type { MessageKey } from '#app/i18n/messages.ts';

export interface NavItem {
  to: string;
  label: MessageKey;
  icon: typeof SvgIcon;
  /** Capability not built yet: the page says so, and the menu marks it. */
  upcoming?: boolean;
}

export const navSections: { label?: MessageKey; items: NavItem[] }[] = [
  {
    items: [
      { to: '/', label: 'nav.home', icon: HomeOutlined },
      { to: '/customers', label: 'nav.customers', icon: PeopleAltOutlined },
      { to: '/analytics', label: 'nav.analytics', icon: QueryStatsOutlined },
    ],
  },
  {
    label: 'nav.section.activation',
    items: [
      { to: '/segments', label: 'nav.segments', icon: GroupWorkOutlined },
      { to: '/journeys', label: 'nav.journeys', icon: AltRouteOutlined },
      { to: '/templates', label: 'nav.templates', icon: MailOutlined },
      { to: '/experiments', label: 'nav.experiments', icon: ScienceOutlined },
    ],
  },
  {
    label: 'nav.section.data',
    items: [
      { to: '/identity/reviews', label: 'nav.identity', icon: FingerprintOutlined },
      { to: '/connections', label: 'nav.connections', icon: CableOutlined },
      { to: '/imports', label: 'nav.imports', icon: UploadFileOutlined },
      { to: '/dashboards', label: 'nav.dashboards', icon: InsightsOutlined, upcoming: true },
      { to: '/workflows', label: 'nav.workflows', icon: AccountTreeOutlined },
    ],
  },
  {
    label: 'nav.section.developers',
    items: [
      { to: '/api-docs', label: 'nav.apiDocs', icon: MenuBookOutlined },
      { to: '/settings', label: 'nav.settings', icon: SettingsOutlined },
    ],
  },
];

export const isActive = (to: string, pathname: string) => (to === '/' ? pathname === '/' : pathname === to || pathname.startsWith(`${to}/`));
