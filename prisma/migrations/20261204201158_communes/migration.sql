-- Hand-edited after generation (src/db/migrate.ts): a database made before communes existed becomes commune 1
-- ("mac-dinh", named after its CommuneProfile) using catalog 1, and every existing row of every commune-owned table
-- is moved into it (communeId = 1, procedures catalogId = 1). A new, empty database gets no commune here: the
-- service creates its first one at start (src/app/communes.ts). Tables that stay installation-wide: StaffSession
-- (follows its user), LoginAttempt (sign-in throttling by name and address must count across communes).
-- CreateTable
CREATE TABLE "Commune" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "catalogId" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Commune_catalogId_fkey" FOREIGN KEY ("catalogId") REFERENCES "ProcedureCatalog" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ProcedureCatalog" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ProcedureOverride" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
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
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ProcedureOverride_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ProcedureOverride_procedureId_fkey" FOREIGN KEY ("procedureId") REFERENCES "Procedure" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ChannelAccount" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "communeId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "settings" JSONB NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ChannelAccount_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);


-- Backfill: the existing single commune and its procedure set (only when the database holds anything).
INSERT INTO "ProcedureCatalog" ("id", "slug", "name")
SELECT 1, 'mac-dinh', 'Danh mục thủ tục hành chính' WHERE EXISTS (SELECT 1 FROM "CommuneProfile") OR EXISTS (SELECT 1 FROM "Procedure") OR EXISTS (SELECT 1 FROM "StaffUser") OR EXISTS (SELECT 1 FROM "StaffSession") OR EXISTS (SELECT 1 FROM "Hotline") OR EXISTS (SELECT 1 FROM "Conversation") OR EXISTS (SELECT 1 FROM "ConversationNote") OR EXISTS (SELECT 1 FROM "InboundMessage") OR EXISTS (SELECT 1 FROM "UnansweredQuestion") OR EXISTS (SELECT 1 FROM "OutboundMessage") OR EXISTS (SELECT 1 FROM "ChannelState") OR EXISTS (SELECT 1 FROM "ChannelToken") OR EXISTS (SELECT 1 FROM "RejectedEvent") OR EXISTS (SELECT 1 FROM "Post") OR EXISTS (SELECT 1 FROM "ScheduledPost") OR EXISTS (SELECT 1 FROM "PostPlan") OR EXISTS (SELECT 1 FROM "DailyTally") OR EXISTS (SELECT 1 FROM "CitizenActivity") OR EXISTS (SELECT 1 FROM "ManualOutreach") OR EXISTS (SELECT 1 FROM "AuditLog") OR EXISTS (SELECT 1 FROM "FeedbackItem") OR EXISTS (SELECT 1 FROM "FeedbackEvent") OR EXISTS (SELECT 1 FROM "FeedbackCounter") OR EXISTS (SELECT 1 FROM "SatisfactionRating") OR EXISTS (SELECT 1 FROM "CatalogChange") OR EXISTS (SELECT 1 FROM "LoginAttempt");
INSERT INTO "Commune" ("id", "slug", "name", "catalogId", "updatedAt")
SELECT 1, 'mac-dinh', COALESCE((SELECT "name" FROM "CommuneProfile" ORDER BY "id" LIMIT 1), 'Xã (chưa đặt tên)'), 1, CURRENT_TIMESTAMP
WHERE EXISTS (SELECT 1 FROM "ProcedureCatalog" WHERE "id" = 1);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_StaffUser" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "communeId" INTEGER,
    "username" TEXT NOT NULL,
    "displayName" TEXT,
    "title" TEXT,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "mustChangePassword" BOOLEAN NOT NULL DEFAULT false,
    "lastLoginAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "StaffUser_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_StaffUser" ("communeId", "createdAt", "disabled", "displayName", "id", "lastLoginAt", "mustChangePassword", "passwordHash", "role", "title", "updatedAt", "username") SELECT 1, "createdAt", "disabled", "displayName", "id", "lastLoginAt", "mustChangePassword", "passwordHash", "role", "title", "updatedAt", "username" FROM "StaffUser";
