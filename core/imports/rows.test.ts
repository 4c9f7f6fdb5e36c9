import { describe, expect, it } from 'vitest';
import { rowReader, type RowOptions } from './rows.ts';

const opts: RowOptions = { currency: 'ARS', decimal: 'comma', timeZone: 'America/Argentina/Buenos_Aires' };

describe('customer rows', () => {
  const columns = ['codigo', 'nombre', 'apellido', 'dni', 'email', 'tel', 'nacimiento', 'ciudad', 'segmento'];
  const reader = rowReader({
    entity: 'customers',
    format: 'csv',
    columns,
    options: opts,
    mapping: { externalId: 'codigo', firstName: 'nombre', lastName: 'apellido', dni: 'dni', email: 'email', phone: 'tel', birthDate: 'nacimiento', 'address.city': 'ciudad', 'attributes.segment': 'segmento' },
  });

  it('builds a profile record from Argentine values', () => {
    expect(reader.fromFields(['C-1', ' Ana ', 'Pérez', '30.123.456', 'ANA@Example.com', '11 5555-1234', '31/12/1985', 'Rosario', 'gold'])).toEqual({
      ok: true,
      record: {
        externalId: 'C-1',
        firstName: 'Ana',
        lastName: 'Pérez',
        dni: '30.123.456',
        email: 'ana@example.com',
        phone: '11 5555-1234',
        birthDate: '1985-12-31',
        address: { city: 'Rosario' },
        attributes: { segment: 'gold' },
      },
    });
  });

  it('leaves empty cells out', () => {
    expect(reader.fromFields(['C-2', '', '', '', '', '', '', '', ''])).toEqual({ ok: true, record: { externalId: 'C-2' } });
  });

  it.each([
    [['', 'Ana', '', '', '', '', '', '', ''], 'externalId (column "codigo"): required, but empty'],
    [['C-3', '', '', '', 'not-an-email', '', '', '', ''], 'email (column "email"): Invalid email address'],
    [['C-4', '', '', '', '', '', '31/02/1990', '', ''], 'birthDate (column "nacimiento"): "31/02/1990" is not a valid date'],
    [['C-5', 'x'], 'has 2 fields; the header has 9'],
  ])('rejects %j with a reason naming the field and column', (fields, reason) => {
    const r = reader.fromFields(fields);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain(reason);
  });
});

describe('order rows', () => {
  const reader = rowReader({
    entity: 'orders',
    format: 'jsonl',
    columns: [],
    options: opts,
    mapping: { externalId: 'id', customerExternalId: 'cliente', total: 'total', discount: 'desc', placedAt: 'fecha', currency: 'moneda' },
  });

  it('reads money with a decimal comma and dates in the tenant zone; status and currency default', () => {
    expect(reader.fromJsonText('{"id": 1001, "cliente": "C-1", "total": "12.345,60", "desc": 500.5, "fecha": "05/03/2024 10:00"}')).toEqual({
      ok: true,
      record: { externalId: '1001', customerExternalId: 'C-1', status: 'completed', currency: 'ARS', totalMinor: 1234560, discountMinor: 50050, placedAt: '2024-03-05T13:00:00.000Z' },
    });
  });

  it('reports bad JSON, bad amounts and missing required values', () => {
    const reason = (text: string) => {
      const r = reader.fromJsonText(text);
      return r.ok ? 'ok' : r.reason;
    };
    expect(reason('{"id": 1')).toContain('not valid JSON');
    expect(reason('[1,2]')).toBe('not a JSON object');
    expect(reason('{"id":"1","total":"12.5","fecha":"2024-01-01"}')).toContain('total (column "total"): "12.5" is ambiguous');
    expect(reason('{"id":"1","fecha":"2024-01-01"}')).toBe('total (column "total"): required, but empty');
    expect(reason('{"id":"1","total":"1","fecha":"2024-01-01","moneda":"pesitos"}')).toContain('currency (column "moneda")');
  });

  it('reads staged content the same as the original', () => {
    const line = '{"id":"7","total":"1,00","fecha":"2024-01-01"}';
    expect(reader.fromStaged(line)).toEqual(reader.fromJsonText(line));
  });
});

describe('order item rows', () => {
  const reader = rowReader({
    entity: 'order_items',
    format: 'csv',
    columns: ['pedido', 'sku', 'cant', 'precio', 'total'],
    options: opts,
    mapping: { orderExternalId: 'pedido', sku: 'sku', quantity: 'cant', unitPrice: 'precio', total: 'total' },
  });

  it('computes the line total from the unit price, or the unit price from the total', () => {
    expect(reader.fromFields(['P-1', 'SKU-1', '3', '1.000,50', ''])).toEqual({
      ok: true,
      record: { orderExternalId: 'P-1', item: { sku: 'SKU-1', quantity: 3, unitPriceMinor: 100050, totalMinor: 300150 } },
    });
    expect(reader.fromFields(['P-1', 'SKU-2', '', '', '99,90'])).toEqual({
      ok: true,
      record: { orderExternalId: 'P-1', item: { sku: 'SKU-2', quantity: 1, unitPriceMinor: 9990, totalMinor: 9990 } },
    });
    expect(reader.fromStaged(JSON.stringify(['P-2', 'S', '1,5', '10,00', '']))).toMatchObject({ ok: true, record: { item: { quantity: 1.5, totalMinor: 1500 } } });
  });

  it('rejects a line without order id or without any price', () => {
    expect(reader.fromFields(['', 'S', '1', '1', ''])).toEqual({ ok: false, reason: 'orderExternalId (column "pedido"): required, but empty' });
    expect(reader.fromFields(['P', 'S', '1', '', ''])).toMatchObject({ ok: false, reason: expect.stringContaining('unitPrice') });
    expect(reader.fromFields(['P', 'S', '-2', '1', ''])).toMatchObject({ ok: false, reason: expect.stringContaining('quantity') });
  });
});

describe('product rows', () => {
  it('uses the SKU as external id when there is none, and the default currency for prices', () => {
    const reader = rowReader({ entity: 'products', format: 'csv', columns: ['sku', 'nombre', 'precio'], options: opts, mapping: { sku: 'sku', name: 'nombre', price: 'precio' } });
    expect(reader.fromFields(['A-1', 'Mate', '4.500'])).toEqual({ ok: true, record: { externalId: 'A-1', sku: 'A-1', name: 'Mate', priceMinor: 450000, currency: 'ARS' } });
    expect(reader.fromFields(['A-2', '', ''])).toEqual({ ok: false, reason: 'name (column "nombre"): required, but empty' });
  });
});
