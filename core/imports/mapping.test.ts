import { describe, expect, it } from 'vitest';
import { checkMapping, effectiveMapping, normalizeHeader, suggestMapping } from './mapping.ts';

describe('header names', () => {
  it.each([
    ['Teléfono Celular', 'telefono_celular'],
    ['E-mail', 'e_mail'],
    ['  Fecha de Nacimiento ', 'fecha_de_nacimiento'],
    ['N° Cliente', 'nro_cliente'],
    ['Nro. Pedido', 'nro_pedido'],
    ['DNI', 'dni'],
  ])('%j → %j', (input, normalized) => {
    expect(normalizeHeader(input)).toBe(normalized);
  });
});

describe('suggested mappings', () => {
  it('maps an Argentine customer export (Spanish headers, accents, case)', () => {
    expect(suggestMapping('customers', ['Código', 'Nombre', 'Apellido', 'DNI', 'CUIT', 'Email', 'Teléfono', 'Fecha_Nacimiento', 'Localidad', 'Provincia', 'CP', 'Observaciones'])).toEqual({
      externalId: 'Código',
      email: 'Email',
      dni: 'DNI',
      cuit: 'CUIT',
      phone: 'Teléfono',
      firstName: 'Nombre',
      lastName: 'Apellido',
      birthDate: 'Fecha_Nacimiento',
      'address.city': 'Localidad',
      'address.province': 'Provincia',
      'address.postalCode': 'CP',
    });
  });

  it('maps English headers and "celular" as the phone', () => {
    expect(suggestMapping('customers', ['customer_id', 'first_name', 'last_name', 'celular', 'mail'])).toEqual({
      externalId: 'customer_id',
      email: 'mail',
      phone: 'celular',
      firstName: 'first_name',
      lastName: 'last_name',
    });
  });

  it('tells the order id from the customer id in an order export', () => {
    expect(suggestMapping('orders', ['Nro Pedido', 'Fecha', 'ID Cliente', 'Estado', 'Total', 'Moneda'])).toEqual({
      externalId: 'Nro Pedido',
      customerExternalId: 'ID Cliente',
      status: 'Estado',
      currency: 'Moneda',
      total: 'Total',
      placedAt: 'Fecha',
    });
  });

  it('maps order lines and products', () => {
    expect(suggestMapping('order_items', ['pedido', 'sku', 'descripcion', 'cantidad', 'precio', 'total'])).toEqual({
      orderExternalId: 'pedido',
      sku: 'sku',
      name: 'descripcion',
      quantity: 'cantidad',
      unitPrice: 'precio',
      total: 'total',
    });
    expect(suggestMapping('products', ['SKU', 'Descripción', 'Rubro', 'Marca', 'Precio'])).toEqual({
      sku: 'SKU',
      name: 'Descripción',
      category: 'Rubro',
      brand: 'Marca',
      price: 'Precio',
    });
  });

  it('uses a column once, and prefixed names when nothing matches exactly', () => {
    expect(suggestMapping('customers', ['id', 'telefono_particular', 'cliente_email'])).toEqual({ externalId: 'id', email: 'cliente_email', phone: 'telefono_particular' });
  });
});

describe('mapping checks', () => {
  const columns = ['codigo', 'correo', 'dup', 'dup'];
  it('accepts a complete mapping', () => {
    expect(checkMapping('customers', { externalId: 'codigo', email: 'correo', 'attributes.segmento': 'correo' }, columns)).toEqual([]);
  });
  it('names missing columns, unknown fields, duplicated columns and unmapped required fields', () => {
    expect(checkMapping('customers', { email: 'Correo', shoeSize: 'codigo', phone: 'dup' }, columns)).toEqual([
      { target: 'email', message: expect.stringContaining('column "Correo" is not in the file') },
      { target: 'shoeSize', message: expect.stringContaining('is not a field of customers') },
      { target: 'phone', message: expect.stringContaining('appears more than once') },
      { target: 'externalId', message: '"externalId" is required: map a column to it' },
    ]);
    expect(checkMapping('order_items', { orderExternalId: 'codigo' }, columns)).toEqual([{ target: 'unitPrice', message: 'map a column to "unitPrice" or "total"' }]);
    expect(checkMapping('products', { name: 'codigo' }, columns)).toEqual([{ target: 'externalId', message: 'map a column to "externalId" or "sku"' }]);
    expect(checkMapping('orders', { 'attributes.x': 'codigo' }, columns)[0]).toMatchObject({ target: 'attributes.x' });
  });
});

describe('effective mapping', () => {
  it('reuses the saved mapping where its columns exist, and suggests the rest', () => {
    const saved = { externalId: 'Nro', email: 'Correo viejo', phone: 'Cel' };
    expect(effectiveMapping('customers', ['Nro', 'Email', 'Cel', 'Nombre'], saved)).toEqual({ externalId: 'Nro', phone: 'Cel', email: 'Email', firstName: 'Nombre' });
  });
});