DROP TABLE "StaffUser";
ALTER TABLE "new_StaffUser" RENAME TO "StaffUser";
CREATE UNIQUE INDEX "StaffUser_username_key" ON "StaffUser"("username");
CREATE INDEX "StaffUser_communeId_idx" ON "StaffUser"("communeId");
CREATE TABLE "new_AuditLog" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "communeId" INTEGER NOT NULL,
    "who" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entityId" TEXT,
    "detail" JSONB NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AuditLog_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_AuditLog" ("communeId", "action", "at", "detail", "entity", "entityId", "id", "who") SELECT 1, "action", "at", "detail", "entity", "entityId", "id", "who" FROM "AuditLog";
DROP TABLE "AuditLog";
ALTER TABLE "new_AuditLog" RENAME TO "AuditLog";
CREATE INDEX "AuditLog_communeId_at_idx" ON "AuditLog"("communeId", "at");
CREATE INDEX "AuditLog_communeId_entity_entityId_idx" ON "AuditLog"("communeId", "entity", "entityId");
CREATE TABLE "new_CatalogChange" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "communeId" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "fields" JSONB NOT NULL,
    "onlineUrl" TEXT,
    "day" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "who" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CatalogChange_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_CatalogChange" ("communeId", "at", "code", "day", "fields", "id", "kind", "name", "onlineUrl", "source", "who") SELECT 1, "at", "code", "day", "fields", "id", "kind", "name", "onlineUrl", "source", "who" FROM "CatalogChange";
DROP TABLE "CatalogChange";
ALTER TABLE "new_CatalogChange" RENAME TO "CatalogChange";
CREATE INDEX "CatalogChange_communeId_day_id_idx" ON "CatalogChange"("communeId", "day", "id");
CREATE TABLE "new_Procedure" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "catalogId" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    "documents" JSONB NOT NULL,
    "processingTime" TEXT NOT NULL,
    "fees" TEXT NOT NULL,
    "submitAt" TEXT NOT NULL,
    "onlineUrl" TEXT,
    "onlineLevel" TEXT,
    "legalBasis" JSONB NOT NULL,
    "aliases" JSONB NOT NULL,
    "situations" JSONB,
    "audience" TEXT,
    "source" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Procedure_catalogId_fkey" FOREIGN KEY ("catalogId") REFERENCES "ProcedureCatalog" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Procedure" ("catalogId", "active", "aliases", "audience", "code", "createdAt", "documents", "fees", "field", "id", "legalBasis", "name", "onlineLevel", "onlineUrl", "processingTime", "situations", "source", "submitAt", "updatedAt") SELECT 1, "active", "aliases", "audience", "code", "createdAt", "documents", "fees", "field", "id", "legalBasis", "name", "onlineLevel", "onlineUrl", "processingTime", "situations", "source", "submitAt", "updatedAt" FROM "Procedure";
