CREATE TABLE "blocking_keys" (
	"tenant_id" uuid NOT NULL,
	"key" text NOT NULL,
	"profile_id" uuid NOT NULL,
	CONSTRAINT "blocking_keys_tenant_id_key_profile_id_pk" PRIMARY KEY("tenant_id","key","profile_id")
);
--> statement-breakpoint
CREATE TABLE "customer_aliases" (
	"alias_id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"audit_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "do_not_merge" (
	"tenant_id" uuid NOT NULL,
	"profile_a" uuid NOT NULL,
	"profile_b" uuid NOT NULL,
	"reason" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "do_not_merge_tenant_id_profile_a_profile_b_pk" PRIMARY KEY("tenant_id","profile_a","profile_b")
);
--> statement-breakpoint
CREATE TABLE "identity_audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"customer_ids" uuid[] NOT NULL,
	"kind" text NOT NULL,
	"actor" text NOT NULL,
	"reason" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"undone_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "identity_keys" (
	"tenant_id" uuid NOT NULL,
	"rule" text NOT NULL,
	"value" text NOT NULL,
	"profile_id" uuid NOT NULL,
	CONSTRAINT "identity_keys_tenant_id_rule_value_profile_id_pk" PRIMARY KEY("tenant_id","rule","value","profile_id")
);
--> statement-breakpoint
CREATE TABLE "identity_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"profile_a" uuid NOT NULL,
	"profile_b" uuid NOT NULL,
	"probability" double precision NOT NULL,
	"weight" double precision NOT NULL,
	"levels" jsonb NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"decided_by" text,
	"decision_reason" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "identity_reviews_pair_uq" UNIQUE("tenant_id","profile_a","profile_b")
);
--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "settings" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "source_profiles" ADD COLUMN "normalized" jsonb;--> statement-breakpoint
ALTER TABLE "customer_aliases" ADD CONSTRAINT "customer_aliases_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_aliases" ADD CONSTRAINT "customer_aliases_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "do_not_merge" ADD CONSTRAINT "do_not_merge_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "do_not_merge" ADD CONSTRAINT "do_not_merge_profile_a_source_profiles_id_fk" FOREIGN KEY ("profile_a") REFERENCES "public"."source_profiles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "do_not_merge" ADD CONSTRAINT "do_not_merge_profile_b_source_profiles_id_fk" FOREIGN KEY ("profile_b") REFERENCES "public"."source_profiles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity_audit" ADD CONSTRAINT "identity_audit_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity_reviews" ADD CONSTRAINT "identity_reviews_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity_reviews" ADD CONSTRAINT "identity_reviews_profile_a_source_profiles_id_fk" FOREIGN KEY ("profile_a") REFERENCES "public"."source_profiles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity_reviews" ADD CONSTRAINT "identity_reviews_profile_b_source_profiles_id_fk" FOREIGN KEY ("profile_b") REFERENCES "public"."source_profiles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "blocking_keys_profile_idx" ON "blocking_keys" USING btree ("profile_id");--> statement-breakpoint
CREATE INDEX "customer_aliases_customer_idx" ON "customer_aliases" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE INDEX "do_not_merge_b_idx" ON "do_not_merge" USING btree ("tenant_id","profile_b");--> statement-breakpoint
CREATE INDEX "identity_audit_customers_idx" ON "identity_audit" USING gin ("customer_ids");--> statement-breakpoint
CREATE INDEX "identity_audit_tenant_idx" ON "identity_audit" USING btree ("tenant_id","id");--> statement-breakpoint
CREATE INDEX "identity_keys_profile_idx" ON "identity_keys" USING btree ("profile_id");--> statement-breakpoint
CREATE INDEX "identity_reviews_open_idx" ON "identity_reviews" USING btree ("tenant_id","probability") WHERE "identity_reviews"."status" = 'open';--> statement-breakpoint
CREATE INDEX "source_profiles_tenant_phone_idx" ON "source_profiles" USING btree ("tenant_id",("normalized"->>'phone'));