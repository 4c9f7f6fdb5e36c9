import Button from '@mui/material/Button';
import ButtonGroup from '@mui/material/ButtonGroup';
import { Form, useLocation } from 'react-router';
import { useLocale, useT } from '#app/i18n/i18n-context.tsx';
import { locales } from '#app/i18n/locale.ts';

/** Posts the chosen language to /locale, which stores it in a cookie and sends the user back here. */
export function LanguageSwitch() {
  const t = useT();
  const current = useLocale();
  const location = useLocation();
  return (
    <Form method="post" action="/locale" aria-label={t('language.label')}>
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <ButtonGroup size="small" aria-label={t('language.label')}>
        {locales.map((locale) => (
          <Button
            key={locale}
            type="submit"
            name="locale"
            value={locale}
            variant={locale === current ? 'contained' : 'outlined'}
            aria-pressed={locale === current}
            aria-label={t(`language.${locale}`)}
            title={t(`language.${locale}`)}
            data-testid={`language-${locale}`}
          >
            {locale.toUpperCase()}
          </Button>
        ))}
      </ButtonGroup>
    </Form>
  );
}
