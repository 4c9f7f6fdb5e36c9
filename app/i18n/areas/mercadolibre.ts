// UI strings of the mercadolibre area. `es` must have exactly the keys of `en` (checked by tsc).
// `mercadolibre.result.*` match the `?mercadolibre=<result>` the connect flow adds to the connection page
// (ConnectResult in app/server/mercadolibre.server.ts).
export const en = {
  'mercadolibre.connect': 'Connect with MercadoLibre',
  'mercadolibre.reconnect': 'Reconnect MercadoLibre',
  'mercadolibre.connectHelp':
    'You will sign in on MercadoLibre with the seller account’s administrator and allow the CDP to read its orders. The CDP never sees the password.',
  'mercadolibre.connectedAs': 'Connected to seller {seller}',
  'mercadolibre.notConnected': 'Not connected yet: the CDP cannot read this seller’s orders until an administrator connects the account.',
  'mercadolibre.redirectUriHelp': 'In your MercadoLibre application, the redirect URI must be exactly {url}',
  'mercadolibre.notificationsHelp': 'For orders within seconds, set the application’s notifications callback URL to {url} and subscribe to the “orders_v2” topic.',
  'mercadolibre.result.connected': 'MercadoLibre is connected. The first sync imports the seller’s orders and buyers.',
  'mercadolibre.result.denied': 'The authorization was cancelled on MercadoLibre. Nothing changed.',
  'mercadolibre.result.expired': 'The authorization took more than 10 minutes. Start again with “Connect with MercadoLibre”.',
  'mercadolibre.result.invalid-state': 'This authorization link is not valid any more (already used, or started in another workspace). Start again from the connection.',
  'mercadolibre.result.failed': 'MercadoLibre did not accept the authorization ({reason}). Check the application’s client ID and secret, then try again.',
  'mercadolibre.result.unreachable': 'MercadoLibre could not be reached to finish the authorization. Try again in a few minutes.',
  'mercadolibre.result.other-seller':
    'You authorized seller {seller}, but this connection belongs to seller {expected}. Sign in to MercadoLibre with that account, or create a new connection for the other seller.',
  'mercadolibre.result.invalid-config': 'The connection’s settings are incomplete (client ID or secret). Edit them, then connect.',
} satisfies Record<string, string>;

export const es: Record<keyof typeof en, string> = {
  'mercadolibre.connect': 'Conectar con MercadoLibre',
  'mercadolibre.reconnect': 'Volver a conectar MercadoLibre',
  'mercadolibre.connectHelp':
    'Vas a iniciar sesión en MercadoLibre con el administrador de la cuenta vendedora y autorizar al CDP a leer sus ventas. El CDP nunca ve la contraseña.',
  'mercadolibre.connectedAs': 'Conectado al vendedor {seller}',
  'mercadolibre.notConnected': 'Todavía no está conectado: el CDP no puede leer las ventas de este vendedor hasta que un administrador conecte la cuenta.',
  'mercadolibre.redirectUriHelp': 'En tu aplicación de MercadoLibre, la URI de redirección tiene que ser exactamente {url}',
  'mercadolibre.notificationsHelp': 'Para recibir las ventas en segundos, configurá la URL de notificaciones de la aplicación en {url} y suscribite al tópico “orders_v2”.',
  'mercadolibre.result.connected': 'MercadoLibre quedó conectado. La primera sincronización importa las ventas y los compradores del vendedor.',
  'mercadolibre.result.denied': 'La autorización se canceló en MercadoLibre. No cambió nada.',
  'mercadolibre.result.expired': 'La autorización tardó más de 10 minutos. Empezá de nuevo con “Conectar con MercadoLibre”.',
  'mercadolibre.result.invalid-state': 'Este enlace de autorización ya no es válido (ya se usó o se inició en otro espacio de trabajo). Empezá de nuevo desde la conexión.',
  'mercadolibre.result.failed': 'MercadoLibre no aceptó la autorización ({reason}). Revisá el ID de cliente y el secreto de la aplicación y volvé a intentar.',
  'mercadolibre.result.unreachable': 'No se pudo contactar a MercadoLibre para terminar la autorización. Probá de nuevo en unos minutos.',
  'mercadolibre.result.other-seller':
    'Autorizaste al vendedor {seller}, pero esta conexión es del vendedor {expected}. Iniciá sesión en MercadoLibre con esa cuenta o creá una conexión nueva para el otro vendedor.',
  'mercadolibre.result.invalid-config': 'La configuración de la conexión está incompleta (ID de cliente o secreto). Editala y después conectá.',
};
