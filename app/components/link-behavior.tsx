// Lets MUI's Link and Button `href` navigate client-side through React Router; absolute URLs stay plain anchors.
import type { Ref } from 'react';
import { Link as RouterLink, type LinkProps as RouterLinkProps } from 'react-router';

type LinkBehaviorProps = Omit<RouterLinkProps, 'to'> & { href: string; ref?: Ref<HTMLAnchorElement> };

const isExternal = (href: string) => /^([a-z][a-z0-9+.-]*:|\/\/)/i.test(href);

export function LinkBehavior({ href, ref, ...props }: LinkBehaviorProps) {
  if (isExternal(href)) return <a ref={ref} href={href} {...props} />;
  return <RouterLink ref={ref} to={href} {...props} />;
}
