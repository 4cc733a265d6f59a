CREATE TABLE "accounts" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"external_id" text,
	"display_name" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"acts_for_discord" boolean DEFAULT false NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp (3) with time zone,
	"revoked_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "edits" (
	"id" text PRIMARY KEY NOT NULL,
	"author_id" text NOT NULL,
	"pack" text NOT NULL,
	"status" text DEFAULT 'QUEUED' NOT NULL,
	"params" jsonb NOT NULL,
	"sound_id" text,
	"prompt" text,
	"sound_class" text,
	"parent_id" text,
	"step" integer DEFAULT 0 NOT NULL,
	"total_steps" integer NOT NULL,
	"steps" jsonb,
	"metrics" jsonb,
	"source_key" text,
	"result_key" text,
	"side_by_side_key" text,
	"trajectory_key" text,
	"latent_key" text,
	"record_key" text,
	"error_code" text,
	"error_message" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"cancel_requested" boolean DEFAULT false NOT NULL,
	"lease_owner" text,
	"lease_until" timestamp (3) with time zone,
	"like_count" integer DEFAULT 0 NOT NULL,
	"remix_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp (3) with time zone,
	"finished_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "likes" (
	"account_id" text NOT NULL,
	"edit_id" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "likes_account_id_edit_id_pk" PRIMARY KEY("account_id","edit_id")
);
--> statement-breakpoint
CREATE TABLE "sounds" (
	"id" text PRIMARY KEY NOT NULL,
	"owner_id" text NOT NULL,
	"blob_key" text NOT NULL,
	"format" text NOT NULL,
	"bytes" integer NOT NULL,
	"duration_s" double precision NOT NULL,
	"sample_rate" integer NOT NULL,
	"channels" integer NOT NULL,
	"peaks" jsonb NOT NULL,
	"spectrogram_key" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "edits" ADD CONSTRAINT "edits_author_id_accounts_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "edits" ADD CONSTRAINT "edits_sound_id_sounds_id_fk" FOREIGN KEY ("sound_id") REFERENCES "public"."sounds"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "edits" ADD CONSTRAINT "edits_parent_id_edits_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."edits"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "likes" ADD CONSTRAINT "likes_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "likes" ADD CONSTRAINT "likes_edit_id_edits_id_fk" FOREIGN KEY ("edit_id") REFERENCES "public"."edits"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sounds" ADD CONSTRAINT "sounds_owner_id_accounts_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_kind_external_idx" ON "accounts" USING btree ("kind","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash_idx" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "api_tokens_account_idx" ON "api_tokens" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "edits_created_idx" ON "edits" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "edits_likes_idx" ON "edits" USING btree ("like_count" DESC NULLS LAST,"created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "edits_queue_idx" ON "edits" USING btree ("created_at","id") WHERE "edits"."status" in ('QUEUED', 'RUNNING');--> statement-breakpoint
CREATE INDEX "edits_author_idx" ON "edits" USING btree ("author_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "edits_parent_idx" ON "edits" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "edits_pack_idx" ON "edits" USING btree ("pack","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "likes_edit_idx" ON "likes" USING btree ("edit_id");--> statement-breakpoint
CREATE INDEX "sounds_owner_idx" ON "sounds" USING btree ("owner_id");