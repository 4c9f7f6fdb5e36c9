import ShoppingBagOutlined from '@mui/icons-material/ShoppingBagOutlined';
import StorefrontOutlined from '@mui/icons-material/StorefrontOutlined';
import UploadFileOutlined from '@mui/icons-material/UploadFileOutlined';
import type SvgIcon from '@mui/material/SvgIcon';
import type { ConnectionKind } from '#core/connectors/types.ts';
import type { MessageKey } from '#app/i18n/messages.ts';

export const kindIcons: Record<ConnectionKind, typeof SvgIcon> = {
  vtex: StorefrontOutlined,
  mercadolibre: ShoppingBagOutlined,
  file: UploadFileOutlined,
};

export const kindLabels: Record<ConnectionKind, MessageKey> = {
  vtex: 'connections.kind.vtex',
  mercadolibre: 'connections.kind.mercadolibre',
  file: 'connections.kind.file',
};

export const kindDescriptions: Record<ConnectionKind, MessageKey> = {
  vtex: 'connections.kind.vtex.description',
  mercadolibre: 'connections.kind.mercadolibre.description',
  file: 'connections.kind.file.description',
};

export function KindIcon({ kind, fontSize = 'small' }: { kind: ConnectionKind; fontSize?: 'small' | 'medium' | 'large' }) {
  const Icon = kindIcons[kind];
  return <Icon fontSize={fontSize} color="primary" aria-hidden />;
}
