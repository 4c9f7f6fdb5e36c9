// The UI language (from the root loader) and the tenant's time zone (from the app layout), for components.
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { formatCalendarDate, formatDateTime, formatMoney, formatNumber, formatPercent } from './format.ts';
import { defaultLocale, type Locale } from './locale.ts';
import { translate, type MessageKey, type MessageValues } from './messages.ts';

interface I18nValue {
  locale: Locale;
  timeZone: string;
}

const I18nContext = createContext<I18nValue>({ locale: defaultLocale, timeZone: 'UTC' });

export function I18nProvider({ locale, timeZone, children }: { locale?: Locale; timeZone?: string; children: ReactNode }) {
  const parent = useContext(I18nContext);
  const value = useMemo(
    () => ({ locale: locale ?? parent.locale, timeZone: timeZone ?? parent.timeZone }),
    [locale, timeZone, parent.locale, parent.timeZone],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export const useLocale = (): Locale => useContext(I18nContext).locale;

export type Translate = (key: MessageKey, values?: MessageValues) => string;

export function useT(): Translate {
  const { locale } = useContext(I18nContext);
  return useMemo(() => (key: MessageKey, values?: MessageValues) => translate(locale, key, values), [locale]);
}

export function useFormat() {
  const options = useContext(I18nContext);
  return useMemo(
    () => ({
      dateTime: (value: string | Date) => formatDateTime(value, options),
      calendarDate: (isoDate: string) => formatCalendarDate(isoDate, options),
      money: (minor: number, currency: string) => formatMoney(minor, currency, options),
      number: (value: number) => formatNumber(value, options),
      percent: (probability: number) => formatPercent(probability, options),
      timeZone: options.timeZone,
    }),
    [options],
  );
}
