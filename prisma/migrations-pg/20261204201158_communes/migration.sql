-- Hand-edited after generation (src/db/migrate.ts): a database made before communes existed becomes commune 1
-- ("mac-dinh", named after its CommuneProfile) using catalog 1, and every existing row of every commune-owned table
-- is moved into it (communeId = 1, procedures catalogId = 1). A new, empty database gets no commune here: the
-- service creates its first one at start (src/app/communes.ts). Tables that stay installation-wide: StaffSession
-- (follows its user), LoginAttempt (sign-in throttling by name and address must count across communes).
-- DropIndex
DROP INDEX "AuditLog_at_idx";

-- DropIndex
DROP INDEX "AuditLog_entity_entityId_idx";

-- DropIndex
DROP INDEX "CatalogChange_day_id_idx";

-- DropIndex
DROP INDEX "Procedure_code_key";

-- DropIndex
DROP INDEX "Procedure_field_idx";

-- DropIndex
DROP INDEX "Hotline_key_key";

-- DropIndex
DROP INDEX "Conversation_state_updatedAt_idx";

-- DropIndex
DROP INDEX "Conversation_channel_address_key";

-- DropIndex
DROP INDEX "InboundMessage_receivedAt_idx";

-- DropIndex
DROP INDEX "InboundMessage_channel_platformMessageId_key";

-- DropIndex
DROP INDEX "UnansweredQuestion_status_createdAt_idx";

-- DropIndex
DROP INDEX "FeedbackItem_code_key";

-- DropIndex
DROP INDEX "FeedbackItem_state_dueAt_idx";

-- DropIndex
DROP INDEX "FeedbackItem_receivedAt_idx";

-- DropIndex
DROP INDEX "FeedbackItem_channel_platformMessageId_key";

-- DropIndex
DROP INDEX "SatisfactionRating_ratedAt_idx";

-- DropIndex
DROP INDEX "SatisfactionRating_channel_platformMessageId_key";

-- DropIndex
DROP INDEX "OutboundMessage_sentAt_idx";

-- DropIndex
DROP INDEX "RejectedEvent_receivedAt_idx";

-- DropIndex
DROP INDEX "Post_slug_key";

-- DropIndex
DROP INDEX "Post_topic_archived_idx";

-- DropIndex
DROP INDEX "ScheduledPost_channel_state_publishedAt_idx";

-- DropIndex
DROP INDEX "PostPlan_name_key";

-- DropIndex
DROP INDEX "ManualOutreach_date_idx";

-- AlterTable
ALTER TABLE "StaffUser" ADD COLUMN     "communeId" INTEGER;
UPDATE "StaffUser" SET "communeId" = 1;

-- AlterTable
ALTER TABLE "AuditLog" ADD COLUMN     "communeId" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "CatalogChange" ADD COLUMN     "communeId" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "Procedure" ADD COLUMN     "catalogId" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
DELETE FROM "CommuneProfile" WHERE "id" <> (SELECT MIN("id") FROM "CommuneProfile");
ALTER TABLE "CommuneProfile" DROP CONSTRAINT "CommuneProfile_pkey",
DROP COLUMN "id",
ADD COLUMN     "communeId" INTEGER NOT NULL DEFAULT 1,
ADD CONSTRAINT "CommuneProfile_pkey" PRIMARY KEY ("communeId");

-- AlterTable
ALTER TABLE "Hotline" ADD COLUMN     "communeId" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "communeId" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "ConversationNote" ADD COLUMN     "communeId" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "InboundMessage" ADD COLUMN     "communeId" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "UnansweredQuestion" ADD COLUMN     "communeId" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "FeedbackItem" ADD COLUMN     "communeId" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "FeedbackEvent" ADD COLUMN     "communeId" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "FeedbackCounter" DROP CONSTRAINT "FeedbackCounter_pkey",
ADD COLUMN     "communeId" INTEGER NOT NULL DEFAULT 1,
ADD CONSTRAINT "FeedbackCounter_pkey" PRIMARY KEY ("communeId", "year");

-- AlterTable
ALTER TABLE "SatisfactionRating" ADD COLUMN     "communeId" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "OutboundMessage" ADD COLUMN     "communeId" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "ChannelState" DROP CONSTRAINT "ChannelState_pkey",
ADD COLUMN     "communeId" INTEGER NOT NULL DEFAULT 1,
ADD CONSTRAINT "ChannelState_pkey" PRIMARY KEY ("communeId", "channel");

-- AlterTable
ALTER TABLE "ChannelToken" DROP CONSTRAINT "ChannelToken_pkey",
ADD COLUMN     "communeId" INTEGER NOT NULL DEFAULT 1,
ADD CONSTRAINT "ChannelToken_pkey" PRIMARY KEY ("communeId", "channel");

