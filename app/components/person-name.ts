/** "Ana Pérez", or undefined when the customer has no name yet. */
export function personName(person: { firstName: string | null; lastName: string | null }): string | undefined {
  const name = [person.firstName, person.lastName].filter((part) => part?.trim()).join(' ');
  return name || undefined;
}
