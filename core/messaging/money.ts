// Money for people: integer minor units + ISO currency → a string in the tenant's locale (es-AR style for ARS).

const LOCALE_BY_COUNTRY: Record<string, string> = {
  AR: 'es-AR', UY: 'es-UY', CL: 'es-CL', MX: 'es-MX', CO: 'es-CO', PE: 'es-PE', ES: 'es-ES', BR: 'pt-BR', US: 'en-US', GB: 'en-GB',
};

/** The locale used to format a tenant's numbers: its country's, or es-AR for pesos, else en-US. */
export function tenantLocale(country: string | null | undefined, currency: string): string {
  return LOCALE_BY_COUNTRY[(country ?? '').toUpperCase()] ?? (currency === 'ARS' ? 'es-AR' : 'en-US');
}

function fractionDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** `formatMoney(1234550, 'ARS', 'es-AR')` → "$ 12.345,50". Null or non-finite → ''. */
export function formatMoney(minor: number | null | undefined, currency: string, locale: string): string {
  if (minor === null || minor === undefined || !Number.isFinite(minor)) return '';
  const digits = fractionDigits(currency);
  const value = minor / 10 ** digits;
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
  } catch {
    return `${value.toFixed(digits)} ${currency}`;
  }
}