-- AlterTable
ALTER TABLE "RejectedEvent" ADD COLUMN     "communeId" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "Post" ADD COLUMN     "communeId" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "ScheduledPost" ADD COLUMN     "communeId" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "PostPlan" ADD COLUMN     "communeId" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "DailyTally" DROP CONSTRAINT "DailyTally_pkey",
ADD COLUMN     "communeId" INTEGER NOT NULL DEFAULT 1,
ADD CONSTRAINT "DailyTally_pkey" PRIMARY KEY ("communeId", "day", "metric", "channel", "key");

-- AlterTable
ALTER TABLE "CitizenActivity" DROP CONSTRAINT "CitizenActivity_pkey",
ADD COLUMN     "communeId" INTEGER NOT NULL DEFAULT 1,
ADD CONSTRAINT "CitizenActivity_pkey" PRIMARY KEY ("communeId", "bucket", "citizenRef");

-- AlterTable
ALTER TABLE "ManualOutreach" ADD COLUMN     "communeId" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "Commune" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "catalogId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Commune_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcedureCatalog" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProcedureCatalog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcedureOverride" (
    "id" SERIAL NOT NULL,
    "communeId" INTEGER NOT NULL,
    "procedureId" INTEGER NOT NULL,
    "submitAt" TEXT,
    "processingTime" TEXT,
    "fees" TEXT,
    "onlineUrl" TEXT,
    "audience" TEXT,
    "extraAliases" JSONB,
    "extraSituations" JSONB,
    "inactive" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProcedureOverride_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChannelAccount" (
    "id" SERIAL NOT NULL,
    "communeId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "settings" JSONB NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChannelAccount_pkey" PRIMARY KEY ("id")
);

-- Backfill: the existing single commune and its procedure set (only when the database holds anything).
INSERT INTO "ProcedureCatalog" ("id", "slug", "name")
SELECT 1, 'mac-dinh', 'Danh mục thủ tục hành chính' WHERE EXISTS (SELECT 1 FROM "CommuneProfile") OR EXISTS (SELECT 1 FROM "Procedure") OR EXISTS (SELECT 1 FROM "StaffUser") OR EXISTS (SELECT 1 FROM "StaffSession") OR EXISTS (SELECT 1 FROM "Hotline") OR EXISTS (SELECT 1 FROM "Conversation") OR EXISTS (SELECT 1 FROM "ConversationNote") OR EXISTS (SELECT 1 FROM "InboundMessage") OR EXISTS (SELECT 1 FROM "UnansweredQuestion") OR EXISTS (SELECT 1 FROM "OutboundMessage") OR EXISTS (SELECT 1 FROM "ChannelState") OR EXISTS (SELECT 1 FROM "ChannelToken") OR EXISTS (SELECT 1 FROM "RejectedEvent") OR EXISTS (SELECT 1 FROM "Post") OR EXISTS (SELECT 1 FROM "ScheduledPost") OR EXISTS (SELECT 1 FROM "PostPlan") OR EXISTS (SELECT 1 FROM "DailyTally") OR EXISTS (SELECT 1 FROM "CitizenActivity") OR EXISTS (SELECT 1 FROM "ManualOutreach") OR EXISTS (SELECT 1 FROM "AuditLog") OR EXISTS (SELECT 1 FROM "FeedbackItem") OR EXISTS (SELECT 1 FROM "FeedbackEvent") OR EXISTS (SELECT 1 FROM "FeedbackCounter") OR EXISTS (SELECT 1 FROM "SatisfactionRating") OR EXISTS (SELECT 1 FROM "CatalogChange") OR EXISTS (SELECT 1 FROM "LoginAttempt");
INSERT INTO "Commune" ("id", "slug", "name", "catalogId", "updatedAt")
SELECT 1, 'mac-dinh', COALESCE((SELECT "name" FROM "CommuneProfile" ORDER BY "communeId" LIMIT 1), 'Xã (chưa đặt tên)'), 1, CURRENT_TIMESTAMP
WHERE EXISTS (SELECT 1 FROM "ProcedureCatalog" WHERE "id" = 1);
SELECT setval(pg_get_serial_sequence('"ProcedureCatalog"', 'id'), COALESCE(MAX("id"), 0) + 1, false) FROM "ProcedureCatalog";
SELECT setval(pg_get_serial_sequence('"Commune"', 'id'), COALESCE(MAX("id"), 0) + 1, false) FROM "Commune";