DROP TABLE "Procedure";
ALTER TABLE "new_Procedure" RENAME TO "Procedure";
CREATE INDEX "Procedure_catalogId_field_idx" ON "Procedure"("catalogId", "field");
CREATE UNIQUE INDEX "Procedure_catalogId_code_key" ON "Procedure"("catalogId", "code");
CREATE TABLE "new_CommuneProfile" (
    "communeId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "workingHours" TEXT NOT NULL,
    "officeHours" TEXT,
    "website" TEXT,
    "portalUrl" TEXT,
    "email" TEXT,
    "note" TEXT,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CommuneProfile_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_CommuneProfile" ("communeId", "address", "email", "name", "note", "officeHours", "portalUrl", "updatedAt", "website", "workingHours") SELECT 1, "address", "email", "name", "note", "officeHours", "portalUrl", "updatedAt", "website", "workingHours" FROM "CommuneProfile" WHERE "id" = (SELECT MIN("id") FROM "CommuneProfile");
DROP TABLE "CommuneProfile";
ALTER TABLE "new_CommuneProfile" RENAME TO "CommuneProfile";
CREATE TABLE "new_Hotline" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "communeId" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "hours" TEXT,
    "isExample" BOOLEAN NOT NULL DEFAULT false,
    "sortOrder" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Hotline_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Hotline" ("communeId", "hours", "id", "isExample", "key", "name", "number", "purpose", "sortOrder", "updatedAt") SELECT 1, "hours", "id", "isExample", "key", "name", "number", "purpose", "sortOrder", "updatedAt" FROM "Hotline";
DROP TABLE "Hotline";
ALTER TABLE "new_Hotline" RENAME TO "Hotline";
CREATE UNIQUE INDEX "Hotline_communeId_key_key" ON "Hotline"("communeId", "key");
CREATE TABLE "new_Conversation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "communeId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "citizenRef" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'bot',
    "context" JSONB NOT NULL,
    "lastInboundAt" DATETIME,
    "handedOverAt" DATETIME,
    "assignedToId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Conversation_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Conversation_assignedToId_fkey" FOREIGN KEY ("assignedToId") REFERENCES "StaffUser" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Conversation" ("communeId", "address", "assignedToId", "channel", "citizenRef", "context", "createdAt", "handedOverAt", "id", "lastInboundAt", "state", "updatedAt") SELECT 1, "address", "assignedToId", "channel", "citizenRef", "context", "createdAt", "handedOverAt", "id", "lastInboundAt", "state", "updatedAt" FROM "Conversation";
DROP TABLE "Conversation";
ALTER TABLE "new_Conversation" RENAME TO "Conversation";
CREATE INDEX "Conversation_communeId_state_updatedAt_idx" ON "Conversation"("communeId", "state", "updatedAt");
CREATE INDEX "Conversation_assignedToId_state_idx" ON "Conversation"("assignedToId", "state");
CREATE UNIQUE INDEX "Conversation_communeId_channel_address_key" ON "Conversation"("communeId", "channel", "address");
CREATE TABLE "new_ConversationNote" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "communeId" INTEGER NOT NULL,
    "conversationId" INTEGER NOT NULL,
    "authorId" INTEGER,
    "text" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ConversationNote_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ConversationNote_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ConversationNote_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "StaffUser" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_ConversationNote" ("communeId", "authorId", "conversationId", "createdAt", "id", "text") SELECT 1, "authorId", "conversationId", "createdAt", "id", "text" FROM "ConversationNote";
DROP TABLE "ConversationNote";
ALTER TABLE "new_ConversationNote" RENAME TO "ConversationNote";
CREATE INDEX "ConversationNote_conversationId_createdAt_idx" ON "ConversationNote"("conversationId", "createdAt");
CREATE INDEX "ConversationNote_communeId_idx" ON "ConversationNote"("communeId");
CREATE TABLE "new_InboundMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "communeId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "platformMessageId" TEXT NOT NULL,
    "conversationId" INTEGER NOT NULL,
    "citizenRef" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "payload" TEXT,
    "message" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'received',
    "outcome" TEXT,
    "procedureCode" TEXT,
    "field" TEXT,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" DATETIME,
    "claimedAt" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    CONSTRAINT "InboundMessage_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "InboundMessage_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_InboundMessage" ("communeId", "attempts", "channel", "citizenRef", "claimedAt", "conversationId", "field", "id", "kind", "lastError", "message", "outcome", "payload", "platformMessageId", "procedureCode", "processedAt", "receivedAt", "status", "text") SELECT 1, "attempts", "channel", "citizenRef", "claimedAt", "conversationId", "field", "id", "kind", "lastError", "message", "outcome", "payload", "platformMessageId", "procedureCode", "processedAt", "receivedAt", "status", "text" FROM "InboundMessage";
DROP TABLE "InboundMessage";
ALTER TABLE "new_InboundMessage" RENAME TO "InboundMessage";
CREATE INDEX "InboundMessage_status_receivedAt_idx" ON "InboundMessage"("status", "receivedAt");
CREATE INDEX "InboundMessage_communeId_receivedAt_idx" ON "InboundMessage"("communeId", "receivedAt");
CREATE UNIQUE INDEX "InboundMessage_communeId_channel_platformMessageId_key" ON "InboundMessage"("communeId", "channel", "platformMessageId");
CREATE TABLE "new_UnansweredQuestion" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "communeId" INTEGER NOT NULL,
    "inboundId" INTEGER NOT NULL,
    "conversationId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "folded" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "procedureCode" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" DATETIME,
    CONSTRAINT "UnansweredQuestion_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_UnansweredQuestion" ("communeId", "channel", "conversationId", "createdAt", "folded", "id", "inboundId", "procedureCode", "resolvedAt", "status", "text") SELECT 1, "channel", "conversationId", "createdAt", "folded", "id", "inboundId", "procedureCode", "resolvedAt", "status", "text" FROM "UnansweredQuestion";
DROP TABLE "UnansweredQuestion";
ALTER TABLE "new_UnansweredQuestion" RENAME TO "UnansweredQuestion";
CREATE UNIQUE INDEX "UnansweredQuestion_inboundId_key" ON "UnansweredQuestion"("inboundId");
CREATE INDEX "UnansweredQuestion_communeId_status_createdAt_idx" ON "UnansweredQuestion"("communeId", "status", "createdAt");
CREATE TABLE "new_FeedbackItem" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "communeId" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "conversationId" INTEGER,
    "citizenRef" TEXT NOT NULL,
    "platformMessageId" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "procedureCode" TEXT,
    "procedureName" TEXT,
    "field" TEXT,
    "content" TEXT NOT NULL,
    "phone" TEXT,
    "phoneConsent" BOOLEAN NOT NULL DEFAULT false,
    "publishConsent" BOOLEAN NOT NULL DEFAULT false,
    "state" TEXT NOT NULL DEFAULT 'new',
    "dueAt" DATETIME NOT NULL,
    "answer" TEXT,
    "answeredAt" DATETIME,
    "answeredBy" TEXT,
    "transferredTo" TEXT,
    "transferredAt" DATETIME,
    "answerOutboundId" INTEGER,
    "postSlug" TEXT,
    "redactedAt" DATETIME,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "FeedbackItem_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_FeedbackItem" ("communeId", "answer", "answerOutboundId", "answeredAt", "answeredBy", "channel", "citizenRef", "code", "content", "conversationId", "dueAt", "field", "id", "phone", "phoneConsent", "platformMessageId", "postSlug", "procedureCode", "procedureName", "publishConsent", "receivedAt", "redactedAt", "state", "subject", "transferredAt", "transferredTo", "updatedAt") SELECT 1, "answer", "answerOutboundId", "answeredAt", "answeredBy", "channel", "citizenRef", "code", "content", "conversationId", "dueAt", "field", "id", "phone", "phoneConsent", "platformMessageId", "postSlug", "procedureCode", "procedureName", "publishConsent", "receivedAt", "redactedAt", "state", "subject", "transferredAt", "transferredTo", "updatedAt" FROM "FeedbackItem";
DROP TABLE "FeedbackItem";
ALTER TABLE "new_FeedbackItem" RENAME TO "FeedbackItem";
CREATE INDEX "FeedbackItem_communeId_state_dueAt_idx" ON "FeedbackItem"("communeId", "state", "dueAt");
CREATE INDEX "FeedbackItem_communeId_receivedAt_idx" ON "FeedbackItem"("communeId", "receivedAt");
CREATE UNIQUE INDEX "FeedbackItem_communeId_code_key" ON "FeedbackItem"("communeId", "code");
CREATE UNIQUE INDEX "FeedbackItem_communeId_channel_platformMessageId_key" ON "FeedbackItem"("communeId", "channel", "platformMessageId");
CREATE TABLE "new_FeedbackEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "communeId" INTEGER NOT NULL,
    "feedbackId" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "fromState" TEXT,
    "toState" TEXT,
    "who" TEXT NOT NULL,
    "note" TEXT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "FeedbackEvent_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "FeedbackEvent_feedbackId_fkey" FOREIGN KEY ("feedbackId") REFERENCES "FeedbackItem" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_FeedbackEvent" ("communeId", "action", "at", "feedbackId", "fromState", "id", "note", "toState", "who") SELECT 1, "action", "at", "feedbackId", "fromState", "id", "note", "toState", "who" FROM "FeedbackEvent";
DROP TABLE "FeedbackEvent";
ALTER TABLE "new_FeedbackEvent" RENAME TO "FeedbackEvent";
CREATE INDEX "FeedbackEvent_feedbackId_at_idx" ON "FeedbackEvent"("feedbackId", "at");
CREATE INDEX "FeedbackEvent_communeId_idx" ON "FeedbackEvent"("communeId");
CREATE TABLE "new_FeedbackCounter" (
    "communeId" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "last" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("communeId", "year"),
    CONSTRAINT "FeedbackCounter_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_FeedbackCounter" ("communeId", "last", "year") SELECT 1, "last", "year" FROM "FeedbackCounter";
DROP TABLE "FeedbackCounter";
ALTER TABLE "new_FeedbackCounter" RENAME TO "FeedbackCounter";
CREATE TABLE "new_SatisfactionRating" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "communeId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "platformMessageId" TEXT NOT NULL,
    "about" TEXT NOT NULL,
    "procedureCode" TEXT,
    "field" TEXT,
    "score" TEXT NOT NULL,
    "reason" TEXT,
    "ratedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SatisfactionRating_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_SatisfactionRating" ("communeId", "about", "channel", "field", "id", "platformMessageId", "procedureCode", "ratedAt", "reason", "score") SELECT 1, "about", "channel", "field", "id", "platformMessageId", "procedureCode", "ratedAt", "reason", "score" FROM "SatisfactionRating";
DROP TABLE "SatisfactionRating";
ALTER TABLE "new_SatisfactionRating" RENAME TO "SatisfactionRating";
CREATE INDEX "SatisfactionRating_communeId_ratedAt_idx" ON "SatisfactionRating"("communeId", "ratedAt");
CREATE UNIQUE INDEX "SatisfactionRating_communeId_channel_platformMessageId_key" ON "SatisfactionRating"("communeId", "channel", "platformMessageId");
CREATE TABLE "new_OutboundMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "communeId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "recipientRef" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "conversationId" INTEGER,
    "inboundId" INTEGER,
    "seq" INTEGER NOT NULL DEFAULT 0,
    "scheduledPostId" INTEGER,
    "procedureCode" TEXT,
    "field" TEXT,
    "topic" TEXT,
    "text" TEXT NOT NULL,
    "body" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "platformMessageId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "OutboundMessage_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_OutboundMessage" ("communeId", "address", "attempts", "body", "channel", "conversationId", "createdAt", "field", "id", "inboundId", "kind", "lastError", "nextAttemptAt", "platformMessageId", "procedureCode", "recipientRef", "scheduledPostId", "sentAt", "seq", "status", "text", "topic", "updatedAt") SELECT 1, "address", "attempts", "body", "channel", "conversationId", "createdAt", "field", "id", "inboundId", "kind", "lastError", "nextAttemptAt", "platformMessageId", "procedureCode", "recipientRef", "scheduledPostId", "sentAt", "seq", "status", "text", "topic", "updatedAt" FROM "OutboundMessage";
DROP TABLE "OutboundMessage";
ALTER TABLE "new_OutboundMessage" RENAME TO "OutboundMessage";
CREATE INDEX "OutboundMessage_status_nextAttemptAt_idx" ON "OutboundMessage"("status", "nextAttemptAt");
CREATE INDEX "OutboundMessage_communeId_sentAt_idx" ON "OutboundMessage"("communeId", "sentAt");
CREATE INDEX "OutboundMessage_conversationId_createdAt_idx" ON "OutboundMessage"("conversationId", "createdAt");
CREATE UNIQUE INDEX "OutboundMessage_inboundId_seq_key" ON "OutboundMessage"("inboundId", "seq");
CREATE TABLE "new_ChannelState" (
    "communeId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "healthy" BOOLEAN NOT NULL DEFAULT true,
    "lastError" TEXT,
    "lastErrorAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("communeId", "channel"),
    CONSTRAINT "ChannelState_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_ChannelState" ("communeId", "channel", "healthy", "lastError", "lastErrorAt", "updatedAt") SELECT 1, "channel", "healthy", "lastError", "lastErrorAt", "updatedAt" FROM "ChannelState";
DROP TABLE "ChannelState";
ALTER TABLE "new_ChannelState" RENAME TO "ChannelState";
CREATE TABLE "new_ChannelToken" (
    "communeId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "accessToken" TEXT NOT NULL,
    "refreshToken" TEXT,
    "expiresAt" DATETIME,
    "version" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("communeId", "channel"),
    CONSTRAINT "ChannelToken_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_ChannelToken" ("communeId", "accessToken", "channel", "expiresAt", "refreshToken", "updatedAt", "version") SELECT 1, "accessToken", "channel", "expiresAt", "refreshToken", "updatedAt", "version" FROM "ChannelToken";
DROP TABLE "ChannelToken";
ALTER TABLE "new_ChannelToken" RENAME TO "ChannelToken";
CREATE TABLE "new_RejectedEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "communeId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "excerpt" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL,
    CONSTRAINT "RejectedEvent_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_RejectedEvent" ("communeId", "channel", "excerpt", "id", "reason", "receivedAt") SELECT 1, "channel", "excerpt", "id", "reason", "receivedAt" FROM "RejectedEvent";
DROP TABLE "RejectedEvent";
ALTER TABLE "new_RejectedEvent" RENAME TO "RejectedEvent";
CREATE INDEX "RejectedEvent_communeId_receivedAt_idx" ON "RejectedEvent"("communeId", "receivedAt");
CREATE TABLE "new_Post" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "communeId" INTEGER NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "tags" JSONB NOT NULL,
    "body" TEXT NOT NULL,
    "imageUrl" TEXT,
    "link" TEXT,
    "channels" JSONB NOT NULL,
    "notBefore" DATETIME,
    "notAfter" DATETIME,
    "origin" TEXT NOT NULL DEFAULT 'file',
    "sourceFile" TEXT,
    "contentHash" TEXT NOT NULL,
    "archived" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Post_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Post" ("communeId", "archived", "body", "channels", "contentHash", "createdAt", "id", "imageUrl", "link", "notAfter", "notBefore", "origin", "slug", "sourceFile", "tags", "title", "topic", "updatedAt") SELECT 1, "archived", "body", "channels", "contentHash", "createdAt", "id", "imageUrl", "link", "notAfter", "notBefore", "origin", "slug", "sourceFile", "tags", "title", "topic", "updatedAt" FROM "Post";
DROP TABLE "Post";
ALTER TABLE "new_Post" RENAME TO "Post";
CREATE INDEX "Post_communeId_topic_archived_idx" ON "Post"("communeId", "topic", "archived");
CREATE UNIQUE INDEX "Post_communeId_slug_key" ON "Post"("communeId", "slug");
CREATE TABLE "new_ScheduledPost" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "communeId" INTEGER NOT NULL,
    "postId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'queued',
    "planId" INTEGER,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL,
    "lastError" TEXT,
    "platformPostId" TEXT,
    "heldSince" DATETIME,
    "claimedBy" TEXT,
    "claimedAt" DATETIME,
    "publishedAt" DATETIME,
    "outboundId" INTEGER,
    "createdBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ScheduledPost_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ScheduledPost_postId_fkey" FOREIGN KEY ("postId") REFERENCES "Post" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ScheduledPost_planId_fkey" FOREIGN KEY ("planId") REFERENCES "PostPlan" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_ScheduledPost" ("communeId", "attempts", "channel", "claimedAt", "claimedBy", "createdAt", "createdBy", "dueAt", "heldSince", "id", "lastError", "nextAttemptAt", "outboundId", "planId", "platformPostId", "postId", "publishedAt", "state", "updatedAt") SELECT 1, "attempts", "channel", "claimedAt", "claimedBy", "createdAt", "createdBy", "dueAt", "heldSince", "id", "lastError", "nextAttemptAt", "outboundId", "planId", "platformPostId", "postId", "publishedAt", "state", "updatedAt" FROM "ScheduledPost";
DROP TABLE "ScheduledPost";
ALTER TABLE "new_ScheduledPost" RENAME TO "ScheduledPost";
CREATE INDEX "ScheduledPost_state_nextAttemptAt_idx" ON "ScheduledPost"("state", "nextAttemptAt");
CREATE INDEX "ScheduledPost_communeId_channel_state_publishedAt_idx" ON "ScheduledPost"("communeId", "channel", "state", "publishedAt");
CREATE INDEX "ScheduledPost_postId_channel_idx" ON "ScheduledPost"("postId", "channel");
CREATE UNIQUE INDEX "ScheduledPost_planId_channel_dueAt_key" ON "ScheduledPost"("planId", "channel", "dueAt");
CREATE TABLE "new_PostPlan" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "communeId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "weekdays" JSONB NOT NULL,
    "times" JSONB NOT NULL,
    "topics" JSONB NOT NULL,
    "channels" JSONB NOT NULL,
    "startAt" DATETIME NOT NULL,
    "endAt" DATETIME,
    "maxCount" INTEGER,
    "targetPerMonth" INTEGER,
    "nextRunAt" DATETIME,
    "occurrences" INTEGER NOT NULL DEFAULT 0,
    "missedCount" INTEGER NOT NULL DEFAULT 0,
    "lastNote" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "PostPlan_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_PostPlan" ("communeId", "active", "channels", "createdAt", "endAt", "id", "lastNote", "maxCount", "missedCount", "name", "nextRunAt", "occurrences", "startAt", "targetPerMonth", "times", "topics", "updatedAt", "weekdays") SELECT 1, "active", "channels", "createdAt", "endAt", "id", "lastNote", "maxCount", "missedCount", "name", "nextRunAt", "occurrences", "startAt", "targetPerMonth", "times", "topics", "updatedAt", "weekdays" FROM "PostPlan";
DROP TABLE "PostPlan";
ALTER TABLE "new_PostPlan" RENAME TO "PostPlan";
CREATE INDEX "PostPlan_active_nextRunAt_idx" ON "PostPlan"("active", "nextRunAt");
CREATE UNIQUE INDEX "PostPlan_communeId_name_key" ON "PostPlan"("communeId", "name");
CREATE TABLE "new_DailyTally" (
    "communeId" INTEGER NOT NULL,
    "day" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("communeId", "day", "metric", "channel", "key"),
    CONSTRAINT "DailyTally_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_DailyTally" ("communeId", "channel", "count", "day", "key", "metric") SELECT 1, "channel", "count", "day", "key", "metric" FROM "DailyTally";
DROP TABLE "DailyTally";
ALTER TABLE "new_DailyTally" RENAME TO "DailyTally";
CREATE TABLE "new_CitizenActivity" (
    "communeId" INTEGER NOT NULL,
    "bucket" TEXT NOT NULL,
    "citizenRef" TEXT NOT NULL,
    "channel" TEXT NOT NULL,

    PRIMARY KEY ("communeId", "bucket", "citizenRef"),
    CONSTRAINT "CitizenActivity_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_CitizenActivity" ("communeId", "bucket", "channel", "citizenRef") SELECT 1, "bucket", "channel", "citizenRef" FROM "CitizenActivity";
DROP TABLE "CitizenActivity";
ALTER TABLE "new_CitizenActivity" RENAME TO "CitizenActivity";
CREATE TABLE "new_ManualOutreach" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "communeId" INTEGER NOT NULL,
    "date" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "topic" TEXT,
    "note" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ManualOutreach_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_ManualOutreach" ("communeId", "channel", "count", "createdAt", "createdBy", "date", "id", "note", "topic") SELECT 1, "channel", "count", "createdAt", "createdBy", "date", "id", "note", "topic" FROM "ManualOutreach";
DROP TABLE "ManualOutreach";
ALTER TABLE "new_ManualOutreach" RENAME TO "ManualOutreach";
CREATE INDEX "ManualOutreach_communeId_date_idx" ON "ManualOutreach"("communeId", "date");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

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
