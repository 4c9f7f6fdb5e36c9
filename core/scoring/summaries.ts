// Transactions → (x, tx, T, mbar) per customer, exactly as lifetimes' summary_data_from_transaction_data (§1.1).

export interface Transaction {
  customerId: string;
  date: string /* YYYY-MM-DD */;
  amount: number;
}

export function summarize(
  _tx: readonly Transaction[],
  _o: { observationEnd: string; unitDays: number },
): Map<string, { x: number; tx: number; T: number; mbar: number }> {
  throw new Error('not implemented');
}