-- The backfill defaults go: new rows always name their commune.
ALTER TABLE "AuditLog" ALTER COLUMN "communeId" DROP DEFAULT;
ALTER TABLE "CatalogChange" ALTER COLUMN "communeId" DROP DEFAULT;
ALTER TABLE "Procedure" ALTER COLUMN "catalogId" DROP DEFAULT;
ALTER TABLE "CommuneProfile" ALTER COLUMN "communeId" DROP DEFAULT;
ALTER TABLE "Hotline" ALTER COLUMN "communeId" DROP DEFAULT;
ALTER TABLE "Conversation" ALTER COLUMN "communeId" DROP DEFAULT;
ALTER TABLE "ConversationNote" ALTER COLUMN "communeId" DROP DEFAULT;
ALTER TABLE "InboundMessage" ALTER COLUMN "communeId" DROP DEFAULT;
ALTER TABLE "UnansweredQuestion" ALTER COLUMN "communeId" DROP DEFAULT;
ALTER TABLE "FeedbackItem" ALTER COLUMN "communeId" DROP DEFAULT;
ALTER TABLE "FeedbackEvent" ALTER COLUMN "communeId" DROP DEFAULT;
ALTER TABLE "FeedbackCounter" ALTER COLUMN "communeId" DROP DEFAULT;
ALTER TABLE "SatisfactionRating" ALTER COLUMN "communeId" DROP DEFAULT;
ALTER TABLE "OutboundMessage" ALTER COLUMN "communeId" DROP DEFAULT;
ALTER TABLE "ChannelState" ALTER COLUMN "communeId" DROP DEFAULT;
ALTER TABLE "ChannelToken" ALTER COLUMN "communeId" DROP DEFAULT;
ALTER TABLE "RejectedEvent" ALTER COLUMN "communeId" DROP DEFAULT;
ALTER TABLE "Post" ALTER COLUMN "communeId" DROP DEFAULT;
ALTER TABLE "ScheduledPost" ALTER COLUMN "communeId" DROP DEFAULT;
ALTER TABLE "PostPlan" ALTER COLUMN "communeId" DROP DEFAULT;
ALTER TABLE "DailyTally" ALTER COLUMN "communeId" DROP DEFAULT;
ALTER TABLE "CitizenActivity" ALTER COLUMN "communeId" DROP DEFAULT;
ALTER TABLE "ManualOutreach" ALTER COLUMN "communeId" DROP DEFAULT;

-- CreateIndex
CREATE UNIQUE INDEX "Commune_slug_key" ON "Commune"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "ProcedureCatalog_slug_key" ON "ProcedureCatalog"("slug");

-- CreateIndex
CREATE INDEX "ProcedureOverride_procedureId_idx" ON "ProcedureOverride"("procedureId");

-- CreateIndex
CREATE UNIQUE INDEX "ProcedureOverride_communeId_procedureId_key" ON "ProcedureOverride"("communeId", "procedureId");

