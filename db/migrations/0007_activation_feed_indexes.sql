CREATE INDEX "customers_tenant_updated_idx" ON "customers" USING btree ("tenant_id","updated_at","id");--> statement-breakpoint
CREATE INDEX "orders_tenant_updated_idx" ON "orders" USING btree ("tenant_id","updated_at","customer_id");--> statement-breakpoint
CREATE INDEX "customer_consents_tenant_updated_idx" ON "customer_consents" USING btree ("tenant_id","updated_at","customer_id");