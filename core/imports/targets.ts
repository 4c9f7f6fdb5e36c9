// What a file can fill per entity: the target fields a column maps to, how their values are read, and the
// header names (Spanish and English, as ERP and spreadsheet exports write them) that suggest each one.

export const IMPORT_ENTITIES = ['customers', 'orders', 'order_items', 'products'] as const;
export type ImportEntity = (typeof IMPORT_ENTITIES)[number];
export const isImportEntity = (v: unknown): v is ImportEntity => typeof v === 'string' && (IMPORT_ENTITIES as readonly string[]).includes(v);

export const IMPORT_FORMATS = ['csv', 'jsonl'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/**
 * text: trimmed string. money: a decimal amount in major units → minor units. decimal: a number ("1,5").
 * date: a calendar date. datetime: a moment, wall times in the tenant's zone. currency: ISO 4217.
 */
export type TargetKind = 'text' | 'money' | 'decimal' | 'date' | 'datetime' | 'currency';

export interface TargetField {
  key: string;
  kind: TargetKind;
  /** Must be mapped (alternatives: one of the fields named in `oneOf` suffices). */
  required?: boolean;
  oneOf?: string[];
  /** Header names that suggest this field, compared after normalizeHeader. Earlier ones win. */
  synonyms: string[];
}

const ADDRESS_FIELDS: TargetField[] = [
  { key: 'address.street', kind: 'text', synonyms: ['direccion', 'domicilio', 'calle', 'address', 'street', 'direccion_calle', 'street_address'] },
  { key: 'address.line2', kind: 'text', synonyms: ['piso_depto', 'depto', 'departamento', 'piso', 'address2', 'address_line_2', 'line2'] },
  { key: 'address.city', kind: 'text', synonyms: ['ciudad', 'localidad', 'city', 'town', 'partido'] },
  { key: 'address.province', kind: 'text', synonyms: ['provincia', 'province', 'state', 'region'] },
  { key: 'address.postalCode', kind: 'text', synonyms: ['codigo_postal', 'cod_postal', 'cp', 'postal_code', 'zip', 'zip_code', 'postcode'] },
  { key: 'address.country', kind: 'text', synonyms: ['pais', 'country'] },
];

export const TARGETS: Record<ImportEntity, TargetField[]> = {
  customers: [
    {
      key: 'externalId',
      kind: 'text',
      required: true,
      synonyms: ['external_id', 'id_cliente', 'cliente_id', 'cod_cliente', 'codigo_cliente', 'nro_cliente', 'numero_cliente', 'customer_id', 'client_id', 'id', 'codigo', 'cod', 'cliente'],
    },
    { key: 'email', kind: 'text', synonyms: ['email', 'e_mail', 'mail', 'correo', 'correo_electronico', 'email_address'] },
    { key: 'dni', kind: 'text', synonyms: ['dni', 'documento', 'nro_documento', 'numero_documento', 'nro_doc', 'doc', 'document', 'document_number', 'national_id'] },
    { key: 'cuit', kind: 'text', synonyms: ['cuit', 'cuil', 'cuit_cuil', 'cuit_dni', 'tax_id', 'taxid'] },
    { key: 'phone', kind: 'text', synonyms: ['telefono', 'celular', 'movil', 'tel', 'telefono_celular', 'whatsapp', 'phone', 'mobile', 'phone_number', 'cell'] },
    { key: 'firstName', kind: 'text', synonyms: ['nombre', 'nombres', 'first_name', 'firstname', 'given_name', 'name'] },
    { key: 'lastName', kind: 'text', synonyms: ['apellido', 'apellidos', 'last_name', 'lastname', 'surname', 'family_name'] },
    { key: 'birthDate', kind: 'date', synonyms: ['fecha_nacimiento', 'fecha_de_nacimiento', 'nacimiento', 'f_nacimiento', 'fec_nac', 'birth_date', 'birthdate', 'birthday', 'date_of_birth', 'dob'] },
    ...ADDRESS_FIELDS,
  ],
  orders: [
    {
      key: 'externalId',
      kind: 'text',
      required: true,
      synonyms: ['external_id', 'id_pedido', 'pedido_id', 'nro_pedido', 'numero_pedido', 'pedido', 'order_id', 'order_number', 'nro_orden', 'orden', 'nro_comprobante', 'comprobante', 'nro_factura', 'factura', 'id', 'order'],
    },
    { key: 'customerExternalId', kind: 'text', synonyms: ['id_cliente', 'cliente_id', 'cod_cliente', 'codigo_cliente', 'nro_cliente', 'cliente', 'customer_id', 'customer', 'client_id'] },
    { key: 'status', kind: 'text', synonyms: ['estado', 'status', 'state', 'order_status'] },
    { key: 'currency', kind: 'currency', synonyms: ['moneda', 'currency', 'divisa'] },
    { key: 'total', kind: 'money', required: true, synonyms: ['total', 'importe_total', 'monto_total', 'total_pedido', 'importe', 'monto', 'total_amount', 'amount', 'grand_total'] },
    { key: 'subtotal', kind: 'money', synonyms: ['subtotal', 'neto', 'importe_neto', 'sub_total'] },
    { key: 'discount', kind: 'money', synonyms: ['descuento', 'descuentos', 'bonificacion', 'discount', 'discounts'] },
    { key: 'shipping', kind: 'money', synonyms: ['envio', 'costo_envio', 'flete', 'shipping', 'shipping_cost', 'freight'] },
    { key: 'tax', kind: 'money', synonyms: ['iva', 'impuestos', 'impuesto', 'tax', 'taxes', 'vat'] },
    { key: 'placedAt', kind: 'datetime', required: true, synonyms: ['fecha', 'fecha_pedido', 'fecha_compra', 'fecha_emision', 'fecha_venta', 'fecha_factura', 'placed_at', 'order_date', 'created_at', 'date'] },
  ],
  order_items: [
    {
      key: 'orderExternalId',
      kind: 'text',
      required: true,
      synonyms: ['id_pedido', 'pedido_id', 'nro_pedido', 'numero_pedido', 'pedido', 'order_id', 'order_external_id', 'order_number', 'nro_orden', 'orden', 'nro_comprobante', 'comprobante', 'nro_factura', 'factura', 'order'],
    },
    { key: 'externalProductId', kind: 'text', synonyms: ['id_producto', 'producto_id', 'cod_producto', 'codigo_producto', 'cod_articulo', 'codigo_articulo', 'articulo', 'product_id', 'external_product_id', 'item_id', 'codigo'] },
    { key: 'sku', kind: 'text', synonyms: ['sku', 'ean', 'cod_barras', 'codigo_barras', 'barcode'] },
    { key: 'name', kind: 'text', synonyms: ['descripcion', 'producto', 'nombre_producto', 'detalle', 'nombre', 'product_name', 'description', 'name', 'item', 'title'] },
    { key: 'category', kind: 'text', synonyms: ['categoria', 'rubro', 'familia', 'category'] },
    { key: 'quantity', kind: 'decimal', synonyms: ['cantidad', 'cant', 'unidades', 'quantity', 'qty', 'units'] },
    { key: 'unitPrice', kind: 'money', oneOf: ['unitPrice', 'total'], synonyms: ['precio_unitario', 'p_unitario', 'precio_unit', 'precio', 'unit_price', 'price'] },
    { key: 'total', kind: 'money', oneOf: ['unitPrice', 'total'], synonyms: ['total', 'importe', 'subtotal', 'total_linea', 'total_item', 'monto', 'line_total', 'amount'] },
  ],
  products: [
    {
      key: 'externalId',
      kind: 'text',
      oneOf: ['externalId', 'sku'],
      synonyms: ['external_id', 'id_producto', 'producto_id', 'cod_producto', 'codigo_producto', 'cod_articulo', 'codigo_articulo', 'articulo', 'product_id', 'id', 'codigo', 'cod'],
    },
    { key: 'sku', kind: 'text', oneOf: ['externalId', 'sku'], synonyms: ['sku', 'ean', 'cod_barras', 'codigo_barras', 'barcode'] },
    { key: 'name', kind: 'text', required: true, synonyms: ['nombre', 'descripcion', 'producto', 'nombre_producto', 'titulo', 'detalle', 'name', 'title', 'product_name', 'description'] },
    { key: 'category', kind: 'text', synonyms: ['categoria', 'rubro', 'familia', 'category'] },
    { key: 'brand', kind: 'text', synonyms: ['marca', 'fabricante', 'brand', 'manufacturer'] },
    { key: 'price', kind: 'money', synonyms: ['precio', 'precio_venta', 'precio_lista', 'pvp', 'price', 'list_price'] },
    { key: 'currency', kind: 'currency', synonyms: ['moneda', 'currency', 'divisa'] },
    { key: 'url', kind: 'text', synonyms: ['url', 'link', 'enlace', 'product_url'] },
    { key: 'imageUrl', kind: 'text', synonyms: ['imagen', 'url_imagen', 'foto', 'image', 'image_url', 'picture'] },
  ],
};

/** Entities whose records carry free-form attributes: map any column to `attributes.<name>`. */
export const ATTRIBUTE_ENTITIES: readonly ImportEntity[] = ['customers', 'products'];
export const ATTRIBUTE_PREFIX = 'attributes.';
const ATTRIBUTE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;

export function targetField(entity: ImportEntity, key: string): TargetField | undefined {
  const t = TARGETS[entity].find((f) => f.key === key);
  if (t) return t;
  if (ATTRIBUTE_ENTITIES.includes(entity) && key.startsWith(ATTRIBUTE_PREFIX) && ATTRIBUTE_NAME.test(key.slice(ATTRIBUTE_PREFIX.length)))
    return { key, kind: 'text', synonyms: [] };
  return undefined;
}