-- CreateIndex
CREATE UNIQUE INDEX "ChannelAccount_channel_externalId_key" ON "ChannelAccount"("channel", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "ChannelAccount_communeId_channel_key" ON "ChannelAccount"("communeId", "channel");

-- CreateIndex
CREATE INDEX "StaffUser_communeId_idx" ON "StaffUser"("communeId");

-- CreateIndex
CREATE INDEX "AuditLog_communeId_at_idx" ON "AuditLog"("communeId", "at");

-- CreateIndex
CREATE INDEX "AuditLog_communeId_entity_entityId_idx" ON "AuditLog"("communeId", "entity", "entityId");

-- CreateIndex
CREATE INDEX "CatalogChange_communeId_day_id_idx" ON "CatalogChange"("communeId", "day", "id");

-- CreateIndex
CREATE INDEX "Procedure_catalogId_field_idx" ON "Procedure"("catalogId", "field");

-- CreateIndex
CREATE UNIQUE INDEX "Procedure_catalogId_code_key" ON "Procedure"("catalogId", "code");

-- CreateIndex
CREATE UNIQUE INDEX "Hotline_communeId_key_key" ON "Hotline"("communeId", "key");

-- CreateIndex
CREATE INDEX "Conversation_communeId_state_updatedAt_idx" ON "Conversation"("communeId", "state", "updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Conversation_communeId_channel_address_key" ON "Conversation"("communeId", "channel", "address");

-- CreateIndex
CREATE INDEX "ConversationNote_communeId_idx" ON "ConversationNote"("communeId");

-- CreateIndex
CREATE INDEX "InboundMessage_communeId_receivedAt_idx" ON "InboundMessage"("communeId", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "InboundMessage_communeId_channel_platformMessageId_key" ON "InboundMessage"("communeId", "channel", "platformMessageId");

-- CreateIndex
CREATE INDEX "UnansweredQuestion_communeId_status_createdAt_idx" ON "UnansweredQuestion"("communeId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "FeedbackItem_communeId_state_dueAt_idx" ON "FeedbackItem"("communeId", "state", "dueAt");

-- CreateIndex
CREATE INDEX "FeedbackItem_communeId_receivedAt_idx" ON "FeedbackItem"("communeId", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "FeedbackItem_communeId_code_key" ON "FeedbackItem"("communeId", "code");

-- CreateIndex
CREATE UNIQUE INDEX "FeedbackItem_communeId_channel_platformMessageId_key" ON "FeedbackItem"("communeId", "channel", "platformMessageId");

-- CreateIndex
CREATE INDEX "FeedbackEvent_communeId_idx" ON "FeedbackEvent"("communeId");

-- CreateIndex
CREATE INDEX "SatisfactionRating_communeId_ratedAt_idx" ON "SatisfactionRating"("communeId", "ratedAt");

-- CreateIndex
CREATE UNIQUE INDEX "SatisfactionRating_communeId_channel_platformMessageId_key" ON "SatisfactionRating"("communeId", "channel", "platformMessageId");

-- CreateIndex
CREATE INDEX "OutboundMessage_communeId_sentAt_idx" ON "OutboundMessage"("communeId", "sentAt");

-- CreateIndex
CREATE INDEX "RejectedEvent_communeId_receivedAt_idx" ON "RejectedEvent"("communeId", "receivedAt");

-- CreateIndex
CREATE INDEX "Post_communeId_topic_archived_idx" ON "Post"("communeId", "topic", "archived");

-- CreateIndex
CREATE UNIQUE INDEX "Post_communeId_slug_key" ON "Post"("communeId", "slug");

-- CreateIndex
CREATE INDEX "ScheduledPost_communeId_channel_state_publishedAt_idx" ON "ScheduledPost"("communeId", "channel", "state", "publishedAt");

-- CreateIndex
CREATE UNIQUE INDEX "PostPlan_communeId_name_key" ON "PostPlan"("communeId", "name");

-- CreateIndex
CREATE INDEX "ManualOutreach_communeId_date_idx" ON "ManualOutreach"("communeId", "date");

-- AddForeignKey
ALTER TABLE "StaffUser" ADD CONSTRAINT "StaffUser_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditLog" ADD CONSTRAINT "AuditLog_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CatalogChange" ADD CONSTRAINT "CatalogChange_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Procedure" ADD CONSTRAINT "Procedure_catalogId_fkey" FOREIGN KEY ("catalogId") REFERENCES "ProcedureCatalog"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommuneProfile" ADD CONSTRAINT "CommuneProfile_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Hotline" ADD CONSTRAINT "Hotline_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Conversation" ADD CONSTRAINT "Conversation_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConversationNote" ADD CONSTRAINT "ConversationNote_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InboundMessage" ADD CONSTRAINT "InboundMessage_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UnansweredQuestion" ADD CONSTRAINT "UnansweredQuestion_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FeedbackItem" ADD CONSTRAINT "FeedbackItem_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FeedbackEvent" ADD CONSTRAINT "FeedbackEvent_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FeedbackCounter" ADD CONSTRAINT "FeedbackCounter_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SatisfactionRating" ADD CONSTRAINT "SatisfactionRating_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutboundMessage" ADD CONSTRAINT "OutboundMessage_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChannelState" ADD CONSTRAINT "ChannelState_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChannelToken" ADD CONSTRAINT "ChannelToken_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RejectedEvent" ADD CONSTRAINT "RejectedEvent_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Post" ADD CONSTRAINT "Post_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScheduledPost" ADD CONSTRAINT "ScheduledPost_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PostPlan" ADD CONSTRAINT "PostPlan_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DailyTally" ADD CONSTRAINT "DailyTally_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CitizenActivity" ADD CONSTRAINT "CitizenActivity_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ManualOutreach" ADD CONSTRAINT "ManualOutreach_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Commune" ADD CONSTRAINT "Commune_catalogId_fkey" FOREIGN KEY ("catalogId") REFERENCES "ProcedureCatalog"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProcedureOverride" ADD CONSTRAINT "ProcedureOverride_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProcedureOverride" ADD CONSTRAINT "ProcedureOverride_procedureId_fkey" FOREIGN KEY ("procedureId") REFERENCES "Procedure"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChannelAccount" ADD CONSTRAINT "ChannelAccount_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
