// Deterministic match keys from a normalized identity. Pure.
import type { MatchKey, MatchRule, NormalizedIdentity } from './types.ts';

/** Order of match keys: by rule, then by value, by UTF-16 code units (locale-independent). */
export function compareMatchKeys(a: MatchKey, b: MatchKey): number {
  if (a.rule !== b.rule) return a.rule < b.rule ? -1 : 1;
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  return 0;
}

/**
 * The keys a profile contributes under the enabled rules; profiles sharing a key belong to the same person.
 * - `document`: `dni:<digits>` per DNI (including the DNI embedded in a person's CUIT/CUIL, so a DNI-only profile and a
 *   CUIT profile of the same person share it) and `cuit:<11 digits>` per CUIT/CUIL.
 * - `email`: `email:<address>` (relay addresses never reach `NormalizedIdentity.email`).
 * - `phone_last_name`: `phone:<e164>|<folded last name>`, only for a mobile number and a known last name
 *   (a landline is shared by a household, and often by relatives with the same last name).
 * Sorted (compareMatchKeys), without duplicates; rules not listed produce nothing.
 */
export function matchKeys(n: NormalizedIdentity, rules: readonly MatchRule[]): MatchKey[] {
  const on = new Set(rules);
  const keys = new Map<string, MatchKey>();
  const add = (rule: MatchRule, value: string) => keys.set(`${rule}\u0000${value}`, { rule, value });

  if (on.has('document')) {
    for (const dni of n.dnis) if (dni) add('document', `dni:${dni}`);
    for (const cuit of n.cuits) if (cuit) add('document', `cuit:${cuit}`);
  }
  if (on.has('email') && n.email) add('email', `email:${n.email}`);
  if (on.has('phone_last_name') && n.phone && n.phoneIsMobile && n.lastName) {
    add('phone_last_name', `phone:${n.phone}|${n.lastName}`);
  }
  return [...keys.values()].sort(compareMatchKeys);
}
