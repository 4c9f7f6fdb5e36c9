CREATE TABLE "import_lines" (
	"tenant_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"group_key" text,
	"bytes" integer NOT NULL,
	"content" text,
	"error" text,
	CONSTRAINT "import_lines_import_id_line_no_pk" PRIMARY KEY("import_id","line_no")
);
--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "options" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "columns" jsonb;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "total_rows" integer;--> statement-breakpoint
CREATE INDEX "import_lines_group_idx" ON "import_lines" USING btree ("import_id","group_key","line_no") WHERE "import_lines"."group_key" is not null;