CREATE TABLE "customer_score_history" (
	"customer_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"tenant_id" uuid NOT NULL,
	"as_of" timestamp with time zone NOT NULL,
	"r" smallint,
	"f" smallint,
	"m" smallint,
	"rfm_segment" text,
	"lifecycle_state" text NOT NULL,
	"clv1y_minor" bigint,
	"p_alive" real,
	"churn_risk" real,
	"expected90" real,
	CONSTRAINT "customer_score_history_customer_id_run_id_pk" PRIMARY KEY("customer_id","run_id")
);
--> statement-breakpoint
CREATE TABLE "customer_scores" (
	"customer_id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"as_of" timestamp with time zone NOT NULL,
	"orders" integer NOT NULL,
	"orders365" integer NOT NULL,
	"revenue_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"first_order_at" timestamp with time zone,
	"last_order_at" timestamp with time zone,
	"r" smallint,
	"f" smallint,
	"m" smallint,
	"rfm_segment" text,
	"lifecycle_state" text NOT NULL,
	"lifecycle_reason" text NOT NULL,
	"lifecycle_since" timestamp with time zone NOT NULL,
	"clv1y_minor" bigint,
	"clv3y_minor" bigint,
	"clv5y_minor" bigint,
	"expected30" double precision,
	"expected90" double precision,
	"expected365" double precision,
	"p_alive" double precision,
	"churn_risk" double precision,
	"churn_episode_open" boolean DEFAULT false NOT NULL,
	"propensity" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"recommendations" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"next_best_action" jsonb,
	"scored_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "product_neighbours" (
	"tenant_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"neighbour_id" uuid NOT NULL,
	"count" integer NOT NULL,
	"support" double precision NOT NULL,
	"confidence" double precision NOT NULL,
	"lift" double precision NOT NULL,
	"cosine" double precision NOT NULL,
	"rank" smallint NOT NULL,
	"run_id" uuid NOT NULL,
	CONSTRAINT "product_neighbours_tenant_id_product_id_neighbour_id_pk" PRIMARY KEY("tenant_id","product_id","neighbour_id")
);
--> statement-breakpoint
CREATE TABLE "score_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"run_id" uuid,
	"type" text NOT NULL,
	"subject" text DEFAULT '' NOT NULL,
	"from_state" text,
	"to_state" text,
	"reason" text,
	"at" timestamp with time zone NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scoring_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"trigger" text NOT NULL,
	"workflow_id" text NOT NULL,
	"workflow_run_id" text,
	"as_of" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"parameters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"diagnostics" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"steps" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"error" text
);
--> statement-breakpoint
CREATE UNLOGGED TABLE "scoring_work" (
	"run_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"tenant_id" uuid NOT NULL,
	"orders" integer NOT NULL,
	"orders365" integer NOT NULL,
	"revenue_minor" bigint NOT NULL,
	"window_orders" integer NOT NULL,
	"window_revenue_minor" bigint NOT NULL,
	"first_order_at" timestamp with time zone,
	"last_order_at" timestamp with time zone,
	"first_day" date,
	"last_day" date,
	"x" integer NOT NULL,
	"tx_days" integer NOT NULL,
	"t_days" integer NOT NULL,
	"mbar_minor" double precision NOT NULL,
	"last_gap_days" integer,
	"reactivation_day" date,
	"r" smallint,
	"f" smallint,
	"m" smallint,
	CONSTRAINT "scoring_work_run_id_customer_id_pk" PRIMARY KEY("run_id","customer_id")
);
--> statement-breakpoint
ALTER TABLE "customer_score_history" ADD CONSTRAINT "customer_score_history_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_score_history" ADD CONSTRAINT "customer_score_history_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_scores" ADD CONSTRAINT "customer_scores_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_scores" ADD CONSTRAINT "customer_scores_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_neighbours" ADD CONSTRAINT "product_neighbours_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_neighbours" ADD CONSTRAINT "product_neighbours_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_neighbours" ADD CONSTRAINT "product_neighbours_neighbour_id_products_id_fk" FOREIGN KEY ("neighbour_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_events" ADD CONSTRAINT "score_events_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_events" ADD CONSTRAINT "score_events_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scoring_runs" ADD CONSTRAINT "scoring_runs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scoring_work" ADD CONSTRAINT "scoring_work_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customer_score_history_tenant_run_idx" ON "customer_score_history" USING btree ("tenant_id","run_id");--> statement-breakpoint
CREATE INDEX "customer_scores_tenant_segment_idx" ON "customer_scores" USING btree ("tenant_id","rfm_segment");--> statement-breakpoint
CREATE INDEX "customer_scores_tenant_lifecycle_idx" ON "customer_scores" USING btree ("tenant_id","lifecycle_state");--> statement-breakpoint
CREATE INDEX "score_events_tenant_id_idx" ON "score_events" USING btree ("tenant_id","id");--> statement-breakpoint
CREATE INDEX "score_events_tenant_customer_idx" ON "score_events" USING btree ("tenant_id","customer_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "score_events_once_uq" ON "score_events" USING btree ("tenant_id","run_id","customer_id","type","subject") WHERE "score_events"."run_id" is not null;--> statement-breakpoint
CREATE INDEX "scoring_runs_tenant_started_idx" ON "scoring_runs" USING btree ("tenant_id","started_at" DESC NULLS LAST);