// React 19 hoists <title> into <head>, on the server and after client navigations.
export const PRODUCT_NAME = 'Nerdistan CDP';

export function PageTitle({ title }: { title?: string }) {
  return <title>{title ? `${title} · ${PRODUCT_NAME}` : PRODUCT_NAME}</title>;
}
